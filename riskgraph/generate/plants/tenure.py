"""Rotation overdue (post_tenure): the current holder has sat in one post too long."""

from __future__ import annotations

import datetime as dt

from riskgraph.generate.config import RANK_ORDER
from riskgraph.generate.model import Block, Person
from riskgraph.generate.people import years
from riskgraph.generate.plants import quota, record
from riskgraph.tenure import add_years

# Leader near-misses avoid the kinds some provinces rotate after 5 years.
FIVE_YEAR_KINDS = ("discipline", "organisation_dept", "finance", "audit", "development_reform",
                   "housing", "natural_resources", "transport", "water", "public_security")


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _eligible(b: Block, p: Person, variant: str) -> bool:
    rules = b.cfg.rules["tenure"]
    seat = p.cadre.seat
    leader = seat.in_leadership and RANK_ORDER[seat.rank] >= RANK_ORDER[rules["leader_min_rank"]] \
        and seat.org.level in ("county", "city", "province")
    if variant.startswith("rotation"):
        return not seat.in_leadership and seat.category in rules["rotation_categories"]
    if variant == "leader_boundary":
        return leader and seat.org.kind not in FIVE_YEAR_KINDS
    return leader


def plant(b: Block) -> None:
    rules = b.cfg.rules["tenure"]
    pos, neg = quota(b, "post_tenure")
    pool = b.free_cadres()
    b.rng.shuffle(pool)
    for variant, positive in [(v, True) for v in pos] + [(v, False) for v in neg]:
        for p in pool:
            if p.tag or not _eligible(b, p, variant):
                continue
            if variant == "rotation":
                start = b.rand_date(b.as_of - years(8), add_years(b.as_of, -rules["rotation_years"])
                                    - dt.timedelta(days=30))
            elif variant == "leader":
                start = b.rand_date(b.as_of - years(12), add_years(b.as_of, -rules["leader_years"])
                                    - dt.timedelta(days=30))
            elif variant == "rotation_boundary":
                start = add_months(b.as_of, -12 * rules["rotation_years"] + 1)
            else:
                start = add_months(b.as_of, -12 * rules["leader_years"] + 1)
            if start < add_years(p.birth, 23 if variant.startswith("rotation") else 30):
                continue
            _move_start(b, p, start)
            seat = p.cadre.seat
            yrs = (b.as_of - start).days / 365.25
            text = (f"{p.name}自{start}起任{seat.name}，至今{yrs:.1f}年，超过规定年限未交流。"
                    if positive else
                    f"{p.name}自{start}起任{seat.name}，至今{yrs:.2f}年，尚未达到交流年限。")
            record(b, "post_tenure", variant, positive, [p, seat.id], p, start, text)
            break


def _move_start(b: Block, p: Person, start: dt.date) -> None:
    info, seat = p.cadre, p.cadre.seat
    seat.occupants = [(q, start if q is p else s, e) for q, s, e in seat.occupants]
    seat.free_before = start
    info.start = info.rank_since = start
    if info.work_start > start - dt.timedelta(days=200):
        info.work_start = max(add_years(p.birth, 21), start - years(b.rng.uniform(1, 4)))
