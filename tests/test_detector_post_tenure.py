"""任职年限 on a small fixture graph: rotation posts past 5 years, leaders past 10, a
re-appointment that does not reset the clock, 15 years at one rank level, and the
boundaries (4 years 11 months, 9 years 11 months) and uncovered posts that must not fire;
plus a province variant that adds a 5-year rule for heads of key departments."""

from __future__ import annotations

from datetime import date

import pytest
from detectorkit import entity_sets, hits, run_detector
from graphkit import Kit

from riskgraph import detectors
from riskgraph.detectors.base import Context
from riskgraph.detectors.config import detector_config

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)

# post id: (org, category, rank, in_leadership, is_head)
POSTS = {
    "P_FIN": ("O_FIN", "finance", "staff", False, False),
    "P_FIN_B": ("O_FIN", "finance", "staff", False, False),
    "P_GEN": ("O_FIN", "general", "staff", False, False),
    "P_LEAD": ("O_GOV", "leadership", "vice_division", True, False),
    "P_LEAD_B": ("O_GOV", "leadership", "vice_division", True, False),
    "P_AGAIN": ("O_GOV", "leadership", "vice_division", True, False),
    "P_RANK": ("O_GOV", "leadership", "vice_division", True, False),
    "P_DIS": ("O_DIS", "leadership", "vice_division", True, True),
}
# person: (post, [(start, end), ...], rank_since)
PEOPLE = {
    "ROT": ("P_FIN", [("2020-11-30", None)], "2020-11-30"),        # 5y1m: rotation
    "ROT_B": ("P_FIN_B", [("2021-01-31", None)], "2021-01-31"),    # 4y11m: not yet
    "GEN": ("P_GEN", [("2017-01-01", None)], "2017-01-01"),        # general post: not covered
    "LEAD": ("P_LEAD", [("2015-11-30", None)], "2015-11-30"),      # 10y1m: leader + two terms
    "LEAD_B": ("P_LEAD_B", [("2016-01-31", None)], "2016-01-31"),  # 9y11m: not yet
    "AGAIN": ("P_AGAIN", [("2014-06-01", "2019-05-31"), ("2019-06-10", None)], "2014-06-01"),
    "RANK": ("P_RANK", [("2023-01-01", None)], "2010-03-01"),      # 15y9m at one rank level
    "DIS": ("P_DIS", [("2019-06-01", None)], "2019-06-01"),        # 6.6y head of discipline
    "LEFT": ("P_FIN", [("2012-01-01", "2020-11-01")], "2012-01-01"),  # former holder
}


@pytest.fixture
def tenure_graph(graph):
    kit = Kit(graph)
    kit.add("Region", id="K1", name="乙县", level="county")
    for org, name, kind in [("O_FIN", "乙县财政局", "finance"), ("O_GOV", "乙县人民政府", "government"),
                            ("O_DIS", "乙县纪委监委", "discipline")]:
        kit.add("Organization", id=org, name=name, kind=kind, level="county", region="K1")
    for post, (org, cat, rank, lead, head) in POSTS.items():
        kit.add("Post", id=post, name=post, org=org, rank=rank, category=cat,
                is_head=head, in_leadership=lead)
    for pid, (post, spans, since) in PEOPLE.items():
        kit.add("Cadre", id=pid, name=pid, gender="M", birth_date="1970-01-01",
                managed_by="O_GOV", rank="staff", grew_up_in="K1", rank_since=since)
        for start, end in spans:
            kit.add("Occupancy", person=pid, post=post, start_date=start, end_date=end)
    kit.write()
    return graph


def test_overdue_holders_are_found_and_boundaries_are_not(tenure_graph, settings):
    found = hits(tenure_graph, settings, "post_tenure", AS_OF)
    assert entity_sets(found) == {frozenset(s) for s in [
        {"ROT", "P_FIN"}, {"LEAD", "P_LEAD"}, {"AGAIN", "P_AGAIN"}, {"RANK", "P_RANK"}]}
    rules = {h.subjects[0]: h.facts["rules"] for h in found}
    assert rules == {"ROT": ["rotation"], "LEAD": ["leader", "two_terms"],
                     "AGAIN": ["leader", "two_terms"], "RANK": ["rank_level"]}
    by = {h.subjects[0]: h for h in found}
    assert by["LEAD"].severity == "high" and by["ROT"].severity == "medium"
    assert by["RANK"].severity == "low" and "2010-03-01" in by["RANK"].explanation
    assert by["ROT"].date == date(2020, 11, 30) and "轮岗" in by["ROT"].explanation


def test_a_reappointment_does_not_reset_the_clock(tenure_graph, settings):
    found = {h.subjects[0]: h for h in hits(tenure_graph, settings, "post_tenure", AS_OF)}
    again = found["AGAIN"]
    assert again.date == date(2014, 6, 1)            # the first of the two occupancies
    holds = [e for e in again.evidence.as_dict()["edges"] if e["type"] == "HOLDS"]
    assert {e["start"] for e in holds} == {"2014-06-01", "2019-06-10"}


def test_the_clock_runs_to_the_day_taken_as_today(tenure_graph, settings):
    """On 2025-11-29 ROT had not yet served 5 years, LEAD not yet 10."""
    found = hits(tenure_graph, settings, "post_tenure", date(2025, 11, 29))
    assert frozenset({"ROT", "P_FIN"}) not in entity_sets(found)
    assert frozenset({"LEAD", "P_LEAD"}) not in entity_sets(found)
    # LEFT held the finance post 2012-2020: on 2019-01-01 that was 7 years (a breach),
    # today LEFT is gone and ROT's clock started afresh.
    old = hits(tenure_graph, settings, "post_tenure", date(2019, 1, 1))
    assert entity_sets(old) >= {frozenset({"LEFT", "P_FIN"})}
    assert frozenset({"LEFT", "P_FIN"}) not in entity_sets(hits(tenure_graph, settings,
                                                                 "post_tenure", AS_OF))


def test_the_province_variant_adds_the_key_department_rule(tenure_graph, settings):
    detector = detectors.get("post_tenure")
    default = list(detector.run(Context(tenure_graph, detector_config("post_tenure"), AS_OF)))
    strict = list(detector.run(Context(tenure_graph, detector_config("post_tenure", "36"), AS_OF)))
    assert frozenset({"DIS", "P_DIS"}) not in entity_sets(default)
    assert entity_sets(strict) == entity_sets(default) | {frozenset({"DIS", "P_DIS"})}
    dis = next(h for h in strict if h.subjects == ["DIS"])
    assert dis.facts["rules"] == ["key_department_heads"] and dis.severity == "high"


def test_a_run_records_the_findings_and_scope_limits_it(tenure_graph, store, settings):
    summary = run_detector(tenure_graph, store, settings, "post_tenure", AS_OF)
    assert (summary.hits, summary.new) == (4, 4)
    scoped = hits(tenure_graph, settings, "post_tenure", AS_OF, scope=frozenset({"ROT"}))
    assert entity_sets(scoped) == {frozenset({"ROT", "P_FIN"})}


def test_a_scoped_run_agrees_with_the_whole_run_on_its_cadres(tenure_graph, settings):
    # The scoped run starts from its cadres (detectors/post_tenure_scoped).
    whole = hits(tenure_graph, settings, "post_tenure", AS_OF)
    for scope in [frozenset({p}) for p in PEOPLE] + [frozenset(PEOPLE), frozenset({"ROT", "GEN"})]:
        scoped = hits(tenure_graph, settings, "post_tenure", AS_OF, scope=scope)
        expected = [h for h in whole if set(h.subjects) & scope]
        assert [(h.entity_ids, h.explanation, h.severity) for h in scoped] == \
               [(h.entity_ids, h.explanation, h.severity) for h in expected]
