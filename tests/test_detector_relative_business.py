"""领导干部亲属经商办企业 on a small fixture graph.

Housing bureau O1 (regulates E, K; county K1 of city C1) with head H and deputy DP; the
city market regulator OC (regulates C; city C1) with head HC; the county government OG
(regulates nothing) with deputy GV.

- DP's wife DW owns 10% of CO1 (K, in K1)                          → found (owns)
- DP's son DS is manager of CO2 (E, in K1), no shares              → found (runs)
- DP's son's wife DSW owns 0.5% of CO3 (E, in K1)                  → none (below 1%)
- H's wife HW is legal representative of CO4 (K, in K1)            → found
- DP's wife DW owns 50% of CO5 (K, registered in county K2)        → none (outside region)
- DP's son DS owns 100% of CO6 (I, in K1)                          → none (unregulated)
- DP's brother DB owns 80% of CO7 (K, in K1)                       → none (not close family)
- DW's earlier 40% of CO8 (E, in K1) was sold in 2024              → none (ended)
- DS is supervisor of CO9 (E, in K1)                               → none (office not listed)
- HC's husband HCH owns 30% of CO10 (C, county K1 of HC's city)    → found (city covers K1)
- GV's wife GW owns 70% of CO11 (I, in K1)                         → only under the stricter
  provincial option that makes any business in the region count for the government
"""

from __future__ import annotations

from datetime import date

import pytest

from detectorkit import (assert_scoped_runs_agree, city_counties, entity_sets, hits, hits_with,
                         housing_bureau)
from graphkit import Kit

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)


@pytest.fixture
def business_graph(graph):
    kit = Kit(graph)
    city_counties(kit)
    housing_bureau(kit)
    kit.add("Organization", id="OC", name="甲市市场监督管理局", kind="market_regulation",
            level="city", region="C1", regulates=["C"])
    kit.add("Organization", id="OG", name="乙县人民政府", kind="government", level="county",
            region="K1")
    for post, org, head in [("H", "O1", True), ("DP", "O1", False), ("HC", "OC", True),
                            ("GV", "OG", False)]:
        kit.add("Post", id=f"P_{post}", name="局长" if head else "副局长", org=org,
                rank="section", category="leadership", is_head=head, in_leadership=True)
        kit.add("Cadre", id=post, name=post, gender="F" if post == "HC" else "M",
                birth_date="1970-01-01", managed_by=org, rank="section")
        kit.add("Occupancy", person=post, post=f"P_{post}", start_date="2020-03-01")
    for pid, gender in [("DW", "F"), ("DS", "M"), ("DSW", "F"), ("HW", "F"), ("DB", "M"),
                        ("DF", "M"), ("HCH", "M"), ("GW", "F")]:
        kit.add("Person", id=pid, name=pid, gender=gender, birth_date="1990-01-01")
    kit.add("Spouse", person="DP", spouse="DW", start_date="1995-01-01")
    kit.add("Parenthood", parent="DP", child="DS")
    kit.add("Spouse", person="DS", spouse="DSW", start_date="2021-01-01")
    kit.add("Spouse", person="H", spouse="HW", start_date="1995-01-01")
    kit.add("Parenthood", parent="DF", child="DP")
    kit.add("Parenthood", parent="DF", child="DB")
    kit.add("Spouse", person="HC", spouse="HCH", start_date="1996-01-01")
    kit.add("Spouse", person="GV", spouse="GW", start_date="1996-01-01")
    companies = {"CO1": ("K", "K1"), "CO2": ("E", "K1"), "CO3": ("E", "K1"), "CO4": ("K", "K1"),
                 "CO5": ("K", "K2"), "CO6": ("I", "K1"), "CO7": ("K", "K1"), "CO8": ("E", "K1"),
                 "CO9": ("E", "K1"), "CO10": ("C", "K1"), "CO11": ("I", "K1")}
    for cid, (industry, region) in companies.items():
        kit.add("Company", id=cid, name=f"{cid}公司", industry=industry, region=region)
    for owner, cid, pct, start, end in [("DW", "CO1", 10, "2022-09-07", None),
                                        ("DSW", "CO3", 0.5, "2022-01-01", None),
                                        ("DW", "CO5", 50, "2018-01-01", None),
                                        ("DS", "CO6", 100, "2018-01-01", None),
                                        ("DB", "CO7", 80, "2018-01-01", None),
                                        ("DW", "CO8", 40, "2018-01-01", "2024-03-01"),
                                        ("HCH", "CO10", 30, "2019-01-01", None),
                                        ("GW", "CO11", 70, "2019-01-01", None)]:
        kit.add("Ownership", owner=owner, company=cid, percent=pct, start_date=start, end_date=end)
    for person, cid, role, start in [("DS", "CO2", "manager", "2016-05-26"),
                                     ("HW", "CO4", "legal_rep", "2010-01-01"),
                                     ("DS", "CO9", "supervisor", "2018-01-01")]:
        kit.add("Directorship", person=person, company=cid, role=role, start_date=start)
    kit.write()
    return graph


def test_close_family_businesses_in_jurisdiction_and_scope(business_graph, settings):
    found = hits(business_graph, settings, "relative_business", AS_OF)
    assert entity_sets(found) == {
        frozenset({"DP", "DW", "CO1"}), frozenset({"DP", "DS", "CO2"}),
        frozenset({"H", "HW", "CO4"}), frozenset({"HC", "HCH", "CO10"}),
    }
    by_ids = {frozenset(h.entity_ids): h for h in found}
    owns = by_ids[frozenset({"DP", "DW", "CO1"})]
    assert owns.subjects == ["DP"] and owns.orgs == ["O1"]
    assert owns.date == date(2022, 9, 7)
    assert "配偶" in owns.explanation and "持股10%" in owns.explanation and "房地产业" in owns.explanation
    runs = by_ids[frozenset({"DP", "DS", "CO2"})]
    assert runs.date == date(2020, 3, 1) and "担任经理" in runs.explanation
    ev = owns.evidence.as_dict()
    assert {"SPOUSE_OF", "OWNS", "HOLDS", "REGISTERED_IN", "JURISDICTION"} <= {e["type"] for e in ev["edges"]}
    city = by_ids[frozenset({"HC", "HCH", "CO10"})].evidence.as_dict()
    assert any(e["type"] == "PART_OF" and e["from"] == "K1" for e in city["edges"])


def test_dates_decide_which_ties_count(business_graph, settings):
    """In 2023 DW still held 40% of CO8; before 2020-03-01 DP was not yet a leader."""
    in_2023 = entity_sets(hits(business_graph, settings, "relative_business", date(2023, 1, 1)))
    assert frozenset({"DP", "DW", "CO8"}) in in_2023
    assert entity_sets(hits(business_graph, settings, "relative_business", date(2020, 2, 29))) == set()


def test_stricter_provincial_scope_counts_any_industry(business_graph, settings):
    found = entity_sets(hits_with(business_graph, "relative_business", AS_OF,
                                  {"scope": {"any_industry": {"org_kinds": ["government"]}}}))
    assert frozenset({"GV", "GW", "CO11"}) in found
    assert frozenset({"DP", "DS", "CO6"}) not in found      # O1 keeps its business scope


def test_scope_limits_the_leaders(business_graph, settings):
    found = hits(business_graph, settings, "relative_business", AS_OF, scope=frozenset({"H"}))
    assert entity_sets(found) == {frozenset({"H", "HW", "CO4"})}


def test_a_scoped_run_agrees_with_the_whole_run_on_its_leaders(business_graph, settings):
    # detectors/org_leaders_scoped starts from the scope's cadres.
    assert_scoped_runs_agree(business_graph, settings, "relative_business", AS_OF,
                             ["H", "DP", "HC", "GV"])
