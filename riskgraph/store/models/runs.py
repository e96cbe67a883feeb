"""Detector executions. One row per detector run; ``sweep_id`` groups the rows of one
multi-detector sweep (a scheduled run, a manual "run all", the re-check after an import).
"""

from __future__ import annotations

from datetime import date, datetime

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from riskgraph.store.base import ID, Base, enum_type, utcnow
from riskgraph.store.vocab import RunStatus, RunTrigger


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    sweep_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    detector: Mapped[str] = mapped_column(sa.String(64))
    rule_version: Mapped[str] = mapped_column(sa.String(32))
    trigger: Mapped[RunTrigger] = mapped_column(enum_type(RunTrigger, "trigger"))
    status: Mapped[RunStatus] = mapped_column(
        enum_type(RunStatus, "status"), default=RunStatus.RUNNING
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    duration_s: Mapped[float | None]
    count_new: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    count_present: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    count_resolved: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    error: Mapped[str | None] = mapped_column(sa.Text)
    # The day the detector took as "today" (generated data has its own as-of date).
    as_of: Mapped[date | None]
    # 1 for the first try; a retry after a failure is a new row with attempt + 1.
    attempt: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))
    # Warnings that did not fail the run (e.g. an output volume outside the expected).
    warnings: Mapped[list[Any]] = mapped_column(default=list, server_default=sa.text("'[]'"))
    # The detectors' rules (versions and configuration) it ran under, a fingerprint
    # (riskgraph.detectors.rules_digest); None for runs recorded before it was kept.
    rules_digest: Mapped[str | None] = mapped_column(sa.String(16))
    # How much it was asked to check: None the whole graph, else the size of its scope
    # (cadres, or projects for a detector scoped by entities); 0 means the import
    # re-check found nothing it reads written, so it read nothing.
    scope_size: Mapped[int | None]
    # Why the sweep ran as it did (the re-check after an import: its plan).
    note: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (sa.Index(None, "detector", "started_at"),)

    def __repr__(self) -> str:
        return f"<Run {self.id} {self.detector} {self.status}>"
