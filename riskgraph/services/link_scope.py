"""Which entities a user may see in a link investigation (search, path ends, paths,
neighbourhoods).

The rule, from the user's data scope (`riskgraph.access.Scope`):

- A user without restriction, or whose scope holds every cadre, sees every entity.
- For a restricted user, a cadre is visible only when in scope. Out-of-scope cadres are
  never shown, counted or linked: a path search never steps onto one, so paths through
  them are cut, and nothing says how many were left out.
- Any other entity (a relative, a company, a project, a payment, a post ...) is visible
  to a restricted user only when it is linked to an in-scope cadre: within
  ``hops`` relationships of the investigation's default types, on a chain that passes
  neither an out-of-scope cadre nor a hub (a node with more than ``max_degree`` such
  relationships, e.g. a whole department). That set is the scope's *reach*; a path
  search and a neighbourhood stay inside it.

The reach of a large scope is large (4,122 cadres reach 66k entities on county data), so
it is not computed up front: visibility is decided only for the entities a response is
about to show, by a breadth-first search backwards from them towards the scope's cadres
(at most ``hops`` levels, two queries per level for all of them together: neighbours,
then which of the nodes reached are open; never through out-of-scope cadres or hubs).
A small scope's search stops one step early, at its *ring* (its cadres and their
neighbours, one query for the scope); a node already known to be within a few steps of
the cadres ends a search too (so a path's nodes are decided from its ends inwards), and
one known not to be within the reach is no step towards it. Each decision is kept per
scope until the next import. `full_reach` is the forward computation of the same set,
kept as the reference the backward decision is tested and benchmarked against.

>>> from riskgraph.access import Scope
>>> LinkScope(None, Scope(True, frozenset(), frozenset(), frozenset()), [], 3, 300).visible_among(
...     {"C9": ("Company",)})
{'C9'}
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from riskgraph import cypher
from riskgraph.access import Scope
from riskgraph.graph import GraphClient
from riskgraph.services.link_nodes import query_label

BATCH = 2000
# Scopes with at most this many cadres start the backward search from their ring (one
# query for all their cadres' neighbours, ~0.1 s for 137 cadres on county data); larger
# ones from their cadres alone (the ring of 4,122 cadres takes ~2.7 s).
RING_MAX_CADRES = 500
# The labels ui/reach_back has a branch (and an id-list parameter) for.
BACK_LABELS = tuple(re.findall(r"UNWIND \$(\w+) AS nid", cypher.load("ui/reach_back").text))


class ScopeMemo:
    """What one scope was found to see, shared by its requests until the next import:
    ``steps`` (id -> at most how many steps from an open in-scope cadre it is, None when
    not within the reach) and the ``ring`` (its cadres and the entities one step from an
    open one, computed on first need)."""

    def __init__(self) -> None:
        self.steps: dict[str, int | None] = {}
        self.ring: frozenset[str] | None = None
        self.lock = threading.Lock()


class LinkScope:
    """What one scope may see (``memo`` shared between its requests)."""

    def __init__(self, graph: GraphClient | None, scope: Scope, types: list[str], hops: int,
                 max_degree: int, everything: bool = False, memo: ScopeMemo | None = None,
                 ring_max: int = RING_MAX_CADRES) -> None:
        self.graph, self.scope, self.types, self.ring_max = graph, scope, types, ring_max
        self.hops, self.max_degree = hops, max_degree
        self.everything = everything or scope.everything
        self.memo = memo or ScopeMemo()

    def known_hidden(self, node_id: str) -> bool:
        return not self.everything and node_id in self.memo.steps \
            and self.memo.steps[node_id] is None

    def visible(self, node_id: str, labels: Iterable[str]) -> bool:
        return node_id in self.visible_among({node_id: tuple(labels)})

    def visible_among(self, nodes: dict[str, Iterable[str]]) -> set[str]:
        """The ids of ``nodes`` (id -> labels) the scope may see, deciding the undecided
        ones together."""
        if self.everything:
            return set(nodes)
        steps = self.memo.steps
        todo = {}
        for nid, labels in nodes.items():
            if "Cadre" in labels:
                steps[nid] = 0 if self.scope.has_cadre(nid) else None
            elif nid not in steps:
                todo[nid] = tuple(labels)
        if todo:
            steps.update(self._decide(todo))
        return {nid for nid in nodes if steps[nid] is not None}

    def _ring(self) -> tuple[frozenset[str], int]:
        """The scope's cadres and every entity one step from an open one (but no
        out-of-scope cadre), and that radius 1; for a large scope its cadres alone, 0."""
        if len(self.scope.cadre_ids) > self.ring_max or self.hops < 1:
            return self.scope.cadre_ids, 0
        with self.memo.lock:
            if self.memo.ring is None:
                cadres = sorted(self.scope.cadre_ids)
                labels = {cid: ("Person", "Cadre") for cid in cadres}
                adj: dict = {}
                self.graph.read_tx(lambda tx: self._fetch(tx, cadres, labels, adj, False, True))
                ring = set(cadres)
                for cid in cadres:
                    ring.update(m for m in adj[cid][1]
                                if "Cadre" not in labels[m] or self.scope.has_cadre(m))
                self.memo.ring = frozenset(ring)
            return self.memo.ring, 1

    def _decide(self, todo: dict[str, tuple]) -> dict[str, int | None]:
        """Backward search from each node of ``todo`` (id -> labels), one per node but
        sharing two queries per level: a node is within the reach when an open node
        of the ring (or one already known within the reach, near enough) is within
        ``hops - radius`` steps over open nodes, none of them an out-of-scope cadre.
        Returns the steps found (an upper bound), None for the nodes not within."""
        scope, known = self.scope, self.memo.steps
        ring, radius = self._ring()
        depth_max = self.hops - radius
        labels = dict(todo)
        adj: dict[str, tuple[bool, list[str] | None]] = {}   # id -> (open, neighbours)

        def fetch(ids: list[str], from_hubs: bool, with_near: bool, only_cadres: bool) -> None:
            if ids:
                self.graph.read_tx(lambda tx: self._fetch(
                    tx, sorted(ids), labels, adj, from_hubs, with_near, only_cadres))

        def bound(m: str) -> int | None:
            """Steps from m to an open in-scope cadre, if known to be at most hops."""
            if m in ring:
                return radius
            return known.get(m)

        found: dict[str, int] = {nid: radius for nid in todo if nid in ring}
        reached: dict[str, set[str]] = {nid: {nid} for nid in todo}   # node -> searches at it
        frontier = {nid: {nid} for nid in todo if nid not in found}
        for depth in range(1, depth_max + 1):
            # from the last level but one only ring nodes matter next; when the ring is
            # just the scope's cadres, only cadre neighbours
            fetch([n for n in frontier if adj.get(n, (0, None))[1] is None], depth == 1, True,
                  radius == 0 and depth == depth_max)
            nxt: dict[str, set[str]] = {}
            for nid, owners in frontier.items():
                is_open, near = adj[nid]
                if depth > 1 and not is_open:
                    continue
                for m in near:
                    # (a node known not within the reach is no step towards it)
                    if ("Cadre" in labels[m] and not scope.has_cadre(m)) \
                            or (m in known and known[m] is None):
                        continue
                    new = owners - reached.setdefault(m, set())
                    if new:
                        reached[m] |= new
                        nxt.setdefault(m, set()).update(new)
            hits = {m: b for m in nxt if (b := bound(m)) is not None and depth + b <= self.hops}
            fetch([m for m in hits if m not in adj], False, False, False)
            for m, b in hits.items():
                if adj[m][0]:
                    for owner in nxt[m]:
                        found.setdefault(owner, depth + b)
            frontier = {m: owners - found.keys() for m, owners in nxt.items()
                        if owners - found.keys() and m not in hits}
            if not frontier:
                break
        return {nid: found.get(nid) for nid in todo}

    def _fetch(self, tx, ids: list[str], labels: dict, adj: dict, from_hubs: bool,
               with_near: bool, only_cadres: bool = False) -> None:
        """Whether each of ``ids`` is open, and its neighbours (``adj``; their labels
        into ``labels``)."""
        graph = self.graph
        params = {"types": self.types, "max_degree": self.max_degree, "from_hubs": from_hubs,
                  "with_near": with_near, "only_cadres": only_cadres}
        by_label: dict[str, list[str]] = {}
        for nid in ids:
            by_label.setdefault(query_label(list(labels[nid])), []).append(nid)
        queries = []
        for i in range(0, len(ids), BATCH):
            chunk = set(ids[i:i + BATCH])
            lists = {label: [n for n in by_label.get(label, []) if n in chunk] for label in BACK_LABELS}
            queries.append(("ui/reach_back", {**params, **lists}, None))
        for label, group in sorted(by_label.items()):
            if label not in BACK_LABELS:
                queries.append(("ui/reach_back_one", {**params, "ids": group}, label))
        for name, args, label in queries:
            rows = graph.run(tx, name, args, Label=label) if label else graph.run(tx, name, args)
            for r in rows:
                near = []
                for mid, mlabels in r["near"]:
                    if mid is not None:
                        labels.setdefault(mid, tuple(mlabels))
                        near.append(mid)
                adj[r["id"]] = (r["open"], near if with_near else None)
        for nid in ids:
            adj.setdefault(nid, (False, []))


def full_reach(graph: GraphClient, scope: Scope, types: list[str], hops: int,
               max_degree: int) -> frozenset[str]:
    """The ids within ``hops`` steps of the in-scope cadres (those included), never
    stepping onto an out-of-scope cadre nor through a hub: the whole reach at once."""
    params = {"types": types, "max_degree": max_degree}

    def walk(tx) -> frozenset[str]:
        seen: set[str] = set(scope.cadre_ids)
        frontier = {cid: "Person" for cid in scope.cadre_ids}
        for _ in range(hops):
            by_label: dict[str, list[str]] = {}
            for nid, label in frontier.items():
                by_label.setdefault(label, []).append(nid)
            found: dict[str, str] = {}
            for label, ids in sorted(by_label.items()):
                ids.sort()
                for i in range(0, len(ids), BATCH):
                    for r in graph.run(tx, "ui/reach_step", {**params, "ids": ids[i:i + BATCH]},
                                       Label=label):
                        nid = r["id"]
                        if nid in seen or nid in found:
                            continue
                        if "Cadre" in r["labels"] and not scope.has_cadre(nid):
                            continue
                        found[nid] = query_label(r["labels"])
            seen.update(found)
            frontier = found
            if not frontier:
                break
        return frozenset(seen)

    return graph.read_tx(walk)
