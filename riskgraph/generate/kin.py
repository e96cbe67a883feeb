"""Kinship primitives on base edges only: SPOUSE_OF, PARENT_OF, SIBLING_OF.

Every function keeps dates consistent (parents 20-42 at a birth, marriages after the
legal age, children after their parents' marriage) and returns None when it cannot.
"""

from __future__ import annotations

import datetime as dt

from riskgraph.generate.model import Block, Person
from riskgraph.generate.people import new_person, years
from riskgraph.tenure import add_years

MARRY_AGE = {"M": 22, "F": 20}
MIN_BIRTH = dt.date(1900, 1, 2)


def add_parent(b: Block, parent: Person, child: Person) -> None:
    b.rows["parents"].append({"parent": parent.id, "child": child.id})
    b.children[parent.id].append(child.id)
    if parent.gender == "M":
        child.father = parent.id
    else:
        child.mother = parent.id


def add_spouse(b: Block, a: Person, c: Person, start: dt.date, end: dt.date | None = None) -> dict:
    row = {"person": a.id, "spouse": c.id, "start_date": start, "end_date": end}
    b.rows["spouses"].append(row)
    b.spouse_rows[a.id].append(row)
    b.spouse_rows[c.id].append(row)
    return row


def add_sibling(b: Block, a: Person, c: Person) -> None:
    b.rows["siblings"].append({"person": a.id, "sibling": c.id})
    b.sibling_of[a.id].append(c.id)
    b.sibling_of[c.id].append(a.id)


def other(row: dict, pid: str) -> str:
    return row["spouse"] if row["person"] == pid else row["person"]


def spouse_at(b: Block, p: Person, day: dt.date) -> Person | None:
    for row in b.spouse_rows.get(p.id, ()):
        if row["start_date"] <= day and (row["end_date"] is None or row["end_date"] >= day):
            return b.persons[other(row, p.id)]
    return None


def parents(b: Block, p: Person) -> list[Person]:
    return [b.persons[x] for x in (p.father, p.mother) if x]


def children(b: Block, p: Person) -> list[Person]:
    return [b.persons[c] for c in b.children.get(p.id, ())]


def siblings(b: Block, p: Person) -> list[Person]:
    out = {}
    for par in parents(b, p):
        for c in b.children.get(par.id, ()):
            if c != p.id:
                out[c] = b.persons[c]
    for s in b.sibling_of.get(p.id, ()):
        out[s] = b.persons[s]
    return list(out.values())


def close_family(b: Block, p: Person, day: dt.date) -> list[tuple[str, Person]]:
    """Spouse, children and children's spouses on `day` (亲属经商 scope)."""
    out = []
    s = spouse_at(b, p, day)
    if s:
        out.append(("spouse", s))
    for c in children(b, p):
        out.append(("child", c))
        cs = spouse_at(b, c, day)
        if cs:
            out.append(("child_spouse", cs))
    return out


def adult(p: Person) -> dt.date:
    return add_years(p.birth, MARRY_AGE[p.gender])


def make_parents(b: Block, p: Person) -> list[Person]:
    """Both parents of `p`, created (and married to each other) when none is on file."""
    if p.father or p.mother:
        return parents(b, p)
    rng = b.rng
    fb = p.birth - years(rng.uniform(23, 36))
    mb = fb + years(rng.uniform(-2, 5))
    if (p.birth - mb).days < 20 * 365 or (p.birth - mb).days > 41 * 365:
        mb = p.birth - years(rng.uniform(21, 33))
    if min(fb, mb) < MIN_BIRTH:
        return []
    father = new_person(b, "M", fb, p.origin, surname=p.surname, phone=0.5)
    mother = new_person(b, "F", mb, p.origin, phone=0.5, address=father.address)
    start = max(adult(father), adult(mother))
    start = b.rand_date(start, max(start, p.birth - dt.timedelta(days=300)))
    add_spouse(b, father, mother, start)
    add_parent(b, father, p)
    add_parent(b, mother, p)
    return [father, mother]


def ensure_spouse(b: Block, p: Person, by: dt.date | None = None,
                  latest: dt.date | None = None) -> Person | None:
    """The spouse of `p` on day `by` (default as_of); marries `p` to a new person, the
    wedding before `latest`, when `p` is single then and old enough."""
    by = by or b.as_of
    current = spouse_at(b, p, by)
    if current:
        return current
    rng = b.rng
    rows = b.spouse_rows.get(p.id, ())
    earliest = adult(p)
    for row in rows:
        if row["end_date"] is None:
            return None                     # married later than `by`; leave it
        earliest = max(earliest, row["end_date"] + dt.timedelta(days=180))
    latest = min(latest or by, by, b.as_of) - dt.timedelta(days=30)
    if earliest > latest:
        return None
    gender = "F" if p.gender == "M" else "M"
    gap = rng.uniform(-1, 5) if p.gender == "M" else rng.uniform(-5, 1)
    sb = max(p.birth + years(gap), MIN_BIRTH)
    s_adult = add_years(sb, MARRY_AGE[gender])
    lo = max(earliest, s_adult)
    if lo > latest:
        sb = p.birth
        lo = max(earliest, add_years(sb, MARRY_AGE[gender]))
        if lo > latest:
            return None
    hi = min(latest, lo + years(rng.choice((2, 4, 6, 9))))
    start = b.rand_date(lo, hi)
    spouse = new_person(b, gender, sb, p.origin if rng.random() < 0.6 else None,
                        address=p.address)
    add_spouse(b, p, spouse, start)
    return spouse


def new_child(b: Block, p: Person, min_age: float = 0, max_age: float = 80) -> Person | None:
    """A new child of `p` and of p's (first fitting) spouse, born during the marriage."""
    rng = b.rng
    rows = list(b.spouse_rows.get(p.id, ()))
    if not rows:
        if ensure_spouse(b, p, latest=b.as_of - years(min_age + 1)) is None:
            return None
        rows = list(b.spouse_rows[p.id])
    rng.shuffle(rows)
    for row in rows:
        other_p = b.persons[other(row, p.id)]
        mother = p if p.gender == "F" else other_p
        father = other_p if mother is p else p
        lo = max(row["start_date"] + dt.timedelta(days=300), add_years(mother.birth, 20),
                 add_years(father.birth, 20), b.as_of - years(max_age))
        hi = min(row["end_date"] or b.as_of, add_years(mother.birth, 42),
                 add_years(father.birth, 60), b.as_of - years(min_age) - dt.timedelta(days=1))
        if lo > hi:
            continue
        child = new_person(b, rng.choice("MF"), b.rand_date(lo, hi), p.origin,
                           surname=father.surname, address=p.address)
        add_parent(b, father, child)
        add_parent(b, mother, child)
        return child
    return None


def new_sibling(b: Block, p: Person, min_age: float = 0) -> Person | None:
    """A brother or sister: child of p's parents when on file, else a SIBLING_OF edge."""
    rng = b.rng
    pars = parents(b, p)
    lo = max(p.birth - years(10), MIN_BIRTH)
    hi = min(p.birth + years(10), b.as_of - years(max(min_age, 1)))
    for par in pars:
        lo = max(lo, add_years(par.birth, 20))
        hi = min(hi, add_years(par.birth, 44 if par.gender == "F" else 60))
    if lo > hi:
        return None
    birth = b.rand_date(lo, hi)
    if abs((birth - p.birth).days) < 300:
        birth = birth + dt.timedelta(days=400) if birth + dt.timedelta(days=400) <= hi else \
            birth - dt.timedelta(days=400)
        if not lo <= birth <= hi:
            return None
    sib = new_person(b, rng.choice("MF"), birth, p.origin, surname=p.surname)
    if len(pars) == 2:
        for par in pars:
            add_parent(b, par, sib)
    else:
        add_sibling(b, p, sib)
    return sib


def statutory(b: Block, p: Person, day: dt.date) -> set[str]:
    """Ids of p's statutory relatives on `day` (公务员回避规定 Art. 5): spouse; lineal
    relatives up to grandparents and grandchildren; siblings, parents' siblings, first
    cousins, nephews and nieces; spouse's parents and siblings (and their spouses);
    children's spouses and their parents; spouses of the collateral relatives."""
    def wed(xs):
        return {s for x in xs if (s := spouse_at(b, x, day))}

    def up(xs):
        return [q for x in xs for q in parents(b, x)]

    def down(xs):
        return [q for x in xs for q in children(b, x)]

    def sibs(xs):
        return [q for x in xs for q in siblings(b, x)]

    me = [p]
    sp, par, kids = wed(me), up(me), down(me)
    collateral = sibs(me) + sibs(par) + down(sibs(par)) + down(sibs(me))
    kid_sp = wed(kids)
    found = (set(sp) | set(par) | set(up(par)) | set(kids) | set(down(kids)) | set(collateral)
             | set(up(sp)) | set(sibs(sp)) | wed(sibs(sp)) | kid_sp | set(up(kid_sp))
             | wed(collateral))
    return {q.id for q in found} - {p.id}


def related_since(b: Block, a: Person, rel: Person, since: dt.date, close: bool = False) -> dt.date | None:
    """The first day from `since` on which `rel` is a statutory relative of `a` (or, with
    `close`, a spouse, child or child's spouse), checking the days marriages began."""
    people = [a, rel] + children(b, a) + children(b, rel)
    days = sorted({r["start_date"] for x in people for r in b.spouse_rows.get(x.id, ())
                   if since < r["start_date"] <= b.as_of})
    for day in [since] + days:
        ids = {q.id for _, q in close_family(b, a, day)} if close else statutory(b, a, day)
        if rel.id in ids:
            return day
    return None
