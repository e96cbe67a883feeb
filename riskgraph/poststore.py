"""The stored post risk ranking (``post_scores``: one set of rows per sweep).

``store_ranking`` writes a sweep's ranking: every row, or — for a ranking the re-check
after an import derived from the last stored one (``Base``: that ranking and the posts
it rescored) — the rows of the posts neither rescored nor moved (same rank and level)
copied inside the store, the others inserted. Either way the sweep's rows are the
ranking, row for row.

``last_ranking`` reads the last stored ranking back. The process keeps a copy of the
last ranking it stored or read, per store engine, and uses it only while the store's
last ranking is still that very set of rows (same sweep, same number of rows, same
newest row id and write time; rows are only ever written whole, here): a ranking stored
by another process, or stored again, is read from the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from riskgraph.postrisk import Factor, PostFacts, Scored
from riskgraph.store import PostScore, Run, session_scope, utcnow
from riskgraph.store.vocab import RunStatus

# Above this many rescored posts the ranking is written whole (the copy's NOT IN list
# stays well inside every database's parameter limit).
COPY_LIMIT = 5000


Mark = tuple                         # sweep id, rows, newest row id, latest computed_at


@dataclass(frozen=True)
class Stored:
    sweep_id: str
    ranking: list[Scored]
    mark: Mark = ()                  # of its rows when read


@dataclass(frozen=True)
class Base:
    """What an incremental ranking was derived from: the stored ranking ``last``, with
    the posts of ``rescored`` scored again (every other row kept as stored)."""

    last: Stored
    rescored: frozenset[str]

    @property
    def sweep_id(self) -> str:
        return self.last.sweep_id
_copies: WeakKeyDictionary[sa.Engine, tuple[Mark, list[Scored]]] = WeakKeyDictionary()


def _mark(session: Session, sweep_id: str) -> Mark:
    # Row ids alone may come back (SQLite reuses the highest ids after a delete); the
    # rows' write times do not.
    count, newest, written = session.execute(
        sa.select(sa.func.count(PostScore.id), sa.func.max(PostScore.id),
                  sa.func.max(PostScore.computed_at))
        .where(PostScore.sweep_id == sweep_id)).one()
    return sweep_id, int(count), int(newest or 0), written


def _engine(session: Session) -> sa.Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, sa.Engine) else bind.engine


def last_ranking(session: Session, as_of: date) -> Stored | None:
    """The ranking stored by the last successful post_risk run that stored one, when it
    scored the same day ``as_of``; None otherwise. Treat it as read-only (it may be
    the process's copy)."""
    # A later run may have had nothing to rescore (the batches wrote nothing the score
    # reads) and stored no ranking: the last stored one still holds.
    run = session.execute(
        sa.select(Run.sweep_id, Run.as_of).where(
            Run.detector == "post_risk", Run.status == RunStatus.SUCCEEDED,
            sa.exists().where(PostScore.sweep_id == Run.sweep_id))
        .order_by(Run.started_at.desc(), Run.id.desc()).limit(1)).first()
    if run is None or run.as_of != as_of:
        return None
    mark = _mark(session, run.sweep_id)
    engine = _engine(session)
    copy = _copies.get(engine)
    if copy is not None and copy[0] == mark:
        return Stored(run.sweep_id, copy[1], mark)
    cols = (PostScore.post_id, PostScore.post_name, PostScore.org_id, PostScore.org_name,
            PostScore.holder_id, PostScore.holder_name, PostScore.tenure, PostScore.score,
            PostScore.factors, PostScore.rank, PostScore.level)
    rows = session.execute(sa.select(*cols).where(PostScore.sweep_id == run.sweep_id)
                           .order_by(PostScore.rank, PostScore.post_id)).all()
    ranking = [Scored(PostFacts(r.post_id, r.post_name, r.org_id, r.org_name,
                                holder_id=r.holder_id, holder_name=r.holder_name,
                                tenure=dict(r.tenure or {})),
                      r.score, [Factor(**f) for f in r.factors or ()], r.rank, r.level)
               for r in rows]
    _copies[engine] = (mark, ranking)
    return Stored(run.sweep_id, ranking, mark)


def store_ranking(sessions: sessionmaker[Session], sweep_id: str, ranking: list[Scored],
                  base: Base | None = None) -> None:
    """Store ``ranking`` under ``sweep_id`` (replacing an earlier ranking of the same
    sweep); see the module docstring for ``base``."""
    with session_scope(sessions) as session:
        session.execute(sa.delete(PostScore).where(PostScore.sweep_id == sweep_id))
        mark = None
        if base is not None and base.sweep_id != sweep_id:
            mark = _copy(session, sweep_id, ranking, base)
        if mark is None:
            session.execute(sa.insert(PostScore), [row(sweep_id, s) for s in ranking])
            mark = _mark(session, sweep_id)
        _copies[_engine(session)] = (mark, ranking)


def _copy(session: Session, sweep_id: str, ranking: list[Scored], base: Base) -> Mark | None:
    """Write ``ranking`` as ``base``'s rows copied inside the store — but for the posts
    rescored or moved (another rank or level), inserted — and return the mark of the
    rows written; None (nothing written) when the base's rows are no longer the
    ranking they were read as."""
    before = {s.post.post_id: (s.rank, s.level) for s in base.last.ranking}
    changed = [s for s in ranking if s.post.post_id in base.rescored
               or before.get(s.post.post_id) != (s.rank, s.level)]
    names = {s.post.post_id for s in changed} | base.rescored
    if len(names) > COPY_LIMIT or _mark(session, base.sweep_id) != base.last.mark:
        return None
    t = PostScore.__table__
    cols = [c for c in t.c if c.name not in ("id", "sweep_id", "computed_at")]
    kept = (sa.select(sa.literal(sweep_id, sa.String()), sa.literal(utcnow(), sa.DateTime()), *cols)
            .where(t.c.sweep_id == base.sweep_id, t.c.post_id.not_in(sorted(names))))
    session.execute(t.insert().from_select(["sweep_id", "computed_at", *(c.name for c in cols)], kept))
    if changed:
        session.execute(sa.insert(PostScore), [row(sweep_id, s) for s in changed])
    # The kept posts are the base's others (postdelta.ranking_after): the count confirms.
    mark = _mark(session, sweep_id)
    if mark[1] != len(ranking):
        session.execute(sa.delete(PostScore).where(PostScore.sweep_id == sweep_id))
        return None
    return mark


def row(sweep_id: str, s: Scored) -> dict[str, Any]:
    p = s.post
    return {"sweep_id": sweep_id, "post_id": p.post_id, "post_name": p.post_name,
            "org_id": p.org_id, "org_name": p.org_name, "holder_id": p.holder_id,
            "holder_name": p.holder_name, "score": s.score, "rank": s.rank, "level": s.level,
            "factors": [f.as_dict() for f in s.factors], "tenure": p.tenure}
