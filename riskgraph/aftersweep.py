"""What follows every sweep, whoever started it (the CLI, the scheduler, an import):
store the high-risk post ranking (when the sweep ran ``post_risk``, which computes it)
and update the cadres' three-colour warning levels.

Both read the findings the sweep just wrote, so they run after it, in this order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from riskgraph.store import session_scope
from riskgraph.sweep import SweepResult


@dataclass
class AfterSweep:
    ranking: list[Any] | None   # riskgraph.postrisk.Scored, best first; None: not scored
    levels: Any             # riskgraph.levels.LevelSummary


def finish_sweep(sessions: sessionmaker[Session], result: SweepResult) -> AfterSweep:
    from riskgraph.detectors.post_risk import RANKING, RANKING_BASE
    from riskgraph.levels import update_levels
    from riskgraph.poststore import store_ranking

    ranking = result.shared.get(RANKING)
    if ranking is not None:
        store_ranking(sessions, result.sweep_id, ranking, result.shared.get(RANKING_BASE))
    with session_scope(sessions) as session:
        levels = update_levels(session, result.sweep_id)
    return AfterSweep(ranking, levels)
