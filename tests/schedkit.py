"""Helpers for scheduler and alert tests: a controllable clock (fixture ``clock``), a
service on the test store (the started ones in fixture ``services``), and a small graph
with one regional-avoidance violation per listed cadre."""

from __future__ import annotations

import dataclasses
import socket
from datetime import UTC, datetime, timedelta

import apscheduler.executors.base
import apscheduler.schedulers.base
import pytest
from detectorkit import city_counties
from graphkit import Kit

from riskgraph.alerts_config import load_alerts_config
from riskgraph.scheduler import SchedulerService
from riskgraph.scheduler_config import load_scheduler_config
from riskgraph.scheduler_jobs import Runtime
from riskgraph.store import ImportBatch, session_scope, utcnow
from riskgraph.store.vocab import ImportStatus

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)      # a Monday, 01:00 UTC


class Clock:
    """``now`` for our code and, patched into APScheduler, for the scheduler itself."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, when: datetime) -> datetime:
        self.now = when
        return when

    def install(self, monkeypatch) -> None:
        clock = self

        class ClockDatetime(datetime):
            @classmethod
            def now(cls, tz=None):
                return clock.now.astimezone(tz) if tz else clock.now.replace(tzinfo=None)

        for module in (apscheduler.schedulers.base, apscheduler.executors.base):
            monkeypatch.setattr(module, "datetime", ClockDatetime)


# Fixtures: a test module imports clock_fixture / services_fixture and asks for `clock`
# and `services` (the names differ so the import is not shadowed by the parameter).
@pytest.fixture(name="clock")
def clock_fixture(monkeypatch) -> Clock:
    """The clock, installed into APScheduler."""
    c = Clock()
    c.install(monkeypatch)
    return c


@pytest.fixture(name="services")
def services_fixture():
    """Scheduler services a test started (append them); stopped at the end."""
    started = []
    yield started
    for s in started:
        s.stop(grace=5)


def schedule(**overrides) -> dict:
    base = {"timezone": "UTC",
            "jobs": {"avoidance": {"cron": "0 2 * * *", "families": ["avoidance"]}},
            "misfire_grace_seconds": 6 * 3600,
            "retry": {"max_attempts": 3, "delays_seconds": [60, 300]},
            "lease": {"name": "scheduler", "ttl_seconds": 120, "renew_seconds": 30},
            "stop_grace_seconds": 5,
            "incremental": {"enabled": False}}
    base.update(overrides)
    return base



# The shipped incremental settings, except that a fixture graph's few cadres never count
# as "most".
INCREMENTAL_SPEC = dataclasses.replace(load_scheduler_config().incremental,
                                       max_scope_fraction=1.0, whole_graph_below_seconds=0)
INCREMENTAL_SCHEDULE = schedule(incremental={
    "enabled": True, "every_seconds": 300, "max_scope_fraction": 1.0,
    "full_sweep_labels": sorted(INCREMENTAL_SPEC.full_sweep_labels)})


def imported(store, batch: str, template: str) -> None:
    """Record a finished import batch ``batch`` of ``template``."""
    with session_scope(store) as session:
        session.add(ImportBatch(id=batch, path=f"/data/{template}.csv", file_name=f"{template}.csv",
                                sha256=batch, template=template, status=ImportStatus.DONE,
                                finished_at=utcnow()))

def alert_settings(**overrides) -> dict:
    # Every sweep also computes warning levels, so a first finding raises its cadre's
    # level too: level-rise alerts are off unless a test asks for them.
    base = {"min_severity": "high", "level_rise": False, "base_url": "http://127.0.0.1:8080",
            "rules": [{"name": "高风险", "when": {"min_severity": "high"},
                       "inbox": {"roles": ["inspector"]}, "webhook": True, "email": True},
                      {"name": "回避", "when": {"kinds": ["new_finding"], "families": ["avoidance"]},
                       "inbox": {"roles": ["org_officer"]}}]}
    base.update(overrides)
    return base


def make_service(graph, store, settings, clock, detectors, schedule_data=None,
                 alerts_data=None, environ=None, once=False) -> SchedulerService:
    runtime = Runtime(
        graph=graph, sessions=store, settings=settings,
        config=load_scheduler_config(data=schedule_data or schedule()),
        alerts=load_alerts_config(data=alerts_data or alert_settings(), environ=environ or {}),
        clock=clock, add_one_off=lambda *a: None, detectors=lambda: list(detectors))
    return SchedulerService(runtime, store.kw["bind"], once=once)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def home_heads(graph, cadres=("HOME",)) -> None:
    """Region K1 of city C1; for each cadre a county government headed at home (K1,
    violation, high) under organisation ORG_<cadre>, all subordinate to CITY_ORG."""
    kit = Kit(graph)
    city_counties(kit)
    kit.add("Organization", id="CITY_ORG", name="甲市委组织部", kind="organisation_dept",
            level="city", region="C1")
    kit.add("Organization", id="OTHER_ORG", name="丙县财政局", kind="finance", level="county",
            region="K2")
    for i, pid in enumerate(cadres):
        org = f"ORG_{pid}"
        kit.add("Organization", id=org, name=f"乙县第{i + 1}委", kind="government",
                level="county", region="K1", parent="CITY_ORG")
        kit.add("Post", id=f"POST_{pid}", name="主任", org=org, rank="division",
                category="leadership", is_head=True, in_leadership=True)
        kit.add("Cadre", id=pid, name=f"干部{pid}", gender="M", birth_date="1970-01-01",
                managed_by=org, rank="division", grew_up_in="K1")
        kit.add("Occupancy", person=pid, post=f"POST_{pid}", start_date="2023-01-01")
    kit.write()
