"""The scheduler driven by a controllable clock, on the real embedded graph and a real
SQLite store (job store, lease and runs all in it)."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from schedkit import (  # noqa: F401 (fixtures clock, services)
    START,
    clock_fixture,
    home_heads,
    make_service,
    schedule,
    services_fixture,
)

from riskgraph import detectors
from riskgraph.scheduler import LeaseHeld
from riskgraph.store import Finding, Lease, Run, session_scope
from riskgraph.store.vocab import RunStatus, RunTrigger

pytestmark = pytest.mark.integration
REGION = detectors.get("region_avoidance")


def runs(store) -> list[Run]:
    with session_scope(store) as session:
        return list(session.scalars(sa.select(Run).order_by(Run.id)))


def start(services, *args, **kw):
    service = make_service(*args, **kw)
    service.start()
    services.append(service)
    return service


def held(entered: threading.Event, release: threading.Event):
    """REGION, but each run sets ``entered`` and waits for ``release`` before it starts."""
    def slow(ctx):
        entered.set()
        release.wait(30)
        yield from REGION.run(ctx)

    return dataclasses.replace(REGION, run=slow)


def test_jobs_fire_on_schedule(graph, store, settings, clock, services):
    home_heads(graph)
    service = start(services, graph, store, settings, clock, [REGION])
    assert service.scheduler.get_job("detectors:avoidance").next_run_time == START.replace(hour=2)
    assert service.run_pending(10) and runs(store) == []          # 01:00: nothing due

    clock.set(START.replace(hour=2, second=30))
    assert service.run_pending(10)
    [run] = runs(store)
    assert (run.detector, run.status, run.trigger, run.count_new) == (
        "region_avoidance", RunStatus.SUCCEEDED, RunTrigger.SCHEDULED, 1)
    assert run.sweep_id.startswith("sched-")
    assert service.scheduler.get_job("detectors:avoidance").next_run_time == (
        START.replace(hour=2) + timedelta(days=1))

    clock.advance(hours=3)
    service.run_pending(10)
    assert len(runs(store)) == 1                                   # not again the same day
    clock.set(START.replace(hour=2) + timedelta(days=1, minutes=1))
    service.run_pending(10)
    assert [r.count_present for r in runs(store)] == [0, 1]        # next night: still there


def test_missed_runs_coalesce_into_one(graph, store, settings, clock, services):
    home_heads(graph)
    first = start(services, graph, store, settings, clock, [REGION])
    first.stop()                                                   # down before 02:00

    # Back three days later at 03:00: four nightly runs were missed; one run catches up.
    clock.set(START.replace(hour=3) + timedelta(days=3))
    second = start(services, graph, store, settings, clock, [REGION])
    second.run_pending(10)
    assert [r.status for r in runs(store)] == [RunStatus.SUCCEEDED]
    assert second.scheduler.get_job("detectors:avoidance").next_run_time == (
        START.replace(hour=2) + timedelta(days=4))
    second.stop()

    # Back a week later at 10:00: the last miss (02:00) is beyond the 6 h grace: skipped.
    clock.set(START.replace(hour=10) + timedelta(days=10))
    third = start(services, graph, store, settings, clock, [REGION])
    third.run_pending(10)
    assert len(runs(store)) == 1
    assert third.scheduler.get_job("detectors:avoidance").next_run_time == (
        START.replace(hour=2) + timedelta(days=11))


def test_a_second_scheduler_cannot_take_the_lock(graph, store, settings, clock, services):
    first = start(services, graph, store, settings, clock, [REGION])
    second = make_service(graph, store, settings, clock, [REGION])
    with pytest.raises(LeaseHeld, match="另一个调度器进程正在运行"):
        second.start()

    clock.advance(seconds=100)
    assert first.renew()                                           # renewed in time: still held
    clock.advance(seconds=100)
    with pytest.raises(LeaseHeld):
        second.start()

    clock.advance(seconds=121)                                     # first stopped renewing (died)
    second.start()
    services.append(second)
    assert not first.renew()                                       # it knows it lost the lock
    with session_scope(store) as session:
        assert session.get(Lease, "scheduler").holder == second.holder
    second.stop()
    with session_scope(store) as session:
        assert session.get(Lease, "scheduler") is None             # released on stop


def test_a_stop_mid_run_leaves_no_half_run(graph, store, settings, clock, services):
    home_heads(graph)
    entered, release = threading.Event(), threading.Event()
    second = held(entered, release)
    service = start(services, graph, store, settings, clock, [REGION, second])
    clock.set(START.replace(hour=2, minute=1))
    service.scheduler.process_due()
    assert entered.wait(30)                                        # the second detector runs
    assert service.stop(grace=0.2) is False                        # gave up waiting

    first, stuck = runs(store)
    assert first.status == RunStatus.SUCCEEDED and first.count_new == 1
    assert stuck.status == RunStatus.ABANDONED and stuck.finished_at is not None
    release.set()                                                  # the detector ends after all
    assert service.executor.wait_idle(30)
    assert runs(store)[1].status == RunStatus.ABANDONED           # ... and applies nothing
    with session_scope(store) as session:
        assert session.scalars(sa.select(Finding.last_seen_run_id)).all() == [first.id]


def test_runs_left_running_by_a_dead_process_are_abandoned(graph, store, settings, clock,
                                                            services):
    with session_scope(store) as session:
        for sweep in ("sched-dead", "manual-elsewhere"):
            session.add(Run(sweep_id=sweep, detector="region_avoidance", rule_version="1",
                            trigger=RunTrigger.SCHEDULED, status=RunStatus.RUNNING))
    start(services, graph, store, settings, clock, [REGION])
    assert [(r.sweep_id, r.status) for r in runs(store)] == [
        ("sched-dead", RunStatus.ABANDONED), ("manual-elsewhere", RunStatus.RUNNING)]


def test_failures_are_retried_with_back_off(graph, store, settings, clock, services):
    home_heads(graph)
    calls = []

    def flaky(ctx):
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError(f"图数据库暂时不可用（第{len(calls)}次）")
        yield from REGION.run(ctx)

    service = start(services, graph, store, settings, clock,
                    [dataclasses.replace(REGION, run=flaky)])
    clock.set(START.replace(hour=2))
    service.run_pending(10)
    assert [(r.attempt, r.status) for r in runs(store)] == [(1, RunStatus.FAILED)]
    assert "第1次" in runs(store)[0].error

    clock.advance(seconds=59)
    service.run_pending(10)
    assert len(runs(store)) == 1                                   # back-off: 60 s
    clock.advance(seconds=2)
    service.run_pending(10)
    clock.advance(seconds=299)
    service.run_pending(10)
    assert len(runs(store)) == 2                                   # back-off: 300 s
    clock.advance(seconds=2)
    service.run_pending(10)
    history = runs(store)
    assert [(r.attempt, r.status) for r in history] == [
        (1, RunStatus.FAILED), (2, RunStatus.FAILED), (3, RunStatus.SUCCEEDED)]
    assert len({r.sweep_id for r in history}) == 1 and history[2].count_new == 1
    assert [j.id for j in service.scheduler.get_jobs()] == ["detectors:avoidance"]


def test_retries_stop_after_the_last_attempt(graph, store, settings, clock, services):
    def broken(ctx):
        raise RuntimeError("规则配置错误")

    service = start(services, graph, store, settings, clock,
                    [dataclasses.replace(REGION, run=broken)],
                    schedule_data=schedule(retry={"max_attempts": 2, "delays_seconds": [60]}))
    clock.set(START.replace(hour=2))
    for _ in range(4):
        service.run_pending(10)
        clock.advance(seconds=61)
    assert [(r.attempt, r.status) for r in runs(store)] == [
        (1, RunStatus.FAILED), (2, RunStatus.FAILED)]


def test_once_runs_new_jobs_at_once(graph, store, settings, clock, services):
    home_heads(graph)
    service = start(services, graph, store, settings, clock, [REGION], once=True)
    assert service.run_pending(30)
    assert [r.status for r in runs(store)] == [RunStatus.SUCCEEDED]
    assert service.scheduler.get_job("detectors:avoidance").next_run_time == START.replace(hour=2)


def test_config_changes_replace_jobs_but_keep_unchanged_times(graph, store, settings, clock,
                                                              services):
    first = start(services, graph, store, settings, clock, [REGION])
    first.stop()
    clock.advance(days=2)                    # restart after a missed night, same config
    data = schedule(jobs={"avoidance": {"cron": "0 2 * * *", "families": ["avoidance"]},
                          "two_faced": {"cron": "0 4 * * mon", "families": ["two_faced"]}})
    second = start(services, graph, store, settings, clock, [REGION], schedule_data=data)
    jobs = {j.id: j.next_run_time for j in second.scheduler.get_jobs()}
    assert jobs["detectors:avoidance"] == START.replace(hour=2)    # kept: still catches up
    assert jobs["detectors:two_faced"] == datetime.fromisoformat("2026-03-09T04:00:00+00:00")


def test_a_stop_lets_the_current_run_finish_and_hands_the_rest_over(graph, store, settings,
                                                                     clock, services):
    home_heads(graph)
    entered, release = threading.Event(), threading.Event()
    chosen = [held(entered, release), REGION]
    service = start(services, graph, store, settings, clock, chosen)
    clock.set(START.replace(hour=2, minute=1))
    service.scheduler.process_due()
    assert entered.wait(30)
    threading.Timer(0.3, release.set).start()
    assert service.stop(grace=30) is True                          # finished within the grace
    assert [(r.status, r.count_new) for r in runs(store)] == [(RunStatus.SUCCEEDED, 1)]

    # The detector that had not started yet runs at the next start, in the same sweep.
    successor = start(services, graph, store, settings, clock, chosen)
    [handed] = [j for j in successor.scheduler.get_jobs() if j.id.startswith("retry:")]
    assert handed.next_run_time == clock()
    successor.run_pending(30)
    first, second = runs(store)
    assert second.status == RunStatus.SUCCEEDED and second.sweep_id == first.sweep_id
    assert second.count_present == 1
