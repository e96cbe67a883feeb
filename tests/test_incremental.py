"""The re-check after an import: the cadres an import batch may concern, per detector
(through posts, kinship and the like: each detector's ``incremental`` reach), are
re-checked; findings of other cadres are left alone."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from detectorkit import run_detector
from graphkit import Kit
from schedkit import INCREMENTAL_SCHEDULE as SCHEDULE
from schedkit import INCREMENTAL_SPEC as SPEC
from schedkit import Clock, home_heads, imported, make_service

from riskgraph import detectors, incremental
from riskgraph.store import Finding, Run, session_scope
from riskgraph.store.vocab import RunTrigger

pytestmark = pytest.mark.integration
REGION = detectors.get("region_avoidance")
RELATIVES = detectors.get("relative_business")
PAIRS = detectors.get("post_avoidance")
WORDS = detectors.get("words_vs_deeds")
RANKING = detectors.get("post_risk")


@pytest.fixture
def county(graph, store, settings):
    """HOME heads a county government at home (a finding). MOVER grew up in K2 and
    holds nothing yet; PREV held the K2 court's head post before; MOVER's wife W has a
    brother WB who is a cadre; FAR is unrelated."""
    home_heads(graph)
    kit = Kit(graph, batch="b1")
    kit.add("Organization", id="K2_COURT", name="丙县人民法院", kind="court", level="county",
            region="K2")
    kit.add("Post", id="P_COURT", name="院长", org="K2_COURT", rank="division",
            category="leadership", is_head=True, in_leadership=True)
    for pid, home in [("MOVER", "K2"), ("PREV", "K1"), ("WB", "K1"), ("FAR", "K1")]:
        kit.add("Cadre", id=pid, name=f"干部{pid}", gender="M", birth_date="1970-01-01",
                managed_by="K2_COURT", rank="division", grew_up_in=home)
    kit.add("Person", id="W", name="妻子", gender="F", birth_date="1972-01-01")
    kit.add("Occupancy", person="PREV", post="P_COURT", start_date="2015-01-01",
            end_date="2020-12-31")
    kit.add("Spouse", person="MOVER", spouse="W", start_date="1995-01-01")
    kit.add("Sibling", person="W", sibling="WB")
    kit.write()
    imported(store, "b1", "cadres")
    full = run_detector(graph, store, settings, "region_avoidance", date.today())
    assert full.new == 1
    return full


def occupy(graph, batch: str, person: str) -> None:
    """Import batch ``batch``: ``person`` becomes head of the K2 court."""
    kit = Kit(graph, batch=batch)
    kit.add("Occupancy", person=person, post="P_COURT", start_date="2024-01-01")
    kit.write()


def test_an_import_batch_leads_to_the_cadres_it_concerns(county, graph, store):
    occupy(graph, "b2", "MOVER")
    imported(store, "b2", "occupancies")
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [REGION], SPEC)
    assert plan.batches == ("b2",)
    # The new holder only: neither the post's earlier holder nor his wife's brother.
    assert plan.scope_of("region_avoidance") == {"MOVER"}


def test_the_recheck_finds_the_new_case_and_leaves_others_alone(county, graph, store,
                                                                 settings):
    occupy(graph, "b2", "MOVER")
    imported(store, "b2", "occupancies")
    service = make_service(graph, store, settings, Clock(), [REGION], schedule_data=SCHEDULE)
    plan = service.runtime.recheck_imports()
    assert plan.scope == {"MOVER"}

    with session_scope(store) as session:
        findings = {f.subject_ids[0]: f for f in session.scalars(sa.select(Finding))}
        recheck = session.scalars(sa.select(Run).order_by(Run.id.desc())).first()
    assert set(findings) == {"HOME", "MOVER"}
    assert recheck.trigger == RunTrigger.IMPORT and recheck.count_new == 1
    assert (recheck.scope_size, recheck.note) == (1, plan.reason)  # for the run history
    assert findings["MOVER"].first_seen_run_id == recheck.id
    assert findings["HOME"].last_seen_run_id == county.run_id      # out of scope: untouched
    assert findings["HOME"].data_status == "present"
    assert service.runtime.recheck_imports() is None               # nothing pending any more


def test_reference_data_or_a_large_scope_means_a_whole_sweep(county, graph, store):
    kit = Kit(graph, batch="b3")
    kit.add("Region", id="K9", name="新县", level="county", parent="C1")
    kit.write()
    imported(store, "b3", "regions")
    with session_scope(store) as session:
        assert incremental.plan(graph, session, [REGION], SPEC).scope is None

    occupy(graph, "b4", "FAR")
    imported(store, "b4", "occupancies")
    small = dataclasses.replace(SPEC, max_scope_fraction=0.1, full_sweep_labels=frozenset())
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [REGION], small)
    assert plan.scope is None and "全量" in plan.reason


def test_another_day_or_other_rules_mean_a_whole_sweep(county, graph, store):
    """The results outside a re-check's scope are carried forward only for the day and
    the rules they were computed for."""
    occupy(graph, "b2", "MOVER")
    imported(store, "b2", "occupancies")
    today = date.today()
    with session_scope(store) as session:
        assert session.scalar(sa.select(Run.rules_digest)) == detectors.rules_digest()
        assert incremental.plan(graph, session, [REGION], SPEC, as_of=today).scope == {"MOVER"}
        moved = incremental.plan(graph, session, [REGION], SPEC,
                                 as_of=today + timedelta(days=1))
    assert moved.scope is None and moved.batches == ("b2",) and "基准日" in moved.reason

    with session_scope(store) as session:      # the last run was made under other rules
        session.execute(sa.update(Run).values(rules_digest="0" * 16))
    with session_scope(store) as session:
        changed = incremental.plan(graph, session, [REGION], SPEC, as_of=today)
    assert changed.scope is None and "规则" in changed.reason


def test_the_rules_digest_follows_the_rules():
    province = "36"       # config/detectors/provinces/36.yaml sets stricter variants
    assert detectors.rules_digest() == detectors.rules_digest("")
    assert detectors.rules_digest(province) != detectors.rules_digest()


def test_a_detector_that_never_ran_gets_a_whole_sweep(graph, store):
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [REGION], SPEC)
    assert plan.scope is None and plan.batches == ()


def test_the_recheck_is_a_scheduled_job(county, graph, store, settings, monkeypatch):
    clock = Clock()
    clock.install(monkeypatch)
    service = make_service(graph, store, settings, clock, [REGION], schedule_data=SCHEDULE)
    service.start()
    try:
        occupy(graph, "b2", "MOVER")
        imported(store, "b2", "occupancies")
        clock.advance(seconds=301)
        service.run_pending(30)
        with session_scope(store) as session:
            last = session.scalars(sa.select(Run).order_by(Run.id.desc())).first()
        assert last.trigger == RunTrigger.IMPORT and last.sweep_id.startswith("sched-import-")
    finally:
        service.stop()


def test_an_evaluation_concerns_its_subject_only(county, graph, store, settings):
    run_detector(graph, store, settings, WORDS.name, date.today())
    kit = Kit(graph, batch="b5")
    kit.add("Evaluation", id="E1", cadre="WB", year=2025)
    kit.write()
    imported(store, "b5", "evaluations")
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [REGION, WORDS], SPEC)
    assert plan.scope_of("words_vs_deeds") == {"WB"}       # not WB's sister's husband MOVER
    assert plan.scope_of("region_avoidance") == frozenset()  # reads no evaluations


def scopes_after(graph, store, batch: str, template: str, chosen) -> dict:
    imported(store, batch, template)
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, chosen, SPEC)
    return plan.scopes


def test_a_new_kinship_edge_concerns_the_families_on_both_ends(county, graph, store, settings):
    for d in (RELATIVES, PAIRS):
        run_detector(graph, store, settings, d.name, date.today())
    kit = Kit(graph, batch="b6")
    kit.add("Person", id="WBW", name="妻兄之妻", gender="F", birth_date="1975-01-01")
    kit.add("Spouse", person="WB", spouse="WBW", start_date="2024-01-01")
    kit.write()
    scopes = scopes_after(graph, store, "b6", "spouses", [REGION, RELATIVES, PAIRS])
    # WB himself, and MOVER two base edges away (his wife W's brother's new wife).
    assert scopes["relative_business"] == {"WB", "MOVER"}
    assert scopes["post_avoidance"] == {"WB", "MOVER"}
    assert scopes["region_avoidance"] == frozenset()       # kinship plays no part there


def test_a_new_shareholding_concerns_the_holders_close_relatives(county, graph, store, settings):
    run_detector(graph, store, settings, RELATIVES.name, date.today())
    kit = Kit(graph, batch="b7c")
    kit.add("Company", id="CO1", name="丙县某建筑公司", industry="E", region="K2")
    kit.write()
    imported(store, "b7c", "companies")
    kit = Kit(graph, batch="b7")
    kit.add("Ownership", owner="W", company="CO1", percent=60, start_date="2024-01-01")
    kit.write()
    scopes = scopes_after(graph, store, "b7", "ownerships", [REGION, RELATIVES])
    # W is no cadre: her husband MOVER and her brother WB are.
    assert scopes["relative_business"] == {"MOVER", "WB"}
    assert scopes["region_avoidance"] == frozenset()


def test_a_whole_graph_detector_runs_whole_only_when_it_reads_what_changed(county, graph, store,
                                                                            settings):
    run_detector(graph, store, settings, RANKING.name, date.today())
    kit = Kit(graph, batch="b8")
    kit.add("Trip", id="T1", person="FAR", destination="香港", departed="2025-01-01",
            returned="2025-01-05")
    kit.write()
    scopes = scopes_after(graph, store, "b8", "trips", [REGION, RANKING])
    assert scopes == {"post_risk": frozenset(), "region_avoidance": frozenset()}  # reads no trips
    occupy(graph, "b2", "MOVER")
    scopes = scopes_after(graph, store, "b2", "occupancies", [REGION, RANKING])
    assert scopes["post_risk"] is None and scopes["region_avoidance"] == {"MOVER"}


def test_a_scoped_run_resolves_only_findings_in_its_scope(county, graph, store, settings):
    from riskgraph.sweep import run_one

    # HOME's post ends: a whole run would resolve HOME's finding.
    kit = Kit(graph, batch="b9")
    kit.add("Occupancy", person="HOME", post="POST_HOME", start_date="2023-01-01",
            end_date="2024-06-30")
    kit.write()
    for scope in (frozenset({"FAR"}), frozenset()):
        summary = run_one(graph, store, settings, REGION, "s", RunTrigger.IMPORT, date.today(),
                          scope)
        assert (summary.new, summary.present, summary.resolved) == (0, 0, 0)
    with session_scope(store) as session:
        assert session.scalar(sa.select(Finding.data_status)) == "present"
    summary = run_one(graph, store, settings, REGION, "s", RunTrigger.IMPORT, date.today(),
                      frozenset({"HOME"}))
    assert summary.resolved == 1


def test_a_quick_whole_sweep_beats_deriving_a_scope(county, graph, store):
    occupy(graph, "b2", "MOVER")
    imported(store, "b2", "occupancies")
    quick = dataclasses.replace(SPEC, whole_graph_below_seconds=3600)
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [REGION], quick)
    assert plan.scope is None and plan.batches == ("b2",) and "全量检查更快" in plan.reason
