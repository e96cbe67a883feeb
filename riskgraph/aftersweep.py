"""What follows every sweep, whoever started it (the CLI, the scheduler, an import):
store the high-risk post ranking (when the sweep ran ``post_risk``, which computes it)
and update the cadres' three-colour warning levels.

Both read the findings the sweep just wrote, so they run after it, in this order."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from riskgraph.store import session_scope
from riskgraph.sweep import SweepResult


@dataclass
class AfterSweep:
    ranking: list[Any] | None   # riskgraph.postrisk.Scored, best first; None: not scored
    levels: Any             # riskgraph.levels.LevelSummary
    ranking_seconds: float = 0.0    # storing the ranking


def finish_sweep(sessions: sessionmaker[Session], result: SweepResult) -> AfterSweep:
    from riskgraph.detectors.post_risk import RANKING, RANKING_BASE
    from riskgraph.levels import update_levels
    from riskgraph.poststore import store_ranking

    started = time.perf_counter()
    ranking = result.shared.get(RANKING)
    if ranking is not None:
        store_ranking(sessions, result.sweep_id, result.as_of, ranking,
                      result.shared.get(RANKING_BASE))
    stored = time.perf_counter() - started
    with session_scope(sessions) as session:
        levels = update_levels(session, result.sweep_id)
    return AfterSweep(ranking, levels, stored)
