"""Companies, shareholdings (with holding chains), directorships and employment.

Background rule that keeps detectors quiet: contractors (who bid on public projects)
are owned and run only by business people unrelated to any cadre; relatives' companies
and employers never bid; a company owned or run by anyone who is or was the spouse,
child or child's spouse of a cadre is in an industry no organisation regulates.
"""

from __future__ import annotations

import datetime as dt

from riskgraph.generate import kin, names
from riskgraph.generate.model import Block, Company, Person
from riskgraph.generate.people import birth_for_age, new_person, years
from riskgraph.tenure import add_years

INDUSTRY_WEIGHTS = {"A": 4, "B": 1, "C": 12, "D": 2, "E": 10, "F": 20, "G": 5, "H": 6, "I": 6,
                    "J": 1, "K": 4, "L": 10, "M": 5, "N": 2, "O": 5, "P": 2, "Q": 2, "R": 3}
CONTRACTOR_WEIGHTS = {"E": 40, "C": 10, "F": 10, "G": 8, "I": 8, "M": 12, "N": 7, "Q": 2, "P": 3}
OWNER_CHANCE = {"spouse": .1, "sibling": .15, "sibling_spouse": .12, "child": .1,
                "child_spouse": .1, "spouse_sibling": .12, "parent": .04, "cousin": .12,
                "nephew": .08}
POSITIONS = ("会计", "出纳", "销售经理", "行政专员", "工程师", "技术员", "部门经理", "职员", "采购专员")


def region_name(b: Block, code: str) -> str:
    return b.ctx.regions.by_code[code].name


def new_company(b: Block, industry: str, region: str | None = None, role: str = "general",
                founded: dt.date | None = None, capital: float | None = None) -> Company:
    rng = b.rng
    region = region or b.region.code
    place = region_name(b, region)
    n = b.counters["address"]
    b.counters["address"] += 1
    street = names.STREETS[n % len(names.STREETS)]
    number = (n // len(names.STREETS)) * 4 + rng.randint(1, 4)
    founded = founded or b.rand_date(dt.date(1995, 1, 1), b.as_of - years(1))
    capital = capital or round(min(50000.0, rng.lognormvariate(5.5, 1.2)), 0) or 10.0
    c = Company(id=b.ctx.ids.credit_code(region), name=names.company_name(rng, place[:-1], industry),
                industry=industry, region=region, address=f"{place}{street}{number}号",
                phone=b.ctx.ids.phone(rng), capital=capital, founded=founded, role=role)
    b.companies.append(c)
    return c


def add_owner(b: Block, owner: str, company: Company, percent: float, start: dt.date,
              end: dt.date | None = None, amount: float | None = None) -> dict:
    row = {"owner": owner, "company": company.id, "percent": round(percent, 2),
           "amount": round(company.capital * percent / 100, 2) if amount is None else amount,
           "start_date": start, "end_date": end}
    b.rows["ownerships"].append(row)
    return row


def add_director(b: Block, person: str, company: Company, role: str, start: dt.date,
                 end: dt.date | None = None) -> dict:
    row = {"person": person, "company": company.id, "role": role, "start_date": start,
           "end_date": end}
    b.rows["directorships"].append(row)
    return row


def add_employment(b: Block, person: str, employer: str, start: dt.date,
                   end: dt.date | None = None, position: str | None = None) -> dict:
    row = {"person": person, "employer": employer, "start_date": start, "end_date": end,
           "position": position or b.rng.choice(POSITIONS)}
    b.rows["employments"].append(row)
    return row


def other_person(b: Block, reuse: bool = False) -> Person:
    """A business person unrelated to any cadre; `reuse` may return one who already
    holds shares in ordinary (non-bidding) companies."""
    rng = b.rng
    if reuse and b.general_people and rng.random() < 0.5:
        return rng.choice(b.general_people)
    p = new_person(b, "M" if rng.random() < 0.7 else "F", birth_for_age(b, 28, 66), None, phone=0.9)
    b.others.append(p)
    if reuse:
        b.general_people.append(p)
    return p


def owned_by_others(b: Block, c: Company, chain_depth: int = 0, reuse: bool = False) -> None:
    """Shareholders and officers from unrelated business people, maybe via holdings
    (a chain of `chain_depth` holding companies)."""
    rng = b.rng
    if chain_depth > 0:
        holding = new_company(b, "L", c.region, role="holding",
                              founded=b.rand_date(dt.date(1995, 1, 1), c.founded))
        owned_by_others(b, holding, chain_depth - 1, reuse)
        add_owner(b, holding.id, c, rng.choice((51, 60, 70, 80, 100)), c.founded)
        boss = None
    else:
        n = rng.choices((1, 2, 3), (0.4, 0.4, 0.2))[0]
        owners: list[Person] = []
        for _ in range(n):
            who = other_person(b, reuse)
            owners.append(who if who not in owners else other_person(b))
        for who, pct in zip(owners, _split(rng, n)):
            add_owner(b, who.id, c, pct, c.founded)
        boss = owners[0]
    add_director(b, (boss or other_person(b, reuse)).id, c, "legal_rep", c.founded)
    if rng.random() < 0.5:
        add_director(b, other_person(b).id, c, "supervisor", c.founded)


def _split(rng, n: int) -> list[float]:
    if n == 1:
        return [100.0]
    cuts = sorted(rng.sample(range(10, 91, 5), n - 1))
    bounds = [0] + cuts + [100]
    return [float(bounds[i + 1] - bounds[i]) for i in range(n)]


def background_companies(b: Block) -> None:
    """Contractors and general companies, all owned by unrelated business people."""
    rng, bg = b.rng, b.cfg.background
    total = round(len(b.cadres) * bg["companies_per_cadre"])
    for _ in range(round(total * bg["contractor_share"])):
        ind = rng.choices(list(CONTRACTOR_WEIGHTS), list(CONTRACTOR_WEIGHTS.values()))[0]
        c = new_company(b, ind, role="contractor",
                        founded=b.rand_date(dt.date(1998, 1, 1), b.as_of - years(4)))
        owned_by_others(b, c, rng.choices((0, 1, 2), (0.8, 0.15, 0.05))[0])
        b.contractors.append(c)
    for _ in range(round(total * bg["general_share"])):
        ind = rng.choices(list(INDUSTRY_WEIGHTS), list(INDUSTRY_WEIGHTS.values()))[0]
        c = new_company(b, ind)
        c.status = rng.choices(("active", "revoked", "cancelled"), (0.9, 0.06, 0.04))[0]
        owned_by_others(b, c, rng.choices((0, 1), (0.9, 0.1))[0], reuse=True)
        b.general.append(c)


def restricted_persons(b: Block) -> set[str]:
    """Everyone who is or was the spouse, child or child's spouse of a cadre."""
    out = set()
    for p in b.cadres:
        for row in b.spouse_rows.get(p.id, ()):
            out.add(kin.other(row, p.id))
        for c in kin.children(b, p):
            out.add(c.id)
            for row in b.spouse_rows.get(c.id, ()):
                out.add(kin.other(row, c.id))
    return out


def relative_businesses(b: Block) -> None:
    """Businesses and jobs of background relatives (never bidding on public projects)."""
    rng = b.rng
    restricted = restricted_persons(b)
    employers = [c for c in b.general if c.status == "active"]
    for pid, (_, role) in list(b.rel_role.items()):
        p = b.persons[pid]
        age = p.age_at(b.as_of)
        if p.tag or p.cadre or age < 23 or p.abroad_country:
            continue
        if rng.random() < OWNER_CHANCE.get(role, 0.05) and age < 75:
            pool = b.cfg.unregulated if pid in restricted else list(INDUSTRY_WEIGHTS)
            weights = [INDUSTRY_WEIGHTS[i] for i in pool]
            family_company(b, p, rng.choices(pool, weights)[0])
        elif age < 60 and employers and rng.random() < 0.35:
            c = rng.choice(employers)
            start = b.rand_date(max(c.founded, add_years(p.birth, 22)), b.as_of - years(0.2))
            end = b.rand_date(start + years(1), b.as_of) if rng.random() < 0.1 and \
                start + years(1) < b.as_of else None
            add_employment(b, pid, c.id, start, end)


def family_company(b: Block, p: Person, industry: str, region: str | None = None,
                   role: str = "family", start: dt.date | None = None) -> Company:
    """A company owned (directly or through a holding) and run by `p`."""
    rng = b.rng
    if region is None:
        region = b.region.code if rng.random() < 0.7 else rng.choice(b.ctx.regions.counties()).code
    lo = max(add_years(p.birth, 22), dt.date(1995, 1, 1))
    founded = start or b.rand_date(lo, max(lo, b.as_of - years(0.5)))
    c = new_company(b, industry, region, role=role, founded=founded)
    if rng.random() < 0.1:
        holding = new_company(b, "L", region, role=role, founded=founded)
        add_owner(b, p.id, holding, 100.0, founded)
        add_director(b, p.id, holding, "legal_rep", founded)
        add_owner(b, holding.id, c, rng.choice((70.0, 80.0, 100.0)), founded)
    else:
        pct = rng.choice((51.0, 60.0, 70.0, 80.0, 100.0))
        add_owner(b, p.id, c, pct, founded)
        if pct < 100:
            add_owner(b, other_person(b).id, c, 100 - pct, founded)
    add_director(b, p.id, c, "legal_rep" if rng.random() < 0.8 else "manager", founded)
    return c
