"""The re-check after an import for 资金闭环 (money_loop), scoped by approver
(``riskgraph.loop_reach``): a written payment is walked back over at most
``max_hops - 1`` earlier payments to the seeds' approvers, a written kinship edge 4
base edges to the approvers concerned. Each case has a near miss one step further
that must not be in scope, and a whole run afterwards finds nothing more and resolves
nothing.

Payments (max_hops 4, max_days 180): A approves O1→K1 (P1); K1→K2 (P2); K2→K3 (P3);
new: K3→W (P4), A's wife — a loop of four payments. B approves O1→K0 (PB), K0→K1
(PB2): B's chain to W would be five payments (the near miss).

Runs take today as as_of (the re-check does): the 2025 payments are within lookback.

Kinship: X approves O1→K5, K5 pays Y. X's parent XP and U are children of G; U's child
CZ marries Y in the new batch, which makes Y X's 堂兄弟的妻子 (five base edges; CZ is
four from X). Z, X's child, approves O1→K6 and K6 pays Y too: Z is five edges from CZ,
Y six from Z — no relative (the near miss).
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from detectorkit import present_findings, run_detector
from graphkit import Kit
from schedkit import INCREMENTAL_SCHEDULE as SCHEDULE
from schedkit import INCREMENTAL_SPEC as SPEC
from schedkit import Clock, imported, make_service
from twofacedkit import cadre, company, county, person

from riskgraph import detectors, incremental
from riskgraph.store import Run, session_scope

pytestmark = pytest.mark.integration
LOOPS = detectors.get("money_loop")


def pay(kit: Kit, pid: str, day: str, payer: str, payee: str, approved_by: str | None = None):
    kit.add("Payment", id=pid, date=day, amount=10.0, payer=payer, payee=payee,
            approved_by=approved_by)


@pytest.fixture
def payments(graph, store, settings):
    kit = Kit(graph, batch="b1")
    county(kit)
    for pid in ("A", "B", "X", "Z"):
        cadre(kit, pid)
    for pid in ("W", "Y", "G", "XP", "U", "CZ"):
        person(kit, pid)
    kit.add("Spouse", person="A", spouse="W", start_date="2000-01-01")
    for parent, child in [("G", "XP"), ("G", "U"), ("XP", "X"), ("U", "CZ"), ("X", "Z")]:
        kit.add("Parenthood", parent=parent, child=child)
    for k in ("K0", "K1", "K2", "K3", "K5", "K6"):
        company(kit, k)
    pay(kit, "P1", "2025-01-10", "O1", "K1", "A")
    pay(kit, "P2", "2025-02-01", "K1", "K2")
    pay(kit, "P3", "2025-03-01", "K2", "K3")
    pay(kit, "PB", "2025-01-05", "O1", "K0", "B")
    pay(kit, "PB2", "2025-01-08", "K0", "K1")
    pay(kit, "PX", "2025-05-01", "O1", "K5", "X")
    pay(kit, "PX2", "2025-06-01", "K5", "Y")
    pay(kit, "PZ", "2025-05-01", "O1", "K6", "Z")
    pay(kit, "PZ2", "2025-06-01", "K6", "Y")
    kit.write()
    imported(store, "b1", "payments")
    assert run_detector(graph, store, settings, LOOPS.name, date.today()).new == 0
    return graph


def recheck(graph, store, settings):
    service = make_service(graph, store, settings, Clock(), [LOOPS], schedule_data=SCHEDULE)
    return service.runtime.recheck_imports()


def whole_run_changes_nothing(graph, store, settings) -> None:
    full = run_detector(graph, store, settings, LOOPS.name, date.today())
    assert (full.new, full.resolved) == (0, 0)


def test_a_payment_three_payments_from_the_seed_rechecks_its_approver_only(
        payments, graph, store, settings):
    kit = Kit(graph, batch="b2")
    pay(kit, "P4", "2025-04-01", "K3", "W")
    kit.write()
    imported(store, "b2", "payments")
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [LOOPS], SPEC)
    assert plan.scope_of("money_loop") == {"A"}        # not B, a fourth payment back
    recheck(graph, store, settings)
    assert present_findings(store, by="entities") == {frozenset({"A", "W", "K1", "K2", "K3", "P1", "P2", "P3", "P4"})}
    whole_run_changes_nothing(graph, store, settings)


def test_a_marriage_four_kinship_edges_away_rechecks_that_approver_only(
        payments, graph, store, settings):
    kit = Kit(graph, batch="b2")
    kit.add("Spouse", person="CZ", spouse="Y", start_date="2000-01-01")
    kit.write()
    imported(store, "b2", "spouses")
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [LOOPS], SPEC)
    assert plan.scope_of("money_loop") == {"X"}        # not Z, five edges from CZ
    recheck(graph, store, settings)
    assert present_findings(store, by="entities") == {frozenset({"X", "Y", "K5", "PX", "PX2"})}
    whole_run_changes_nothing(graph, store, settings)


def test_a_payment_re_pointed_out_of_a_loop_rechecks_the_loops_approver(
        payments, graph, store, settings):
    kit = Kit(graph, batch="b2")
    pay(kit, "P4", "2025-04-01", "K3", "W")
    kit.write()
    imported(store, "b2", "payments")
    recheck(graph, store, settings)
    assert present_findings(store, by="entities") == {frozenset({"A", "W", "K1", "K2", "K3", "P1", "P2", "P3", "P4"})}
    kit = Kit(graph, batch="b3")
    pay(kit, "P3", "2025-03-01", "K5", "K3")       # corrected: K5 paid it, not K2
    kit.write()
    imported(store, "b3", "payments")
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [LOOPS], SPEC)
    # The graph no longer leads from P3 back to A (nor to X: PX came later); the loop
    # found before does.
    assert plan.scope_of("money_loop") == {"A"}
    recheck(graph, store, settings)
    assert present_findings(store, by="entities") == set()
    whole_run_changes_nothing(graph, store, settings)


def test_a_batch_they_do_not_read_skips_the_three_whole_graph_detectors(
        payments, graph, store, settings):
    chosen = [detectors.get(n) for n in ("money_loop", "hidden_cluster", "procurement_flags")]
    for d in chosen[1:]:
        run_detector(graph, store, settings, d.name, date.today())
    kit = Kit(graph, batch="b2")
    kit.add("Evaluation", id="E1", cadre="A", year=2025, kind="annual", grade="excellent")
    kit.write()
    imported(store, "b2", "evaluations")
    service = make_service(graph, store, settings, Clock(), chosen, schedule_data=SCHEDULE)
    plan = service.runtime.recheck_imports()
    assert plan.scopes == {d.name: frozenset() for d in chosen}
    # Each is recorded as re-checked (nothing to look at), so the batch is done for it.
    with session_scope(store) as session:
        runs = session.execute(sa.select(Run.detector, Run.status, Run.count_new).where(
            Run.trigger == "import")).all()
    assert sorted(runs) == [(d.name, "succeeded", 0) for d in sorted(chosen, key=lambda d: d.name)]
    assert service.runtime.recheck_imports() is None
