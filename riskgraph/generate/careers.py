"""Occupancy histories (earlier posts, never two holders of a seat at once) and the
personnel decisions (DECIDED_ON) behind current appointments."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from riskgraph.generate.config import RANK_ORDER, RANKS
from riskgraph.generate.model import Block, Person, Seat
from riskgraph.generate.people import years
from riskgraph.tenure import add_years

# Earlier posts at the current rank stop this many days short of the rank-level limit.
RANK_LEVEL_MARGIN_DAYS = 60


def holder_at(seat: Seat, day: dt.date) -> tuple[Person, dt.date] | None:
    for person, start, end in seat.occupants:
        if start <= day and (end is None or day <= end):
            return person, start
    return None


def occupy(seat: Seat, person: Person, start: dt.date, end: dt.date) -> None:
    seat.occupants.append((person, start, end))
    seat.free_before = min(seat.free_before or start, start)
    person.cadre.history.append((seat, start, end))


def _pick(b: Block, pool: dict[str, list[Seat]], rank: str, end: dt.date, mine: set) -> Seat | None:
    seats = pool.get(rank) or []
    for _ in range(12 if seats else 0):
        s = seats[b.rng.randrange(len(seats))]
        if s.free_before is not None and s.free_before > end and s.id not in mine:
            return s
    return None


def assign_histories(b: Block, formers: list[Person]) -> None:
    rng = b.rng
    pool: dict[str, list[Seat]] = defaultdict(list)
    for s in b.seats:
        if not s.protected:
            pool[s.rank].append(s)
    lo, hi = b.cfg.background["history_posts"]
    for p in formers:
        info = p.cadre
        seat = _pick(b, pool, info.rank, info.left, set())
        if seat is None:
            seat = next((s for s in b.seats if not s.protected and s.free_before
                         and s.free_before > info.left), None)
        if seat is None:
            continue
        start = max(info.work_start, info.left - years(rng.uniform(2, 4.8)))
        occupy(seat, p, start, info.left)
        info.rank = seat.rank
        _earlier(b, pool, p, start, rng.randint(lo, hi))
        info.rank_since = _rank_since(p, start)
    for p in b.cadres:
        info = p.cadre
        if info.seat is None or info.no_history:
            continue
        _earlier(b, pool, p, info.start, rng.randint(lo, hi))
        info.rank_since = _rank_since(p, info.start)


def rank_level_floor(b: Block) -> dt.date:
    """The earliest day a run of posts at one rank may start: no one reaches the
    rank-level limit (post_tenure's rank_level rule), which no planted case asks for."""
    limit = b.cfg.rules["tenure"]["rank_level_years"]
    return add_years(b.as_of, -limit) + dt.timedelta(days=RANK_LEVEL_MARGIN_DAYS)


def _earlier(b: Block, pool, p: Person, cursor: dt.date, n: int) -> None:
    rng, info = b.rng, p.cadre
    mine = {s.id for s, _, _ in info.history}
    if info.seat is not None:
        mine.add(info.seat.id)
    rank_i = RANK_ORDER[info.rank]
    floor = rank_level_floor(b)
    for _ in range(n):
        end = cursor - dt.timedelta(days=rng.randint(1, 60))
        start = max(info.work_start, end - years(rng.uniform(1.5, 4.8)))
        if (end - start).days < 180:
            return
        if rank_i > 0 and rng.random() < 0.6:
            rank_i -= 1
        if rank_i == RANK_ORDER[info.rank]:   # still the current rank: keep the run short
            start = max(start, floor)
            if (end - start).days < 180:
                return
        seat = _pick(b, pool, RANKS[rank_i], end, mine)
        if seat is None:
            return
        occupy(seat, p, start, end)
        mine.add(seat.id)
        cursor = start


def _rank_since(p: Person, current_start: dt.date) -> dt.date:
    since = current_start
    for seat, start, _ in p.cadre.history:
        if seat.rank != p.cadre.rank or start > since:
            break
        since = start
    return since


def personnel_acts(b: Block) -> None:
    """Appointments of the last `years` years, decided by the organisation department head."""
    dept = next(o for o in b.orgs if o.kind == "organisation_dept")
    first = dt.date(b.as_of.year - b.cfg.years, 1, 1)
    for p in b.cadres:
        info = p.cadre
        if info.seat is None or _paired(p) or info.start < first:
            continue
        day = info.start - dt.timedelta(days=b.rng.randint(7, 30))
        held = holder_at(dept.head, day)
        if not held or _paired(held[0]) or held[0] is p:
            continue
        before = p.cadre.history[0][0].rank if p.cadre.history else None
        promoted = before is not None and RANK_ORDER[info.rank] > RANK_ORDER[before]
        b.rows["personnel_acts"].append({
            "person": held[0].id, "subject": p.id, "date": day, "post": dept.head.id,
            "matter": "promotion" if promoted else "appointment"})


def _paired(p: Person) -> bool:
    """Cadres of planted kinship pairs (the only cadres related to other cadres)."""
    return bool(p.tag) and p.tag.startswith("post_avoidance")
