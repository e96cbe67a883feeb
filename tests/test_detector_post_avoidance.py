"""任职回避 on a small fixture graph.

One housing bureau O1 (regulates E, K; county K1 of city C1), leadership H (head), D1,
D2 (deputies, under H); sections S1 (general, chief S1C under D1, staff S1A, S1B),
F1 (finance, chief F1C under D2, staff F1A), G2 (general, chief G2C under D2),
V3 (general, chief V3C, staff V3A). A second bureau O2 with a deputy O2D.

Kin in one organisation (each line one case):
- A1 (S1C) over B1 (S1A), B1 = A1's wife's sister's husband          → direct
- DA (D1) and DB (D2) are first cousins                              → same team
- B1 (S1A) and B1's brother BB (S1B), both under S1C                 → same leader
- HH (H) and his nephew NE (F1A, finance staff under F1C)            → sensitive post
- HH (H) and his son's wife's father CF (G2C, under deputy D2)       → level below
- second cousins X2 (V3C) over Y2 (V3A)                              → none
- DA (D1) and her husband's brother IL, deputy of bureau O2          → none (other org)
- CF (G2C) over his former wife ED (G2A), divorced before either came → none
- HH's sister OLD left F1C before HH came                            → none
Heads regulating a close relative's company: HH's wife WW owns 30% of K-industry CO1 in
K1; HH's son SS is legal representative of CO2 (E, K1); CS (SS's wife) owns 20% of CO3
(below the large share); DA's husband owns 60% of CO4 (DA is a deputy, not the head).
"""

from __future__ import annotations

from datetime import date

import pytest

from detectorkit import (city_counties, entity_sets, hits, housing_bureau, run_detector,
                         water_bureau)
from graphkit import Kit

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)

POSTS = [  # id, org, head, in_leadership, category, reports_to
    ("H", "O1", True, True, "leadership", None),
    ("D1", "O1", False, True, "leadership", "H"),
    ("D2", "O1", False, True, "leadership", "H"),
    ("S1C", "O1", False, False, "general", "D1"),
    ("S1A", "O1", False, False, "general", "S1C"),
    ("S1B", "O1", False, False, "general", "S1C"),
    ("F1C", "O1", False, False, "finance", "D2"),
    ("F1A", "O1", False, False, "finance", "F1C"),
    ("G2C", "O1", False, False, "general", "D2"),
    ("G2A", "O1", False, False, "general", "G2C"),
    ("V3C", "O1", False, False, "general", "D1"),
    ("V3A", "O1", False, False, "general", "V3C"),
    ("O2D", "O2", False, True, "leadership", None),
]
CADRES = {  # person: (post, start, end)
    "A1": ("S1C", "2020-01-01", None), "B1": ("S1A", "2021-03-01", None),
    "BB": ("S1B", "2022-05-01", None),
    "DA": ("D1", "2019-01-01", None), "DB": ("D2", "2023-07-01", None),
    "HH": ("H", "2018-01-01", None), "NE": ("F1A", "2022-02-01", None),
    "CF": ("G2C", "2021-01-01", None),
    "X2": ("V3C", "2020-01-01", None), "Y2": ("V3A", "2020-01-01", None),
    "IL": ("O2D", "2020-01-01", None),
    "ED": ("G2A", "2019-01-01", None),     # CF's former wife: divorced 2018
    "OLD": ("F1C", "2010-01-01", "2017-12-31"),   # HH's sister, left before HH came
}


@pytest.fixture
def post_graph(graph):
    kit = Kit(graph)
    city_counties(kit)
    housing_bureau(kit)
    water_bureau(kit)
    for pid, org, head, lead, cat, sup in POSTS:
        kit.add("Post", id=pid, name=pid, org=org, rank="staff", category=cat, is_head=head,
                in_leadership=lead, reports_to=sup)
    for pid, (post, start, end) in CADRES.items():
        kit.add("Cadre", id=pid, name=pid, gender="F" if pid in ("DA", "OLD") else "M",
                birth_date="1975-01-01", managed_by="O1", rank="staff")
        kit.add("Occupancy", person=pid, post=post, start_date=start, end_date=end)
    relatives = {"WA": "F", "SA": "F", "GP": "M", "DP1": "M", "DP2": "M", "HP": "M",
                 "HS": "M", "WW": "F", "SS": "M", "CS": "F", "DH": "M", "GX": "M", "P1": "M",
                 "P2": "M", "C1X": "M", "C2Y": "M", "IW": "F"}
    for pid, gender in relatives.items():
        kit.add("Person", id=pid, name=pid, gender=gender,
                birth_date="1972-01-01" if pid == "SA" else "1970-01-01")   # SA: WA's younger sister
    # A1's wife WA; her sister SA is married to B1: B1 is A1's 配偶的妹妹的丈夫.
    kit.add("Spouse", person="A1", spouse="WA", start_date="2000-01-01")
    kit.add("Sibling", person="WA", sibling="SA")
    kit.add("Spouse", person="B1", spouse="SA", start_date="2005-01-01")
    kit.add("Sibling", person="B1", sibling="BB")
    # DA and DB: children of two brothers DP1, DP2 (children of GP).
    for parent, child in [("GP", "DP1"), ("GP", "DP2"), ("DP1", "DA"), ("DP2", "DB"),
                          # HH's brother HS is NE's father; OLD is HH's sister.
                          ("HP", "HH"), ("HP", "HS"), ("HP", "OLD"), ("HS", "NE"),
                          # HH's son SS married CS, daughter of CF.
                          ("HH", "SS"), ("CF", "CS"),
                          # X2 and Y2 are second cousins: their parents are first cousins.
                          ("GX", "P1"), ("GX", "P2"), ("P1", "C1X"), ("P2", "C2Y"),
                          ("C1X", "X2"), ("C2Y", "Y2")]:
        kit.add("Parenthood", parent=parent, child=child)
    kit.add("Spouse", person="HH", spouse="WW", start_date="1998-01-01")
    kit.add("Spouse", person="SS", spouse="CS", start_date="2024-06-01")
    kit.add("Spouse", person="CF", spouse="ED", start_date="1995-01-01", end_date="2018-06-30")
    kit.add("Spouse", person="DA", spouse="DH", start_date="2000-01-01")
    kit.add("Sibling", person="DH", sibling="IL")      # IL: DA's husband's brother, in O2
    # Companies in K1 (or K2) and their ties to relatives.
    for cid, industry, region in [("CO1", "K", "K1"), ("CO2", "E", "K1"), ("CO3", "E", "K1"),
                                  ("CO4", "K", "K1"), ("CO5", "E", "K2")]:
        kit.add("Company", id=cid, name=f"{cid}公司", industry=industry, region=region)
    kit.add("Ownership", owner="WW", company="CO1", percent=30, start_date="2019-05-01")
    kit.add("Directorship", person="SS", company="CO2", role="legal_rep", start_date="2020-01-01")
    kit.add("Ownership", owner="CS", company="CO3", percent=20, start_date="2024-07-01")
    kit.add("Ownership", owner="DH", company="CO4", percent=60, start_date="2015-01-01")
    kit.add("Ownership", owner="WW", company="CO5", percent=90, start_date="2015-01-01")
    kit.write()
    return graph


def test_kin_in_one_org_and_regulated_businesses(post_graph, settings):
    found = hits(post_graph, settings, "post_avoidance", AS_OF)
    assert entity_sets(found) == {
        frozenset({"A1", "B1", "O1"}), frozenset({"DA", "DB", "O1"}),
        frozenset({"B1", "BB", "O1"}), frozenset({"HH", "NE", "O1"}),
        frozenset({"HH", "CF", "O1"}),
        frozenset({"HH", "WW", "CO1"}), frozenset({"HH", "SS", "CO2"}),
    }
    by_ids = {frozenset(h.entity_ids): h for h in found}
    assert by_ids[frozenset({"A1", "B1", "O1"})].facts["grounds"] == ["direct"]
    assert by_ids[frozenset({"DA", "DB", "O1"})].facts["grounds"] == ["team"]
    assert by_ids[frozenset({"B1", "BB", "O1"})].facts["grounds"] == ["same_leader"]
    assert by_ids[frozenset({"HH", "NE", "O1"})].facts["grounds"] == ["sensitive"]
    assert by_ids[frozenset({"HH", "CF", "O1"})].facts["grounds"] == ["level_below"]


def test_explanation_names_the_relation_and_evidence_has_dates(post_graph, settings):
    found = hits(post_graph, settings, "post_avoidance", AS_OF)
    hit = next(h for h in found if set(h.entity_ids) == {"A1", "B1", "O1"})
    assert hit.subjects[0] == "A1" and hit.orgs == ["O1"]
    assert "配偶的妹妹的丈夫" in hit.explanation and "近姻亲" in hit.explanation
    assert hit.date == date(2021, 3, 1)             # B1 took his post
    ev = hit.evidence.as_dict()
    types = {e["type"] for e in ev["edges"]}
    assert {"SPOUSE_OF", "SIBLING_OF", "HOLDS", "REPORTS_TO", "IN_ORG"} <= types
    holds = [e for e in ev["edges"] if e["type"] == "HOLDS"]
    assert all(e["start"] and e["source"].startswith("occupancies.csv:") for e in holds)
    team = next(h for h in found if set(h.entity_ids) == {"DA", "DB", "O1"})
    assert "三代以内旁系血亲" in team.explanation and team.date == date(2023, 7, 1)


def test_relation_dates_matter(post_graph, settings):
    """HH and CF are in-laws only since SS married CS (2024-06-01); CF's marriage to ED
    ended before either took a post in O1; OLD left before HH came."""
    before = entity_sets(hits(post_graph, settings, "post_avoidance", date(2024, 5, 31)))
    assert frozenset({"HH", "CF", "O1"}) not in before
    assert frozenset({"HH", "NE", "O1"}) in before
    after = hits(post_graph, settings, "post_avoidance", AS_OF)
    level = next(h for h in after if set(h.entity_ids) == {"HH", "CF", "O1"})
    assert level.date == date(2024, 6, 1) and "儿子的妻子的父亲" in level.explanation
    assert not any({"CF", "ED"} <= set(h.entity_ids) for h in after)
    assert not any("OLD" in h.entity_ids for h in after)


def test_regulated_business_needs_the_head_and_a_large_share(post_graph, settings):
    found = hits(post_graph, settings, "post_avoidance", AS_OF)
    biz = {frozenset(h.entity_ids): h for h in found if h.facts.get("variant") == "regulated_business"}
    assert set(biz) == {frozenset({"HH", "WW", "CO1"}), frozenset({"HH", "SS", "CO2"})}
    owns = biz[frozenset({"HH", "WW", "CO1"})]
    assert "持股30%" in owns.explanation and owns.date == date(2019, 5, 1)
    assert "法定代表人" in biz[frozenset({"HH", "SS", "CO2"})].explanation


def test_scope_finds_pairs_from_either_side(post_graph, settings, store):
    found = hits(post_graph, settings, "post_avoidance", AS_OF, scope=frozenset({"NE"}))
    assert entity_sets(found) == {frozenset({"HH", "NE", "O1"})}
    found = hits(post_graph, settings, "post_avoidance", AS_OF, scope=frozenset({"HH"}))
    assert entity_sets(found) == {frozenset({"HH", "NE", "O1"}), frozenset({"HH", "CF", "O1"}),
                                  frozenset({"HH", "WW", "CO1"}), frozenset({"HH", "SS", "CO2"})}
    summary = run_detector(post_graph, store, settings, "post_avoidance", AS_OF)
    assert summary.new == 7
