"""三色预警: the rules (unit), and the rows successive sweeps store (only changes), the
level changes and what the pages show of them (on a real SQLite store)."""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from riskgraph.access import Scope
from riskgraph.levels import (
    Open,
    classify,
    current_rows,
    level_changes,
    level_of,
    levels_config,
    update_levels,
)
from riskgraph.services.dashboard import colour_counts
from riskgraph.services.levels import cadres_of_colour, latest_levels
from riskgraph.store import Finding, Run, WarningLevel, session_scope
from riskgraph.store.vocab import Colour, DataStatus, ReviewStatus

TODAY = date(2026, 1, 15)
EVERYONE = Scope(True, frozenset(), frozenset(), frozenset())


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
    """The rows a sweep wrote: its changes."""
    return {r.person_id: r.level for r in session.scalars(
        sa.select(WarningLevel).where(WarningLevel.sweep_id == sweep))}


def shown(session):
    """What the pages show: the latest sweep's cadres and levels, the dashboard's counts
    and the cadres the findings list's colour filter selects."""
    sweep, levels = latest_levels(session)
    _, counts = colour_counts(session, EVERYONE)
    by_colour = {c.value: set(session.scalars(cadres_of_colour(session, c.value))) for c in Colour}
    assert by_colour == {c.value: {p for p, level in levels.items() if level == c} for c in Colour}
    assert counts == {c.value: len(by_colour[c.value]) for c in Colour}
    return sweep, {p: str(level) for p, level in levels.items()}


def test_sweeps_store_only_changes(store):
    with session_scope(store) as s:
        assert latest_levels(s) == (None, {})
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
        assert (summary.watched, summary.stored) == (3, 3)
        assert {(c.person_id, c.old, c.new) for c in summary.changes} == {
            ("A", Colour.GREEN, Colour.RED), ("E", Colour.GREEN, Colour.YELLOW)}
        assert all(c.rose for c in summary.changes)
        assert level_changes(s, "s1") == sorted(summary.changes, key=lambda c: c.person_id)
        assert shown(s) == ("s1", {"A": "red", "B": "green", "E": "yellow"})

    with session_scope(store) as s:     # A's finding vanishes, B's is cleared
        s.execute(sa.update(Finding).where(Finding.key == "a-high")
                  .values(data_status=DataStatus.RESOLVED_BY_DATA))
        s.execute(sa.update(Finding).where(Finding.key == "b-low")
                  .values(review_status=ReviewStatus.CLEARED))
        summary = update_levels(s, "s2", TODAY)
        # A and B return to a clean green (one row each); E is unchanged: no row.
        assert rows(s, "s2") == {"A": "green", "B": "green"}
        assert (summary.watched, summary.stored) == (3, 2)
        changes = level_changes(s, "s2")
        assert [(c.person_id, c.old, c.new, c.rose) for c in changes] == [
            ("A", Colour.RED, Colour.GREEN, False)]
        assert set(current_rows(s)) == {"E"}
        # As the former scheme showed the sweep: E, and the two returns.
        assert shown(s) == ("s2", {"A": "green", "B": "green", "E": "yellow"})

    with session_scope(store) as s:     # nothing changes: no row at all
        summary = update_levels(s, "s3", TODAY)
        assert rows(s, "s3") == {} and (summary.watched, summary.stored) == (1, 0)
        assert level_changes(s, "s3") == []
        assert shown(s) == ("s3", {"E": "yellow"})
        assert level_of(s, "A") == Colour.GREEN and level_of(s, "E") == Colour.YELLOW
        assert level_of(s, "NOBODY") == Colour.GREEN

    with session_scope(store) as s:     # E's finding goes: nobody on watch any more
        s.execute(sa.update(Finding).where(Finding.key == "e-expired")
                  .values(review_status=ReviewStatus.DISMISSED))
        update_levels(s, "s4", TODAY)
        assert rows(s, "s4") == {"E": "green"} and shown(s) == ("s4", {"E": "green"})
        summary = update_levels(s, "s5", TODAY)
        # No cadre on watch: the pages keep showing the last sweep that had one.
        assert (summary.watched, summary.stored) == (0, 0)
        assert shown(s) == ("s4", {"E": "green"})


def test_a_change_of_reasons_alone_is_stored_without_a_level_change(store):
    with session_scope(store) as s:
        add(s, "a1", "A", "high")
        update_levels(s, "s1", TODAY)
    with session_scope(store) as s:     # a second finding, and the first one assigned
        add(s, "a2", "A", "low")
        s.execute(sa.update(Finding).where(Finding.key == "a1")
                  .values(review_status=ReviewStatus.ASSIGNED))
        summary = update_levels(s, "s2", TODAY)
        assert rows(s, "s2") == {"A": "red"} and summary.changes == []
        row = current_rows(s)["A"]
        assert [(r["title"], r["review_status"]) for r in row.reasons[1:]] == [
            ("a1", "assigned"), ("a2", "new")]
        assert row.previous == Colour.RED and level_changes(s, "s2") == []
        assert s.scalar(sa.select(sa.func.count()).select_from(WarningLevel)
                        .where(WarningLevel.current.is_(True))) == 1


def test_an_accepted_risk_whose_period_ends_counts_again_without_any_run(store):
    with session_scope(store) as s:
        add(s, "d", "D", "high", review_status=ReviewStatus.ACCEPTED_RISK,
            accepted_until=date(2026, 1, 31))
        assert update_levels(s, "s1", TODAY).stored == 0
        summary = update_levels(s, "s2", date(2026, 2, 1))
        assert [(c.person_id, c.new) for c in summary.changes] == [("D", Colour.RED)]


def test_confirmed_two_faced_forces_red(store):
    with session_scope(store) as s:
        add(s, "w", "W", "low", detector="words_vs_deeds", review_status=ReviewStatus.CONFIRMED)
        update_levels(s, "s1", TODAY)
        row = current_rows(s)["W"]
        assert row.level == Colour.RED and "一票否决" in row.reasons[0]["text"]


def test_rows_of_the_former_scheme_are_carried_over(tmp_path):
    """The migration fills in ``previous``, ``current`` and one update per stored sweep
    for rows stored a row per cadre on watch per sweep."""
    from riskgraph.store import LevelUpdate, make_engine, session_factory
    from riskgraph.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "443156edd0a5")
    engine = make_engine(url)
    finding = [{"finding_id": None, "text": "head"}, {"finding_id": 7, "title": "t"}]
    old = [("A", "s1", "red", finding), ("B", "s1", "green", finding),
           ("A", "s2", "green", finding[:1]), ("B", "s2", "green", finding)]
    with engine.begin() as connection:
        for person, sweep, level, reasons in old:
            connection.execute(sa.text(
                "INSERT INTO warning_levels (person_id, sweep_id, level, reasons, computed_at)"
                " VALUES (:p, :s, :l, :r, :t)"),
                {"p": person, "s": sweep, "l": level, "r": json.dumps(reasons),
                 "t": f"2026-01-0{sweep[1]} 00:00:00"})
    upgrade(url)
    sessions = session_factory(engine)
    with session_scope(sessions) as s:
        got = [(r.person_id, r.sweep_id, r.previous, r.current) for r in
               s.scalars(sa.select(WarningLevel).order_by(WarningLevel.id))]
        assert got == [("A", "s1", "green", False), ("B", "s1", "green", False),
                       ("A", "s2", "red", False), ("B", "s2", "green", True)]
        assert [(u.sweep_id, u.watched) for u in s.scalars(
            sa.select(LevelUpdate).order_by(LevelUpdate.id))] == [("s1", 2), ("s2", 2)]
        assert shown(s) == ("s2", {"A": "green", "B": "green"})
        assert [(c.person_id, c.old, c.new) for c in level_changes(s, "s2")] == [
            ("A", Colour.RED, Colour.GREEN)]
    engine.dispose()


def test_two_current_rows_of_a_cadre_are_mended(store):
    """Two computations at once (without the lock) could leave a cadre two current rows:
    the next computation keeps the newer one only."""
    with session_scope(store) as s:
        add(s, "a", "A", "high")
        update_levels(s, "s1", TODAY)
        s.add(WarningLevel(person_id="A", sweep_id="s1", level=Colour.YELLOW, current=True,
                           reasons=[{"finding_id": None, "text": "x"}]))
    with session_scope(store) as s:
        summary = update_levels(s, "s2", TODAY)
        # Against the newer (yellow) row, A is red again: a change, stored once.
        assert [(c.old, c.new) for c in summary.changes] == [(Colour.YELLOW, Colour.RED)]
        assert [r.sweep_id for r in current_rows(s).values()] == ["s2"]
        assert s.scalar(sa.select(sa.func.count()).select_from(WarningLevel)
                        .where(WarningLevel.current.is_(True))) == 1
