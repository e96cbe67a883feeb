"""三色预警: each cadre's red / yellow / green level after a sweep, with its reasons.

Rules live in config/levels.yaml (see there). ``update_levels`` runs after a sweep and
stores ``WarningLevel`` rows for that sweep under a compact scheme that still draws a
trend:

- a cadre with at least one open finding gets a row in every sweep (even when green:
  a few low findings), so their line has a point per sweep;
- a cadre without open findings gets one green row without findings when their
  previous row was not green or listed findings (the return to a clean green), and no
  row otherwise.

So for any sweep, a cadre's level is their row of that sweep, or — when there is none —
green with no open findings (as their last row before it says, if any). The many
cadres who never had a finding cost nothing. ``level_changes`` lists the cadres whose
colour differs from their previous row (or from green, for a first row), for alerts.
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
from riskgraph.store import Finding, FindingSubject, WarningLevel, utcnow
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


def latest_rows(session: Session, before_sweep: str | None = None) -> dict[str, WarningLevel]:
    """Each cadre's latest stored level (optionally: the latest before a sweep's rows)."""
    q = sa.select(sa.func.max(WarningLevel.id)).group_by(WarningLevel.person_id)
    if before_sweep is not None:
        first = session.scalar(sa.select(sa.func.min(WarningLevel.id))
                               .where(WarningLevel.sweep_id == before_sweep))
        if first is not None:
            q = q.where(WarningLevel.id < first)
    ids = list(session.scalars(q))
    rows: dict[str, WarningLevel] = {}
    for i in range(0, len(ids), 500):
        for row in session.scalars(sa.select(WarningLevel).where(WarningLevel.id.in_(ids[i:i + 500]))):
            rows[row.person_id] = row
    return rows


def _open_row(row: WarningLevel) -> bool:
    """Whether a stored row still needs a successor when the cadre has no findings:
    it was not green, or it listed findings."""
    return row.level != Colour.GREEN or any(r.get("finding_id") for r in row.reasons or ())


@dataclass
class LevelSummary:
    counts: dict[str, int]                   # cadres with findings, by colour
    stored: int                              # rows written for the sweep
    changes: list[LevelChange]


def update_levels(session: Session, sweep_id: str, today: date | None = None) -> LevelSummary:
    """Compute every cadre's level after sweep ``sweep_id`` and store the rows the
    compact scheme asks for (see the module docstring)."""
    config = levels_config()
    today = today or date.today()
    findings = open_findings(session, today, config)
    previous = latest_rows(session)
    now = utcnow()
    counts: dict[str, int] = defaultdict(int)
    stored = 0
    for person in sorted(set(findings) | {p for p, r in previous.items() if _open_row(r)}):
        level = classify(findings.get(person, []), config)
        if findings.get(person):
            counts[level.colour.value] += 1
        session.add(WarningLevel(person_id=person, sweep_id=sweep_id, level=level.colour,
                                 reasons=level.reasons(), computed_at=now))
        stored += 1
    session.flush()
    return LevelSummary(dict(counts), stored, level_changes(session, sweep_id))


@dataclass(frozen=True)
class LevelChange:
    person_id: str
    old: Colour
    new: Colour
    reasons: list[dict[str, Any]]

    @property
    def rose(self) -> bool:
        order = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}
        return order[self.new] > order[self.old]


def level_changes(session: Session, sweep_id: str) -> list[LevelChange]:
    """Cadres whose level after ``sweep_id`` differs from their previous row (green
    when they had none), in person order — for the alerting code (``rose`` = worse)."""
    rows = list(session.scalars(sa.select(WarningLevel).where(WarningLevel.sweep_id == sweep_id)
                                .order_by(WarningLevel.person_id)))
    if not rows:
        return []
    before = latest_rows(session, before_sweep=sweep_id)
    out = []
    for row in rows:
        old = Colour(before[row.person_id].level) if row.person_id in before else Colour.GREEN
        if old != row.level:
            out.append(LevelChange(row.person_id, old, Colour(row.level), row.reasons))
    return out


def level_of(session: Session, person_id: str) -> Colour:
    """A cadre's current level: their latest row, green when none."""
    row = session.scalar(sa.select(WarningLevel).where(WarningLevel.person_id == person_id)
                         .order_by(WarningLevel.id.desc()).limit(1))
    return Colour(row.level) if row is not None else Colour.GREEN
