"""The re-check after an import for 采购风险信号 (procurement_flags), scoped by project
(``procurement_flags.scope_after``): the written projects, bids, awards and acts, each
with the projects of the same owner and winner (the splitting pool). The scope's ids
are projects (``Detector.scope_by`` "entities"), so a finding without an approver is
re-checked too. A whole run afterwards finds nothing more and resolves nothing.

O1 awards C2 two projects just under its approval threshold (SPLIT0, SPLIT1: not yet a
split); OTHER goes to C3 the same weeks (another pool: the near miss); TWOBID has two
bidders, C1 (the winner) and C4; C5 shares C4's phone but has not bid.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from detectorkit import present_findings, run_detector
from graphkit import Kit
from schedkit import INCREMENTAL_SCHEDULE as SCHEDULE
from schedkit import INCREMENTAL_SPEC as SPEC
from schedkit import Clock, imported, make_service

from riskgraph import detectors, incremental
from riskgraph.store import session_scope

pytestmark = pytest.mark.integration
FLAGS = detectors.get("procurement_flags")


def project(kit, pid: str, call: date, winner: str, bids: dict[str, float],
            approver: str | None = "A") -> None:
    deadline = call + timedelta(days=25)
    kit.add("Project", id=pid, name=f"{pid}项目", owner="O1", method="open",
            call_published=True, call_date=call, bid_deadline=deadline,
            award_date=deadline + timedelta(days=30), winner=winner,
            award_amount=bids[winner], final_amount=bids[winner], amended=False,
            approval_threshold=100.0)
    for company, amount in bids.items():
        kit.add("Bid", company=company, project=pid, amount=amount, date=deadline)
    if approver:
        approve(kit, pid, approver, call)


def approve(kit, pid: str, approver: str, call: date) -> None:
    kit.add("OfficialAct", person=approver, target=pid, role="approve",
            date=call - timedelta(days=5), post="PA")


def split(kit, pid: str, call: date, amount: float) -> None:
    project(kit, pid, call, "C2", {"C2": amount, "C1": amount * 1.05, "C3": amount * 1.11})


TEMPLATES = {"Project": "projects", "Bid": "bids", "OfficialAct": "official_acts"}


class Rows:
    """Rows to import as new, one batch per template (as the importer writes them)."""

    def __init__(self):
        self.rows: list[tuple[str, dict]] = []

    def add(self, label: str, **fields) -> None:
        self.rows.append((label, fields))

    def write(self, graph, store, tag: str) -> None:
        for label, template in TEMPLATES.items():
            mine = [fields for lab, fields in self.rows if lab == label]
            if mine:
                kit = Kit(graph, batch=f"{tag}-{template}")
                for fields in mine:
                    kit.add(label, **fields)
                kit.write()
                imported(store, f"{tag}-{template}", template)


@pytest.fixture
def projects(graph, store, settings):
    kit = Kit(graph, batch="b1")
    kit.add("Region", id="K1", name="乙县", level="county")
    kit.add("Organization", id="O1", name="乙县住建局", kind="housing", level="county", region="K1")
    kit.add("Post", id="PA", name="局长", org="O1", rank="section", category="leadership",
            is_head=True, in_leadership=True)
    kit.add("Cadre", id="A", name="A", gender="M", birth_date="1970-01-01", managed_by="O1",
            rank="section")
    kit.add("Occupancy", person="A", post="PA", start_date="2020-01-01")
    for cid, phone in [("C1", "111"), ("C2", "222"), ("C3", "333"), ("C4", "444"), ("C5", "444")]:
        kit.add("Company", id=cid, name=f"{cid}公司", industry="E", region="K1",
                address=f"人民路{cid}号", phone=phone)
    split(kit, "SPLIT0", date(2024, 6, 1), 95.0)
    split(kit, "SPLIT1", date(2024, 6, 12), 92.0)
    project(kit, "OTHER", date(2024, 6, 20), "C3", {"C3": 96.0, "C1": 101.0, "C2": 106.9})
    project(kit, "TWOBID", date(2024, 3, 1), "C1", {"C1": 100.0, "C4": 106.0})
    kit.write()
    imported(store, "b1", "projects")
    assert run_detector(graph, store, settings, FLAGS.name, date.today()).new == 0
    return graph


def recheck(graph, store, settings) -> frozenset[str]:
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [FLAGS], SPEC)
    assert plan.scope == frozenset()                  # its scope is projects, not cadres
    scope = plan.scope_of(FLAGS.name)
    make_service(graph, store, settings, Clock(), [FLAGS],
                 schedule_data=SCHEDULE).runtime.recheck_imports()
    full = run_detector(graph, store, settings, FLAGS.name, date.today())
    assert (full.new, full.resolved) == (0, 0)        # the re-check left the same findings
    return scope


def test_a_third_award_and_a_bid_recheck_their_pools_only(projects, graph, store, settings):
    rows = Rows()
    split(rows, "SPLIT2", date(2024, 6, 28), 97.5)
    rows.add("Bid", company="C5", project="TWOBID", amount=112.0, date=date(2024, 3, 26))
    rows.write(graph, store, "b2")
    # The new award's pool (not OTHER: another winner) and the project bid on.
    assert recheck(graph, store, settings) == {"SPLIT0", "SPLIT1", "SPLIT2", "TWOBID"}
    assert present_findings(store, by="entities") == {frozenset({"A", "C2", "SPLIT0", "SPLIT1", "SPLIT2"}),
                               frozenset({"A", "TWOBID", "C4", "C5"})}


def test_a_finding_without_approver_is_rechecked_by_its_project(projects, graph, store,
                                                                 settings):
    rows = Rows()
    project(rows, "LONE", date(2024, 9, 1), "C1", {"C1": 50.0}, approver=None)
    rows.write(graph, store, "b2")
    assert recheck(graph, store, settings) == {"LONE", "TWOBID"}   # pool of O1 and C1
    assert present_findings(store, by="entities") == {frozenset({"LONE"})}    # a single bidder, nobody approved it
    rows = Rows()
    approve(rows, "LONE", "A", date(2024, 9, 1))
    rows.write(graph, store, "b3")
    assert recheck(graph, store, settings) == {"LONE", "TWOBID"}
    # The approver is now part of the finding: the subject-less one is resolved.
    assert present_findings(store, by="entities") == {frozenset({"A", "LONE"})}


def test_a_project_re_pointed_out_of_a_split_rechecks_the_rest_of_it(projects, graph, store,
                                                                      settings):
    rows = Rows()
    split(rows, "SPLIT2", date(2024, 6, 28), 97.5)
    split(rows, "SPLIT3", date(2024, 7, 10), 94.0)
    rows.write(graph, store, "b2")
    recheck(graph, store, settings)
    assert present_findings(store, by="entities") == {frozenset({"A", "C2", "SPLIT0", "SPLIT1", "SPLIT2", "SPLIT3"})}
    rows = Rows()                                  # corrected: C3 won SPLIT0, not C2
    project(rows, "SPLIT0", date(2024, 6, 1), "C3", {"C2": 95.0, "C1": 99.75, "C3": 105.45})
    rows.write(graph, store, "b3")
    # SPLIT0's pool is now OTHER's; the other three come from the finding it was part of
    # and make a split of their own.
    assert recheck(graph, store, settings) == {"SPLIT0", "OTHER", "SPLIT1", "SPLIT2", "SPLIT3"}
    assert present_findings(store, by="entities") == {frozenset({"A", "C2", "SPLIT1", "SPLIT2", "SPLIT3"})}
