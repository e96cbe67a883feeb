"""High-risk post scores (高风险岗位), stored as changes.

Each storing of a ranking is a ``PostRanking``; it writes a ``PostScore`` row (with each
factor's contribution) only for a post whose stored values changed, and marks the row
it replaces (``replaced_by``). The current ranking is the rows not replaced, ordered by
score and then post id (the rank is derived when read: a post that moves does not
rewrite every row below it); the ranking of any earlier storing R is the rows with
``ranking_id <= R`` not replaced by then, so it can still be shown and explained."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from riskgraph.store.base import ID, Base, utcnow


class PostRanking(Base):
    """One storing of the post ranking: the sweep that scored it, the day it scored
    (``as_of``: tenure reads it), how many posts it ranked and how many rows it wrote
    (posts scored differently from before, or new) or retired (posts gone)."""

    __tablename__ = "post_rankings"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    sweep_id: Mapped[str] = mapped_column(sa.String(64))
    as_of: Mapped[date]
    posts: Mapped[int]
    written: Mapped[int]
    retired: Mapped[int] = mapped_column(default=0)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostScore(Base):
    __tablename__ = "post_scores"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    ranking_id: Mapped[int] = mapped_column(ID, sa.ForeignKey("post_rankings.id"))
    # The ranking that wrote the post's next row or found the post gone; None: current.
    replaced_by: Mapped[int | None] = mapped_column(ID)
    post_id: Mapped[str] = mapped_column(sa.String(64))
    post_name: Mapped[str] = mapped_column(sa.String(255))
    org_id: Mapped[str] = mapped_column(sa.String(64))
    org_name: Mapped[str] = mapped_column(sa.String(255))
    holder_id: Mapped[str | None] = mapped_column(sa.String(64))
    holder_name: Mapped[str | None] = mapped_column(sa.String(128))
    score: Mapped[float]
    level: Mapped[str | None] = mapped_column(sa.String(32))   # e.g. "high" over the line
    # [{"factor": "tenure", "label": "任职年限", "value": 6.2, "points": 18.0,
    #   "detail": "..."}, ...]
    factors: Mapped[list[Any]] = mapped_column(default=list)
    # {"started": "2019-03-01", "years": 6.8, "limit_years": 5, "overdue": true, ...}
    tenure: Mapped[dict[str, Any]] = mapped_column(default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    # The current rows (replaced_by NULL), and a post's current row when replacing it.
    __table_args__ = (sa.Index(None, "replaced_by", "post_id"),)

    def __repr__(self) -> str:
        return f"<PostScore {self.post_id} {self.score:.1f}>"
