"""三色预警: each cadre's red / yellow / green level after a sweep, with its reasons.

Rules live in config/levels.yaml (see there). ``update_levels`` runs after a sweep,
computes the level of every cadre on watch and stores only what changed:

- a cadre is on watch when they have an open finding, or when their newest row is not
  a clean green (it is not green, or lists findings): that row is their ``current`` one;
- a cadre on watch gets a new row when their level or its reasons (the open findings,
  their review status and titles) differ from their current row; a cadre without open
  findings whose current row was not clean gets one clean green row (the return to
  green), which is not current;
- each computation is recorded as a ``LevelUpdate`` (cadres on watch, rows written).

So a cadre's level after any sweep is their newest row written by then, or green with
no open findings when there is none, and the present levels are the ``current`` rows.
Cadres who never had a finding, and cadres whose findings did not change, cost no row.
A row's ``previous`` is the level it replaced (green for a first row): rows whose colour
differs from it are the level changes alerts look at.

The pages keep the view of the former scheme (a row per cadre on watch per sweep):
see ``riskgraph.services.levels``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from riskgraph.resources import resource_dir
from riskgraph.schema import default_schema
from riskgraph.store import Finding, FindingSubject, LevelUpdate, WarningLevel, utcnow
from riskgraph.store.vocab import Colour, DataStatus, Severity

# The one Chinese vocabulary of finding severities (严重 / 一般 / 轻微), highest first:
# the ``severity`` enum of config/schema/enums.yaml. Alerts, pages, dossiers and
# detector texts all use it.
SEVERITY_ZH = {s.value: default_schema().enums["severity"][s.value]
               for s in (Severity.HIGH, Severity.MEDIUM, Severity.LOW)}
COLOUR_ZH = {"red": "红色", "yellow": "黄色", "green": "绿色"}
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@cache
def levels_config() -> dict[str, Any]:
    with (resource_dir("config") / "levels.yaml").open(encoding="utf-8") as fh:
        config = yaml.safe_load(fh)
    for rule in config["rules"]:
        Colour(rule["colour"])
        for s in rule.get("severities", ()):
            Severity(s)
    return config


@dataclass(frozen=True)
class Open:
    """One open finding against a cadre, as the rules see it."""

    finding_id: int
    detector: str
    family: str | None
    severity: str
    review_status: str
    title: str


@dataclass
class Level:
    colour: Colour
    rule: str | None                      # the rule's text, None for green
    findings: list[Open] = field(default_factory=list)

    def reasons(self) -> list[dict[str, Any]]:
        """The stored reasons: the rule first (finding_id None), then each open finding."""
        head = f"{COLOUR_ZH[self.colour]}：{self.rule}" if self.rule else \
            f"{COLOUR_ZH[self.colour]}：无达到预警规则的问题线索"
        out: list[dict[str, Any]] = [{"finding_id": None, "text": head}]
        for f in sorted(self.findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.finding_id)):
            out.append({"finding_id": f.finding_id, "detector": f.detector,
                        "severity": f.severity, "review_status": f.review_status,
                        "title": f.title, "text": f"【{SEVERITY_ZH[f.severity]}】{f.title}"})
        return out


def is_open(review_status: str, accepted_until: date | None, today: date,
            config: dict[str, Any]) -> bool:
    """Whether a present finding counts: not dismissed/cleared, and an accepted risk only
    once its period has passed.

    >>> cfg = {"excluded_review": ["dismissed", "cleared"], "accepted_review": "accepted_risk"}
    >>> d = date(2026, 1, 1)
    >>> is_open("new", None, d, cfg), is_open("cleared", None, d, cfg)
    (True, False)
    >>> is_open("accepted_risk", date(2026, 6, 30), d, cfg), is_open("accepted_risk", date(2025, 6, 30), d, cfg)
    (False, True)
    """
    if review_status in config["excluded_review"]:
        return False
    if review_status == config["accepted_review"]:
        return accepted_until is not None and accepted_until < today
    return True


def classify(findings: list[Open], config: dict[str, Any]) -> Level:
    """The level of one cadre from their open findings: the first rule that holds.

    >>> cfg = {"rules": [
    ...     {"colour": "red", "text": "两面人", "families": ["two_faced"], "review": ["confirmed"], "min_count": 1},
    ...     {"colour": "red", "text": "严重", "severities": ["high"], "min_count": 1},
    ...     {"colour": "yellow", "text": "一般", "severities": ["medium"], "min_count": 1}]}
    >>> low = Open(1, "post_tenure", "high_risk", "low", "new", "任职过长")
    >>> two = Open(2, "words_vs_deeds", "two_faced", "medium", "confirmed", "言行不一")
    >>> classify([low], cfg).colour.value, classify([low, two], cfg).colour.value
    ('green', 'red')
    >>> classify([low, two], cfg).rule
    '两面人'
    """
    for rule in config["rules"]:
        matched = [f for f in findings
                   if f.severity in rule.get("severities", [f.severity])
                   and f.family in rule.get("families", [f.family])
                   and f.review_status in rule.get("review", [f.review_status])]
        if len(matched) >= rule.get("min_count", 1):
            return Level(Colour(rule["colour"]), rule["text"], findings)
    return Level(Colour.GREEN, None, findings)


def _family(detector: str) -> str | None:
    from riskgraph import detectors

    try:
        return detectors.get(detector).family
    except KeyError:          # a detector since removed: its findings still count
        return None


def open_findings(session: Session, today: date, config: dict[str, Any]) -> dict[str, list[Open]]:
    """Open findings by cadre (subject) id."""
    rows = session.execute(
        sa.select(FindingSubject.person_id, Finding.id, Finding.detector, Finding.severity,
                  Finding.review_status, Finding.accepted_until, Finding.title)
        .join(Finding, Finding.id == FindingSubject.finding_id)
        .where(Finding.data_status == DataStatus.PRESENT)).all()
    out: dict[str, list[Open]] = defaultdict(list)
    families: dict[str, str | None] = {}
    for r in rows:
        if not is_open(str(r.review_status), r.accepted_until, today, config):
            continue
        if r.detector not in families:
            families[r.detector] = _family(r.detector)
        out[r.person_id].append(Open(r.id, r.detector, families[r.detector], str(r.severity),
                                     str(r.review_status), r.title))
    return out


def current_rows(session: Session, mend: bool = False) -> dict[str, WarningLevel]:
    """The current row of each cadre on watch (read through the ``current`` index).
    ``mend``: when a cadre has two (level computations that ran at once without the
    lock ``update_levels`` takes), the older one stops being current."""
    rows: dict[str, WarningLevel] = {}
    for row in session.scalars(sa.select(WarningLevel).where(WarningLevel.current.is_(True))
                               .order_by(WarningLevel.id)):
        older = rows.get(row.person_id)
        if older is not None and mend:
            older.current = False
        rows[row.person_id] = row
    return rows


def _begin(session: Session, sweep_id: str) -> LevelUpdate:
    """Record the computation first: its write serialises level computations (SQLite's
    write lock; a table lock on PostgreSQL), so a second one reads the first's rows."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("LOCK TABLE level_updates IN SHARE ROW EXCLUSIVE MODE"))
    update = LevelUpdate(sweep_id=sweep_id, computed_at=utcnow(), watched=0, written=0)
    session.add(update)
    session.flush()
    return update


def _on_watch(colour: Colour, reasons: list[dict[str, Any]]) -> bool:
    """Whether a row keeps its cadre on watch: not green, or listing findings."""
    return colour != Colour.GREEN or any(r.get("finding_id") for r in reasons)


@dataclass
class LevelSummary:
    counts: dict[str, int]                   # cadres with open findings, by colour
    watched: int                             # cadres on watch
    stored: int                              # rows written for the sweep
    changes: list[LevelChange]


def update_levels(session: Session, sweep_id: str, today: date | None = None) -> LevelSummary:
    """Compute the level of every cadre on watch after sweep ``sweep_id`` and store the
    rows that changed (see the module docstring)."""
    config = levels_config()
    today = today or date.today()
    update = _begin(session, sweep_id)
    now = update.computed_at
    findings = open_findings(session, today, config)
    current = current_rows(session, mend=True)
    counts: dict[str, int] = defaultdict(int)
    changes: list[LevelChange] = []
    watched = sorted(set(findings) | set(current))
    stored = 0
    for person in watched:
        level = classify(findings.get(person, []), config)
        if findings.get(person):
            counts[level.colour.value] += 1
        reasons = level.reasons()
        old = current.get(person)
        if old is not None and old.level == level.colour and old.reasons == reasons:
            continue
        previous = Colour(old.level) if old is not None else Colour.GREEN
        if old is not None:
            old.current = False
        session.add(WarningLevel(person_id=person, sweep_id=sweep_id, level=level.colour,
                                 reasons=reasons, computed_at=now, previous=previous,
                                 current=_on_watch(level.colour, reasons)))
        stored += 1
        if previous != level.colour:
            changes.append(LevelChange(person, previous, level.colour, reasons))
    update.watched, update.written = len(watched), stored
    session.flush()
    return LevelSummary(dict(counts), len(watched), stored, changes)


@dataclass(frozen=True)
class LevelChange:
    person_id: str
    old: Colour
    new: Colour
    reasons: list[dict[str, Any]]

    @property
    def rose(self) -> bool:
        return rose(self.old, self.new)


def rose(old: Colour | str, new: Colour | str) -> bool:
    """Whether ``new`` is a worse level than ``old``.

    >>> rose("green", "yellow"), rose("red", "yellow")
    (True, False)
    """
    order = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}
    return order[Colour(new)] > order[Colour(old)]


def level_changes(session: Session, sweep_id: str) -> list[LevelChange]:
    """Cadres whose level after ``sweep_id`` differs from their previous row (green
    when they had none), in person order — for the alerting code (``rose`` = worse)."""
    rows = session.scalars(sa.select(WarningLevel).where(
        WarningLevel.sweep_id == sweep_id, WarningLevel.level != WarningLevel.previous)
        .order_by(WarningLevel.person_id, WarningLevel.id))
    return [LevelChange(r.person_id, Colour(r.previous), Colour(r.level), r.reasons)
            for r in rows]


def level_of(session: Session, person_id: str) -> Colour:
    """A cadre's current level: their latest row, green when none."""
    row = session.scalar(sa.select(WarningLevel).where(WarningLevel.person_id == person_id)
                         .order_by(WarningLevel.id.desc()).limit(1))
    return Colour(row.level) if row is not None else Colour.GREEN
