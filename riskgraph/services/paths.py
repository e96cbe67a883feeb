"""All shortest paths between two nodes by bidirectional breadth-first search, fed one
step at a time by an ``expand`` function (a Cypher query in production, a dict in the
example), so relationship-type, date, hub and scope filters apply during the search.

>>> adj = {"A": ["X", "Y"], "X": ["A", "B"], "Y": ["A", "B"], "B": ["X", "Y", "Z"], "Z": ["B"]}
>>> def expand(nodes):
...     return [(n, m, f"{n}-{m}") for n in nodes for m in adj.get(n, [])]
>>> sorted(p["nodes"] for p in all_shortest_paths(expand, "A", "B", 6))
[['A', 'X', 'B'], ['A', 'Y', 'B']]
>>> all_shortest_paths(expand, "A", "Z", 2)
[]

``vet`` decides late which nodes a path may pass: given the nodes on the shortest paths
found (each with its steps from the nearer end), it returns those that may not be passed, and the search runs again without them
until every node on the shortest paths passes (the result is that of a search that never
stepped onto a rejected node).

>>> sorted(p["nodes"] for p in all_shortest_paths(expand, "A", "B", 6, vet=lambda ns: set(ns) & {"X"}))
[['A', 'Y', 'B']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# expand(nodes) -> iterable of (node, neighbour, edge) for the given frontier nodes
Expand = Callable[[list[str]], Iterable[tuple[str, str, Any]]]
# vet({node on the shortest paths found, ends excluded: steps from the nearer end})
#   -> the nodes a path may not pass
Vet = Callable[[dict[str, int]], set[str]]


def all_shortest_paths(expand: Expand, a: str, b: str, max_hops: int,
                       limit: int = 25, vet: Vet | None = None) -> list[dict]:
    """Up to ``limit`` shortest paths from ``a`` to ``b`` of at most ``max_hops`` edges,
    each as {"nodes": [...], "edges": [...]} (edges as ``expand`` gave them), passing no
    node ``vet`` rejects."""
    if a == b:
        return [{"nodes": [a], "edges": []}]
    blocked: set[str] = set()
    while True:
        found = _search(expand, a, b, max_hops, blocked)
        if found is None:
            return []
        parents, dist, meet = found
        rejected = vet(_steps_from_ends(dist, _on_paths(parents, meet) - {a, b}, meet)) \
            if vet else set()
        if not rejected:
            return _enumerate(parents, meet, limit)
        blocked |= rejected


def _search(expand: Expand, a: str, b: str, max_hops: int, blocked: set[str]):
    """Bidirectional search: (parents and distances per side, meet nodes on shortest
    paths) or None."""
    # per side: node -> list of (previous node, edge) on shortest routes from that side
    parents = ({a: []}, {b: []})
    dist = ({a: 0}, {b: 0})
    frontier = ([a], [b])
    meet: set[str] = set()
    while not meet and frontier[0] and frontier[1]:
        if dist[0][frontier[0][0]] + dist[1][frontier[1][0]] >= max_hops:
            break
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        level = dist[side][frontier[side][0]] + 1
        nxt: list[str] = []
        for node, other, edge in expand(frontier[side]):
            if other in blocked:
                continue
            seen = dist[side].get(other)
            if seen is None:
                dist[side][other] = level
                parents[side][other] = [(node, edge)]
                nxt.append(other)
            elif seen == level:
                parents[side][other].append((node, edge))
        frontier = (nxt, frontier[1]) if side == 0 else (frontier[0], nxt)
        meet = {n for n in nxt if n in dist[1 - side]}
    if not meet:
        return None
    best = min(dist[0][m] + dist[1][m] for m in meet)
    return parents, dist, sorted(m for m in meet if dist[0][m] + dist[1][m] == best)


def _steps_from_ends(dist: tuple[dict, dict], nodes: set[str], meet: list[str]) -> dict[str, int]:
    """Steps from the nearer end of each node on a shortest path (of length ``best``)."""
    best = dist[0][meet[0]] + dist[1][meet[0]]
    out = {}
    for n in nodes:
        from_a = dist[0][n] if n in dist[0] else best - dist[1][n]
        out[n] = min(from_a, best - from_a)
    return out


def _on_paths(parents: tuple[dict, dict], meet: list[str]) -> set[str]:
    """Every node on a shortest path through the ``meet`` nodes."""
    out: set[str] = set()
    for side in parents:
        seen, todo = set(meet), list(meet)
        while todo:
            for prev, _ in side[todo.pop()]:
                if prev not in seen:
                    seen.add(prev)
                    todo.append(prev)
        out |= seen
    return out


def _enumerate(parents: tuple[dict, dict], meet: list[str], limit: int) -> list[dict]:
    out: list[dict] = []
    for m in meet:
        for left in _walks(parents[0], m, limit):
            for right in _walks(parents[1], m, limit):
                nodes = left["nodes"] + right["nodes"][::-1][1:]
                edges = left["edges"] + right["edges"][::-1]
                out.append({"nodes": nodes, "edges": edges})
                if len(out) >= limit:
                    return out
    return out


def _walks(parents: dict, node: str, limit: int) -> list[dict]:
    """Routes from the side's start to ``node`` (start first)."""
    if not parents[node]:
        return [{"nodes": [node], "edges": []}]
    out = []
    for prev, edge in parents[node]:
        for w in _walks(parents, prev, limit):
            out.append({"nodes": w["nodes"] + [node], "edges": w["edges"] + [edge]})
            if len(out) >= limit:
                return out
    return out
