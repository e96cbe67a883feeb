"""In-memory objects of one block, kept until the block is written out."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from riskgraph.generate.config import GenConfig
from riskgraph.generate.ids import IdFactory
from riskgraph.generate.regions import Region, Regions


@dataclass(slots=True, eq=False, repr=False)
class CadreInfo:
    rank: str
    managed_by: str
    party_member: bool
    work_start: dt.date
    rank_since: dt.date
    seat: "Seat | None" = None          # current post
    start: dt.date | None = None        # current post since
    history: list = field(default_factory=list)   # [(seat, start, end)], newest first
    no_history: bool = False
    left: dt.date | None = None         # former cadres: the day they left office


@dataclass(slots=True, eq=False, repr=False)
class Person:
    id: str
    name: str
    surname: str
    gender: str
    birth: dt.date
    origin: str | None                  # grew_up_in
    phone: str | None = None
    address: str | None = None
    abroad_country: str | None = None
    abroad_since: dt.date | None = None
    father: str | None = None
    mother: str | None = None
    cadre: CadreInfo | None = None
    tag: str | None = None              # the planted case that owns this person

    def __repr__(self) -> str:
        return f"Person({self.id} {self.name})"

    def age_at(self, day: dt.date) -> float:
        return (day - self.birth).days / 365.25


@dataclass(slots=True, eq=False, repr=False)
class Org:
    id: str
    name: str
    kind: str
    level: str
    tier: str
    parent: str | None
    region: str
    regulates: tuple[str, ...]
    spec: dict
    seats: list = field(default_factory=list)
    head: "Seat | None" = None
    deputies: list = field(default_factory=list)
    sections: list = field(default_factory=list)   # [(category, chief, [staff])]


@dataclass(slots=True, eq=False, repr=False)
class Seat:
    id: str
    name: str
    org: Org
    rank: str
    category: str
    domains: tuple[str, ...]
    is_head: bool
    in_leadership: bool
    reports_to: str | None              # post id (may be in an earlier block)
    role: str                           # head, deputy, chief, staff
    holder: Person | None = None
    free_before: dt.date | None = None  # history may use the seat only before this day
    protected: bool = False             # never used for background history
    reserved: bool = False              # kept empty for a planted cadre
    occupants: list = field(default_factory=list)   # [(person, start, end)]


@dataclass(slots=True, eq=False, repr=False)
class Company:
    id: str
    name: str
    industry: str
    region: str
    address: str
    phone: str | None
    capital: float
    founded: dt.date
    status: str = "active"
    role: str = "general"               # contractor, general, family, holding, plant
    tag: str | None = None


@dataclass
class Ctx:
    """What lives across blocks."""
    cfg: GenConfig
    seed: int
    ids: IdFactory
    regions: Regions
    upper: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    # region code -> org kind -> (org id, head post id), for province and city blocks


class Block:
    def __init__(self, ctx: Ctx, region: Region):
        self.ctx = ctx
        self.cfg = ctx.cfg
        self.as_of = ctx.cfg.as_of
        self.region = region
        self.level = region.level
        self.rng = random.Random(f"{ctx.seed}:{region.code}")
        self.orgs: list[Org] = []
        self.seats: list[Seat] = []
        self.persons: dict[str, Person] = {}
        self.cadres: list[Person] = []
        self.companies: list[Company] = []
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.spouse_rows: dict[str, list[dict]] = defaultdict(list)
        self.children: dict[str, list[str]] = defaultdict(list)
        self.sibling_of: dict[str, list[str]] = defaultdict(list)
        self.rel_role: dict[str, tuple[str, str]] = {}   # relative -> (cadre id, role)
        self.gt: list[dict] = []
        self.claimed: set[str] = set()      # ids used by planted cases
        self.counters: dict[str, int] = defaultdict(int)
        self.contractors: list[Company] = []
        self.general: list[Company] = []
        self.general_people: list[Person] = []
        self.others: list[Person] = []      # business people unrelated to any cadre
        self.tamper: dict[str, list] = {}   # cadre id -> declaration item filters
        self.wvd: dict[str, str] = {}       # cadre id -> words-vs-deeds plant (excellent grades)
        self.formers: list[Person] = []     # retired and resigned cadres
        self.plans: list[dict] = []         # seat reservations of planted cases
        self.must_fill: set[str] = set()    # seats a planted case needs a holder in

    def next_id(self, prefix: str, width: int = 6) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.region.code}{self.counters[prefix]:0{width}d}"

    def upper_block(self) -> dict[str, tuple[str, str]]:
        """Organisations of the block one level up (city for a county, province for a city)."""
        parent = self.region.parent
        return self.ctx.upper.get(parent, {}) if parent else {}

    def in_office(self) -> list[Person]:
        return [p for p in self.cadres if p.cadre.seat is not None]

    def free_cadres(self) -> list[Person]:
        return [p for p in self.cadres if p.cadre.seat is not None and p.tag is None]

    def rand_date(self, lo: dt.date, hi: dt.date) -> dt.date:
        if hi <= lo:
            return lo
        return lo + dt.timedelta(days=self.rng.randrange((hi - lo).days + 1))
