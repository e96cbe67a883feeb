"""Saved link investigations: a graph an inspector assembled and wants to keep."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from riskgraph.store.base import ID, Base, utcnow


class Investigation(Base):
    """``graph`` holds {"nodes": [ids], "edges": [...], "query": {params}, "layout": ...}:
    our own node keys, never database element ids."""

    __tablename__ = "investigations"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(255))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    graph: Mapped[dict[str, Any]] = mapped_column(default=dict)
    finding_id: Mapped[int | None] = mapped_column(sa.ForeignKey("findings.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
