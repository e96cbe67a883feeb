"""What the scheduled jobs do: detector sweeps with retries, the re-check after imports,
alerts and their deliveries.

The persistent job store keeps each job as a textual reference to a function of this
module plus plain arguments, so the job functions are module-level and reach the
process's graph, store and settings through the one active ``Runtime`` (set by
``riskgraph.scheduler.SchedulerService`` while it runs).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from riskgraph import alert_delivery, alerts, incremental
from riskgraph.aftersweep import AfterSweep, finish_sweep
from riskgraph.alerts_config import AlertsConfig
from riskgraph.detectors.base import Detector
from riskgraph.graph import GraphClient
from riskgraph.reach import CHANGES
from riskgraph.scheduler_config import SchedulerConfig
from riskgraph.settings import Settings
from riskgraph.store import session_scope
from riskgraph.memory import Settler
from riskgraph.store.vocab import RunStatus, RunTrigger
from riskgraph.sweep import (
    RunSummary,
    SweepResult,
    as_of_date,
    effective_scope,
    new_sweep_id,
    run_one,
    select,
)

log = logging.getLogger(__name__)
SWEEP_PREFIX = "sched-"          # sweeps of the scheduler (stale ones are abandoned at start)
JOBS = __name__


@dataclass
class Runtime:
    graph: GraphClient
    sessions: sessionmaker[Session]
    settings: Settings
    config: SchedulerConfig
    alerts: AlertsConfig
    clock: Callable[[], datetime]
    # Adds a one-off job: (job id, function name in this module, kwargs, run date).
    add_one_off: Callable[[str, str, dict[str, Any], datetime], None]
    # The enabled detectors (tests give their own).
    detectors: Callable[[], list[Detector]] = field(default=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    active_sweeps: set[str] = field(default_factory=set)
    summaries: list[RunSummary] = field(default_factory=list)
    last_after: AfterSweep | None = None     # the step after the last sweep (timings)
    # The scheduler process settles its memory after each sweep (riskgraph.memory); tests
    # and other callers in a shared process leave it None.
    settler: Settler | None = None

    # -- detector runs -----------------------------------------------------------------
    def run_group(self, name: str) -> list[RunSummary]:
        spec = self.config.jobs[name]
        chosen = [d for d in self.detectors() if d.family in spec.families]
        return self.run_detectors(chosen, SWEEP_PREFIX + new_sweep_id(), RunTrigger.SCHEDULED)

    def run_detectors(self, chosen: list[Detector], sweep_id: str, trigger: RunTrigger,
                      scope: frozenset[str] | None = None, attempt: int = 1,
                      scopes: dict[str, frozenset[str] | None] | None = None,
                      shared: dict | None = None, note: str | None = None) -> list[RunSummary]:
        """Run ``chosen`` as one sweep, each on ``scopes[name]`` when given (else on
        ``scope``; None: the whole graph). ``shared`` seeds the sweep's shared dict
        (the re-check after an import leaves the batches' changes there); ``note``: why
        the sweep runs as it does, recorded on its runs (the re-check's plan)."""
        as_of = as_of_date(self.settings)
        done: list[RunSummary] = []
        shared = dict(shared or {})
        self.active_sweeps.add(sweep_id)
        try:
            for i, detector in enumerate(chosen):
                if self.stopping.is_set():
                    # Hand the rest over to the next scheduler start (persisted, due now).
                    for rest in chosen[i:]:
                        own = scopes.get(rest.name) if scopes is not None else scope
                        self._retry_later(rest, sweep_id, trigger, own, attempt, 0)
                    break
                own = scopes.get(detector.name) if scopes is not None else scope
                own = effective_scope(detector, own)
                summary = run_one(self.graph, self.sessions, self.settings, detector,
                                  sweep_id, trigger, as_of, own, attempt, shared=shared,
                                  note=note)
                done.append(summary)
                self.summaries.append(summary)
                self._after_run(detector, summary, sweep_id, trigger, own, attempt)
        finally:
            self.active_sweeps.discard(sweep_id)
        if done:
            self.last_after = finish_sweep(self.sessions, SweepResult(sweep_id, as_of, done, shared))
        self.raise_level_alerts()
        if self.settler is not None:
            self.settler.settle()
        return done

    def _after_run(self, detector: Detector, summary: RunSummary, sweep_id: str,
                   trigger: RunTrigger, scope: frozenset[str] | None, attempt: int) -> None:
        if summary.status == RunStatus.SUCCEEDED:
            if summary.new:       # only the findings a run created raise alerts
                self.raise_run_alerts(summary.run_id)
            return
        first = (summary.error or "").splitlines()[0] if summary.error else ""
        if attempt < self.config.max_attempts:
            delay = self.config.retry_delay(attempt)
            log.warning("检测器%s第%s次运行失败（%s），%s秒后重试", detector.name, attempt, first, delay)
            self._retry_later(detector, sweep_id, trigger, scope, attempt + 1, delay)
        else:
            log.error("检测器%s第%s次运行仍失败（%s），不再重试", detector.name, attempt, first)

    def _retry_later(self, detector: Detector, sweep_id: str, trigger: RunTrigger,
                     scope: frozenset[str] | None, attempt: int, delay: float) -> None:
        self.add_one_off(
            f"retry:{detector.name}:{sweep_id}:{attempt}", "retry_run",
            {"detector": detector.name, "sweep_id": sweep_id, "trigger": str(trigger),
             "scope": sorted(scope) if scope is not None else None, "attempt": attempt},
            self.clock() + timedelta(seconds=delay))

    def retry(self, detector: str, sweep_id: str, trigger: str, scope: list[str] | None,
              attempt: int) -> list[RunSummary]:
        found = {d.name: d for d in self.detectors()}.get(detector)
        if found is None:
            log.error("检测器%s已不存在或已停用，不再重试", detector)
            return []
        return self.run_detectors([found], sweep_id, RunTrigger(trigger),
                                  frozenset(scope) if scope is not None else None, attempt)

    def recheck_imports(self) -> incremental.Plan | None:
        """Re-check what the imports since the last successful runs could have changed."""
        chosen = self.detectors()
        with session_scope(self.sessions) as session:
            plan = incremental.plan(self.graph, session, chosen, self.config.incremental,
                                    self.settings.get("detectors", "province") or "",
                                    as_of_date(self.settings))
        if plan is None:
            return None
        log.info("导入后复查（批次%s）：%s", ",".join(plan.batches) or "-", plan.reason)
        self.run_detectors(chosen, f"{SWEEP_PREFIX}import-{new_sweep_id()}", RunTrigger.IMPORT,
                           scopes=None if plan.whole else plan.scopes,
                           shared=None if plan.whole else {CHANGES: plan.changes},
                           note=plan.reason)
        return plan

    # -- alerts --------------------------------------------------------------------------
    def raise_run_alerts(self, run_id: int) -> None:
        with session_scope(self.sessions) as session:
            raised = alerts.raise_for_run(session, self.alerts, run_id,
                                          alerts.ScopeResolver(self.graph))
            ids = [a.id for a in raised]
        self.deliver(ids)

    def raise_level_alerts(self) -> None:
        with session_scope(self.sessions) as session:
            raised = alerts.raise_level_rises(session, self.alerts, self.clock(),
                                              alerts.ScopeResolver(self.graph))
            ids = [a.id for a in raised]
        self.deliver(ids)

    def deliver(self, alert_ids: list[int] | None) -> None:
        if alert_ids == []:
            return
        for delivery_id in alert_delivery.pending(self.sessions, alert_ids):
            self.deliver_one(delivery_id)

    def deliver_one(self, delivery_id: int) -> None:
        delay = alert_delivery.attempt(self.sessions, self.alerts, delivery_id, self.clock())
        if delay is not None:
            self.add_one_off(f"delivery:{delivery_id}", "retry_delivery",
                             {"delivery_id": delivery_id}, self.clock() + timedelta(seconds=delay))

    def send_digests(self) -> dict[str, int]:
        return alert_delivery.send_digests(self.sessions, self.alerts, self.clock())


# -- the job functions the job store refers to ------------------------------------------
_active: Runtime | None = None


def activate(runtime: Runtime | None) -> None:
    global _active
    _active = runtime


def active() -> Runtime:
    if _active is None:
        raise RuntimeError("no scheduler runtime is active in this process")
    return _active


def run_group(name: str) -> None:
    active().run_group(name)


def retry_run(detector: str, sweep_id: str, trigger: str, scope: list[str] | None,
              attempt: int) -> None:
    active().retry(detector, sweep_id, trigger, scope, attempt)


def recheck_imports() -> None:
    active().recheck_imports()


def retry_delivery(delivery_id: int) -> None:
    active().deliver_one(delivery_id)


def send_digests() -> None:
    active().send_digests()


def enabled_detectors(settings: Settings) -> Callable[[], list[Detector]]:
    return lambda: select(None, settings)
