"""The record of every file import: the batch, rejected rows and likely duplicates."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from riskgraph.store.base import ID, Base, enum_type, utcnow
from riskgraph.store.vocab import ImportStatus

# Rejected values are kept for the report, not as data: long cells are cut.
MAX_REJECTED_VALUE = 500


class ImportBatch(Base):
    """One imported file. ``id`` is the batch id the importer stamps on graph data."""

    __tablename__ = "import_batches"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    path: Mapped[str] = mapped_column(sa.Text)
    file_name: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    template: Mapped[str | None] = mapped_column(sa.String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[ImportStatus] = mapped_column(
        enum_type(ImportStatus, "status"), default=ImportStatus.RUNNING
    )
    rows_read: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    rows_written: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    rows_rejected: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    duplicates_reported: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    user: Mapped[str | None] = mapped_column(sa.String(64))
    error: Mapped[str | None] = mapped_column(sa.Text)

    rejections: Mapped[list[ImportRejection]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ImportRejection.id"
    )
    duplicates: Mapped[list[ImportDuplicate]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ImportDuplicate.id"
    )


class ImportRejection(Base):
    """A row (or one field of it) the importer refused, and why."""

    __tablename__ = "import_rejections"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    batch_id: Mapped[str] = mapped_column(
        sa.ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    row: Mapped[int]
    field: Mapped[str | None] = mapped_column(sa.String(128))
    value: Mapped[str | None] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.Text)

    batch: Mapped[ImportBatch] = relationship(back_populates="rejections")

    @validates("value")
    def _truncate(self, _key: str, value: str | None) -> str | None:
        if value is not None and len(value) > MAX_REJECTED_VALUE:
            return value[: MAX_REJECTED_VALUE - 1] + "…"
        return value


class ImportDuplicate(Base):
    """A person in the file that looks like another person already known."""

    __tablename__ = "import_duplicates"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    batch_id: Mapped[str] = mapped_column(
        sa.ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    row: Mapped[int]
    person_id: Mapped[str] = mapped_column(sa.String(64))
    other_id: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str | None] = mapped_column(sa.String(128))
    birth_date: Mapped[date | None]

    batch: Mapped[ImportBatch] = relationship(back_populates="duplicates")
