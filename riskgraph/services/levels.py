"""What the pages show of the warning levels (``riskgraph.levels`` stores them as
changes): the view of the former scheme, which stored a row per cadre on watch per
sweep. "The latest sweep" is the newest level update that had cadres on watch; its
cadres are the current rows plus the cadres that sweep returned to a clean green."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.store import LevelUpdate, WarningLevel
from riskgraph.store.vocab import Colour


def latest_sweep(session: Session) -> str | None:
    """"The latest sweep" of the pages: the newest level update with cadres on watch
    (None before the first)."""
    return session.scalar(sa.select(LevelUpdate.sweep_id).where(LevelUpdate.watched > 0)
                          .order_by(LevelUpdate.id.desc()).limit(1))


def _returned(sweep_id: str):
    """The cadres ``sweep_id`` returned to a clean green (its rows that are not current)."""
    return sa.select(WarningLevel.person_id).where(
        WarningLevel.sweep_id == sweep_id, WarningLevel.current.is_(False),
        WarningLevel.level == Colour.GREEN)


def latest_levels(session: Session) -> tuple[str | None, dict[str, Colour]]:
    """The latest sweep and its cadres' levels: every current row, and the cadres that
    sweep returned to a clean green."""
    sweep = latest_sweep(session)
    if sweep is None:
        return None, {}
    levels = {person: Colour(level) for person, level in session.execute(
        sa.select(WarningLevel.person_id, WarningLevel.level)
        .where(WarningLevel.current.is_(True)).order_by(WarningLevel.id))}
    for person in session.scalars(_returned(sweep)):
        levels.setdefault(person, Colour.GREEN)
    return sweep, levels


def cadres_of_colour(session: Session, colour: str):
    """A statement selecting the ids of the latest sweep's cadres of ``colour``."""
    current = sa.select(WarningLevel.person_id).where(WarningLevel.current.is_(True),
                                                      WarningLevel.level == colour)
    sweep = latest_sweep(session) if colour == Colour.GREEN else None
    if sweep is None:
        return current
    return sa.union(current, _returned(sweep))
