"""The run history for the review UI: sweeps (the runs sharing a ``sweep_id``: a
scheduled group, a manual run, the re-check after an import) newest first, and the runs
of one sweep with their attempts, counts, warnings and errors.

A failed run is retried in the same sweep as a new row (``attempt + 1``); a sweep has
failed when a detector's last attempt in it failed or was abandoned, and it "recovered"
when every failed attempt was followed by a successful one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph import detectors
from riskgraph.store import Run
from riskgraph.store.vocab import RunStatus, RunTrigger

TRIGGER_ZH = {RunTrigger.SCHEDULED: "定时运行", RunTrigger.MANUAL: "手动运行",
              RunTrigger.IMPORT: "导入后复查"}
RUN_STATUS_ZH = {RunStatus.RUNNING: "运行中", RunStatus.SUCCEEDED: "成功",
                 RunStatus.FAILED: "失败", RunStatus.ABANDONED: "已放弃"}
# A sweep's state, from its detectors' last attempts.
SWEEP_STATE_ZH = {"running": "运行中", "failed": "有失败", "recovered": "重试后成功",
                  "succeeded": "成功"}
BAD = (RunStatus.FAILED, RunStatus.ABANDONED)


@dataclass
class Sweep:
    sweep_id: str
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    runs: list[Run] = field(default_factory=list)

    @cached_property
    def last_attempts(self) -> list[Run]:
        """Each detector's last attempt in this sweep, in the order they first ran
        (``runs`` are in id order)."""
        last: dict[str, Run] = {}
        for r in self.runs:
            kept = last.get(r.detector)
            if kept is None or (r.attempt, r.id) > (kept.attempt, kept.id):
                last[r.detector] = r
        return [last[d] for d in dict.fromkeys(r.detector for r in self.runs)]

    @property
    def state(self) -> str:
        last = self.last_attempts
        if any(r.status == RunStatus.RUNNING for r in last):
            return "running"
        if any(r.status in BAD for r in last):
            return "failed"
        if any(r.status in BAD for r in self.runs):
            return "recovered"
        return "succeeded"

    @property
    def seconds(self) -> float:
        """The detectors' running time together (retries waited for are not counted)."""
        return sum(r.duration_s or 0.0 for r in self.runs)

    @property
    def note(self) -> str:
        """Why the sweep ran as it did (the re-check's plan), if it says."""
        return next((r.note for r in self.runs if r.note), "")

    def total(self, column: str) -> int:
        return sum(getattr(r, column) for r in self.last_attempts)


def scope_zh(run: Run) -> str:
    """What a run was asked to check, in words."""
    if run.scope_size is None:
        return "全图"
    if run.scope_size == 0:
        return "无需检查（导入未写入其读取的数据）"
    try:
        by_entities = detectors.get(run.detector).scope_by == "entities"
    except KeyError:
        return f"{run.scope_size}项"
    return f"{run.scope_size}个项目" if by_entities else f"{run.scope_size}名干部"


@dataclass(frozen=True)
class RunQuery:
    trigger: str = ""               # a RunTrigger value, or "" for every trigger
    failed_only: bool = False       # sweeps with a failed or abandoned attempt


def _grouped() -> sa.Select:
    """Sweeps: id, first start, last finish and trigger of their runs."""
    return (sa.select(Run.sweep_id, sa.func.min(Run.started_at).label("started"),
                      sa.func.max(Run.finished_at).label("finished"),
                      sa.func.min(Run.trigger).label("trigger"))
            .group_by(Run.sweep_id))


def _had_failures():
    """A sweep's condition: some attempt failed or was abandoned."""
    return sa.func.sum(sa.case((Run.status.in_(BAD), 1), else_=0)) > 0


def sweeps(session: Session, q: RunQuery, page: int, per_page: int) -> tuple[list[Sweep], int]:
    """One page of sweeps matching ``q``, newest first, and how many match."""
    grouped = _grouped()
    if q.trigger:
        grouped = grouped.where(Run.trigger == q.trigger)
    if q.failed_only:
        grouped = grouped.having(_had_failures())
    total = session.scalar(sa.select(sa.func.count()).select_from(grouped.subquery())) or 0
    rows = session.execute(grouped.order_by(sa.desc("started"), Run.sweep_id.desc())
                           .limit(per_page).offset((page - 1) * per_page)).all()
    return _with_runs(session, rows), total


def sweep(session: Session, sweep_id: str) -> Sweep | None:
    found = _with_runs(session, session.execute(_grouped().where(Run.sweep_id == sweep_id)).all())
    return found[0] if found else None


def recent_failures(session: Session, now: datetime, days: int = 7) -> int:
    """Sweeps started in the last ``days`` days in which a detector's last attempt
    failed or was abandoned (the dashboard's notice to administrators)."""
    rows = session.execute(_grouped().having(_had_failures())
                           .having(sa.func.min(Run.started_at) >= now - timedelta(days=days))).all()
    return sum(1 for s in _with_runs(session, rows) if s.state == "failed")


def _with_runs(session: Session, rows) -> list[Sweep]:
    out = {sweep_id: Sweep(sweep_id, trigger, started, finished)
           for sweep_id, started, finished, trigger in rows}
    if out:
        for r in session.scalars(sa.select(Run).where(Run.sweep_id.in_(list(out)))
                                 .order_by(Run.id)):
            out[r.sweep_id].runs.append(r)
    return list(out.values())
