"""The pure red-flag functions: close bids, fixed ratios with rounding, splitting
windows, shared contacts, and the single-project flags against their boundaries."""

from __future__ import annotations

from datetime import date, timedelta

from riskgraph.detectors.config import detector_config
from riskgraph.procurement import (
    close_bids,
    fixed_ratio,
    project_flags,
    shared_contact_groups,
    splitting_groups,
)

RULES = detector_config("procurement_flags")["thresholds"]["flags"]


def clean(**changes) -> dict:
    p = {"method": "open", "call_published": True, "call_date": date(2024, 1, 1),
         "bid_deadline": date(2024, 1, 26), "award_date": date(2024, 2, 25),
         "award_amount": 100.0, "final_amount": 100.0, "amended": False,
         "bids": [{"id": "C1", "amount": 100.0}, {"id": "C2", "amount": 105.0},
                  {"id": "C3", "amount": 111.3}]}
    p.update(changes)
    return p


def names(p: dict) -> list[str]:
    return [f.name for f in project_flags(p, RULES)]


def test_a_clean_project_has_no_flag():
    assert names(clean()) == []


def test_boundaries_of_the_single_project_flags():
    assert names(clean(bids=[{"id": "C1", "amount": 100.0}])) == ["single_bidder"]
    assert names(clean(bids=[{"id": "C1", "amount": 100.0}, {"id": "C2", "amount": 104.0}])) == []
    assert names(clean(bid_deadline=date(2024, 1, 5))) == ["short_window"]      # 4 days
    assert names(clean(bid_deadline=date(2024, 1, 6), award_date=date(2024, 2, 1))) == []  # 5 days
    deadline = date(2024, 1, 26)
    for days, flagged in [(4, True), (5, False), (100, False), (101, True)]:
        p = clean(award_date=deadline + timedelta(days=days))
        assert (names(p) == ["extreme_decision"]) is flagged, days
    assert names(clean(amended=True, final_amount=100.01)) == ["amended_upward"]
    assert names(clean(amended=True, final_amount=100.0)) == []
    assert names(clean(call_published=False, call_date=None)) == ["no_call"]
    assert names(clean(method="single_source", call_published=False)) == ["non_open"]


def test_the_medium_window_tier_is_configurable():
    rules = {**RULES, "short_window": {**RULES["short_window"], "medium_days": 15}}
    found = project_flags(clean(bid_deadline=date(2024, 1, 11)), rules)          # 10 days
    assert [(f.name, f.severity) for f in found] == [("short_window", "medium")]


def test_close_and_fixed_ratio_bids_survive_rounding():
    award = 123.45
    bids = [round(award * 1.0437 ** i, 2) for i in range(5)]
    assert fixed_ratio(bids, 0.0001) == 1.0437
    assert close_bids([award, round(award * 1.0044, 2), round(award * 1.0029, 2)], 0.005)
    one_pct = [round(150 * r, 2) for r in (1.0, 1.006, 1.013, 1.021, 1.03)]
    assert fixed_ratio(one_pct, 0.0001) is None and not close_bids(one_pct, 0.005)


def test_splitting_windows_merge_overlapping_runs():
    day = date(2024, 1, 1)
    awards = [(day + timedelta(days=d), f"P{d}") for d in (0, 30, 60, 100, 130, 400)]
    assert splitting_groups(awards, 90, 3) == [["P0", "P30", "P60", "P100", "P130"]]
    assert splitting_groups(awards[:2], 90, 3) == []


def test_shared_contacts_need_an_identical_value():
    cs = [{"id": "A", "address": "人民路１号", "phone": "138-0000"},
          {"id": "B", "address": "人民路1号", "phone": None},
          {"id": "C", "address": "人民路1号附2号", "phone": "1380001"}]
    assert shared_contact_groups(cs) == [["A", "B"]]
