"""The stored post risk ranking: ``post_rankings`` (one row per storing) and
``post_scores`` (a row per post whose stored values changed; see the models).

``store_ranking`` writes a sweep's ranking as its changes against the current one: a
new row for each post scored differently (or new), the replaced row marked, a post gone
retired. For a ranking the re-check after an import derived from the current one
(``Base``: that ranking and the posts it rescored), only the rescored posts are
compared; every other post is as stored.

``last_ranking`` reads the current ranking back. The process keeps a copy of the last
ranking it stored or read, per store engine, and uses it only while the store's latest
storing is still that one: a ranking stored by another process is read from the store.
``ranked`` is the current ranking (or an earlier one) as a statement, with each post's
rank, for pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from riskgraph.postrisk import Factor, PostFacts, Scored
from riskgraph.store import PostRanking, PostScore, session_scope

# Post ids per statement when marking replaced rows (inside every database's limit).
CHUNK = 500
# The rank order of ``riskgraph.postrisk.rank_posts``: score, high first, then post id.
RANK_ORDER = (PostScore.score.desc(), PostScore.post_id)

Mark = tuple                         # the latest storing's id and sweep id; () for none


@dataclass(frozen=True)
class Stored:
    sweep_id: str
    ranking: list[Scored]
    mark: Mark = ()


@dataclass(frozen=True)
class Base:
    """What an incremental ranking was derived from: the stored ranking ``last``, with
    the posts of ``rescored`` scored again (every other post kept as stored)."""

    last: Stored
    rescored: frozenset[str]


_copies: WeakKeyDictionary[sa.Engine, tuple[Mark, list[Scored]]] = WeakKeyDictionary()


def _engine(session: Session) -> sa.Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, sa.Engine) else bind.engine


def _latest(session: Session) -> tuple[sa.Row | None, Mark]:
    """The latest storing (id, sweep id, as_of), and its mark."""
    row = session.execute(sa.select(PostRanking.id, PostRanking.sweep_id, PostRanking.as_of)
                          .order_by(PostRanking.id.desc()).limit(1)).first()
    return row, ((row.id, row.sweep_id) if row is not None else ())


def ranked(at: int | None = None) -> sa.Subquery:
    """The ranking of the storing ``at`` (a ``PostRanking`` id; default: the current
    ranking): each post's row then, with its ``rank``."""
    live = PostScore.replaced_by.is_(None)
    if at is not None:
        live = sa.and_(PostScore.ranking_id <= at, sa.or_(live, PostScore.replaced_by > at))
    return (sa.select(PostScore, sa.func.row_number().over(order_by=RANK_ORDER).label("rank"))
            .where(live).subquery("ranked"))


def _current(session: Session, mark: Mark) -> list[Scored]:
    """The current ranking of the storing ``mark``: the process's copy, or read."""
    if not mark:
        return []
    engine = _engine(session)
    copy = _copies.get(engine)
    if copy is not None and copy[0] == mark:
        return copy[1]
    rows = session.execute(
        sa.select(PostScore.post_id, PostScore.post_name, PostScore.org_id, PostScore.org_name,
                  PostScore.holder_id, PostScore.holder_name, PostScore.tenure, PostScore.score,
                  PostScore.factors, PostScore.level)
        .where(PostScore.replaced_by.is_(None)).order_by(*RANK_ORDER)).all()
    ranking = [Scored(PostFacts(r.post_id, r.post_name, r.org_id, r.org_name,
                                holder_id=r.holder_id, holder_name=r.holder_name,
                                tenure=dict(r.tenure or {})),
                      r.score, [Factor(**f) for f in r.factors or ()], rank, r.level)
               for rank, r in enumerate(rows, 1)]
    _copies[engine] = (mark, ranking)
    return ranking


def last_ranking(session: Session, as_of: date) -> Stored | None:
    """The current ranking, when its latest storing scored the same day ``as_of``; None
    otherwise. Treat it as read-only (it may be the process's copy)."""
    # A later run may have had nothing to rescore (the batches wrote nothing the score
    # reads) and stored no ranking: the last stored one still holds.
    latest, mark = _latest(session)
    if latest is None or latest.as_of != as_of:
        return None
    return Stored(latest.sweep_id, _current(session, mark), mark)


def _values(s: Scored) -> tuple:
    """What a row stores of ``s`` but its rank."""
    p = s.post
    return (p.post_name, p.org_id, p.org_name, p.holder_id, p.holder_name, s.score, s.level,
            s.factors, p.tenure)


def store_ranking(sessions: sessionmaker[Session], sweep_id: str, as_of: date,
                  ranking: list[Scored], base: Base | None = None) -> None:
    """Store ``ranking`` (scored on ``as_of``, in rank order) as the current one; see
    the module docstring for ``base``."""
    with session_scope(sessions) as session:
        _, mark = _latest(session)
        before = {s.post.post_id: s for s in _current(session, mark)}
        # With a base read as the current ranking, the others are its very rows.
        only = base.rescored if base is not None and base.last.mark == mark else None
        changed = [s for s in ranking if (only is None or s.post.post_id in only)
                   and ((old := before.get(s.post.post_id)) is None or _values(old) != _values(s))]
        ids = {s.post.post_id for s in ranking}
        gone = (before.keys() if only is None else only & before.keys()) - ids
        record = PostRanking(sweep_id=sweep_id, as_of=as_of, posts=len(ranking),
                             written=len(changed), retired=len(gone))
        session.add(record)
        session.flush()
        replaced = sorted({s.post.post_id for s in changed} & before.keys() | gone)
        for i in range(0, len(replaced), CHUNK):
            session.execute(sa.update(PostScore)
                            .where(PostScore.replaced_by.is_(None),
                                   PostScore.post_id.in_(replaced[i:i + CHUNK]))
                            .values(replaced_by=record.id))
        if changed:
            session.execute(sa.insert(PostScore), [row(record.id, s) for s in changed])
        stored, engine = (record.id, sweep_id), _engine(session)
    _copies[engine] = (stored, ranking)        # once committed


def row(ranking_id: int, s: Scored) -> dict[str, Any]:
    p = s.post
    return {"ranking_id": ranking_id, "post_id": p.post_id, "post_name": p.post_name,
            "org_id": p.org_id, "org_name": p.org_name, "holder_id": p.holder_id,
            "holder_name": p.holder_name, "score": s.score, "level": s.level,
            "factors": [f.as_dict() for f in s.factors], "tenure": p.tenure}
