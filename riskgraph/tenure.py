"""Tenure clocks (任职年限): how long a cadre has sat in one post, or at one rank level,
and which configured rule that breaks. Pure functions, used by the ``post_tenure``
detector and by the post risk score.

A rule (config/detectors/post_tenure.yaml ``thresholds.rules``) says whom it covers
(``in_leadership``, ``is_head``, ``categories``, ``org_kinds``, ``org_levels``,
``min_rank``), which clock it reads (``post``: the current occupancy, consecutive
re-appointments to the same post counted as one; ``rank``: ``Cadre.rank_since``) and
the limit: ``years``, or ``term_years`` × ``max_terms``. Reaching the limit is a breach.

>>> rules = {"rotation": {"clock": "post", "years": 5, "in_leadership": False,
...                       "categories": ["finance"]}}
>>> c = Clock("A", "P", date(2020, 12, 31), None, False, False, "finance", "staff", "finance", "county")
>>> [b.rule for b in breaches(c, rules, date(2025, 12, 31))]
['rotation']
>>> breaches(c, rules, date(2025, 12, 30))
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from riskgraph.schema import default_schema


def rank_order() -> dict[str, int]:
    """Rank code → position, 0 for the highest (the order of enums.yaml ``rank``)."""
    return {r: i for i, r in enumerate(default_schema().enums["rank"])}


def add_years(day: date, years: float) -> date:
    """``day`` plus ``years`` (whole months), 29 February falling back to the 28th.

    >>> add_years(date(2020, 2, 29), 5), add_years(date(2020, 1, 31), 0.5)
    (datetime.date(2025, 2, 28), datetime.date(2020, 7, 31))
    """
    months = round(years * 12)
    y, m = divmod(day.month - 1 + months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(day.year + y, m + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


def elapsed_years(start: date, as_of: date) -> float:
    return (as_of - start).days / 365.25


def tenure_start(spans: Iterable[tuple[date, date | None]], current: date,
                 merge_gap_days: int) -> date:
    """Start of the continuous tenure ending in the occupancy that began on ``current``:
    earlier occupancies of the same post that ended at most ``merge_gap_days`` before
    the next one began count as the same tenure (re-appointment).

    >>> spans = [(date(2010, 1, 1), date(2014, 12, 31)), (date(2005, 1, 1), date(2008, 1, 1))]
    >>> tenure_start(spans, date(2015, 1, 10), 31)
    datetime.date(2010, 1, 1)
    """
    start = current
    for s, e in sorted(spans, reverse=True):
        if s >= start:
            continue
        if e is None or e + timedelta(days=merge_gap_days) >= start:
            start = min(start, s)
        else:
            break
    return start


@dataclass(frozen=True)
class Clock:
    """A current holder of a post, with what the rules look at."""

    person_id: str
    post_id: str
    started: date                  # start of the continuous tenure in the post
    rank_since: date | None
    in_leadership: bool
    is_head: bool
    category: str
    rank: str                      # the post's rank
    org_kind: str
    org_level: str


@dataclass(frozen=True)
class Breach:
    rule: str
    label: str
    clock: str                     # post | rank
    since: date
    years: float                   # elapsed
    limit: float                   # years
    due: date                      # the day the limit was reached
    severity: str


def limit_years(rule: dict) -> float:
    """The rule's limit in years.

    >>> limit_years({"term_years": 5, "max_terms": 2}), limit_years({"years": 5})
    (10, 5)
    """
    if "years" in rule:
        return rule["years"]
    return rule["term_years"] * rule["max_terms"]


def covers(rule: dict, clock: Clock, ranks: dict[str, int] | None = None) -> bool:
    """Whether ``rule`` applies to this holder (an absent criterion covers everyone)."""
    for key, value in (("in_leadership", clock.in_leadership), ("is_head", clock.is_head)):
        if key in rule and rule[key] is not None and bool(rule[key]) != value:
            return False
    for key, value in (("categories", clock.category), ("org_kinds", clock.org_kind),
                       ("org_levels", clock.org_level)):
        if rule.get(key) and value not in rule[key]:
            return False
    if rule.get("min_rank"):
        ranks = ranks or rank_order()
        if ranks.get(clock.rank, len(ranks)) > ranks[rule["min_rank"]]:
            return False
    return True


def breaches(clock: Clock, rules: dict[str, dict], as_of: date,
             ranks: dict[str, int] | None = None) -> list[Breach]:
    """The rules (in name order) whose limit this holder has reached on ``as_of``."""
    out = []
    for name in sorted(rules):
        rule = rules[name]
        if rule.get("enabled", True) is False or not covers(rule, clock, ranks):
            continue
        since = clock.rank_since if rule.get("clock", "post") == "rank" else clock.started
        if since is None:
            continue
        limit = limit_years(rule)
        due = add_years(since, limit)
        if due <= as_of:
            out.append(Breach(name, rule.get("label", name), rule.get("clock", "post"), since,
                              round(elapsed_years(since, as_of), 2), limit, due,
                              rule.get("severity", "medium")))
    return out


def earliest_start(rules: dict[str, dict], as_of: date, clock: str) -> date | None:
    """The latest start date that can still breach a rule of ``clock`` (None: no rule
    reads that clock), so a query can leave out everyone who started later."""
    limits = [limit_years(r) for r in rules.values()
              if r.get("enabled", True) is not False and r.get("clock", "post") == clock]
    return add_years(as_of, -min(limits)) if limits else None
