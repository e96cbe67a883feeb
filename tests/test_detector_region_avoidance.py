"""地域回避 on a small fixture graph: a county head at home (violation), a city head from
a county of the city (warning), and heads who grew up elsewhere, left office, or are
deputies (no finding)."""

from __future__ import annotations

from datetime import date

import pytest

from detectorkit import assert_scoped_runs_agree, city_counties, entity_sets, hits
from graphkit import Kit

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)


@pytest.fixture
def region_graph(graph):
    kit = Kit(graph)
    city_counties(kit)
    kit.add("Region", id="C2", name="丁市", level="city")
    kit.add("Region", id="K3", name="戊县", level="county", parent="C2")
    kit.add("Organization", id="CITY_PS", name="甲市公安局", kind="public_security", level="city", region="C1")
    kit.add("Organization", id="K1_GOV", name="乙县人民政府", kind="government", level="county", region="K1")
    kit.add("Organization", id="K1_FIN", name="乙县财政局", kind="finance", level="county", region="K1")
    kit.add("Organization", id="K2_COURT", name="丙县人民法院", kind="court", level="county", region="K2")
    for post, org, head in [("P_GOV", "K1_GOV", True), ("P_GOV_DEP", "K1_GOV", False),
                            ("P_FIN", "K1_FIN", True), ("P_CITY", "CITY_PS", True),
                            ("P_COURT", "K2_COURT", True)]:
        kit.add("Post", id=post, name="正职" if head else "副职", org=org, rank="division",
                category="leadership", is_head=head, in_leadership=True)
    people = {
        "HOME": ("K1", "P_GOV", "2023-01-01", None),        # county head at home: violation
        "DEPUTY": ("K1", "P_GOV_DEP", "2023-01-01", None),   # deputy: not covered
        "FIN": ("K1", "P_FIN", "2023-01-01", None),          # finance bureau: not listed
        "CITY": ("K2", "P_CITY", "2022-06-01", None),        # city head from a county of it
        "AWAY": ("K3", "P_COURT", "2021-01-01", None),       # another city: fine
        "LEFT": ("K2", "P_COURT", "2015-01-01", "2020-12-31"),  # left office: fine
    }
    for pid, (home, post, start, end) in people.items():
        kit.add("Cadre", id=pid, name=pid, gender="M", birth_date="1970-01-01",
                managed_by="K1_GOV", rank="division", grew_up_in=home)
        kit.add("Occupancy", person=pid, post=post, start_date=start, end_date=end)
    kit.write()
    return graph


def test_heads_at_home_are_found_with_their_level(region_graph, settings):
    found = hits(region_graph, settings, "region_avoidance", AS_OF)
    assert entity_sets(found) == {frozenset({"HOME", "P_GOV"}), frozenset({"CITY", "P_CITY"})}
    by_subject = {h.subjects[0]: h for h in found}
    assert by_subject["HOME"].severity == "high" and "违反" in by_subject["HOME"].explanation
    assert by_subject["CITY"].severity == "medium" and "一般不得" in by_subject["CITY"].explanation
    home = by_subject["HOME"].evidence.as_dict()
    assert {e["type"] for e in home["edges"]} >= {"HOLDS", "GREW_UP_IN", "JURISDICTION"}
    holds = next(e for e in home["edges"] if e["type"] == "HOLDS")
    assert holds["start"] == "2023-01-01" and holds["source"].startswith("occupancies.csv:")


def test_the_date_decides_who_held_the_post(region_graph, settings):
    """On a day in 2018 the court head LEFT was still in office at home (K2)."""
    found = hits(region_graph, settings, "region_avoidance", date(2018, 1, 1))
    assert frozenset({"LEFT", "P_COURT"}) in entity_sets(found)
    assert frozenset({"HOME", "P_GOV"}) not in entity_sets(found)   # not yet in office


def test_scope_limits_the_cadres(region_graph, settings):
    found = hits(region_graph, settings, "region_avoidance", AS_OF, scope=frozenset({"CITY"}))
    assert entity_sets(found) == {frozenset({"CITY", "P_CITY"})}


def test_a_scoped_run_agrees_with_the_whole_run_on_its_cadres(region_graph, settings):
    # detectors/region_avoidance_scoped starts from the scope's cadres.
    assert_scoped_runs_agree(region_graph, settings, "region_avoidance", AS_OF,
                             ["HOME", "CITY", "AWAY", "LEFT", "FIN"])
