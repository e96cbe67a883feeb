"""Persons and cadres: names, birth dates, resident IDs, contacts, cadre files."""

from __future__ import annotations

import datetime as dt

from riskgraph.generate import names
from riskgraph.generate.config import RANK_ORDER
from riskgraph.generate.model import Block, CadreInfo, Person, Seat
from riskgraph.tenure import add_years

AGE_BY_RANK = {
    "staff": (25, 59), "vice_section": (28, 59), "section": (31, 59),
    "vice_division": (36, 58), "division": (41, 58), "vice_bureau": (44, 58),
    "bureau": (47, 58), "vice_ministerial": (50, 59), "ministerial": (54, 59),
}
YEAR = dt.timedelta(days=365.25)


def years(n: float) -> dt.timedelta:
    return dt.timedelta(days=round(n * 365.25))


def new_person(b: Block, gender: str, birth: dt.date, origin: str | None,
               surname: str | None = None, phone: float = 0.7, address: str | None = None,
               home: bool = True) -> Person:
    rng, ids = b.rng, b.ctx.ids
    surname = surname or names.surname(rng)
    name = surname + names.given_name(rng, gender)
    for _ in range(30):
        if ids.name_free(name, birth):
            break
        name = surname + names.given_name(rng, gender)
    ids.take_name(name, birth)
    origin = origin or local_county(b)
    pid = ids.resident_id(rng, origin, birth, gender)
    if address is None and home and rng.random() < 0.85:
        address = names.home_address(rng, b.region.name)
    p = Person(id=pid, name=name, surname=surname, gender=gender, birth=birth, origin=origin,
               phone=ids.phone(rng) if rng.random() < phone else None, address=address)
    b.persons[pid] = p
    return p


def birth_for_age(b: Block, lo: float, hi: float, at: dt.date | None = None) -> dt.date:
    at = at or b.as_of
    return b.rand_date(at - years(hi + 1) + dt.timedelta(days=1), at - years(lo))


def local_county(b: Block) -> str:
    """A county where people of this block mostly grew up."""
    regions = b.ctx.regions
    if b.level == "county":
        return b.region.code
    if b.level == "city":
        return b.rng.choice(b.region.children)
    return b.rng.choice(regions.counties()).code


def other_city_county(b: Block) -> str:
    """A county outside the block's city (anywhere in the province for province blocks)."""
    regions = b.ctx.regions
    if b.level == "province":
        return b.rng.choice(regions.counties()).code
    city = regions.city_of(b.region.code).code
    cities = [c for c in regions.cities if c.code != city]
    return b.rng.choice(regions.counties(b.rng.choice(cities).code)).code


def background_origin(b: Block, seat: Seat | None) -> str:
    """Where a background cadre grew up: heads subject to regional avoidance (and
    township heads) always outside the block's city; others mostly local."""
    if seat is not None and seat.protected:
        return other_city_county(b)
    x = b.rng.random()
    if x < 0.75:
        return local_county(b)
    if x < 0.9 and b.level != "province":
        city = b.ctx.regions.city_of(b.region.code)
        return b.rng.choice(city.children)
    return other_city_county(b)


def managed_by(b: Block, rank: str) -> str:
    own = b.ctx.upper[b.region.code]["organisation_dept"][0]
    upper = b.upper_block().get("organisation_dept")
    limit = {"county": "vice_division", "city": "vice_bureau"}.get(b.level)
    if upper and limit and RANK_ORDER[rank] >= RANK_ORDER[limit]:
        return upper[0]
    return own


def make_cadre(b: Block, seat: Seat | None, person: Person | None = None, rank: str | None = None,
               start: dt.date | None = None, origin: str | None = None) -> Person:
    """A cadre holding `seat` from `start` (or a cadre without a current post)."""
    rng, bg = b.rng, b.cfg.background
    rank = rank or seat.rank
    if person is None:
        lo, hi = AGE_BY_RANK[rank]
        gender = "M" if rng.random() < (0.8 if RANK_ORDER[rank] >= 3 else 0.6) else "F"
        person = new_person(b, gender, birth_for_age(b, lo, hi), origin or background_origin(b, seat),
                            phone=0.97)
    work_start = min(b.rand_date(add_years(person.birth, 21), add_years(person.birth, 25)),
                     b.as_of - YEAR)
    lead = seat is not None and seat.in_leadership
    info = CadreInfo(rank=rank, managed_by=managed_by(b, rank),
                     party_member=rng.random() < (0.98 if lead else 0.8),
                     work_start=work_start, rank_since=work_start)
    person.cadre = info
    b.cadres.append(person)
    if seat is not None:
        if start is None:
            lo = max(work_start + dt.timedelta(days=60),
                     b.as_of - dt.timedelta(days=bg["max_tenure_days"]))
            start = b.rand_date(lo, b.as_of - dt.timedelta(days=30))
        seat_person(seat, person, start)
    return person


def seat_person(seat: Seat, person: Person, start: dt.date) -> None:
    info = person.cadre
    info.seat, info.start, info.rank = seat, start, seat.rank
    info.rank_since = start
    seat.holder = person
    seat.free_before = start
    seat.occupants.append((person, start, None))


def fill_seats(b: Block) -> None:
    for seat in b.seats:
        vacant = b.rng.random() > b.cfg.background["fill_rate"] and seat.id not in b.must_fill
        if seat.reserved or vacant:
            seat.free_before = b.as_of
            continue
        make_cadre(b, seat)


def former_cadres(b: Block) -> list[Person]:
    """Retired and resigned cadres (their posts are assigned by careers.py)."""
    rng, bg = b.rng, b.cfg.background
    n_office = len(b.cadres)
    out = []
    candidates = [s for s in b.seats if not s.protected]
    for i in range(round(n_office * (bg["retired_share"] + bg["resigned_share"]))):
        seat = rng.choice(candidates)
        retired = i < round(n_office * bg["retired_share"])
        if retired:
            birth = b.rand_date(add_years(b.as_of, -65), add_years(b.as_of, -60))
        else:
            birth = birth_for_age(b, max(30, AGE_BY_RANK[seat.rank][0]), 50)
        gender = "M" if rng.random() < 0.7 else "F"
        p = new_person(b, gender, birth, background_origin(b, None), phone=0.9)
        make_cadre(b, None, person=p, rank=seat.rank)
        end = add_years(birth, 60) if retired else b.rand_date(
            b.as_of - years(6), b.as_of - years(0.5))
        p.cadre.left = end
        if p.cadre.work_start > end - years(1):
            p.cadre.work_start = max(add_years(birth, 18), end - years(rng.uniform(1, 4)))
        out.append(p)
    return out
