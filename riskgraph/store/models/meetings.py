"""Joint organisation–discipline consultation meetings (组织部门与纪检监察机关会商).

A meeting is drafted, circulated, held and signed by both sides; once both have
signed, ``locked`` is set and items no longer change. Later corrections are
``MeetingEntry`` rows (append-only), so the signed record is never rewritten.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgraph.store.base import ID, AppendOnly, Base, enum_type, utcnow
from riskgraph.store.vocab import MeetingItemKind, MeetingStatus


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(255))
    date: Mapped[dt.date]
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus, "status"), default=MeetingStatus.DRAFT
    )
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    org_signed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    org_signed_at: Mapped[dt.datetime | None]
    discipline_signed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    discipline_signed_at: Mapped[dt.datetime | None]
    locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )
    items: Mapped[list[MeetingItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True,
        order_by="MeetingItem.position",
    )
    entries: Mapped[list[MeetingEntry]] = relationship(
        back_populates="meeting", order_by="MeetingEntry.id", passive_deletes="all"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index(None, "date"),)


class MeetingParticipant(Base):
    """Who attends. ``user_id`` is NULL for people without an account."""

    __tablename__ = "meeting_participants"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(sa.String(128))
    unit: Mapped[str | None] = mapped_column(sa.String(128))
    side: Mapped[str | None] = mapped_column(sa.String(32))   # organisation / discipline

    meeting: Mapped[Meeting] = relationship(back_populates="participants")


class MeetingItem(Base):
    """One case on the agenda: a finding, a cadre or a saved investigation (``ref_id``)."""

    __tablename__ = "meeting_items"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MeetingItemKind] = mapped_column(enum_type(MeetingItemKind, "kind"))
    ref_id: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    org_opinion: Mapped[str | None] = mapped_column(sa.Text)
    discipline_opinion: Mapped[str | None] = mapped_column(sa.Text)
    decision: Mapped[str | None] = mapped_column(sa.Text)
    owner: Mapped[str | None] = mapped_column(sa.String(128))    # who follows it up
    due_date: Mapped[dt.date | None]
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    meeting: Mapped[Meeting] = relationship(back_populates="items")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index(None, "kind", "ref_id"),)


class MeetingEntry(AppendOnly, Base):
    """A note or amendment added after sign-off. Append-only."""

    __tablename__ = "meeting_entries"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting_items.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any] | None]

    meeting: Mapped[Meeting] = relationship(back_populates="entries")
