"""Graph helpers shared by the networkx reference rules: dated edges, current posts,
region containment, base kinship as a ``riskgraph.kinship.Family``, close family."""

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


def kin_family(g: nx.MultiDiGraph) -> Family:
    """Every base kinship edge of the graph as a ``Family`` (ids only)."""
    fam = Family()
    for u, v, data in edges_of_type(g, *KIN_TYPES):
        if data["type"] == "SPOUSE_OF":
            fam.add_spouse(u, v, data.get("start_date"), data.get("end_date"))
        elif data["type"] == "PARENT_OF":
            fam.add_parent(u, v)
        else:
            fam.add_sibling(u, v)
        fam.gender.setdefault(u, "")
        fam.gender.setdefault(v, "")
    return fam


def kin_components(g: nx.MultiDiGraph) -> dict[str, int]:
    """Person -> number of their connected family (base kinship edges, any date): two
    persons in different components can never be relatives, a cheap screen."""
    kin = nx.Graph()
    kin.add_edges_from((u, v) for u, v, _ in edges_of_type(g, *KIN_TYPES))
    return {p: i for i, comp in enumerate(nx.connected_components(kin)) for p in comp}


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
    for _, company, data in g.out_edges(person, data=True):
        if data["type"] in ("OWNS", "DIRECTOR_OF") and holds_on(data, day):
            out[company].append(data)
    return out
