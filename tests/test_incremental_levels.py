"""Warning levels and level-rise alerts after the re-check of an import: the same levels
and the same alerts, each raised once, as a whole sweep leaves — on the real embedded
database and store.

Four county heads work at home (one high regional-avoidance finding each: red).
Import b2: MOVER, who grew up in K2, becomes head of the K2 court (a new finding: he
rises to red) and HOME's post ends (his finding is resolved: back to green). Between
the sweeps a reviewer dismisses HOME2's finding (no run touches it: back to green) and
assigns HOME3's (the same red, other reasons). HOME4 changes in nothing.

Two stores start alike (a whole sweep each); after the import one is re-checked (the
scheduler's scoped path), the other swept whole.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from conftest import fresh_store
from graphkit import Kit
from schedkit import INCREMENTAL_SCHEDULE as SCHEDULE
from schedkit import Clock, alert_settings, home_heads, imported, make_service

from riskgraph import detectors
from riskgraph.levels import current_rows
from riskgraph.services.levels import latest_levels
from riskgraph.store import Alert, Finding, LevelUpdate, session_scope
from riskgraph.store.vocab import ReviewStatus, RunTrigger

pytestmark = pytest.mark.integration
REGION = detectors.get("region_avoidance")
HEADS = ("HOME", "HOME2", "HOME3", "HOME4")


@pytest.fixture
def other_store(tmp_path):
    yield from fresh_store(tmp_path / "whole.sqlite3")


def runtime(graph, store, settings):
    return make_service(graph, store, settings, Clock(), [REGION], schedule_data=SCHEDULE,
                        alerts_data=alert_settings(level_rise=True)).runtime


def review(store, person: str, status: ReviewStatus) -> None:
    with session_scope(store) as session:
        for f in session.scalars(sa.select(Finding)):
            if f.subject_ids == [person]:
                f.review_status = status


def shown(store) -> tuple[dict, dict]:
    """Each cadre's level, and the current rows' colour and reasons (finding ids left out)."""
    with session_scope(store) as session:
        _, levels = latest_levels(session)
        rows = {p: (str(r.level), [{k: v for k, v in reason.items() if k != "finding_id"}
                                   for reason in r.reasons])
                for p, r in current_rows(session).items()}
    return {p: str(c) for p, c in levels.items()}, rows


def alerts(store) -> list[tuple]:
    """Every alert: kind, cadre, severity, its finding's key and its text (link left out)."""
    with session_scope(store) as session:
        keys = {i: key for i, key in session.execute(sa.select(Finding.id, Finding.key))}
        return sorted((str(a.kind), a.person_id, str(a.severity), keys.get(a.finding_id),
                       re.sub(r"查看：\S+", "", a.text))
                      for a in session.scalars(sa.select(Alert)))


def test_the_recheck_leaves_the_levels_and_alerts_of_a_whole_sweep(graph, store, other_store,
                                                                 settings):
    home_heads(graph, cadres=HEADS)
    kit = Kit(graph, batch="b1")
    kit.add("Organization", id="K2_COURT", name="丙县人民法院", kind="court", level="county",
            region="K2")
    kit.add("Post", id="P_COURT", name="院长", org="K2_COURT", rank="division",
            category="leadership", is_head=True, in_leadership=True)
    kit.add("Cadre", id="MOVER", name="干部MOVER", gender="M", birth_date="1970-01-01",
            managed_by="K2_COURT", rank="division", grew_up_in="K2")
    kit.write()
    imported(store, "b1", "cadres")
    recheck, whole = runtime(graph, store, settings), runtime(graph, other_store, settings)
    for rt in (recheck, whole):
        rt.run_detectors([REGION], "s1", RunTrigger.MANUAL)
    before = shown(store)
    assert before == shown(other_store) and before[0] == dict.fromkeys(HEADS, "red")

    kit = Kit(graph, batch="b2")
    kit.add("Occupancy", person="MOVER", post="P_COURT", start_date="2024-01-01")
    kit.add("Occupancy", person="HOME", post="POST_HOME", start_date="2023-01-01",
            end_date="2024-06-30")
    kit.write()
    imported(store, "b2", "occupancies")
    for s in (store, other_store):
        review(s, "HOME2", ReviewStatus.DISMISSED)
        review(s, "HOME3", ReviewStatus.ASSIGNED)
    plan = recheck.recheck_imports()
    assert not plan.whole and plan.scope == {"MOVER", "HOME"}
    whole.run_detectors([REGION], "s2", RunTrigger.MANUAL)

    after = shown(store)
    assert after == shown(other_store)
    assert after[0] == {"HOME": "green", "HOME2": "green", "HOME3": "red", "HOME4": "red",
                        "MOVER": "red"}
    assert [r[1]["review_status"] for r in after[1]["HOME3"][1:]] == ["assigned"]
    assert alerts(store) == alerts(other_store)
    rises = [a[1] for a in alerts(store) if a[0] == "level_rise"]
    assert sorted(rises) == ["HOME", "HOME2", "HOME3", "HOME4", "MOVER"]    # once each
    with session_scope(store) as session:
        update = session.scalars(sa.select(LevelUpdate).order_by(LevelUpdate.id.desc())).first()
        # Only the four cadres whose level or reasons changed got a row; HOME4 none.
        assert (update.watched, update.written) == (5, 4)

    # A whole sweep right after the re-check changes nothing and raises nothing.
    recheck.run_detectors([REGION], "s3", RunTrigger.MANUAL)
    levels, rows = shown(store)
    assert rows == after[1] and alerts(store) == alerts(other_store)
    # The pages' latest sweep is s3 now: the returns to green were s2's.
    assert levels == {"HOME3": "red", "HOME4": "red", "MOVER": "red"}
    with session_scope(store) as session:
        update = session.scalars(sa.select(LevelUpdate).order_by(LevelUpdate.id.desc())).first()
        assert (update.sweep_id, update.written) == ("s3", 0)
