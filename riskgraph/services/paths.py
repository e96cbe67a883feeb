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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# expand(nodes) -> iterable of (node, neighbour, edge) for the given frontier nodes
Expand = Callable[[list[str]], Iterable[tuple[str, str, Any]]]


def all_shortest_paths(expand: Expand, a: str, b: str, max_hops: int,
                       limit: int = 25) -> list[dict]:
    """Up to ``limit`` shortest paths from ``a`` to ``b`` of at most ``max_hops`` edges,
    each as {"nodes": [...], "edges": [...]} (edges as ``expand`` gave them)."""
    if a == b:
        return [{"nodes": [a], "edges": []}]
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
        return []
    best = min(dist[0][m] + dist[1][m] for m in meet)
    out: list[dict] = []
    for m in sorted(meet):
        if dist[0][m] + dist[1][m] != best:
            continue
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
