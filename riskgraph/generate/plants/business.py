"""亲属经商 (relative_business) and revolving-door (revolving_door) cases."""

from __future__ import annotations

import datetime as dt

from riskgraph.generate import kin
from riskgraph.generate.careers import occupy
from riskgraph.generate.companies import (
    add_director,
    add_employment,
    add_owner,
    new_company,
    other_person,
)
from riskgraph.generate.families import STATUTORY, build_family, make_close_relative
from riskgraph.generate.model import Block, Company, Person
from riskgraph.generate.people import make_cadre, new_person, years
from riskgraph.generate.plants import quota, record
from riskgraph.tenure import add_years
from riskgraph.ties import ROLE_ZH

D = dt.timedelta


def plant_company(b: Block, person: Person, region: str, industry: str,
                  percent: float | None = None, role: str | None = None,
                  start: dt.date | None = None) -> tuple[Company, dt.date]:
    """A company tied to `person` by a shareholding and/or an officer role from `start`;
    the remaining shares and the legal representative come from unrelated people."""
    lo = max(add_years(person.birth, 23), dt.date(2003, 1, 1))
    start = start or b.rand_date(lo, max(lo, b.as_of - years(1)))
    founded = b.rand_date(start - years(6), start) if b.rng.random() < 0.5 else start
    c = new_company(b, industry, region, role="plant", founded=max(dt.date(1995, 1, 1), founded))
    c.tag = person.tag or "plant"
    if percent:
        add_owner(b, person.id, c, round(percent, 1), start)
        if percent < 100:
            add_owner(b, other_person(b).id, c, round(100 - percent, 1), c.founded)
    else:
        add_owner(b, other_person(b).id, c, 100.0, c.founded)
    if role:
        add_director(b, person.id, c, role, start)
    if role != "legal_rep":
        add_director(b, other_person(b).id, c, "legal_rep", c.founded)
    return c, start


def _outside(b: Block, region: str) -> str:
    """A county outside the city (or province-level org: none) of `region`."""
    regions = b.ctx.regions
    city = regions.city_of(region).code if regions.by_code[region].level != "province" else None
    cities = [c for c in regions.cities if c.code != city]
    return b.rng.choice(regions.counties(b.rng.choice(cities).code)).code


def plant_relative_business(b: Block) -> None:
    pos, neg = quota(b, "relative_business")
    seats = [d for o in b.orgs if o.regulates for d in o.deputies
             if d.holder and d.holder.tag is None]
    b.rng.shuffle(seats)
    cases = [(v, True) for v in pos] + [(v, False) for v in neg]
    for seat, (variant, positive) in zip(seats, cases):
        a, org = seat.holder, seat.org
        rel, kind = make_close_relative(b, a, min_age=25)
        if rel is None:
            continue
        region, industry = org.region, b.rng.choice(org.regulates)
        if variant == "outside_region" and org.level == "province":
            variant = "unregulated_industry"
        if variant == "outside_region":
            region = _outside(b, org.region)
        elif variant == "unregulated_industry":
            industry = b.rng.choice(b.cfg.unregulated)
        runs = variant == "runs" or (not positive and b.rng.random() < 0.5)
        role = b.rng.choice(("legal_rep", "manager", "director")) if runs else None
        k, start = plant_company(b, rel, region, industry,
                                 percent=None if runs else b.rng.choice((10, 20, 30, 51, 80, 100)),
                                 role=role)
        how = f"担任{ROLE_ZH[role]}" if runs else "持股"
        where = b.ctx.regions.by_code[region].name
        label = STATUTORY[kind]
        text = {
            "owns": "在其管辖地区和业务范围内",
            "runs": "在其管辖地区和业务范围内",
            "outside_region": f"但企业登记在管辖范围外的{where}，",
            "unregulated_industry": "但企业所属行业不在该单位监管范围内，",
        }[variant]
        since = kin.related_since(b, a, rel, max(start, a.cadre.start), close=True)
        if since is None:
            continue
        record(b, "relative_business", variant, positive, [a, rel, k], a, since,
               f"{a.name}（{seat.name}）的{label}{rel.name}{text}{how}经营{k.name}。")


def plant_revolving_door(b: Block) -> None:
    pos, neg = quota(b, "revolving_door")
    window = b.cfg.rules["revolving_years"]
    seats = [s for o in b.orgs if o.regulates and o.tier == "bureau"
             for s in [o.head, *o.deputies, *(c for _, c, _ in o.sections)] if not s.protected]
    b.rng.shuffle(seats)
    for variant, positive in [(v, True) for v in pos] + [(v, False) for v in neg]:
        if positive:
            left = b.rand_date(b.as_of - years(window) + D(days=120), b.as_of - D(days=200))
            joined = b.rand_date(left + D(days=30), min(b.as_of - D(days=10),
                                                      add_years(left, window) - D(days=30)))
        else:
            left = b.rand_date(b.as_of - years(6), b.as_of - years(window + 1.3))
            joined = b.rand_date(add_years(left, window + 1), min(b.as_of - D(days=10),
                                                                  add_years(left, window + 1) + D(days=200)))
        seat = next((s for s in seats if s.free_before and s.free_before > left), None)
        if seat is None:
            continue
        seats.remove(seat)
        birth = b.rand_date(max(dt.date(b.as_of.year - 59 - 6, 1, 1), left - years(60)),
                            left - years(45))
        person = new_person(b, "M" if b.rng.random() < 0.75 else "F", birth, None, phone=0.95)
        make_cadre(b, None, person=person, rank=seat.rank)
        person.cadre.left = left
        person.cadre.no_history = True
        occupy(seat, person, max(person.cadre.work_start, left - years(b.rng.uniform(2, 4.8))), left)
        person.cadre.rank_since = person.cadre.history[0][1]
        build_family(b, person)
        org = seat.org
        k, _ = plant_company(b, person, org.region, b.rng.choice(org.regulates), start=joined,
                             role="director" if variant == "director" else None)
        if variant != "director":
            add_employment(b, person.id, k.id, joined, position=b.rng.choice(("顾问", "副总经理", "总工程师")))
        how = "担任董事" if variant == "director" else "受聘任职"
        gap = (joined - left).days / 365.25
        record(b, "revolving_door", variant, positive, [person, k], person, joined,
               f"{person.name}于{left}离任{seat.name}，{gap:.1f}年后在原管辖地区和监管行业的{k.name}{how}。")
