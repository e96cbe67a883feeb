"""The re-check after an import for 隐性关联群 (hidden_cluster): the process holds the
contractor graph and each component's findings (``riskgraph.cluster_state``), catches
it up with the batches, and re-runs only the components they touched. After each
re-check a whole run finds nothing new and resolves nothing.

Before the new batches (b1):
- A: three cadres, their relatives and three contractors, densely tied (a finding).
- B: the same shape with C3, R3 and K3 apart: R3 owns only K3, K2 does not own K3, K1
  and K3 share no phone and R1 does not direct K3 — two components, no finding.
- D: A's shape, but its third cadre DC3 is not married to DR3 (yet): two cadres, no
  finding.
- S: three separate cadre–relative–contractor stars (the near miss).
- N1, N2: two companies that won nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from detectorkit import present_findings, run_detector
from graphkit import Kit
from schedkit import INCREMENTAL_SCHEDULE as SCHEDULE
from schedkit import Clock, imported, make_service
from twofacedkit import cadre, company, county, person

from riskgraph import cluster_state, detectors, incremental, kin_skeleton
from riskgraph.reach import CHANGES
from riskgraph.store import ImportBatch, session_scope
from riskgraph.store.vocab import ImportStatus, RunTrigger
from riskgraph.sweep import run_one

pytestmark = pytest.mark.integration
CLUSTERS = detectors.get("hidden_cluster")
AWARD = "2024-05-01"
JOINED = {f"B{x}{i}" for x in "CRK" for i in (1, 2, 3)} | {"BJ0", "BJ1", "BJ2"}


def group(kit: Kit, tag: str, whole: bool = True, wed: bool = True) -> set[str]:
    """Three cadres' relatives cross-tied with three contractors (``whole``), or the
    same with the third cadre, relative and company apart; ``wed``: the third cadre is
    married to the third relative."""
    c, r, k = ([f"{tag}{x}{i}" for i in (1, 2, 3)] for x in "CRK")
    for i in range(3):
        cadre(kit, c[i], org="O1" if i != 1 else "O2")
        person(kit, r[i])
    kit.add("Spouse", person=c[0], spouse=r[0], start_date="2000-01-01")
    kit.add("Sibling", person=c[1], sibling=r[1])
    if wed:
        kit.add("Spouse", person=c[2], spouse=r[2], start_date="2000-01-01")
    company(kit, k[0], phone=f"138{tag}1" if whole else None, address=f"{tag}路8号")
    company(kit, k[1], address=f"{tag}路8号")
    company(kit, k[2], phone=f"138{tag}1")
    owners = [(r[0], k[0], 40), (r[1], k[0], 30), (r[1], k[1], 50), (k[0], k[1], 50),
              (r[2], k[2], 60)]
    if whole:
        owners += [(r[2], k[0], 30), (k[1], k[2], 40)]
        kit.add("Directorship", person=r[0], company=k[2], role="director", start_date="2018-01-01")
    for owner, firm, pct in owners:
        kit.add("Ownership", owner=owner, company=firm, percent=pct, amount=pct,
                start_date="2018-01-01")
    kit.add("Directorship", person=r[0], company=k[0], role="legal_rep", start_date="2018-01-01")
    kit.add("Employment", person=r[0], employer=k[1], start_date="2019-01-01", position="顾问")
    kit.add("Payment", id=f"{tag}PAY", date="2025-03-01", amount=30.0, payer=k[0], payee=k[1])
    for i in range(3):
        kit.add("Project", id=f"{tag}J{i}", name=f"项目{i}", owner="O2", method="open",
                award_date=AWARD, winner=k[i])
    return set(c + r + k) | {f"{tag}J{i}" for i in range(3)}


def stars(kit: Kit, tag: str) -> None:
    for i in range(3):
        cadre(kit, f"{tag}C{i}")
        person(kit, f"{tag}R{i}")
        company(kit, f"{tag}K{i}")
        kit.add("Spouse", person=f"{tag}C{i}", spouse=f"{tag}R{i}", start_date="2000-01-01")
        kit.add("Ownership", owner=f"{tag}R{i}", company=f"{tag}K{i}", percent=100, amount=50,
                start_date="2018-01-01")
        kit.add("Project", id=f"{tag}J{i}", name=f"项目{i}", owner="O2", method="open",
                award_date=AWARD, winner=f"{tag}K{i}")


@pytest.fixture
def held(graph, store, settings):
    """The graph before the new batches, swept whole: the process holds its state."""
    cluster_state.forget()
    kin_skeleton.forget()
    kit = Kit(graph, batch="b1")
    county(kit)
    members = group(kit, "A")
    group(kit, "B", whole=False)
    group(kit, "D", wed=False)
    stars(kit, "S")
    company(kit, "N1")
    company(kit, "N2")
    kit.write()
    imported(store, "b1", "all")
    assert run_detector(graph, store, settings, CLUSTERS.name, date.today()).new == 1
    assert findings(store) == {frozenset(members)}
    state = cluster_state.held(graph, store)
    assert state is not None
    yield state, members
    cluster_state.forget()
    kin_skeleton.forget()


def joining_payments(graph, batch: str) -> None:
    """Two payments from BK1 and BK2 to BK3 that tie group B's apart part to the rest: B
    becomes a cluster (``JOINED``)."""
    kit = Kit(graph, batch=batch)
    kit.add("Payment", id="BPX", date="2025-04-01", amount=9.0, payer="BK1", payee="BK3")
    kit.add("Payment", id="BPY", date="2025-04-01", amount=9.0, payer="BK2", payee="BK3")
    kit.write()


def findings(store) -> set[frozenset[str]]:
    return present_findings(store, by="entities")


def recheck(graph, store, settings):
    service = make_service(graph, store, settings, Clock(), [CLUSTERS], schedule_data=SCHEDULE)
    plan = service.runtime.recheck_imports()
    assert plan is not None and not plan.whole
    return plan


def whole_run_agrees(graph, store, settings) -> None:
    full = run_detector(graph, store, settings, CLUSTERS.name, date.today())
    assert (full.new, full.resolved) == (0, 0)


def kept_hits(state) -> list:
    return [h for hits in state.hits.values() for h in hits]


def test_a_batch_joining_two_components_finds_their_cluster_and_keeps_the_other(
        held, graph, store, settings):
    state, members = held
    before = kept_hits(state)
    kit = Kit(graph, batch="b2")
    kit.add("Ownership", owner="BR3", company="BK1", percent=30, amount=30, start_date="2018-01-01")
    kit.add("Ownership", owner="BK2", company="BK3", percent=40, amount=40, start_date="2018-01-01")
    kit.write()
    imported(store, "b2", "ownerships")
    recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is state            # caught up, not rebuilt
    assert findings(store) == {frozenset(members), frozenset(JOINED)}
    # A's component was not touched: its hit is the one held, not computed again.
    assert [h for h in kept_hits(state) if "AC1" in h.subjects] == before
    whole_run_agrees(graph, store, settings)


def test_a_near_miss_joining_two_stars_finds_nothing(held, graph, store, settings):
    state, members = held
    kit = Kit(graph, batch="b2")
    kit.add("Ownership", owner="SR0", company="SK1", percent=10, amount=5, start_date="2018-01-01")
    kit.add("Ownership", owner="SK1", company="SK2", percent=10, amount=5, start_date="2018-01-01")
    kit.write()
    imported(store, "b2", "ownerships")
    recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is state
    assert findings(store) == {frozenset(members)}      # two cadres short of a cluster
    whole_run_agrees(graph, store, settings)


def test_a_batch_that_changes_no_component_keeps_every_hit(held, graph, store, settings):
    state, members = held
    before = kept_hits(state)
    kit = Kit(graph, batch="b2")
    kit.add("Payment", id="NPAY", date="2025-04-01", amount=9.0, payer="N1", payee="N2")
    kit.add("Payment", id="SPAY", date="2025-04-01", amount=9.0, payer="N1", payee="SK0")
    kit.write()
    imported(store, "b2", "payments")
    recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is state
    assert kept_hits(state) == before and all(a is b for a, b in zip(kept_hits(state), before))
    assert findings(store) == {frozenset(members)}
    whole_run_agrees(graph, store, settings)


def test_a_marriage_makes_a_cluster_and_its_end_resolves_it(held, graph, store, settings):
    state, members = held
    kit = Kit(graph, batch="b2")
    kit.add("Spouse", person="DC3", spouse="DR3", start_date="2000-01-01")
    kit.write()
    imported(store, "b2", "spouses")
    recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is state
    wed = {f"D{x}{i}" for x in "CRK" for i in (1, 2, 3)} | {"DJ0", "DJ1", "DJ2"}
    assert findings(store) == {frozenset(members), frozenset(wed)}
    whole_run_agrees(graph, store, settings)
    # Filed again as divorced in 2001: DR3 is no relative of DC3 — two cadres, no cluster.
    kit = Kit(graph, batch="b3")
    kit.add("Spouse", person="DC3", spouse="DR3", start_date="2000-01-01", end_date="2001-01-01")
    kit.write()
    imported(store, "b3", "spouses")
    recheck(graph, store, settings)
    assert findings(store) == {frozenset(members)}
    whole_run_agrees(graph, store, settings)


def test_a_project_re_pointed_out_of_a_cluster_resolves_it(held, graph, store, settings):
    state, _ = held
    kit = Kit(graph, batch="b2")
    kit.add("Project", id="AJ2", name="项目2", owner="O2", method="open", award_date=AWARD,
            winner="N1")
    kit.write()
    imported(store, "b2", "projects")
    recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is state
    assert findings(store) == set()         # AK3 won nothing in the window any more
    whole_run_agrees(graph, store, settings)


def test_a_running_import_makes_it_a_whole_run(held, graph, store, settings):
    state, members = held
    joining_payments(graph, "b9")
    with session_scope(store) as session:
        session.add(ImportBatch(id="b9", path="/data/payments.csv", file_name="payments.csv",
                                sha256="b9", template="payments", status=ImportStatus.RUNNING))
    kit = Kit(graph, batch="b2")
    company(kit, "N3")
    kit.write()
    imported(store, "b2", "companies")
    recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is not state      # read afresh
    assert findings(store) == {frozenset(members), frozenset(JOINED)}
    whole_run_agrees(graph, store, settings)


def test_nodes_written_outside_an_import_make_it_a_whole_run(held, graph, store, settings):
    """The re-check runs again for batches the state already reflects (another
    detector's run failed); meanwhile payments were written outside any import."""
    state, members = held
    kit = Kit(graph, batch="b2")
    company(kit, "N3")
    kit.write()
    imported(store, "b2", "companies")
    plan = recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is state
    joining_payments(graph, "unrecorded")
    run_one(graph, store, settings, CLUSTERS, "again", RunTrigger.IMPORT, date.today(),
            shared={CHANGES: plan.changes})
    assert cluster_state.held(graph, store) is not state      # the counts differ
    assert findings(store) == {frozenset(members), frozenset(JOINED)}
    whole_run_agrees(graph, store, settings)


def test_a_payment_re_pointed_away_splits_the_cluster_it_joined(held, graph, store, settings):
    _, members = held
    joining_payments(graph, "b2")
    imported(store, "b2", "payments")
    recheck(graph, store, settings)
    assert findings(store) == {frozenset(members), frozenset(JOINED)}
    whole_run_agrees(graph, store, settings)
    # The payee corrected: BK3 is tied to BK2 only, too loosely (the graph no longer
    # leads from BPX to BK3: the held tie does).
    kit = Kit(graph, batch="b3")
    kit.add("Payment", id="BPX", date="2025-04-01", amount=9.0, payer="BK1", payee="N1")
    kit.write()
    imported(store, "b3", "payments")
    before = cluster_state.held(graph, store)      # left by the whole run above
    recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is before
    assert findings(store) == {frozenset(members)}
    whole_run_agrees(graph, store, settings)


def test_a_post_holding_that_ended_takes_the_cadre_out(held, graph, store, settings):
    state, _ = held
    kit = Kit(graph, batch="b2")
    kit.add("Occupancy", person="AC3", post="P_AC3", start_date="2015-01-01",
            end_date="2025-06-30")
    kit.write()
    imported(store, "b2", "occupancies")
    recheck(graph, store, settings)
    assert cluster_state.held(graph, store) is state
    assert findings(store) == set()         # AC3 holds no post: two cadres are too few
    whole_run_agrees(graph, store, settings)


def test_a_batch_it_does_not_read_leaves_the_state_usable(held, graph, store, settings):
    """A re-check skips it for a batch of evaluations (its run is recorded, the state not
    caught up); the next re-check's changes do not include that batch, yet the state
    stands: nothing it reads was written by it."""
    state, members = held
    kit = Kit(graph, batch="b2")
    kit.add("Evaluation", id="E1", cadre="AC1", year=2025, kind="annual", grade="excellent")
    kit.write()
    imported(store, "b2", "evaluations")
    plan = recheck(graph, store, settings)
    assert plan.scope_of(CLUSTERS.name) == frozenset()
    kit = Kit(graph, batch="b3")
    kit.add("Ownership", owner="BR3", company="BK1", percent=30, amount=30, start_date="2018-01-01")
    kit.add("Ownership", owner="BK2", company="BK3", percent=40, amount=40, start_date="2018-01-01")
    kit.write()
    imported(store, "b3", "ownerships")
    plan = recheck(graph, store, settings)
    assert plan.batches == ("b3",)
    assert cluster_state.held(graph, store) is state
    assert findings(store) == {frozenset(members), frozenset(JOINED)}
    whole_run_agrees(graph, store, settings)


def test_a_state_it_cannot_trust_is_read_afresh(held, graph, store, settings):
    """Another as-of day, a restart, or a ledger that no longer describes the state."""
    state, members = held
    kit = Kit(graph, batch="b2")
    company(kit, "N3")
    kit.write()
    imported(store, "b2", "companies")
    shared = {CHANGES: incremental.changes(graph, ["b2"], {"companies"})}

    def rerun(day: date):
        run_one(graph, store, settings, CLUSTERS, "again", RunTrigger.IMPORT, day,
                shared=dict(shared))
        assert findings(store) == {frozenset(members)}
        return cluster_state.held(graph, store)

    assert rerun(date.today()) is state                      # caught up
    other_day = rerun(date(2025, 12, 31))
    assert other_day is not state
    assert rerun(date.today()) is not other_day              # back to today: afresh
    latest = cluster_state.held(graph, store)
    cluster_state.forget()                                   # a restart
    assert cluster_state.held(graph, store) is None
    assert rerun(date.today()) is not latest
    latest = cluster_state.held(graph, store)
    with session_scope(store) as session:
        session.get(ImportBatch, "b1").finished_at = datetime(2030, 1, 1, tzinfo=UTC)
    assert rerun(date.today()) is not latest
