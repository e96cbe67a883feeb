"""The post risk ranking after an import (``riskgraph.postdelta``): rescoring only the
posts an import can have changed gives the same ranking as rescoring every post, and
the posts it leaves alone are the ones nothing in the import concerns."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from graphkit import Kit
from schedkit import imported

from riskgraph import detectors, incremental, kin_skeleton, posttables
from riskgraph.aftersweep import finish_sweep
from riskgraph.detectors.post_risk import RANKING_BASE
from riskgraph.detectors.procurement_flags import read_projects, shared_key
from riskgraph.postdelta import touched_posts
from riskgraph.postscope import Reader
from riskgraph.postscores import configs
from riskgraph.poststore import Base, last_ranking, store_ranking
from riskgraph.reach import CHANGES
from riskgraph.store import (
    Finding,
    PostRanking,
    PostScore,
    make_engine,
    session_factory,
    session_scope,
)
from riskgraph.store.vocab import ReviewStatus, RunStatus, RunTrigger
from riskgraph.sweep import SweepResult, run_one

from conftest import stored_ranking

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)
RISK = detectors.get("post_risk")


@pytest.fixture(params=["fresh", "held"], autouse=True)
def tables(request):
    """Every test twice: the process reads the projects, payments and petitions tables
    when the re-check needs them, or holds them from the run before the import and
    catches them up with the recorded batches (``sweep``'s ``hold``)."""
    posttables.forget()
    kin_skeleton.forget()
    yield request.param
    posttables.forget()
    kin_skeleton.forget()


def org(kit, oid: str, name: str) -> None:
    kit.add("Organization", id=oid, name=name, kind="township", level="township", region="K1")


def cadre(kit, pid: str, post: str, start: str, managed_by: str) -> None:
    kit.add("Cadre", id=pid, name=pid, gender="M", birth_date="1970-01-01", managed_by=managed_by,
            rank="section", grew_up_in="K1", rank_since=start)
    kit.add("Occupancy", person=pid, post=post, start_date=start)


def project(kit, pid: str, owner: str, approver: str, post: str, call: date,
            winner: str = "W") -> None:
    kit.add("Project", id=pid, name=f"{pid}项目", owner=owner, method="open",
            call_published=True, call_date=call, bid_deadline=call + dt.timedelta(days=25),
            award_date=call + dt.timedelta(days=55), winner=winner, award_amount=96.0,
            final_amount=96.0, amended=False, approval_threshold=100.0)
    kit.add("Bid", company=winner, project=pid, amount=96.0, date=call + dt.timedelta(days=20))
    kit.add("OfficialAct", person=approver, target=pid, role="approve",
            date=call - dt.timedelta(days=5), post=post)


@pytest.fixture
def towns(graph):
    """Towns O1 (head post PA held by A, clerk PB held by B), O2 (PC, C) and O3 (PD, D);
    A approved two awards to W just under the approval limit, C one project in O2."""
    kit = Kit(graph, batch="b1")
    kit.add("Region", id="K1", name="乙县", level="county")
    for oid, name in [("O1", "甲镇"), ("O2", "乙镇"), ("O3", "丙镇")]:
        org(kit, oid, name)
    kit.add("Post", id="PA", name="甲镇镇长", org="O1", rank="section", category="leadership",
            power_domains=["funds", "projects"], is_head=True, in_leadership=True)
    kit.add("Post", id="PB", name="甲镇科员", org="O1", rank="staff", category="general",
            is_head=False, in_leadership=False, reports_to="PA")
    kit.add("Post", id="PC", name="乙镇镇长", org="O2", rank="section", category="leadership",
            power_domains=["funds"], is_head=True, in_leadership=True)
    kit.add("Post", id="PD", name="丙镇镇长", org="O3", rank="section", category="leadership",
            power_domains=["projects"], is_head=True, in_leadership=True)
    for pid, post, start, managed in [("A", "PA", "2015-01-01", "O1"), ("B", "PB", "2024-01-01", "O1"),
                                      ("C", "PC", "2019-01-01", "O2"), ("D", "PD", "2012-01-01", "O3")]:
        cadre(kit, pid, post, start, managed)
    kit.add("Company", id="W", name="W公司", industry="E", region="K1")
    kit.add("Company", id="V", name="V公司", industry="E", region="K1")
    project(kit, "X0", "O1", "A", "PA", date(2024, 3, 1))
    project(kit, "X1", "O1", "A", "PA", date(2024, 4, 1))
    project(kit, "Y0", "O2", "C", "PC", date(2024, 5, 1), winner="V")
    project(kit, "Z0", "O3", "D", "PD", date(2024, 6, 1), winner="V")
    kit.add("Payment", id="Y1", date=date(2024, 9, 1), amount=30.0, payer="O1", payee="W",
            project="X0", approved_by="A")
    kit.write()
    return graph


def sweep(graph, store, settings, sweep_id: str, shared: dict | None = None,
          hold: bool = False) -> dict:
    """One post_risk run and the step after it (which stores the ranking); with
    ``hold``, the process then holds the tables (as after an earlier run), without it
    it forgets them (as after a restart)."""
    shared = dict(shared or {})
    summary = run_one(graph, store, settings, RISK, sweep_id, RunTrigger.IMPORT, AS_OF,
                      shared=shared)
    assert summary.error is None, summary.error
    finish_sweep(store, SweepResult(sweep_id, AS_OF, [summary], shared))
    if hold:
        with session_scope(store) as session:
            posttables.held(graph, session, configs("")[0], AS_OF)
            kin_skeleton.held(graph, session)
    else:
        posttables.forget()
        kin_skeleton.forget()
    return shared


def ranking(store, sweep_id: str) -> list[tuple]:
    return [(r.post_id, r.score, r.rank, r.level, r.holder_id, r.holder_name, r.factors,
             r.tenure) for r in stored_ranking(store, sweep_id)]


def import_b2(graph, store) -> incremental.Changes:
    """B approves a third award to W in O1 within 90 days (the three now look split);
    a substantiated petition about C; the changes the batch wrote."""
    kit = Kit(graph, batch="b2")
    project(kit, "X2", "O1", "B", "PB", date(2024, 5, 1))
    kit.add("Petition", id="Q1", about="C", received=date(2025, 2, 1), outcome="substantiated",
            category="corruption", summary="反映问题")
    kit.write()
    return incremental.changes(graph, ["b2"], {None})


def test_rescoring_the_touched_posts_gives_the_full_ranking(towns, store, settings, tables):
    sweep(towns, store, settings, "before", hold=tables == "held")
    changes = import_b2(towns, store)
    risk = configs("")[0]
    with session_scope(store) as s:
        previous = last_ranking(s, AS_OF).ranking
    reads = frozenset(risk["incremental"]["reads"])
    with session_scope(store) as s:
        held = posttables.held(towns, s, risk, AS_OF, changes)
        holdings = kin_skeleton.held(towns, s).holdings
    reader = Reader(towns, AS_OF, risk, configs("")[2]["thresholds"]["flags"], held, holdings)
    touched = touched_posts(towns, reader, changes, reads, [], previous)
    # O1's posts (its projects and shared project count), C's post; not D's.
    assert {"PA", "PB", "PC"} <= touched and "PD" not in touched

    shared = sweep(towns, store, settings, "incremental", {CHANGES: changes})
    # The held projects table is left for procurement_flags: the rows a whole read gives.
    assert shared[shared_key(AS_OF, ["approve"])] == read_projects(towns, AS_OF, ["approve"])
    sweep(towns, store, settings, "full")
    after = ranking(store, "full")
    assert ranking(store, "incremental") == after
    assert after != ranking(store, "before")
    red = {r[0]: [f["factor"] for f in r[6]] for r in after}
    assert "red_flags" in red["PA"] and "petitions" in red["PC"]


def test_bids_payments_and_acts_naming_another_post_rescored_as_in_a_full_run(
        towns, store, settings, tables):
    """A second bid on X0 (its single-bidder flag goes); E, who holds no post, approves
    O1's X1 and a payment Y2 in C's post PC (only the acts name it). PC's score reads
    rows that are neither its holders' nor in its organisation; the stored rows equal a
    full run's."""
    sweep(towns, store, settings, "before", hold=tables == "held")
    kit = Kit(towns, batch="b3")
    kit.add("Person", id="E", name="E", gender="F", birth_date="1980-01-01")
    kit.add("Bid", company="V", project="X0", amount=97.0, date=date(2024, 3, 18))
    kit.add("Payment", id="Y2", date=date(2025, 3, 1), amount=800.0, payer="O2", payee="V",
            approved_by="E")
    kit.add("OfficialAct", person="E", target="Y2", role="pay", date=date(2025, 3, 1), post="PC")
    kit.add("OfficialAct", person="E", target="X1", role="approve", date=date(2024, 3, 30),
            post="PC")
    kit.write()
    changes = incremental.changes(towns, ["b3"], {None})
    sweep(towns, store, settings, "incremental", {CHANGES: changes})
    # Again, with the projects table procurement_flags read earlier in the sweep.
    shared = {CHANGES: changes}
    run_one(towns, store, settings, detectors.get("procurement_flags"), "shared",
            RunTrigger.IMPORT, AS_OF, shared=shared)
    assert any(isinstance(k, tuple) and k[0] == "procurement_projects" for k in shared)
    sweep(towns, store, settings, "shared", shared)
    sweep(towns, store, settings, "full")
    after = ranking(store, "full")
    assert ranking(store, "incremental") == after
    assert ranking(store, "shared") == after
    assert after != ranking(store, "before")
    factors = {r[0]: {f["factor"]: f for f in r[6]} for r in after}
    assert "1笔，合计800.00万元" in factors["PC"]["payments"]["detail"]
    assert "项目2个" in factors["PC"]["projects"]["detail"]          # Y0 and X1
    assert "payments" not in factors["PD"]


def test_a_holding_written_rescored_as_in_a_full_run(towns, store, settings, tables):
    """B leaves PB at the end of 2024 and C moves there from PC (C's petition-free post
    PC is left vacant): B's approval of X2 in 2025 is no longer PB's, C is PB's holder."""
    kit = Kit(towns, batch="b0")
    project(kit, "X2", "O1", "B", None, date(2025, 3, 1))
    kit.write()
    sweep(towns, store, settings, "before", hold=tables == "held")
    kit = Kit(towns, batch="b5")
    kit.add("Occupancy", person="B", post="PB", start_date="2024-01-01", end_date="2024-12-31")
    kit.add("Occupancy", person="C", post="PC", start_date="2019-01-01", end_date="2025-01-31")
    kit.add("Occupancy", person="C", post="PB", start_date="2025-02-01")
    kit.write()
    imported(store, "b5", "occupancies")
    shared = sweep(towns, store, settings, "incremental",
                   {CHANGES: incremental.changes(towns, ["b5"], {None})})
    assert shared[RANKING_BASE].rescored >= {"PB", "PC"}       # rescored, not whole
    sweep(towns, store, settings, "full")
    after = ranking(store, "full")
    assert ranking(store, "incremental") == after and after != ranking(store, "before")
    rows = {r[0]: r for r in after}
    assert rows["PB"][4] == "C" and rows["PC"][4] is None
    assert "projects" not in {f["factor"] for f in rows["PB"][6]}


def test_a_holder_written_rescored_as_in_a_full_run(towns, store, settings, tables):
    """A's record is filed again under another name (the holder's name on PA changes);
    nothing else about PA was written."""
    sweep(towns, store, settings, "before", hold=tables == "held")
    kit = Kit(towns, batch="b6")
    kit.add("Cadre", id="A", name="甲", gender="M", birth_date="1970-01-01", managed_by="O1",
            rank="section", grew_up_in="K1", rank_since="2015-01-01")
    kit.write()
    imported(store, "b6", "cadres")
    shared = sweep(towns, store, settings, "incremental",
                   {CHANGES: incremental.changes(towns, ["b6"], {None})})
    assert "PA" in shared[RANKING_BASE].rescored
    sweep(towns, store, settings, "full")
    after = ranking(store, "full")
    assert ranking(store, "incremental") == after
    assert {r[0]: r[5] for r in after}["PA"] == "甲"


def test_a_payment_whose_named_post_changes_leaves_the_old_post(towns, store, settings, tables):
    """A's pay act names C's post PC on payment Y1; a second pay act names PB, which
    comes first: Y1 is PB's now, and PC (which A never held) loses it."""
    kit = Kit(towns, batch="b0")
    kit.add("OfficialAct", person="A", target="Y1", role="pay", date=date(2024, 9, 1), post="PC")
    kit.write()
    sweep(towns, store, settings, "before", hold=tables == "held")
    kit = Kit(towns, batch="b7")
    kit.add("OfficialAct", person="A", target="Y1", role="pay", date=date(2024, 9, 2), post="PB")
    kit.write()
    imported(store, "b7", "acts")
    sweep(towns, store, settings, "incremental",
          {CHANGES: incremental.changes(towns, ["b7"], {None})})
    sweep(towns, store, settings, "full")
    after = ranking(store, "full")
    assert ranking(store, "incremental") == after
    factors = {r[0]: {f["factor"] for f in r[6]} for r in after}
    assert "payments" in factors["PB"] and "payments" not in factors["PC"]


def test_an_approval_that_changes_the_owner_count_rescores_its_approving_posts(
        towns, store, settings, tables):
    """O1 has six projects approved in the window (A, post PA) and X9, approved by B only
    in 2020. B's new approval of X9 in the window makes it seven: PA's approval
    concentration changes though nothing about A, PA or their projects was written."""
    kit = Kit(towns, batch="b0")
    for i in range(3, 7):
        project(kit, f"X{i}", "O1", "A", "PA", date(2023, i, 1), winner="V")
    project(kit, "X9", "O1", "B", "PB", date(2020, 6, 1), winner="V")
    kit.write()
    sweep(towns, store, settings, "before", hold=tables == "held")
    kit = Kit(towns, batch="b4")
    kit.add("OfficialAct", person="B", target="X9", role="approve", date=date(2025, 1, 10),
            post="PB")
    kit.write()
    imported(store, "b4", "acts")
    changes = incremental.changes(towns, ["b4"], {None})
    sweep(towns, store, settings, "incremental", {CHANGES: changes})
    sweep(towns, store, settings, "full")
    after = ranking(store, "full")
    assert ranking(store, "incremental") == after
    share = {r[0]: {f["factor"]: f for f in r[6]} for r in after}["PA"]["approval_concentration"]
    assert "本单位期内7个项目中6个" in share["detail"]


def test_a_confirmed_finding_reaches_the_ranking_without_an_import(towns, store, settings,
                                                                  tables):
    sweep(towns, store, settings, "before", hold=tables == "held")
    run_one(towns, store, settings, detectors.get("post_tenure"), "t", RunTrigger.MANUAL, AS_OF)
    with session_scope(store) as s:
        finding = s.scalars(sa.select(Finding).where(Finding.detector == "post_tenure")).first()
        assert finding is not None
        finding.review_status = ReviewStatus.CONFIRMED
    sweep(towns, store, settings, "incremental", {CHANGES: incremental.Changes()})
    sweep(towns, store, settings, "full")
    assert ranking(store, "incremental") == ranking(store, "full")
    assert any(f["factor"] == "findings" for r in ranking(store, "full") for f in r[6])


def test_without_a_stored_ranking_of_that_day_every_post_is_scored(towns, store, settings):
    with session_scope(store) as s:
        assert last_ranking(s, AS_OF) is None
    sweep(towns, store, settings, "first", {CHANGES: incremental.Changes()})
    assert [r[0] for r in ranking(store, "first")][:1] == ["PA"]
    with session_scope(store) as s:
        assert last_ranking(s, AS_OF + dt.timedelta(days=1)) is None


def test_the_kept_copy_of_the_last_ranking_yields_to_rows_stored_elsewhere(towns, store, settings):
    """The process keeps the ranking it stored; a ranking another process (another
    engine on the same store) stores afterwards — of a new sweep, or the same sweep
    again — is read."""
    sweep(towns, store, settings, "before")
    with session_scope(store) as s:
        kept = last_ranking(s, AS_OF)
        assert kept.sweep_id == "before"
        assert last_ranking(s, AS_OF).ranking is kept.ranking          # the kept copy
    other = session_factory(make_engine(str(store.kw["bind"].url)))
    changed = [replace(s, score=s.score + 1) for s in kept.ranking]
    store_ranking(other, "before", AS_OF, changed)              # the same sweep, again
    with session_scope(store) as s:
        again = last_ranking(s, AS_OF)
        assert [x.score for x in again.ranking] == [x.score for x in changed]
    store_ranking(other, "later", AS_OF, kept.ranking[:1])
    with session_scope(store) as s:
        later = last_ranking(s, AS_OF)
        assert later.sweep_id == "later" and len(later.ranking) == 1
        assert later.ranking[0].score == kept.ranking[0].score


def test_a_ranking_is_stored_as_its_changes_and_earlier_ones_still_read(towns, store, settings):
    """Storing writes rows only for posts scored differently (or new) and retires the
    posts gone; each earlier storing still reads as the ranking it was."""
    sweep(towns, store, settings, "first")
    with session_scope(store) as s:
        first = last_ranking(s, AS_OF).ranking
    top, rest = first[0], first[1:]
    moved = sorted((replace(s, score=s.score + 100) if s is rest[-1] else s for s in rest),
                   key=lambda s: (-s.score, s.post.post_id))
    store_ranking(store, "second", AS_OF, moved)       # the top post gone, the last moved up
    store_ranking(store, "third", AS_OF, moved)        # nothing changed
    with session_scope(store) as s:
        written = dict(s.execute(sa.select(PostRanking.sweep_id, PostRanking.written)).all())
        retired = dict(s.execute(sa.select(PostRanking.sweep_id, PostRanking.retired)).all())
        rows = s.scalar(sa.select(sa.func.count()).select_from(PostScore))
    assert written == {"first": len(first), "second": 1, "third": 0}
    assert retired == {"first": 0, "second": 1, "third": 0}
    assert rows == len(first) + 1
    assert [r[0] for r in ranking(store, "first")] == [s.post.post_id for s in first]
    assert [r[2] for r in ranking(store, "first")] == list(range(1, len(first) + 1))
    third = ranking(store, "third")
    assert third[0][:3] == (rest[-1].post.post_id, rest[-1].score + 100, 1)
    assert top.post.post_id not in [r[0] for r in third] and len(third) == len(rest)


def test_a_base_stored_again_meanwhile_is_compared_whole(towns, store, settings):
    """The re-check's ranking is compared on its rescored posts only while its base is
    still the current ranking; otherwise every post is compared."""
    sweep(towns, store, settings, "before")
    with session_scope(store) as s:
        last = last_ranking(s, AS_OF)
    store_ranking(store, "before", AS_OF, [replace(x, score=x.score + 1) for x in last.ranking])
    store_ranking(store, "next", AS_OF, last.ranking, Base(last, frozenset()))
    assert [r[1] for r in ranking(store, "next")] == [x.score for x in last.ranking]
