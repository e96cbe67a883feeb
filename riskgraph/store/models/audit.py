"""The audit log: who viewed, changed or exported what, and who signed in. Append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from riskgraph.store.base import ID, AppendOnly, Base, utcnow


class AuditEntry(AppendOnly, Base):
    """One audited action. ``username`` is copied so the entry reads without a join
    (and records failed sign-ins for names that have no account: ``user_id`` NULL).
    ``action``: view, change, export, login, login_failed, logout, ... (open list)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(32))
    object_type: Mapped[str | None] = mapped_column(sa.String(64))
    object_id: Mapped[str | None] = mapped_column(sa.String(128))
    detail: Mapped[dict[str, Any] | None]
    ip: Mapped[str | None] = mapped_column(sa.String(45))   # fits IPv6 text

    __table_args__ = (
        sa.Index(None, "object_type", "object_id"),
        sa.Index(None, "user_id", "at"),
    )
