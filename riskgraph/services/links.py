"""Link investigation: find entities, shortest paths between two, a node's neighbours.

Results are shaped for drawing ({"nodes": [...], "edges": [...]}, our own ids, Chinese
captions from `riskgraph.services.link_nodes`) and limited to what the user may see
(`riskgraph.services.link_scope`: out-of-scope cadres never appear, and for a restricted
user nothing that is not linked to one of their cadres).

A path search is one read transaction: one query per breadth-first level (all labels of
the frontier at once, one compact row per node with its steps); the
nodes on the paths found are captioned from the entity index (a query only for labels
it does not hold).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from riskgraph import cypher
from riskgraph.access import Scope
from riskgraph.graph import GraphClient
from riskgraph.idcodes import valid_credit_code, valid_resident_id
from riskgraph.services.entity_index import SEARCH_LABELS, EntityIndex
from riskgraph.services.graph_cache import StampedCache
from riskgraph.services.link_nodes import (
    LABEL_ZH,  # noqa: F401  (re-exported for the views)
    display_name,
    edge,
    main_label,
    node,
    plain,
    query_label,
)
from riskgraph.services.link_scope import LinkScope, ScopeMemo
from riskgraph.services.paths import all_shortest_paths

# Geography makes everything two hops from everything, and management authority links
# every cadre to the organisation department: left out unless asked for.
GEOGRAPHY = frozenset({"JURISDICTION", "GREW_UP_IN", "REGISTERED_IN", "LOCATED_IN", "PART_OF",
                       "MANAGED_BY"})
MAX_HOPS = 6
# Nodes with more relationships than this are not expanded in a path search.
MAX_DEGREE = 300


# The labels ui/expand_level has a branch (and an id-list parameter) for.
LEVEL_LABELS = tuple(re.findall(r"UNWIND \$(\w+) AS nid", cypher.load("ui/expand_level").text))


class LinkError(ValueError):
    pass


class Links:
    """The link investigation of one process: the graph, the entity index and what each
    restricted scope was found to see, the last two kept until the next import
    (``stamp``: the graph's version, `riskgraph.services.graph_cache.import_stamp`) or
    ``ttl_s``."""

    def __init__(self, graph: GraphClient, stamp: Callable[[], Any] | None = None,
                 ttl_s: float = 600.0, scope_hops: int = 3, max_degree: int = MAX_DEGREE,
                 check_s: float = 5.0) -> None:
        self.graph, self.scope_hops, self.max_degree = graph, scope_hops, max_degree
        self.index = EntityIndex(graph, StampedCache(stamp, ttl_s, check_s))
        self._seen = StampedCache(stamp, ttl_s, check_s)   # cadre ids -> ScopeMemo
        # Per search filter (types, since, until): nodes a path search found nothing to
        # expand from (hubs over max_degree, or no relationships of those types and
        # dates), so later searches skip them without asking the database again.
        self._dead_ends = StampedCache(stamp, ttl_s, check_s)

    def dead_ends(self, key: tuple) -> set[str]:
        return self._dead_ends.get(key, set)

    def view(self, scope: Scope) -> LinkScope:
        """What ``scope`` may see; a scope holding every cadre (e.g. the organisation
        department's) sees everything, as an unrestricted one does."""
        everything = scope.everything or scope.cadre_ids >= self.index.cadre_ids()
        memo = None if everything else self._seen.get(scope.cadre_ids, ScopeMemo)
        return LinkScope(self.graph, scope, default_types(self.graph), self.scope_hops,
                         self.max_degree, everything, memo)

    def visible(self, scope: Scope, node_id: str, labels: list[str] | tuple[str, ...]) -> bool:
        return self.view(scope).visible(node_id, labels)

    def clear(self) -> None:
        self.index.clear()
        self._seen.clear()
        self._dead_ends.clear()


def default_types(graph: GraphClient) -> list[str]:
    return sorted(t for t in graph.schema.rel_types if t not in GEOGRAPHY)


def parse_key(graph: GraphClient, key: str) -> tuple[str, str]:
    """("Label", "id") from "Label:id"; the label must be a schema label."""
    label, _, node_id = (key or "").partition(":")
    if label not in graph.schema.labels or not node_id:
        raise LinkError("实体编号格式不正确")
    return label, node_id


def id_labels(q: str) -> tuple[str, ...]:
    """The labels whose key an identifier like ``q`` can be (a resident ID number is a
    person's, a unified social credit code a company's).

    >>> id_labels("11010519491231002X"), id_labels("ORG360121001")[:2]
    (('Person',), ('Person', 'Company'))
    """
    if valid_resident_id(q):
        return ("Person",)
    if valid_credit_code(q):
        return ("Company",)
    return SEARCH_LABELS


def search(links: Links, scope: Scope, q: str, limit: int = 20) -> list[dict]:
    """Entities whose id is ``q`` or (when none is) whose name contains it; exact names
    first, then shorter names."""
    q = (q or "").strip()
    if not q:
        return []
    found = links.index.by_id(q, id_labels(q))
    if not found and len(q) >= 2:
        found = links.index.by_name(q)
    view = links.view(scope)
    ranked = sorted({e.id: e for e in found}.values(),
                    key=lambda e: (e.name != q, len(e.name or ""), e.name or "", e.id))
    best: list = []
    start, size = 0, 2 * limit
    while start < len(ranked) and len(best) < limit:   # decide only as far as needed
        chunk = ranked[start:start + size]
        shown = view.visible_among({e.id: e.labels for e in chunk})
        best += [e for e in chunk if e.id in shown]
        start, size = start + size, 2 * size
    return [node(list(e.labels), e.id, e.name) for e in best[:limit]]


def shortest_paths(links: Links, scope: Scope, a: str, b: str, hops: int = 4,
                   types: list[str] | None = None, since: date | None = None,
                   until: date | None = None, limit: int = 25) -> dict:
    """Shortest paths between entity keys ``a`` and ``b`` as a drawable graph.

    The search (`riskgraph.services.paths`) never steps onto an out-of-scope cadre, does
    not expand hubs (more than ``links.max_degree`` relationships), and passes only
    entities the user may see: for a restricted user that is decided for the nodes on the
    shortest paths found, searching again without the ones rejected."""
    graph = links.graph
    (la, ia), (lb, ib) = parse_key(graph, a), parse_key(graph, b)
    hops = max(1, min(int(hops), MAX_HOPS))
    allowed = sorted(set(types or default_types(graph)) & graph.schema.rel_types)
    params = {"types": allowed, "max_degree": links.max_degree,
              "since": since or date(1900, 1, 1), "until": until or date(2999, 12, 31)}
    view = links.view(scope)
    dead = links.dead_ends((tuple(allowed), params["since"], params["until"]))

    def search_in(tx) -> tuple[list[dict], dict[str, str]]:
        labels = {ia: la, ib: lb}
        full: dict[str, list[str]] = {}     # node -> all its labels

        def expand(frontier: list[str]):
            by_label: dict[str, list[str]] = {}
            for nid in frontier:
                by_label.setdefault(labels[nid], []).append(nid)
            by_label = {label: [nid for nid in ids if nid not in dead]
                        for label, ids in sorted(by_label.items())}
            for ids, rows in _expand_level(tx, graph, params, by_label):
                dead.update(set(ids) - {r["node"] for r in rows})
                for r in rows:
                    here = r["node"]
                    for other, other_labels, type_, out, start, end, source in r["steps"]:
                        if ("Cadre" in other_labels and not scope.has_cadre(other)) \
                                or view.known_hidden(other):
                            continue
                        labels.setdefault(other, query_label(other_labels))
                        full.setdefault(other, other_labels)
                        src, dst = (here, other) if out else (other, here)
                        yield here, other, edge(type_, src, dst, start, end, source)

        def vet(nodes: dict[str, int]) -> set[str]:
            """The nodes on the paths the user may not see, decided from the ends inwards
            (each layer's backward search stops at the layer before)."""
            view.visible_among({nid: _labels(links, nid, label) for nid, label in ((ia, la), (ib, lb))})
            rejected: set[str] = set()
            for layer in sorted(set(nodes.values())):
                group = {n: full[n] for n, at in nodes.items() if at == layer}
                rejected |= set(group) - view.visible_among(group)
            return rejected

        found = all_shortest_paths(expand, ia, ib, hops, limit,
                                   None if view.everything else vet)
        return found, labels

    def captions(tx, found: list[dict], labels: dict[str, str]) -> dict[str, dict]:
        """Nodes on the paths, captioned from the entity index where it holds them."""
        nodes: dict[str, dict] = {}
        rest: set[str] = set()
        for nid in (n for p in found for n in p["nodes"]):
            hit = links.index.by_id(nid, (labels[nid],)) if labels[nid] in links.index.labels else []
            if hit:
                nodes[nid] = node(list(hit[0].labels), nid, hit[0].name)
            else:
                rest.add(nid)
        for label, ids in _by_label(rest, labels).items():
            for r in graph.run(tx, "ui/node_captions", {"ids": ids}, Label=label):
                nodes[r["id"]] = node(r["labels"], r["id"], display_name(
                    main_label(r["labels"]), r["props"], graph.schema.enums))
        return nodes

    def work(tx):
        found, labels = search_in(tx)
        return found, captions(tx, found, labels)

    found, nodes = graph.read_tx(work)
    edges = {e["id"]: e for p in found for e in p["edges"]}
    paths = [{"nodes": p["nodes"], "edges": [e["id"] for e in p["edges"]]} for p in found]
    return {"nodes": [nodes[n] for n in sorted(nodes)], "edges": list(edges.values()),
            "paths": paths, "query": {"a": a, "b": b, "hops": hops, "types": allowed,
                                      "since": plain(since), "until": plain(until)}}


def _expand_level(tx, graph: GraphClient, params: dict,
                  by_label: dict[str, list[str]]) -> list[tuple[list[str], list[dict]]]:
    """Expand the frontier (ids per label): one ui/expand_level query for the labels it
    has a branch for, ui/expand for any other; (ids, rows) per query."""
    level = {label: ids for label, ids in by_label.items() if label in LEVEL_LABELS and ids}
    out = []
    if level:
        rows = graph.run(tx, "ui/expand_level",
                         {**params, **{label: level.get(label, []) for label in LEVEL_LABELS}})
        out.append(([nid for ids in level.values() for nid in ids], rows))
    for label, ids in by_label.items():
        if label not in LEVEL_LABELS and ids:
            out.append((ids, graph.run(tx, "ui/expand", {**params, "ids": ids}, Label=label)))
    return out


def _labels(links: Links, node_id: str, label: str) -> tuple[str, ...]:
    """All labels of a node known by its key label (Cadre besides Person)."""
    hit = links.index.by_id(node_id, (label,)) if label in links.index.labels else []
    return hit[0].labels if hit else (label,)


def _by_label(ids: set[str], labels: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for nid in sorted(ids):
        out.setdefault(labels[nid], []).append(nid)
    return out


def neighbours(links: Links, scope: Scope, key: str, types: list[str] | None = None,
               limit: int = 60) -> dict:
    """One step around the entity ``key``, leaving out what the user may not see."""
    graph = links.graph
    label, node_id = parse_key(graph, key)
    allowed = sorted(set(types or default_types(graph)) & graph.schema.rel_types)
    rows = graph.read("ui/neighbours", {"id": node_id, "types": allowed, "limit": limit}, Label=label)
    nodes, edges = {}, {}
    shown = links.view(scope).visible_among({r["id"]: r["labels"] for r in rows})
    for r in rows:
        if r["id"] not in shown:
            continue
        nodes.setdefault(r["id"], node(r["labels"], r["id"], display_name(
            main_label(r["labels"]), r["props"], graph.schema.enums)))
        e = edge(r["type"], r["src"], r["dst"], r["start_date"], r["end_date"], r["source"])
        edges.setdefault(e["id"], e)
    return {"center": node_id, "nodes": list(nodes.values()), "edges": list(edges.values())}


def org_choices(graph: GraphClient, scope: Scope) -> list[dict]:
    """Organisations within ``scope`` (id, name), for pickers."""
    return [{"id": r["id"], "name": r["name"]} for r in graph.read("ui/all_orgs")
            if scope.has_org(r["id"])]


def entity_visible(links: Links, scope: Scope, key: str) -> dict | None:
    """The entity behind ``key`` if it exists and the user may see it, else None."""
    graph = links.graph
    label, node_id = parse_key(graph, key)
    if label in links.index.labels:
        found = [(list(e.labels), e.name) for e in links.index.by_id(node_id, (label,))]
    else:
        found = [(r["labels"], display_name(main_label(r["labels"]), r["props"], graph.schema.enums))
                 for r in graph.read("ui/search_id", {"q": node_id}, Label=label)]
    if not found or not links.visible(scope, node_id, found[0][0]):
        return None
    return node(found[0][0], node_id, found[0][1])
