"""Statutory kinship (公务员回避规定 Art. 5; 公务员法 Art. 74), derived from base edges.

The graph stores only spouse, parent/child and sibling edges. This module derives the
four statutory categories from them, on a given date (a marriage counts only while it
held), and names each relation in Chinese for the evidence (配偶的妹妹的丈夫).

A relation is a walk of steps from one person to another: ``S`` spouse, ``P`` parent,
``C`` child, ``B`` sibling (an explicit SIBLING_OF edge, or two children of one parent).
The statute is the allow-list of walks below; nothing else is a statutory relative
(so second cousins, great-grandparents or a sibling's spouse's parent are not).

>>> fam = Family()
>>> fam.add_person("A", "M", date(1970, 1, 1)); fam.add_person("W", "F", date(1972, 1, 1))
>>> fam.add_person("S", "F", date(1975, 1, 1)); fam.add_person("H", "M", date(1974, 1, 1))
>>> fam.add_person("F", "M", date(1940, 1, 1))
>>> fam.add_spouse("A", "W", date(1995, 5, 1), None)
>>> fam.add_parent("F", "W"); fam.add_parent("F", "S")
>>> fam.add_spouse("S", "H", date(2000, 1, 1), date(2010, 1, 1))
>>> r = fam.relation("A", "H", date(2005, 1, 1))
>>> r.category, r.name
('in_law', '配偶的妹妹的丈夫')
>>> fam.relation("A", "H", date(2012, 1, 1)) is None   # divorced by then
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

SPOUSE, PARENT, CHILD, SIBLING = "S", "P", "C", "B"

# The statutory walks, by category (see ../shared/domain.md "Statutory kinship").
STATUTORY: dict[str, str] = {
    "S": "spouse",
    # 直系血亲: grandparents (both sides), parents, children, grandchildren (both sides)
    "P": "lineal", "PP": "lineal", "C": "lineal", "CC": "lineal",
    # 三代以内旁系血亲: parents' siblings, siblings, first cousins, nephews and nieces
    "PB": "collateral", "B": "collateral", "PBC": "collateral", "BC": "collateral",
    # 近姻亲: spouse's parents; spouse's siblings and their spouses; children's spouses and
    # their parents; spouses of the collateral relatives above
    "SP": "in_law", "SB": "in_law", "SBS": "in_law", "CS": "in_law", "CSP": "in_law",
    "PBS": "in_law", "BS": "in_law", "PBCS": "in_law", "BCS": "in_law",
}
CATEGORY_ZH = {"spouse": "夫妻关系", "lineal": "直系血亲", "collateral": "三代以内旁系血亲",
               "in_law": "近姻亲"}
CATEGORY_ORDER = {"spouse": 0, "lineal": 1, "collateral": 2, "in_law": 3}
# Spouse, child and child's spouse: the relatives whose businesses the rules on
# relatives running businesses cover (纪律处分条例 Art. 107; 公务员法 Art. 74(2)).
CLOSE_FAMILY = frozenset({"S", "C", "CS"})
_PREFIXES = frozenset(w[:i] for w in STATUTORY for i in range(1, len(w) + 1))
MAX_STEPS = max(len(w) for w in STATUTORY)
# Base edges a walk of MAX_STEPS may cross: a derived sibling is two edges (P then C).
MAX_EDGE_HOPS = MAX_STEPS + 1


@dataclass(frozen=True)
class Link:
    """One base edge as a step of a walk, with the dates it held (spouses only)."""

    step: str
    to: str
    start: date | None = None
    end: date | None = None
    via: str | None = None   # the common parent of a derived sibling
    source: str | None = None   # the base edge's import source (file:row)

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Relation:
    """How ``target`` is a statutory relative of ``source`` on a date."""

    source: str
    target: str
    walk: str                      # e.g. "SBS"
    category: str                  # spouse | lineal | collateral | in_law
    path: tuple[Link, ...]
    name: str                      # 配偶的妹妹的丈夫

    @property
    def category_zh(self) -> str:
        return CATEGORY_ZH[self.category]

    @property
    def persons(self) -> list[str]:
        """Every person on the walk, source first, derived siblings' parents included."""
        out = [self.source]
        for link in self.path:
            if link.via:
                out.append(link.via)
            out.append(link.to)
        return out

    @property
    def close_family(self) -> bool:
        return self.walk in CLOSE_FAMILY


@dataclass
class Family:
    """Base kinship edges of some persons, in memory (fed by a Cypher extraction)."""

    gender: dict[str, str] = field(default_factory=dict)
    birth: dict[str, date | None] = field(default_factory=dict)
    spouses: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    children: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    siblings: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    names: dict[str, str] = field(default_factory=dict)
    person_sources: dict[str, str | None] = field(default_factory=dict)
    edge_sources: dict[tuple[str, str, str], str | None] = field(default_factory=dict)

    def add_person(self, pid: str, gender: str | None, birth: date | None,
                   name: str | None = None, source: str | None = None) -> None:
        self.gender[pid] = gender or ""
        self.birth[pid] = birth
        self.names[pid] = name or pid
        self.person_sources[pid] = source

    def add_spouse(self, a: str, b: str, start: date | None, end: date | None,
                   source: str | None = None) -> None:
        link = Link(SPOUSE, b, start, end, source=source)
        if link in self.spouses[a]:
            return
        self.spouses[a].append(link)
        self.spouses[b].append(Link(SPOUSE, a, start, end, source=source))

    def add_parent(self, parent: str, child: str, source: str | None = None) -> None:
        self.parents[child].add(parent)
        self.children[parent].add(child)
        self.edge_sources[(PARENT, child, parent)] = source

    def add_sibling(self, a: str, b: str, source: str | None = None) -> None:
        if a != b:
            self.siblings[a].add(b)
            self.siblings[b].add(a)
            self.edge_sources[(SIBLING, a, b)] = self.edge_sources[(SIBLING, b, a)] = source

    def source_of(self, step: str, a: str, b: str) -> str | None:
        """The import source of the base edge behind a parent or sibling step a → b."""
        if step == CHILD:
            return self.edge_sources.get((PARENT, b, a))
        return self.edge_sources.get((step, a, b))

    def steps(self, pid: str, day: date) -> list[Link]:
        """Every single step from ``pid`` that holds on ``day``, siblings deduplicated."""
        out = [link for link in self.spouses.get(pid, ()) if link.holds_on(day)]
        out += [Link(PARENT, p, source=self.source_of(PARENT, pid, p))
                for p in sorted(self.parents.get(pid, ()))]
        out += [Link(CHILD, c, source=self.source_of(CHILD, pid, c))
                for c in sorted(self.children.get(pid, ()))]
        sibs: dict[str, str | None] = {s: None for s in self.siblings.get(pid, ())}
        for p in sorted(self.parents.get(pid, ())):
            for s in sorted(self.children.get(p, ())):
                if s != pid:
                    sibs.setdefault(s, p)
        out += [Link(SIBLING, s, via=v, source=self.source_of(SIBLING, pid, s))
                for s, v in sorted(sibs.items())]
        return out

    def relatives(self, source: str, day: date) -> dict[str, Relation]:
        """Every statutory relative of ``source`` on ``day``, with the closest relation
        (by category, then by the shortest walk) when several walks lead to one person."""
        best: dict[str, Relation] = {}
        frontier: list[tuple[str, str, tuple[Link, ...]]] = [(source, "", ())]
        while frontier:
            nxt = []
            for pid, walk, path in frontier:
                for link in self.steps(pid, day):
                    w = walk + link.step
                    if w not in _PREFIXES or link.to == source:
                        continue
                    if any(link.to == p.to for p in path):
                        continue
                    p2 = path + (link,)
                    if w in STATUTORY:
                        rel = Relation(source, link.to, w, STATUTORY[w], p2, self.name(source, p2))
                        old = best.get(link.to)
                        if old is None or _rank(rel) < _rank(old):
                            best[link.to] = rel
                    nxt.append((link.to, w, p2))
            frontier = nxt
        return best

    def relation(self, a: str, b: str, day: date) -> Relation | None:
        """The statutory relation of ``b`` to ``a`` on ``day``, or None."""
        return self.relatives(a, day).get(b)

    def name(self, source: str, path: tuple[Link, ...]) -> str:
        words, prev = [], source
        for i, link in enumerate(path):
            words.append(self._word(link, prev, first=i == 0))
            prev = link.to
        return "的".join(words)

    def _word(self, link: Link, prev: str, first: bool) -> str:
        g = self.gender.get(link.to, "")
        if link.step == SPOUSE:
            return "配偶" if first or not g else ("丈夫" if g == "M" else "妻子")
        if link.step == PARENT:
            return {"M": "父亲", "F": "母亲"}.get(g, "父母")
        if link.step == CHILD:
            return {"M": "儿子", "F": "女儿"}.get(g, "子女")
        older = _older(self.birth.get(link.to), self.birth.get(prev))
        if g == "M":
            return {True: "哥哥", False: "弟弟"}.get(older, "兄弟")
        if g == "F":
            return {True: "姐姐", False: "妹妹"}.get(older, "姐妹")
        return "兄弟姐妹"


def _older(a: date | None, b: date | None) -> bool | None:
    if a is None or b is None or a == b:
        return None
    return a < b


def _rank(rel: Relation) -> tuple[int, int, str]:
    return (CATEGORY_ORDER[rel.category], len(rel.walk), rel.walk)
