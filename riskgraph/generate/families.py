"""Families around cadres (background), and relatives of a named kind (for plants).

Kinship is stored only as base edges; the role a relative plays towards the cadre the
family was built around is kept in ``Block.rel_role`` for the generator's own use.
"""

from __future__ import annotations

from riskgraph.generate import kin
from riskgraph.generate.model import Block, Person
from riskgraph.generate.names import COUNTRIES
from riskgraph.generate.people import years
from riskgraph.tenure import add_years

# Statutory relatives (公务员回避规定 Art. 5) a plant can create, with Chinese labels.
STATUTORY = {
    "spouse": "配偶", "parent": "父母", "child": "子女", "grandparent": "祖父母/外祖父母",
    "grandchild": "孙子女/外孙子女", "sibling": "兄弟姐妹", "parent_sibling": "伯叔姑舅姨",
    "cousin": "堂表兄弟姐妹", "nephew": "侄子女/外甥子女", "spouse_parent": "配偶的父母",
    "spouse_sibling": "配偶的兄弟姐妹", "spouse_sibling_spouse": "配偶的兄弟姐妹的配偶",
    "child_spouse": "子女的配偶", "child_spouse_parent": "子女配偶的父母",
    "sibling_spouse": "兄弟姐妹的配偶",
}
NON_STATUTORY = {"second_cousin": "远房堂表亲（再从兄弟姐妹）"}
CLOSE = ("spouse", "child", "child_spouse")


def _note(b: Block, ego: Person, role: str, p: Person | None) -> Person | None:
    if p is not None and p.id not in b.rel_role and p.cadre is None:
        b.rel_role[p.id] = (ego.id, role)
    return p


def build_family(b: Block, ego: Person) -> None:
    """A background family of one to four generations around `ego`."""
    rng = b.rng
    age = ego.age_at(b.as_of)
    if rng.random() < 0.5:
        for par in kin.make_parents(b, ego):
            _note(b, ego, "parent", par)
        pars = kin.parents(b, ego)
        if pars and rng.random() < 0.08:
            for gp in kin.make_parents(b, pars[0]):
                _note(b, ego, "grandparent", gp)
        if pars and rng.random() < 0.05:
            uncle = _note(b, ego, "parent_sibling", kin.new_sibling(b, rng.choice(pars), min_age=30))
            if uncle:
                _note(b, ego, "cousin", kin.new_child(b, uncle, min_age=1))
    n_sib = rng.choices((0, 1, 2, 3), (0.5, 0.32, 0.13, 0.05) if ego.birth.year < 1980
                        else (0.65, 0.3, 0.05, 0.0))[0]
    for _ in range(n_sib):
        sib = _note(b, ego, "sibling", kin.new_sibling(b, ego))
        if sib and sib.age_at(b.as_of) > 25 and rng.random() < 0.3:
            _note(b, ego, "sibling_spouse", kin.ensure_spouse(b, sib))
            if rng.random() < 0.2:
                _note(b, ego, "nephew", kin.new_child(b, sib))
        if sib and rng.random() < 0.01:
            _abroad(b, sib)
    if age < 24 or rng.random() > min(0.92, (age - 22) / 8):
        return
    married_before = bool(b.spouse_rows.get(ego.id))
    spouse = _note(b, ego, "spouse", kin.ensure_spouse(b, ego))
    if spouse is None:
        return
    row = b.spouse_rows[ego.id][-1]
    if not married_before and rng.random() < 0.06 and (b.as_of - row["start_date"]).days > 5 * 365:
        row["end_date"] = b.rand_date(row["start_date"] + years(2), b.as_of - years(1))
        b.rel_role[spouse.id] = (ego.id, "ex_spouse")
        if rng.random() < 0.5:
            _note(b, ego, "spouse", kin.ensure_spouse(b, ego))
    spouse = kin.spouse_at(b, ego, b.as_of) or spouse
    if rng.random() < 0.18:
        for par in kin.make_parents(b, spouse):
            _note(b, ego, "spouse_parent", par)
    if rng.random() < 0.12:
        _note(b, ego, "spouse_sibling", kin.new_sibling(b, spouse))
    n_child = rng.choices((0, 1, 2, 3), (0.12, 0.58, 0.26, 0.04))[0]
    for _ in range(n_child):
        child = _note(b, ego, "child", kin.new_child(b, ego))
        if child is None:
            break
        if child.age_at(b.as_of) > 18 and rng.random() < 0.02:
            _abroad(b, child)
        if child.age_at(b.as_of) > 24 and rng.random() < 0.45:
            cs = _note(b, ego, "child_spouse", kin.ensure_spouse(b, child))
            if cs and rng.random() < 0.4:
                _note(b, ego, "grandchild", kin.new_child(b, child))


def _abroad(b: Block, p: Person) -> None:
    lo = add_years(p.birth, 18)
    if lo < b.as_of - years(1):
        p.abroad_country = b.rng.choice(COUNTRIES)
        p.abroad_since = b.rand_date(lo, b.as_of - years(1))


def existing(b: Block, ego: Person, kind: str) -> list[Person]:
    """Relatives of `kind` already on file (for the kinds that are cheap to find)."""
    day = b.as_of
    if kind == "spouse":
        s = kin.spouse_at(b, ego, day)
        return [s] if s else []
    if kind == "parent":
        return kin.parents(b, ego)
    if kind == "child":
        return kin.children(b, ego)
    if kind == "sibling":
        return kin.siblings(b, ego)
    if kind == "child_spouse":
        return [s for c in kin.children(b, ego) if (s := kin.spouse_at(b, c, day))]
    return []


def make_close_relative(b: Block, ego: Person, min_age: float = 0) -> tuple[Person | None, str | None]:
    """A spouse, child or child's spouse of `ego` (kinds tried in random order), with its
    kind; (None, None) when the family has room for none."""
    for kind in b.rng.sample(CLOSE, len(CLOSE)):
        rel = make_relative(b, ego, kind, min_age=min_age)
        if rel:
            return rel, kind
    return None, None


def make_relative(b: Block, ego: Person, kind: str, reuse: bool = True,
                  min_age: float = 0) -> Person | None:
    """A relative of `kind` of `ego` (reusing an untagged one when allowed); None when
    the family's dates leave no room for one."""
    if reuse:
        for p in existing(b, ego, kind):
            if p.tag is None and p.cadre is None and p.age_at(b.as_of) >= min_age:
                return p
    p = _create(b, ego, kind, min_age)
    if p is not None and (p.cadre is not None or p.age_at(b.as_of) < min_age):
        return None
    return _note(b, ego, kind, p)


def _one_parent(b: Block, p: Person | None) -> Person | None:
    if p is None:
        return None
    pars = kin.make_parents(b, p)
    return b.rng.choice(pars) if pars else None


def _create(b: Block, ego: Person, kind: str, min_age: float) -> Person | None:
    if kind == "spouse":
        return kin.ensure_spouse(b, ego)
    if kind == "parent":
        return _one_parent(b, ego)
    if kind == "child":
        return kin.new_child(b, ego, min_age=min_age)
    if kind == "grandparent":
        return _one_parent(b, _one_parent(b, ego))
    if kind == "grandchild":
        child = kin.new_child(b, ego, min_age=max(23, min_age + 23))
        return kin.new_child(b, child, min_age=min_age) if child else None
    if kind == "sibling":
        return kin.new_sibling(b, ego, min_age=min_age)
    if kind == "parent_sibling":
        par = _one_parent(b, ego)
        return kin.new_sibling(b, par, min_age=min_age) if par else None
    if kind == "cousin":
        par = _one_parent(b, ego)
        uncle = kin.new_sibling(b, par, min_age=min_age + 20) if par else None
        return kin.new_child(b, uncle, min_age=min_age) if uncle else None
    if kind == "nephew":
        sib = kin.new_sibling(b, ego, min_age=min_age + 20)
        return kin.new_child(b, sib, min_age=min_age) if sib else None
    if kind == "spouse_parent":
        return _one_parent(b, kin.ensure_spouse(b, ego))
    if kind == "spouse_sibling":
        s = kin.ensure_spouse(b, ego)
        return kin.new_sibling(b, s, min_age=min_age) if s else None
    if kind == "spouse_sibling_spouse":
        s = kin.ensure_spouse(b, ego)
        ss = kin.new_sibling(b, s, min_age=max(24, min_age)) if s else None
        return kin.ensure_spouse(b, ss) if ss else None
    if kind == "child_spouse":
        child = kin.new_child(b, ego, min_age=max(24, min_age))
        return kin.ensure_spouse(b, child) if child else None
    if kind == "child_spouse_parent":
        child = kin.new_child(b, ego, min_age=24)
        cs = kin.ensure_spouse(b, child) if child else None
        return _one_parent(b, cs)
    if kind == "sibling_spouse":
        sib = kin.new_sibling(b, ego, min_age=max(24, min_age))
        return kin.ensure_spouse(b, sib) if sib else None
    if kind == "second_cousin":
        gp = _one_parent(b, _one_parent(b, ego))
        great_uncle = kin.new_sibling(b, gp, min_age=60) if gp else None
        cousin_parent = kin.new_child(b, great_uncle, min_age=min_age + 20) if great_uncle else None
        return kin.new_child(b, cousin_parent, min_age=min_age) if cousin_parent else None
    raise ValueError(f"unknown kinship kind {kind!r}")
