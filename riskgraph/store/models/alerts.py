"""Warning levels per cadre, and the alerts raised from findings and level changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgraph.store.base import ID, Base, enum_type, utcnow
from riskgraph.store.vocab import AlertKind, Channel, Colour, DeliveryStatus, Severity


class WarningLevel(Base):
    """A cadre's three-colour level from one sweep on, with its reasons.

    Rows are a history of changes: a cadre gets a new row when their level or its
    reasons differ from their newest row (see ``riskgraph.levels``). ``previous`` is the
    level the row replaced (green when the cadre had none); ``current`` marks the newest
    row of a cadre who is on watch (a colour other than green, or open findings listed),
    so the present levels are the ``current`` rows and every other cadre is green
    without open findings.
    """

    __tablename__ = "warning_levels"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(64))
    sweep_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    level: Mapped[Colour] = mapped_column(enum_type(Colour, "level"))
    # [{"finding_id": 1, "severity": "high", "title": "..."}, ...]
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous: Mapped[Colour] = mapped_column(enum_type(Colour, "previous"),
                                             default=Colour.GREEN, server_default="green")
    current: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    __table_args__ = (sa.Index(None, "person_id", "computed_at"),
                      sa.Index(None, "current", "computed_at"))


class LevelUpdate(Base):
    """One computation of the warning levels (after a sweep): how many cadres were on
    watch (had open findings, or just returned to a clean green) and how many rows it
    wrote. The newest update with cadres on watch is "the latest sweep" of the pages."""

    __tablename__ = "level_updates"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    sweep_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    watched: Mapped[int]
    written: Mapped[int]


class Alert(Base):
    """Something a person should be told about. ``dedupe_key`` makes raising idempotent
    (e.g. ``new_finding:<finding id>`` or ``level_rise:<person>:<sweep>``)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    finding_id: Mapped[int | None] = mapped_column(sa.ForeignKey("findings.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    kind: Mapped[AlertKind] = mapped_column(enum_type(AlertKind, "kind"))
    severity: Mapped[Severity] = mapped_column(enum_type(Severity, "severity"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)

    deliveries: Mapped[list[AlertDelivery]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", passive_deletes=True
    )


class AlertDelivery(Base):
    """One channel's attempt(s) to deliver an alert to one target (user id, URL, address)."""

    __tablename__ = "alert_deliveries"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    alert_id: Mapped[int] = mapped_column(sa.ForeignKey("alerts.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, "channel"))
    target: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_type(DeliveryStatus, "status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    delivered_at: Mapped[datetime | None]

    alert: Mapped[Alert] = relationship(back_populates="deliveries")

    __table_args__ = (
        sa.UniqueConstraint("alert_id", "channel", "target"),
        sa.Index(None, "status", "channel"),
    )


class InboxItem(Base):
    """An alert in one user's in-app inbox."""

    __tablename__ = "inbox_items"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    alert_id: Mapped[int] = mapped_column(sa.ForeignKey("alerts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    alert: Mapped[Alert] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("alert_id", "user_id"),
        sa.Index(None, "user_id", "read_at"),
    )
