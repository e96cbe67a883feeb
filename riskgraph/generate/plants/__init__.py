"""Planted cases (positives) and near-misses, with their ground-truth rows.

Each detector family lives in its own module; this module holds the quotas (from
config `rates:`), the ground-truth recorder and the order in which families run.
"""

from __future__ import annotations

import datetime as dt

from riskgraph.generate.model import Block, Company, Person


def quota(b: Block, detector: str, n_office: int | None = None) -> tuple[list[str], list[str]]:
    """Variants of the positives and of the near-misses to plant in this block."""
    spec = b.cfg.rates[detector]
    n = len(b.in_office()) if n_office is None else n_office
    floor = b.cfg.rates.get("min_per_block", 1)

    def spread(weights: dict[str, float], count: int) -> list[str]:
        pattern: list[str] = []
        top = max(weights.values(), default=0)
        rnd = 1
        while rnd <= top:
            pattern += [v for v, w in weights.items() if w >= rnd]
            rnd += 1
        return [pattern[i % len(pattern)] for i in range(count)] if pattern else []

    pos = max(floor, round(spec["positive"] * n / 1000)) if spec["positive"] else 0
    neg = max(floor, round(spec["near_miss"] * n / 1000)) if spec["near_miss"] else 0
    return spread(spec["variants"], pos), spread(spec["near_misses"], neg)


def record(b: Block, detector: str, variant: str, positive: bool, entities, subject: Person,
           day: dt.date | None, description: str) -> dict:
    ids = sorted({e.id if hasattr(e, "id") else str(e) for e in entities} | {subject.id})
    b.counters[f"gt:{detector}"] += 1
    case = {"case": f"{detector}-{b.region.code}-{b.counters[f'gt:{detector}']:03d}",
            "detector": detector, "variant": variant, "positive": positive, "entities": ids,
            "subject": subject.id, "date": day.isoformat() if day else None,
            "description": description}
    b.gt.append(case)
    for e in entities:
        if isinstance(e, (Person, Company)) and e.tag is None:
            e.tag = case["case"]
    if subject.tag is None:
        subject.tag = case["case"]
    return case


def claim(tag: str, *things) -> None:
    for t in things:
        if t is not None and t.tag is None:
            t.tag = tag


def plan(b: Block) -> None:
    """Before seats are filled: reserve seats for cadres that planted cases create."""
    from riskgraph.generate.plants import avoidance
    avoidance.plan_pairs(b)


def phase_a(b: Block) -> None:
    """After background cadres, families and companies; before careers."""
    from riskgraph.generate.plants import avoidance, business, money, recusal, tenure
    avoidance.plant_region(b)
    avoidance.plant_pairs(b)
    tenure.plant(b)
    avoidance.plant_regulated(b)
    recusal.plant(b)
    business.plant_relative_business(b)
    business.plant_revolving_door(b)
    money.plant_money_loop(b)
    money.plant_cluster(b)


def phase_b(b: Block) -> None:
    """After careers, relatives' businesses and background projects; before records."""
    from riskgraph.generate.plants import procurement, twofaced
    procurement.plant(b)
    twofaced.plant_declaration_gap(b)
    twofaced.plant_words_vs_deeds(b)


def phase_c(b: Block) -> None:
    """After records (petitions and findings of words-vs-deeds cases)."""
    from riskgraph.generate.plants import twofaced
    twofaced.add_adverse_items(b)
