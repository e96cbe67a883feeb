"""Compare one yearly declaration (个人有关事项报告) with the facts on 31 December.

Pure functions over plain rows, so the rules read (and test) without a database. A gap
is ``concealed`` (隐瞒不报: a whole item left out — a property, a business, a marriage, a
relative's job or settling abroad) or ``partial`` (漏报: the item is there but states a
smaller area or amount than the facts, beyond the tolerance).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

CONCEALED, PARTIAL = "concealed", "partial"


@dataclass
class Gap:
    """One left-out or under-stated item of one year's declaration."""

    kind: str                    # concealed | partial
    category: str                # marriage | business | real_estate | family_employment | family_abroad
    cadre: str
    year: int
    relative: str | None         # the family member concerned (None: the cadre)
    target: str | None           # company, property or employer id (None: marriage, abroad)
    facts: list[dict] = field(default_factory=list)
    declared: dict[str, Any] | None = None       # the under-stating item (partial)
    fact_value: float | None = None
    declared_value: float | None = None

    @property
    def key(self) -> tuple[str, ...]:
        """The entities that identify the gap across years: (cadre, relative, target);
        a property is identified by its own id, whoever holds it."""
        relative = None if self.category == "real_estate" else self.relative
        return tuple(x for x in (self.cadre, relative, self.target) if x)


def active(row: dict, day: date) -> bool:
    """Whether a dated fact holds on ``day`` (a row ending that very day still counts).

    >>> active({"start": date(2020, 1, 1), "end": None}, date(2024, 12, 31))
    True
    >>> active({"start": date(2020, 1, 1), "end": date(2024, 6, 30)}, date(2024, 12, 31))
    False
    """
    return (row["start"] is None or row["start"] <= day) and (row["end"] is None or row["end"] >= day)


def area_short(fact: float, declared: float | None, tol_m2: float, tol_ratio: float) -> bool:
    """Whether a declared area falls short of the registered one beyond
    max(tol_m2, tol_ratio × area).

    >>> area_short(100.0, 99.2, 1.0, 0.01), area_short(150.0, 148.4, 1.0, 0.01)
    (False, True)
    """
    return (fact - (declared or 0.0)) > max(tol_m2, fact * tol_ratio) + 1e-9


def amount_short(fact: float, declared: float | None, tol_ratio: float) -> bool:
    """Whether a declared amount falls short of the fact beyond ``tol_ratio``.

    >>> amount_short(405.0, 401.85, 0.01), amount_short(266.8, 120.45, 0.01)
    (False, True)
    """
    return fact > 0 and (fact - (declared or 0.0)) > fact * tol_ratio + 1e-9


def compare(cadre: str, year: int, items: list[dict], facts: dict[str, list[dict]],
            family: dict[str, str], rules: dict[str, Any]) -> list[Gap]:
    """The gaps of one declaration.

    ``items``: the declared items (category, subject_id, company_id, amount, area,
    address). ``facts``: fact rows by person (kind estate|owns|director|employed|abroad,
    target_id, start, end, amount, area, address, label). ``family``: walk ("S", "C",
    "CS") by relative id on 31 December of ``year``. ``rules``: the detector thresholds.

    >>> facts = {"A": [{"kind": "estate", "target_id": "RE1", "start": date(2010, 1, 1),
    ...                 "end": None, "area": 120.0, "address": "甲路1号"}]}
    >>> items = [{"category": "marriage", "subject_id": None},
    ...          {"category": "real_estate", "subject_id": "A", "address": "甲路1号", "area": 80.0}]
    >>> rules = {"area_tolerance_m2": 1.0, "area_tolerance_ratio": 0.01,
    ...          "amount_tolerance_ratio": 0.01, "business_family": ["S", "C", "CS"],
    ...          "estate_family": ["S"], "employment_family": ["S", "C", "CS"],
    ...          "abroad_family": ["S", "C", "CS"]}
    >>> [(g.kind, g.category, g.key) for g in compare("A", 2024, items, facts, {"W": "S"}, rules)]
    [('concealed', 'marriage', ('A', 'W')), ('partial', 'real_estate', ('A', 'RE1'))]
    """
    day = date(year, 12, 31)
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_cat[item["category"]].append(item)
    gaps: list[Gap] = []

    def members(walks: list[str]) -> list[str]:
        return [r for r, w in sorted(family.items()) if w in walks]

    def new(kind, category, relative, target, rows, **extra) -> None:
        gaps.append(Gap(kind, category, cadre, year, None if relative == cadre else relative,
                        target, list(rows), **extra))

    spouse = next((r for r, w in family.items() if w == "S"), None)
    if spouse and not any(i.get("subject_id") == spouse for i in by_cat["marriage"]):
        new(CONCEALED, "marriage", spouse, None, [])

    declared_business = {(i.get("subject_id"), i.get("company_id")): i for i in by_cat["business"]}
    for who in [cadre] + members(rules["business_family"]):
        held: dict[str, list[dict]] = defaultdict(list)
        for row in facts.get(who, ()):
            if row["kind"] in ("owns", "director") and active(row, day):
                held[row["target_id"]].append(row)
        for company, rows in sorted(held.items()):
            item = declared_business.get((who, company))
            amount = round(sum(r["amount"] or 0.0 for r in rows if r["kind"] == "owns"), 2)
            if item is None:
                new(CONCEALED, "business", who, company, rows, fact_value=amount or None)
            elif amount_short(amount, item.get("amount"), rules["amount_tolerance_ratio"]):
                new(PARTIAL, "business", who, company, rows, declared=item,
                    fact_value=amount, declared_value=item.get("amount") or 0.0)

    declared_estates = {(i.get("subject_id"), i.get("address")): i for i in by_cat["real_estate"]}
    for who in [cadre] + members(rules["estate_family"]):
        for row in facts.get(who, ()):
            if row["kind"] != "estate" or not active(row, day):
                continue
            item = declared_estates.get((who, row["address"]))
            if item is None:
                new(CONCEALED, "real_estate", who, row["target_id"], [row], fact_value=row["area"])
            elif area_short(row["area"], item.get("area"), rules["area_tolerance_m2"],
                            rules["area_tolerance_ratio"]):
                new(PARTIAL, "real_estate", who, row["target_id"], [row], declared=item,
                    fact_value=row["area"], declared_value=item.get("area") or 0.0)

    jobs = by_cat["family_employment"]
    for who in members(rules["employment_family"]):
        for row in facts.get(who, ()):
            if row["kind"] != "employed" or not active(row, day):
                continue
            named = any(i.get("subject_id") == who and i.get("company_id") == row["target_id"]
                        for i in jobs)
            # an organisation cannot be named as an item's company: the relative's item suffices
            if not named and not (row.get("label") != "Company"
                                  and any(i.get("subject_id") == who for i in jobs)):
                new(CONCEALED, "family_employment", who, row["target_id"], [row])

    abroad = {i.get("subject_id") for i in by_cat["family_abroad"]}
    for who in members(rules["abroad_family"]):
        rows = [r for r in facts.get(who, ()) if r["kind"] == "abroad" and r["start"] <= day]
        if rows and who not in abroad:
            new(CONCEALED, "family_abroad", who, None, rows)
    return gaps
