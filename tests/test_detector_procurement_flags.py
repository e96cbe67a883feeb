"""采购风险信号 on a small fixture graph: one project per red flag, each beside its
near-miss (two bidders, a 5-day window, a 5-day decision, an amendment downwards, bids 1%
apart, a similar but different address, awards under the threshold months apart)."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from detectorkit import entity_sets, hits, run_detector
from graphkit import Kit

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)
D = dt.timedelta
LADDER = (100.0, 105.0, 111.3)     # 5% then 6% apart: neither close nor a fixed ratio


def project(kit: Kit, pid: str, call: date = date(2024, 3, 1), *, window: int = 25,
            decision: int = 30, bids=LADDER, bidders=("C1", "C2", "C3"), method: str = "open",
            published: bool = True, award: float | None = None, final: float | None = None,
            amended: bool = False, approver: str = "A") -> None:
    deadline = call + D(days=window)
    award_day = deadline + D(days=decision)
    award = award if award is not None else bids[0]
    kit.add("Project", id=pid, name=f"{pid}项目", owner="O1", method=method,
            call_published=published, call_date=call if published else None,
            bid_deadline=deadline, award_date=award_day, winner=bidders[0],
            award_amount=award, final_amount=final if final is not None else award,
            amended=amended, approval_threshold=100.0, budget=award * 1.05)
    for company, amount in zip(bidders, bids):
        kit.add("Bid", company=company, project=pid, amount=amount, date=deadline)
    kit.add("OfficialAct", person=approver, target=pid, role="approve", date=call - D(days=5),
            post="PA")


@pytest.fixture
def procurement_graph(graph):
    kit = Kit(graph)
    kit.add("Region", id="K1", name="乙县", level="county")
    kit.add("Organization", id="O1", name="乙县住建局", kind="housing", level="county", region="K1")
    kit.add("Post", id="PA", name="局长", org="O1", rank="section", category="leadership",
            is_head=True, in_leadership=True)
    for pid in ("A", "B"):
        kit.add("Cadre", id=pid, name=pid, gender="M", birth_date="1970-01-01", managed_by="O1",
                rank="section", grew_up_in="K1")
        kit.add("Occupancy", person=pid, post="PA", start_date="2020-01-01")
    contacts = {"C1": ("人民路1号", "111"), "C2": ("人民路2号", "222"), "C3": ("人民路3号", "333"),
                "C4": ("建设路8号", "444"), "C5": ("解放路9号", "444"),
                "C6": ("人民路3附2号", "666")}
    for cid, (address, phone) in contacts.items():
        kit.add("Company", id=cid, name=f"{cid}公司", industry="E", region="K1",
                address=address, phone=phone)
    project(kit, "CLEAN")
    project(kit, "SINGLE", bids=(100.0,), bidders=("C1",))
    project(kit, "TWO", bids=(100.0, 106.0), bidders=("C1", "C2"))
    project(kit, "NONOPEN", method="invited")
    project(kit, "NOCALL", published=False)
    project(kit, "WIN4", window=4)
    project(kit, "WIN5", window=5)
    project(kit, "DEC101", decision=101)
    project(kit, "DEC5", decision=5)
    project(kit, "DEC100", decision=100)
    project(kit, "UP", amended=True, final=120.0)
    project(kit, "DOWN", amended=True, final=95.0)
    project(kit, "CLOSE", bids=(200.0, 200.5, 200.9))
    project(kit, "RATIO", bids=(150.0, 156.0, 162.24, 168.73))
    project(kit, "PCT1", bids=(150.0, 150.9, 151.95))
    project(kit, "SHARED", bidders=("C1", "C4", "C5"))
    project(kit, "SIMILAR", bidders=("C1", "C3", "C6"))
    for i, (day, amount) in enumerate([(date(2024, 6, 1), 95.0), (date(2024, 6, 12), 92.0),
                                       (date(2024, 6, 28), 97.5)]):
        project(kit, f"SPLIT{i}", call=day, bids=(amount, amount * 1.05, amount * 1.11),
                bidders=("C2", "C1", "C3"), approver="AB"[i % 2])
    for i, day in enumerate([date(2023, 1, 1), date(2023, 5, 10), date(2023, 9, 20)]):
        project(kit, f"SPREAD{i}", call=day, bids=(93.0, 98.0, 104.0), bidders=("C3", "C1", "C2"))
    kit.write()
    return graph


def test_each_flag_fires_and_its_near_miss_does_not(procurement_graph, settings):
    found = hits(procurement_graph, settings, "procurement_flags", AS_OF)
    assert entity_sets(found) == {frozenset(s) for s in [
        {"A", "SINGLE"}, {"A", "NONOPEN"}, {"A", "NOCALL"}, {"A", "WIN4"}, {"A", "DEC101"},
        {"A", "UP"}, {"A", "CLOSE"}, {"A", "RATIO"}, {"A", "SHARED", "C4", "C5"},
        {"A", "B", "C2", "SPLIT0", "SPLIT1", "SPLIT2"}]}
    flags = {tuple(h.facts["projects"]): h.facts["flags"] for h in found}
    assert flags[("CLOSE",)] == ["close_bids"] and flags[("RATIO",)] == ["close_bids"]
    assert flags[("WIN4",)] == ["short_window"] and flags[("UP",)] == ["amended_upward"]
    split = next(h for h in found if h.facts["kind"] == "splitting")
    assert sorted(split.subjects) == ["A", "B"] and split.date == date(2024, 7, 26)
    assert split.severity == "high" and "审批限额" in split.explanation


def test_findings_carry_the_evidence(procurement_graph, settings):
    found = hits(procurement_graph, settings, "procurement_flags", AS_OF)
    shared = next(h for h in found if h.facts["kind"] == "contacts")
    edges = {e["type"] for e in shared.evidence.as_dict()["edges"]}
    assert {"BID_ON", "ACTED_ON", "AWARDED_TO", "SHARES_CONTACT"} <= edges
    assert shared.subjects == ["A"] and shared.orgs == ["O1"]
    single = next(h for h in found if h.facts["projects"] == ["SINGLE"])
    assert single.severity == "medium" and "仅有1家" in single.explanation


def test_projects_awarded_after_the_day_are_not_judged(procurement_graph, settings):
    found = hits(procurement_graph, settings, "procurement_flags", date(2024, 5, 1))
    assert {frozenset({"A", "SINGLE"}), frozenset({"A", "RATIO"})} <= entity_sets(found)
    assert not any("SPLIT0" in ids for ids in entity_sets(found))


def test_a_run_records_them_and_scope_limits_by_project(procurement_graph, store, settings):
    summary = run_detector(procurement_graph, store, settings, "procurement_flags", AS_OF)
    assert (summary.hits, summary.new) == (10, 10)
    # A scope is projects, whole splitting pools (riskgraph's re-check after an import).
    pool = frozenset({"SPLIT0", "SPLIT1", "SPLIT2", "SINGLE"})
    scoped = hits(procurement_graph, settings, "procurement_flags", AS_OF, scope=pool)
    assert entity_sets(scoped) == {frozenset({"A", "B", "C2", "SPLIT0", "SPLIT1", "SPLIT2"}),
                                   frozenset({"A", "SINGLE"})}


def test_a_scoped_run_uses_the_sweeps_whole_read_when_there_is_one(procurement_graph, settings):
    from riskgraph.detectors.base import Context
    from riskgraph.detectors.config import detector_config
    from riskgraph.detectors.procurement_flags import DETECTOR, shared_projects

    pool = frozenset({"SPLIT0", "SPLIT1", "SPLIT2", "SINGLE"})
    shared: dict = {}
    shared_projects(shared, procurement_graph, AS_OF, ["approve"])     # as post_risk leaves it
    ctx = Context(procurement_graph, detector_config(DETECTOR.name), AS_OF, pool, shared=shared)
    assert entity_sets(DETECTOR.run(ctx)) == entity_sets(
        hits(procurement_graph, settings, "procurement_flags", AS_OF, scope=pool))
