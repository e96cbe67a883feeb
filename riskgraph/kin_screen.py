"""Which of a set of persons (e.g. current cadres) are statutory relatives of each other.

A cheap screen ahead of ``riskgraph.family``: it reads only the ids and dates of base
kinship edges (no names, genders or sources), collected into few Bolt records. For a
whole sweep (every candidate a seed) it reads the whole kin skeleton in one query: the
current cadres' families reach most of it, and one scan is several times cheaper than
expanding hop by hop from every cadre (county data: ~56k edges, 2.6 s against 11 s on a
loaded machine). For some seeds it expands from them ``kinship.MAX_EDGE_HOPS`` steps.
(At province scale the whole-skeleton read should be paged, e.g. by id range.)
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


def _add(fam: Family, edges: list) -> set[str]:
    persons = set()
    for src, dst, kind, start, end in edges:
        add_base_edge(fam, kind, src, dst, start, end)
        persons.update((src, dst))
    return persons


def load_whole_skeleton(graph: GraphClient) -> Family:
    """Every base kinship edge of the graph, without the persons' particulars."""
    fam = Family()
    for row in graph.read("detectors/kin_edges_all"):
        for pid in _add(fam, row["edges"]):
            fam.gender.setdefault(pid, "")
    return fam


def load_skeleton(graph: GraphClient, seeds: Iterable[str], hops: int = MAX_EDGE_HOPS) -> Family:
    """The base kinship edges touching persons within ``hops - 1`` edges of the seeds,
    without the persons' particulars (relations get generic names)."""
    fam = Family()
    seen = set(seeds)
    frontier = sorted(seen)
    for _ in range(hops):
        found: set[str] = set()
        for i in range(0, len(frontier), BATCH):
            for row in graph.read("detectors/kin_edges", {"ids": frontier[i:i + BATCH]}):
                found |= _add(fam, row["edges"]) - seen
        seen |= found
        frontier = sorted(found)
        if not frontier:
            break
    for pid in seen:
        fam.gender.setdefault(pid, "")
    return fam


def related_pairs(graph: GraphClient, candidates: set[str], day: date,
                  seeds: set[str] | None = None) -> set[tuple[str, str]]:
    """Sorted pairs of ``candidates`` of which one is a statutory relative of the other on
    ``day``, at least one of them in ``seeds`` (default: all candidates, read from the
    whole kin skeleton)."""
    if seeds is None:
        seeds, fam = candidates, load_whole_skeleton(graph)
    else:
        seeds = seeds & candidates
        if not seeds:
            return set()
        fam = load_skeleton(graph, seeds)
    pairs = set()
    for x in candidates & set(fam.gender):
        for y in fam.relatives(x, day):
            if y in candidates and (x in seeds or y in seeds):
                pairs.add((min(x, y), max(x, y)))
    return pairs
