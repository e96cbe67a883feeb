"""The import ledger in the application-state store: one ImportBatch per imported file,
with its rejected rows and likely duplicates."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from riskgraph.ingest.rows import Rejection
from riskgraph.ingest.runner import FileReport
from riskgraph.store import ImportBatch, ImportDuplicate, ImportRejection, session_scope, utcnow
from riskgraph.store.vocab import ImportStatus
from riskgraph.values import native


class StoreLedger:
    def __init__(self, sessions: sessionmaker[Session], user: str | None = None):
        self.sessions = sessions
        self.user = user

    def completed_batch(self, sha256: str) -> str | None:
        with session_scope(self.sessions) as s:
            return s.scalar(sa.select(ImportBatch.id).where(
                ImportBatch.sha256 == sha256, ImportBatch.status == ImportStatus.DONE).limit(1))

    def begin(self, report: FileReport) -> None:
        """Open (or, for a forced or interrupted re-import, reopen) the batch record."""
        with session_scope(self.sessions) as s:
            s.execute(sa.delete(ImportRejection).where(ImportRejection.batch_id == report.batch_id))
            s.execute(sa.delete(ImportDuplicate).where(ImportDuplicate.batch_id == report.batch_id))
            batch = s.get(ImportBatch, report.batch_id) or ImportBatch(id=report.batch_id)
            batch.path = str(report.path.resolve())
            batch.file_name = report.path.name
            batch.sha256 = report.sha256
            batch.template = report.template
            batch.started_at, batch.finished_at = utcnow(), None
            batch.status = ImportStatus.RUNNING
            batch.rows_read = batch.rows_written = batch.rows_rejected = batch.duplicates_reported = 0
            batch.user, batch.error = self.user, None
            s.add(batch)

    def add_rejections(self, batch_id: str, rejections: list[Rejection]) -> None:
        with session_scope(self.sessions) as s:
            s.add_all(ImportRejection(batch_id=batch_id, row=r.row, field=r.field or None,
                                      value=r.value, reason=r.reason) for r in rejections)

    def add_duplicates(self, batch_id: str, duplicates: list[dict]) -> None:
        with session_scope(self.sessions) as s:
            s.add_all(ImportDuplicate(batch_id=batch_id, row=d["row"], person_id=d["id"],
                                      other_id=d["other_id"], name=d["name"],
                                      birth_date=native(d["birth_date"])) for d in duplicates)

    def finish(self, report: FileReport) -> None:
        with session_scope(self.sessions) as s:
            batch = s.get(ImportBatch, report.batch_id)
            batch.finished_at = utcnow()
            batch.status = ImportStatus.DONE if report.status == "done" else ImportStatus.FAILED
            batch.rows_read, batch.rows_written = report.rows_read, report.written
            batch.rows_rejected, batch.duplicates_reported = report.rejected, report.duplicates
            batch.error = report.error

