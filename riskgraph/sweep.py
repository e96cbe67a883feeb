"""Run detectors against the graph and record each run (``riskgraph run``).

Each detector is one run: a ``runs`` row is written as ``running`` first, the detector
reads the graph and yields its hits, and then the findings and the run's outcome are
written in one store transaction, so a run is never half-applied. A detector that fails
is recorded as failed with its error, and the others go on.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from riskgraph import detectors
from riskgraph.detectors.base import Context, Detector, Hit
from riskgraph.detectors.config import detector_config
from riskgraph.findings import apply_hits
from riskgraph.graph import GraphClient
from riskgraph.settings import Settings
from riskgraph.store import Run, session_scope, utcnow
from riskgraph.store.vocab import RunStatus, RunTrigger, Severity

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    detector: str
    run_id: int
    status: RunStatus
    new: int = 0
    present: int = 0
    resolved: int = 0
    hits: int = 0
    seconds: float = 0.0
    db_seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class SweepResult:
    sweep_id: str
    as_of: date
    runs: list[RunSummary]
    shared: dict = field(default_factory=dict)   # results detectors left for later steps

    @property
    def failed(self) -> list[RunSummary]:
        return [r for r in self.runs if r.status != RunStatus.SUCCEEDED]


def new_sweep_id() -> str:
    return f"{datetime.now().strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


def as_of_date(settings: Settings, override: date | None = None) -> date:
    if override:
        return override
    configured = settings.get("detectors", "as_of")
    return date.fromisoformat(configured) if configured else date.today()


def select(names: Iterable[str | Detector] | None, settings: Settings) -> list[Detector]:
    """The named detectors (names or Detector objects), or every enabled one."""
    if names:
        return [n if isinstance(n, Detector) else detectors.get(n) for n in names]
    province = settings.get("detectors", "province")
    return [d for d in detectors.all_detectors().values()
            if detector_config(d.name, province)["enabled"]]


def run_sweep(graph: GraphClient, sessions: sessionmaker[Session], settings: Settings,
              names: Iterable[str | Detector] | None = None, trigger: RunTrigger = RunTrigger.MANUAL,
              as_of: date | None = None, scope: frozenset[str] | None = None,
              sweep_id: str | None = None,
              echo: Callable[[RunSummary], None] | None = None) -> SweepResult:
    """Run the detectors (all enabled ones by default); see the module docstring."""
    result = SweepResult(sweep_id or new_sweep_id(), as_of_date(settings, as_of), [])
    for detector in select(names, settings):
        summary = run_one(graph, sessions, settings, detector, result.sweep_id, trigger,
                          result.as_of, scope, shared=result.shared)
        result.runs.append(summary)
        if echo:
            echo(summary)
    return result


def run_one(graph: GraphClient, sessions: sessionmaker[Session], settings: Settings,
            detector: Detector, sweep_id: str, trigger: RunTrigger, as_of: date,
            scope: frozenset[str] | None = None, attempt: int = 1,
            shared: dict | None = None, note: str | None = None) -> RunSummary:
    province = settings.get("detectors", "province")
    own = effective_scope(detector, scope)
    with session_scope(sessions) as session:
        run = Run(sweep_id=sweep_id, detector=detector.name, rule_version=detector.version,
                  rules_digest=detectors.rules_digest(province or ""),
                  scope_size=None if own is None else len(own), note=note,
                  trigger=trigger, as_of=as_of, attempt=attempt)
        session.add(run)
        session.flush()
        run_id = run.id
    summary = RunSummary(detector.name, run_id, RunStatus.RUNNING)
    started, db_before = time.perf_counter(), graph.db_seconds
    try:
        config = detector_config(detector.name, province)
        ctx = Context(graph, config, as_of, own,
                      province=province, sessions=sessions,
                      shared=shared if shared is not None else {})
        # An empty scope: nothing the run is asked about changed, so there is nothing to
        # read; the run is still recorded (it is how the re-check knows it is done).
        hits = [] if ctx.scope == frozenset() else _hits(detector, ctx)
        summary.hits = len(hits)
        summary.warnings = volume_warnings(config, len(hits))
        with session_scope(sessions) as session:
            if _abandoned(session, run_id):
                # A stopping scheduler gave up on this run meanwhile: apply nothing.
                summary.status = RunStatus.ABANDONED
                summary.error = "运行已被放弃，结果未写入"
            else:
                counts = apply_hits(session, detector, run_id, hits,
                                    Severity(config["severity"]), ctx.scope)
                summary.new, summary.present, summary.resolved = counts.new, counts.present, counts.resolved
                summary.status = RunStatus.SUCCEEDED
                _finish(session, run_id, summary, started)
    except Exception as exc:  # a failing detector must not stop the others
        log.exception("detector %s failed", detector.name)
        summary.status = RunStatus.FAILED
        summary.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"
        with session_scope(sessions) as session:
            _finish(session, run_id, summary, started)
    summary.db_seconds = graph.db_seconds - db_before
    return summary


def _hits(detector: Detector, ctx: Context) -> list[Hit]:
    """The run's hits. A scoped run (a re-check after an import) reads in one read
    transaction: its reads are many and small, and a transaction each costs two more
    round trips. A whole run's reads are few and large; one transaction would put the
    whole run under a single transaction timeout."""
    if ctx.scope is None:
        return list(detector.run(ctx))
    return ctx.graph.read_tx(lambda _tx: list(detector.run(ctx)))


def effective_scope(detector: Detector, scope: frozenset[str] | None) -> frozenset[str] | None:
    """The scope a detector runs on: a detector that cannot be scoped runs on the whole
    graph (None) unless the scope is empty (nothing to re-check)."""
    if scope is None or detector.scoped or not scope:
        return scope
    return None


def volume_warnings(config: dict, count: int) -> list[str]:
    """Warnings when a run's output is outside the configured ``volume`` (a run that
    finds suspiciously many results usually means broken data or a broken rule).

    >>> volume_warnings({"volume": {"max": 10}}, 11)
    ['结果数11超过预期上限10，请检查数据或规则']
    """
    volume = config.get("volume") or {}
    out = []
    if "max" in volume and count > volume["max"]:
        out.append(f"结果数{count}超过预期上限{volume['max']}，请检查数据或规则")
    if "min" in volume and count < volume["min"]:
        out.append(f"结果数{count}低于预期下限{volume['min']}，请检查数据或规则")
    return out


def _abandoned(session: Session, run_id: int) -> bool:
    """Whether the run's row was marked abandoned (by a stopping scheduler) while it
    ran; read with a row lock where the database has them, so the check and the
    write of the findings are one step."""
    status = session.scalar(sa.select(Run.status).where(Run.id == run_id).with_for_update())
    return status == RunStatus.ABANDONED


def _finish(session: Session, run_id: int, summary: RunSummary, started: float) -> None:
    run = session.get(Run, run_id)
    summary.seconds = time.perf_counter() - started
    run.status = summary.status
    run.finished_at = utcnow()
    run.duration_s = summary.seconds
    run.count_new, run.count_present, run.count_resolved = summary.new, summary.present, summary.resolved
    run.error = summary.error
    run.warnings = summary.warnings
