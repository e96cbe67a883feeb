"""The re-check after an import: the cadres an import batch may concern (through posts,
kinship and the like) are re-checked first; findings of other cadres are left alone."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
import sqlalchemy as sa
from detectorkit import run_detector
from graphkit import Kit
from schedkit import Clock, home_heads, make_service, schedule

from riskgraph import detectors, incremental
from riskgraph.scheduler_config import load_scheduler_config
from riskgraph.store import Finding, ImportBatch, Run, session_scope, utcnow
from riskgraph.store.vocab import ImportStatus, RunTrigger

pytestmark = pytest.mark.integration
REGION = detectors.get("region_avoidance")
# The shipped settings, except that a fixture graph's few cadres never count as "most".
SPEC = dataclasses.replace(load_scheduler_config().incremental, max_scope_fraction=1.0,
                           whole_graph_below_seconds=0)
SCHEDULE = schedule(incremental={
    "enabled": True, "every_seconds": 300, "max_scope_fraction": 1.0, "links": sorted(SPEC.links),
    "self_links": sorted(SPEC.self_links), "link_hops": SPEC.link_hops,
    "full_sweep_labels": sorted(SPEC.full_sweep_labels)})


def imported(store, batch: str, template: str) -> None:
    with session_scope(store) as session:
        session.add(ImportBatch(id=batch, path=f"/data/{template}.csv", file_name=f"{template}.csv",
                                sha256=batch, template=template, status=ImportStatus.DONE,
                                finished_at=utcnow()))


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
        plan = incremental.plan(graph, session, ["region_avoidance"], SPEC)
    assert plan.batches == ("b2",)
    # The new holder, the post's earlier holder, and the new holder's wife's brother.
    assert plan.scope == {"MOVER", "PREV", "WB"}


def test_the_recheck_finds_the_new_case_and_leaves_others_alone(county, graph, store,
                                                                 settings):
    occupy(graph, "b2", "MOVER")
    imported(store, "b2", "occupancies")
    service = make_service(graph, store, settings, Clock(), [REGION], schedule_data=SCHEDULE)
    plan = service.runtime.recheck_imports()
    assert plan.scope == {"MOVER", "PREV", "WB"}

    with session_scope(store) as session:
        findings = {f.subject_ids[0]: f for f in session.scalars(sa.select(Finding))}
        recheck = session.scalars(sa.select(Run).order_by(Run.id.desc())).first()
    assert set(findings) == {"HOME", "MOVER"}
    assert recheck.trigger == RunTrigger.IMPORT and recheck.count_new == 1
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
        assert incremental.plan(graph, session, ["region_avoidance"], SPEC).scope is None

    occupy(graph, "b4", "FAR")
    imported(store, "b4", "occupancies")
    small = dataclasses.replace(SPEC, max_scope_fraction=0.1, full_sweep_labels=frozenset())
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, ["region_avoidance"], small)
    assert plan.scope is None and "全量" in plan.reason


def test_a_detector_that_never_ran_gets_a_whole_sweep(graph, store):
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, ["region_avoidance"], SPEC)
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


def test_an_evaluation_concerns_its_subject_only(county, graph, store):
    kit = Kit(graph, batch="b5")
    kit.add("Evaluation", id="E1", cadre="WB", year=2025)
    kit.write()
    imported(store, "b5", "evaluations")
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, ["region_avoidance"], SPEC)
    assert plan.scope == {"WB"}                      # not WB's sister's husband MOVER


def test_a_quick_whole_sweep_beats_deriving_a_scope(county, graph, store):
    occupy(graph, "b2", "MOVER")
    imported(store, "b2", "occupancies")
    quick = dataclasses.replace(SPEC, whole_graph_below_seconds=3600)
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, ["region_avoidance"], quick)
    assert plan.scope is None and plan.batches == ("b2",) and "全量检查更快" in plan.reason


def test_the_kinship_walk_reaches_every_statutory_relative():
    from riskgraph import cypher
    from riskgraph.kinship import MAX_EDGE_HOPS

    assert f"*0..{MAX_EDGE_HOPS}]" in cypher.load("incremental/kin_cadres").text
