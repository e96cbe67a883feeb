"""The runner and the findings store: stable keys, review states kept, resolution by
data, failures isolated. Runs the real region_avoidance detector on a fixture graph."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
import sqlalchemy as sa

from graphkit import Kit
from riskgraph import detectors
from riskgraph.store import Finding, FindingEvent, Run, session_scope
from riskgraph.store.vocab import DataStatus, ReviewStatus, RunStatus
from riskgraph.sweep import run_sweep

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)


def _world(graph, end_date=None, second_home="K2"):
    kit = Kit(graph)
    kit.add("Region", id="K1", name="乙县", level="county")
    kit.add("Region", id="K2", name="丙县", level="county")
    kit.add("Organization", id="GOV", name="乙县人民政府", kind="government", level="county", region="K1")
    kit.add("Organization", id="PS", name="乙县公安局", kind="public_security", level="county", region="K1")
    kit.add("Post", id="P1", name="县长", org="GOV", rank="division", category="leadership",
            is_head=True, in_leadership=True)
    kit.add("Post", id="P2", name="局长", org="PS", rank="section", category="leadership",
            is_head=True, in_leadership=True)
    kit.add("Cadre", id="A", name="甲", managed_by="GOV", rank="division", grew_up_in="K1")
    kit.add("Cadre", id="B", name="乙", managed_by="GOV", rank="section", grew_up_in=second_home)
    kit.add("Occupancy", person="A", post="P1", start_date="2023-01-01", end_date=end_date)
    kit.add("Occupancy", person="B", post="P2", start_date="2022-01-01")
    kit.write()


def _sweep(graph, store, settings, **kw):
    return run_sweep(graph, store, settings, ["region_avoidance"], as_of=AS_OF, **kw)


def _findings(store):
    with session_scope(store) as s:
        return {f.key: (f.data_status, f.review_status, f.version, f.first_seen_run_id,
                        f.last_seen_run_id, [e.action for e in f.events])
                for f in s.scalars(sa.select(Finding))}


def test_rerun_keeps_one_finding_and_its_review(graph, store, settings):
    _world(graph)
    first = _sweep(graph, store, settings).runs[0]
    assert (first.status, first.new, first.present, first.resolved) == (RunStatus.SUCCEEDED, 1, 0, 0)
    with session_scope(store) as s:          # a reviewer confirms it
        f = s.scalars(sa.select(Finding)).one()
        assert f.subject_ids == ["A"] and f.org_ids == ["GOV"]
        assert f.evidence["date"] == "2023-01-01" and f.evidence["nodes"]
        f.review_status = ReviewStatus.CONFIRMED
    second = _sweep(graph, store, settings).runs[0]
    assert (second.new, second.present, second.resolved) == (0, 1, 0)
    [(status, review, version, first_run, last_run, events)] = _findings(store).values()
    assert status == DataStatus.PRESENT and review == ReviewStatus.CONFIRMED
    assert version == 2                      # bumped by the reviewer only, not by the run
    assert (first_run, last_run) == (first.run_id, second.run_id)
    assert events == ["detected"]


def test_a_vanished_pattern_is_resolved_not_deleted_and_can_come_back(graph, store, settings):
    _world(graph)
    _sweep(graph, store, settings)
    _world(graph, end_date="2024-06-30")     # A left the post: same edge key, new end date
    gone = _sweep(graph, store, settings).runs[0]
    assert (gone.new, gone.present, gone.resolved) == (0, 0, 1)
    [(status, *_rest, events)] = _findings(store).values()
    assert status == DataStatus.RESOLVED_BY_DATA and events == ["detected", "resolved"]
    _world(graph)                            # a corrected file: the end date is blank again
    back = _sweep(graph, store, settings).runs[0]
    assert (back.new, back.present, back.resolved) == (0, 1, 0)
    [(status, *_rest, events)] = _findings(store).values()
    assert status == DataStatus.PRESENT and events == ["detected", "resolved", "reappeared"]


def test_a_failing_detector_is_recorded_and_does_not_stop_the_others(graph, store, settings):
    _world(graph)

    def boom(_ctx):
        raise RuntimeError("查询失败")

    broken = dataclasses.replace(detectors.get("region_avoidance"), run=boom)
    result = run_sweep(graph, store, settings, [broken, "region_avoidance"], as_of=AS_OF)
    assert [r.status for r in result.runs] == [RunStatus.FAILED, RunStatus.SUCCEEDED]
    assert "RuntimeError: 查询失败" in result.runs[0].error
    with session_scope(store) as s:
        runs = s.scalars(sa.select(Run).order_by(Run.id)).all()
        assert [r.status for r in runs] == [RunStatus.FAILED, RunStatus.SUCCEEDED]
        assert runs[0].error and runs[0].finished_at and runs[1].count_new == 1
        assert {r.sweep_id for r in runs} == {result.sweep_id}
        assert runs[1].as_of == AS_OF and runs[1].duration_s is not None


def test_a_scoped_run_resolves_only_findings_about_its_cadres(graph, store, settings):
    _world(graph, second_home="K1")          # both A and B are heads at home
    assert _sweep(graph, store, settings).runs[0].new == 2
    from riskgraph.graph_schema import wipe_graph

    wipe_graph(graph)
    _world(graph, end_date="2024-06-30", second_home="K2")   # neither fires any more
    scoped = _sweep(graph, store, settings, scope=frozenset({"A"})).runs[0]
    assert scoped.resolved == 1
    with session_scope(store) as s:
        status = {f.subject_ids[0]: f.data_status for f in s.scalars(sa.select(Finding))}
        events = s.scalars(sa.select(FindingEvent.action).order_by(FindingEvent.id)).all()
    assert status == {"A": DataStatus.RESOLVED_BY_DATA, "B": DataStatus.PRESENT}
    assert events.count("resolved") == 1
