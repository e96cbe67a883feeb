"""High-risk post scores (高风险岗位): one row per post and sweep, with each factor's
contribution, so the ranking of any sweep can be shown and explained later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from riskgraph.store.base import ID, Base, utcnow


class PostScore(Base):
    __tablename__ = "post_scores"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    sweep_id: Mapped[str] = mapped_column(sa.String(64))
    post_id: Mapped[str] = mapped_column(sa.String(64))
    post_name: Mapped[str] = mapped_column(sa.String(255))
    org_id: Mapped[str] = mapped_column(sa.String(64))
    org_name: Mapped[str] = mapped_column(sa.String(255))
    holder_id: Mapped[str | None] = mapped_column(sa.String(64))
    holder_name: Mapped[str | None] = mapped_column(sa.String(128))
    score: Mapped[float]
    rank: Mapped[int]
    level: Mapped[str | None] = mapped_column(sa.String(32))   # e.g. "high" over the line
    # [{"factor": "tenure", "label": "任职年限", "value": 6.2, "points": 18.0,
    #   "detail": "..."}, ...]
    factors: Mapped[list[Any]] = mapped_column(default=list)
    # {"started": "2019-03-01", "years": 6.8, "limit_years": 5, "overdue": true, ...}
    tenure: Mapped[dict[str, Any]] = mapped_column(default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Rows are read by sweep only (its ranking, in rank order; the pages filter that by
    # organisation or holder): each further index would be written for every post at
    # every sweep and re-check.
    __table_args__ = (sa.Index(None, "sweep_id", "rank"),)

    def __repr__(self) -> str:
        return f"<PostScore {self.post_id} {self.score:.1f} #{self.rank}>"
