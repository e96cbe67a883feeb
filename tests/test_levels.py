"""三色预警: the rules (unit) and the stored rows and level changes of successive sweeps
(on a real SQLite store)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from riskgraph.levels import (
    Open,
    classify,
    latest_rows,
    level_changes,
    level_of,
    levels_config,
    update_levels,
)
from riskgraph.store import Finding, Run, WarningLevel, session_scope
from riskgraph.store.vocab import Colour, DataStatus, ReviewStatus

TODAY = date(2026, 1, 15)


def test_rules_of_the_shipped_config():
    cfg = levels_config()
    medium = [Open(i, "post_tenure", "high_risk", "medium", "new", "t") for i in range(3)]
    assert classify(medium[:1], cfg).colour == Colour.YELLOW
    assert classify(medium, cfg).colour == Colour.RED                  # three mediums
    assert classify([Open(9, "post_tenure", "high_risk", "high", "new", "t")], cfg).colour == Colour.RED
    assert classify([Open(9, "post_tenure", "high_risk", "low", "new", "t")], cfg).colour == Colour.GREEN
    confirmed = Open(5, "words_vs_deeds", "two_faced", "low", "confirmed", "言行不一")
    level = classify([confirmed], cfg)
    assert level.colour == Colour.RED and "一票否决" in level.rule
    reasons = level.reasons()
    assert reasons[0]["finding_id"] is None and reasons[1]["finding_id"] == 5


def add(session, key, person, severity, detector="post_tenure", **fields):
    run = session.scalar(sa.select(Run).limit(1))
    if run is None:
        run = Run(sweep_id="s0", detector=detector, rule_version="1", trigger="manual", as_of=TODAY)
        session.add(run)
        session.flush()
    f = Finding(key=key, detector=detector, rule_version="1", severity=severity, title=key,
                explanation="", first_seen_run_id=run.id, last_seen_run_id=run.id, **fields)
    f.subject_ids = [person]
    session.add(f)
    session.flush()
    return f


def rows(session, sweep):
    return {r.person_id: r.level for r in session.scalars(
        sa.select(WarningLevel).where(WarningLevel.sweep_id == sweep))}


def test_sweeps_store_a_compact_trend(store):
    with session_scope(store) as s:
        add(s, "a-high", "A", "high")
        add(s, "b-low", "B", "low")
        add(s, "c-dismissed", "C", "high", review_status=ReviewStatus.DISMISSED)
        add(s, "d-accepted", "D", "high", review_status=ReviewStatus.ACCEPTED_RISK,
            accepted_until=date(2026, 6, 30))
        add(s, "e-expired", "E", "medium", review_status=ReviewStatus.ACCEPTED_RISK,
            accepted_until=date(2025, 12, 31))
        summary = update_levels(s, "s1", TODAY)
        assert rows(s, "s1") == {"A": "red", "B": "green", "E": "yellow"}
        assert summary.counts == {"red": 1, "green": 1, "yellow": 1}
        assert {(c.person_id, c.old, c.new) for c in summary.changes} == {
            ("A", Colour.GREEN, Colour.RED), ("E", Colour.GREEN, Colour.YELLOW)}
        assert all(c.rose for c in summary.changes)

    with session_scope(store) as s:     # A's finding vanishes, B's is cleared
        s.execute(sa.update(Finding).where(Finding.key == "a-high")
                  .values(data_status=DataStatus.RESOLVED_BY_DATA))
        s.execute(sa.update(Finding).where(Finding.key == "b-low")
                  .values(review_status=ReviewStatus.CLEARED))
        update_levels(s, "s2", TODAY)
        assert rows(s, "s2") == {"A": "green", "B": "green", "E": "yellow"}
        changes = level_changes(s, "s2")
        assert [(c.person_id, c.old, c.new, c.rose) for c in changes] == [
            ("A", Colour.RED, Colour.GREEN, False)]
        assert latest_rows(s)["B"].reasons[1:] == []          # clean green, stored once

    with session_scope(store) as s:     # nothing changes: only E keeps a row per sweep
        update_levels(s, "s3", TODAY)
        assert rows(s, "s3") == {"E": "yellow"}
        assert level_changes(s, "s3") == []
        assert level_of(s, "A") == Colour.GREEN and level_of(s, "E") == Colour.YELLOW
        assert level_of(s, "NOBODY") == Colour.GREEN


def test_confirmed_two_faced_forces_red(store):
    with session_scope(store) as s:
        add(s, "w", "W", "low", detector="words_vs_deeds", review_status=ReviewStatus.CONFIRMED)
        update_levels(s, "s1", TODAY)
        row = latest_rows(s)["W"]
        assert row.level == Colour.RED and "一票否决" in row.reasons[0]["text"]
