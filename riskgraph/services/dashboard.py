"""The dashboard's numbers, all within the user's `Scope`: warning colours of the latest
sweep, open findings per detector, findings new since the last visit, the trend over
sweeps and the top high-risk posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.access import Scope
from riskgraph.poststore import ranked
from riskgraph.services.findings import OPEN_STATUSES, in_scope
from riskgraph.services.levels import latest_levels
from riskgraph.store import Finding, Run, WarningLevel
from riskgraph.store.vocab import Colour, DataStatus

TREND_SWEEPS = 12
TOP_POSTS = 10


@dataclass
class Dashboard:
    colours: dict[str, int]
    sweep_id: str | None
    by_detector: list[tuple[str, int]]
    new_since: int
    last_seen: datetime | None
    trend: list[dict] = field(default_factory=list)
    top_posts: list[sa.Row] = field(default_factory=list)   # latest_post_scores
    open_total: int = 0


def colour_counts(session: Session, scope: Scope) -> tuple[str | None, dict[str, int]]:
    """Cadres per colour in the latest sweep's warning levels (zeros when none)."""
    counts = {c.value: 0 for c in Colour}
    sweep, levels = latest_levels(session)
    for person_id, level in levels.items():
        if scope.everything or scope.has_cadre(person_id):
            counts[str(level)] = counts.get(str(level), 0) + 1
    return sweep, counts


def _post_scores(scope: Scope):
    """The statement for the current post ranking within ``scope`` (each row with its
    rank in the whole ranking), and the subquery it selects from."""
    r = ranked()
    stmt = sa.select(r)
    if not scope.everything:
        stmt = stmt.where(sa.or_(r.c.org_id.in_(sorted(scope.org_ids)),
                                 r.c.holder_id.in_(sorted(scope.cadre_ids)))
                          if scope.by_org else r.c.holder_id.in_(sorted(scope.cadre_ids)))
    return stmt, r


def latest_post_scores(session: Session, scope: Scope, limit: int | None = None,
                       offset: int = 0) -> list[sa.Row]:
    """The current post ranking within ``scope``, in rank order (rows of ``PostScore``'s
    columns and ``rank``)."""
    stmt, r = _post_scores(scope)
    stmt = stmt.order_by(r.c.rank).offset(offset)
    if limit:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt))


def post_score_page(session: Session, scope: Scope, page: int, per_page: int,
                    most: int) -> tuple[list[sa.Row], int]:
    """One page of the ranking (the top ``most`` posts at most) and how many there are."""
    stmt, _ = _post_scores(scope)
    total = min(most, session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())))
    offset = (page - 1) * per_page
    rows = latest_post_scores(session, scope, max(0, min(per_page, total - offset)), offset) \
        if offset < total else []
    return rows, total


def trend(session: Session, scope: Scope, sweeps: int = TREND_SWEEPS) -> list[dict]:
    """Per recent sweep: its date and the in-scope findings first seen in it."""
    recent = session.execute(
        sa.select(Run.sweep_id, sa.func.min(Run.started_at).label("at"))
        .group_by(Run.sweep_id).order_by(sa.desc("at")).limit(sweeps)).all()
    # one grouped count for all of them, not one query per sweep
    counts = dict(session.execute(
        sa.select(Run.sweep_id, sa.func.count(Finding.id))
        .join(Finding, Finding.first_seen_run_id == Run.id)
        .where(Run.sweep_id.in_([sweep_id for sweep_id, _ in recent]), in_scope(scope))
        .group_by(Run.sweep_id)).all())
    return [{"sweep_id": sweep_id, "at": at, "new": counts.get(sweep_id, 0)}
            for sweep_id, at in reversed(recent)]


def dashboard(session: Session, scope: Scope, last_seen: datetime | None) -> Dashboard:
    sweep, colours = colour_counts(session, scope)
    open_present = sa.and_(in_scope(scope), Finding.data_status == DataStatus.PRESENT,
                           Finding.review_status.in_(OPEN_STATUSES))
    by_detector = session.execute(
        sa.select(Finding.detector, sa.func.count(Finding.id)).where(open_present)
        .group_by(Finding.detector).order_by(Finding.detector)).all()
    new_cond = [in_scope(scope), Finding.data_status == DataStatus.PRESENT]
    if last_seen:
        new_cond.append(Finding.created_at > last_seen)
    new_since = session.scalar(sa.select(sa.func.count(Finding.id)).where(*new_cond)) or 0
    return Dashboard(colours=colours, sweep_id=sweep,
                     by_detector=[(d, n) for d, n in by_detector], new_since=new_since,
                     last_seen=last_seen, trend=trend(session, scope),
                     top_posts=latest_post_scores(session, scope, TOP_POSTS),
                     open_total=sum(n for _, n in by_detector))


def cadre_levels(session: Session, person_id: str) -> list[WarningLevel]:
    """A cadre's warning-level history, newest first."""
    return list(session.scalars(sa.select(WarningLevel).where(WarningLevel.person_id == person_id)
                                .order_by(WarningLevel.computed_at.desc())))
