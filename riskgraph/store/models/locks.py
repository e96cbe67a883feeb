"""Named leases: a process holds ``name`` until ``expires_at`` and renews it while it
works (the scheduler's lock, so two scheduler processes never run the same jobs)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from riskgraph.store.base import Base, utcnow


class Lease(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(128))       # host:pid:uuid
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<Lease {self.name} by {self.holder} until {self.expires_at}>"
