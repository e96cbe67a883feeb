"""What follows every sweep, whoever started it (the CLI, the scheduler, an import):
store the high-risk post ranking and update the cadres' three-colour warning levels.

Both read the findings the sweep just wrote, so they run after it, in this order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from riskgraph.graph import GraphClient
from riskgraph.settings import Settings
from riskgraph.store import session_scope
from riskgraph.sweep import SweepResult


@dataclass
class AfterSweep:
    ranking: list[Any]      # riskgraph.postrisk.Scored, best first
    levels: Any             # riskgraph.levels.LevelSummary


def finish_sweep(graph: GraphClient, sessions: sessionmaker[Session], settings: Settings,
                 result: SweepResult) -> AfterSweep:
    from riskgraph.detectors.post_risk import RANKING
    from riskgraph.levels import update_levels
    from riskgraph.postscores import score_posts, store_ranking

    ranking = result.shared.get(RANKING)
    if ranking is None:
        ranking = score_posts(graph, sessions, settings, result.sweep_id, result.as_of)
    else:
        store_ranking(sessions, result.sweep_id, ranking)
    with session_scope(sessions) as session:
        levels = update_levels(session, result.sweep_id)
    return AfterSweep(ranking, levels)
