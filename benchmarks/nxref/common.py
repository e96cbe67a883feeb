"""Graph helpers shared by the networkx reference rules: dated edges, current posts,
region containment, base kinship split into connected families (``Kin``), close family."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import networkx as nx
from nxgraph import in_edges, out_edges

from riskgraph.kinship import Family

KIN_TYPES = ("SPOUSE_OF", "PARENT_OF", "SIBLING_OF")


def holds_on(data: dict, day: date) -> bool:
    """A dated edge holds from its start (inclusive, open when missing) to its end
    (exclusive, open when missing)."""
    start, end = data.get("start_date"), data.get("end_date")
    return (start is None or start <= day) and (end is None or day < end)


def labels(g: nx.MultiDiGraph, node: str) -> set[str]:
    return g.nodes[node].get("labels", set())


def nodes_labelled(g: nx.MultiDiGraph, label: str):
    for node, attrs in g.nodes(data=True):
        if label in attrs.get("labels", ()):
            yield node, attrs


def edges_of_type(g: nx.MultiDiGraph, *types: str):
    """(source, target, attributes) of every edge of the given types."""
    for t in types:
        yield from g.graph["by_type"].get(t, ())


def one_target(g: nx.MultiDiGraph, node: str, rel: str) -> str | None:
    return next((t for t, _ in out_edges(g, node, rel)), None)


def current_holdings(g: nx.MultiDiGraph, day: date) -> list[tuple[str, str, str, dict]]:
    """(person, post, organisation, HOLDS attributes) of every post held on ``day``."""
    out = []
    for person, post, data in edges_of_type(g, "HOLDS"):
        if holds_on(data, day):
            out.append((person, post, one_target(g, post, "IN_ORG"), data))
    return out


def within(g: nx.MultiDiGraph, region: str | None, outer: str, levels: int = 2) -> bool:
    """Whether ``region`` is ``outer`` or lies at most ``levels`` divisions below it."""
    for _ in range(levels + 1):
        if region is None:
            return False
        if region == outer:
            return True
        region = one_target(g, region, "PART_OF")
    return False


class Kin:
    """The base kinship edges of the graph, split into connected families (edges of any
    date): two persons in different families can never be relatives, and a family's
    ``riskgraph.kinship.Family`` is built only when someone in it is asked about.

    >>> parent, spouse = {"type": "PARENT_OF"}, {"type": "SPOUSE_OF"}
    >>> g = nx.MultiDiGraph(by_type={"PARENT_OF": [("P", "A", parent), ("P", "B", parent)],
    ...                              "SPOUSE_OF": [("C", "D", spouse)]})
    >>> kin = Kin(g)
    >>> kin.same_family("A", "B"), kin.same_family("A", "C"), sorted(kin.relatives("A", date(2020, 1, 1)))
    (True, False, ['B', 'P'])
    """

    def __init__(self, g: nx.MultiDiGraph):
        root: dict[str, str] = {}

        def find(x: str) -> str:
            r = root.setdefault(x, x)
            while r != root[r]:
                r = root[r]
            while root[x] != r:
                root[x], x = r, root[x]
            return r

        edges = list(edges_of_type(g, *KIN_TYPES))
        for u, v, _ in edges:
            a, b = find(u), find(v)
            if a != b:
                root[a] = b
        self.family_of = {p: find(p) for p in root}
        self._edges: dict[str, list] = defaultdict(list)
        for u, v, data in edges:
            self._edges[self.family_of[u]].append((u, v, data))
        self._families: dict[str, Family] = {}

    def same_family(self, a: str, b: str) -> bool:
        fa = self.family_of.get(a)
        return fa is not None and fa == self.family_of.get(b)

    def family(self, person: str) -> Family:
        root = self.family_of[person]
        if root not in self._families:
            fam = Family()
            for u, v, data in self._edges[root]:
                if data["type"] == "SPOUSE_OF":
                    fam.add_spouse(u, v, data.get("start_date"), data.get("end_date"))
                elif data["type"] == "PARENT_OF":
                    fam.add_parent(u, v)
                else:
                    fam.add_sibling(u, v)
                fam.gender.setdefault(u, "")
                fam.gender.setdefault(v, "")
            self._families[root] = fam
        return self._families[root]

    def relatives(self, person: str, day: date) -> dict:
        """Statutory relatives of ``person`` on ``day`` (``Family.relatives``)."""
        if person not in self.family_of:
            return {}
        return self.family(person).relatives(person, day)


def close_family(g: nx.MultiDiGraph, person: str, day: date) -> set[str]:
    """Spouse (married on ``day``), children and children's spouses (married on ``day``):
    the relatives whose businesses the rules on leaders' relatives cover."""
    def spouses(p: str) -> set[str]:
        out = {v for v, d in out_edges(g, p, "SPOUSE_OF") if holds_on(d, day)}
        return out | {u for u, d in in_edges(g, p, "SPOUSE_OF") if holds_on(d, day)}

    children = {c for c, _ in out_edges(g, person, "PARENT_OF")}
    found = spouses(person) | children
    for c in children:
        found |= spouses(c)
    found.discard(person)
    return found


def company_ties_on(g: nx.MultiDiGraph, person: str, day: date) -> dict[str, list[dict]]:
    """Company -> the person's OWNS and DIRECTOR_OF edges into it that hold on ``day``."""
    out: dict[str, list[dict]] = defaultdict(list)
    for rel in ("OWNS", "DIRECTOR_OF"):
        for company, data in out_edges(g, person, rel):
            if holds_on(data, day):
                out[company].append(data)
    return out
