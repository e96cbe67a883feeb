"""Integrity-opinion requests (党风廉政意见回复) for promotion candidates.

The organisation department sends a batch of candidates; the discipline side drafts a
result per candidate (the system may pre-fill it from open findings), then signs a
final result. A confirmed "two-faced" finding is a one-vote veto (一票否决): it must
block ``no_objection`` (enforced by the service that signs, not here).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgraph.store.base import ID, Base, enum_type, utcnow
from riskgraph.store.vocab import IntegrityResult


class IntegrityBatch(Base):
    __tablename__ = "integrity_batches"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(255))
    requesting_org: Mapped[str] = mapped_column(sa.String(128))   # org id or name
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_date: Mapped[date | None]

    replies: Mapped[list[IntegrityReply]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", passive_deletes=True,
        order_by="IntegrityReply.id",
    )


class IntegrityReply(Base):
    """The opinion on one candidate. ``reasons``: [{"finding_id": .., "text": ..}, ...]."""

    __tablename__ = "integrity_replies"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("integrity_batches.id", ondelete="CASCADE")
    )
    person_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(128))
    draft_result: Mapped[IntegrityResult | None] = mapped_column(
        enum_type(IntegrityResult, "draft_result")
    )
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    final_result: Mapped[IntegrityResult | None] = mapped_column(
        enum_type(IntegrityResult, "final_result")
    )
    signed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    batch: Mapped[IntegrityBatch] = relationship(back_populates="replies")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.UniqueConstraint("batch_id", "person_id"),)
