"""Which of a set of persons (e.g. current cadres) are statutory relatives of each other.

A cheap screen ahead of ``riskgraph.family``: it reads only the ids and dates of base
kinship edges (no names, genders or sources), collected into few Bolt records. For a
whole sweep (every candidate a seed) it reads the whole kin skeleton in one query: the
current cadres' families reach most of it, and one scan is several times cheaper than
expanding hop by hop from every cadre (county data: ~56k edges, 2.6 s against 11 s on a
loaded machine). For some seeds it expands from them ``kinship.MAX_EDGE_HOPS`` steps.
(At province scale the whole-skeleton read should be paged, e.g. by id range.)
Only candidates that share a connected family (base edges of any date) with another
candidate can be related, so ``Family.relatives`` runs only for those: families are small,
and most cadres share theirs with no other cadre (county data: 64 of 8,006 do).
The few pairs it finds are then read again with ``family.load_family`` for the exact,
named relation and its evidence.

Relations are directed (a parent's sibling's spouse is statutory, the reverse — a
spouse's sibling's child — is not), so a pair counts when either is a statutory
relative of the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from riskgraph.family import add_base_edge
from riskgraph.graph import GraphClient
from riskgraph.kinship import MAX_EDGE_HOPS, Family

BATCH = 5000
Edge = list        # [src, dst, type, start_date, end_date], as the queries return it


def load_whole_skeleton(graph: GraphClient) -> list[Edge]:
    """Every base kinship edge of the graph, ids and dates only."""
    return [e for row in graph.read("detectors/kin_edges_all") for e in row["edges"]]


def load_skeleton(graph: GraphClient, seeds: Iterable[str], hops: int = MAX_EDGE_HOPS) -> list[Edge]:
    """The base kinship edges touching persons within ``hops - 1`` edges of the seeds."""
    edges: dict[tuple, Edge] = {}
    seen = set(seeds)
    frontier = sorted(seen)
    for _ in range(hops):
        found: set[str] = set()
        for i in range(0, len(frontier), BATCH):
            for row in graph.read("detectors/kin_edges", {"ids": frontier[i:i + BATCH]}):
                for e in row["edges"]:
                    edges[(e[0], e[1], e[2])] = e
                    found.update(e[:2])
        found -= seen
        seen |= found
        frontier = sorted(found)
        if not frontier:
            break
    return list(edges.values())


def related_pairs(graph: GraphClient, candidates: set[str], day: date,
                  seeds: set[str] | None = None) -> set[tuple[str, str]]:
    """Sorted pairs of ``candidates`` of which one is a statutory relative of the other on
    ``day``, at least one of them in ``seeds`` (default: all candidates, read from the
    whole kin skeleton)."""
    if seeds is None:
        seeds, edges = candidates, load_whole_skeleton(graph)
    else:
        seeds = seeds & candidates
        if not seeds:
            return set()
        edges = load_skeleton(graph, seeds)
    groups, fam = shared_families(edges, candidates)
    pairs = set()
    for group in groups:
        if seeds.isdisjoint(group):
            continue
        for x in group:
            for y in fam.relatives(x, day):
                if y in group and (x in seeds or y in seeds):
                    pairs.add((min(x, y), max(x, y)))
    return pairs


def shared_families(edges: list[Edge], persons: set[str]) -> tuple[list[set[str]], Family]:
    """The groups of two or more of ``persons`` joined by base kinship edges (of any
    date) — nobody outside a group can be a statutory relative of anyone in it — and
    the families of those groups (their edges only).

    >>> edges = [["P", "A", "PARENT_OF", None, None], ["P", "B", "PARENT_OF", None, None],
    ...          ["C", "D", "SPOUSE_OF", None, None]]
    >>> groups, fam = shared_families(edges, {"A", "B", "C", "E"})
    >>> [sorted(g) for g in groups], sorted(fam.gender)
    ([['A', 'B']], ['A', 'B', 'P'])
    """
    root: dict[str, str] = {}

    def find(x: str) -> str:
        r = root.setdefault(x, x)
        while r != root[r]:
            r = root[r]
        while root[x] != r:         # path compression
            root[x], x = r, root[x]
        return r

    for src, dst, *_ in edges:
        a, b = find(src), find(dst)
        if a != b:
            root[a] = b
    by_root: dict[str, set[str]] = {}
    for p in sorted(persons & root.keys()):
        by_root.setdefault(find(p), set()).add(p)
    groups = {r: g for r, g in by_root.items() if len(g) > 1}
    fam = Family()
    for src, dst, kind, start, end in edges:
        if find(src) in groups:
            add_base_edge(fam, kind, src, dst, start, end)
            fam.gender.setdefault(src, "")
            fam.gender.setdefault(dst, "")
    return list(groups.values()), fam
