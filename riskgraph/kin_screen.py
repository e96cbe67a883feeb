"""Which of a set of persons (e.g. current cadres) are statutory relatives of each other.

A cheap screen ahead of ``riskgraph.family``: it reads only the ids and dates of base
kinship edges (no names, genders or sources) and, when every candidate is a seed, only
half the depth, because a statutory walk between two seeds is at most
``kinship.MAX_EDGE_HOPS`` (L) base edges long, so each of its edges touches a person
within ``(L - 1) // 2`` edges of one of its two ends (meet in the middle).
The few pairs it finds are then read again with ``family.load_family`` for the exact,
named relation and its evidence.

Relations are directed (a parent's sibling's spouse is statutory, the reverse — a
spouse's sibling's child — is not), so a pair counts when either is a statutory
relative of the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from riskgraph.graph import GraphClient
from riskgraph.kinship import MAX_EDGE_HOPS, Family

BATCH = 5000
HALF_HOPS = (MAX_EDGE_HOPS - 1) // 2 + 1   # read edges of persons within 2 edges of a seed


def _native(value):
    return value.to_native() if hasattr(value, "to_native") else value


def load_skeleton(graph: GraphClient, seeds: Iterable[str], hops: int) -> Family:
    """The base kinship edges touching persons within ``hops - 1`` edges of the seeds,
    without the persons' particulars (relations get generic names)."""
    fam = Family()
    seen = set(seeds)
    frontier = sorted(seen)
    for _ in range(hops):
        found: set[str] = set()
        for i in range(0, len(frontier), BATCH):
            for row in graph.read("detectors/kin_edges", {"ids": frontier[i:i + BATCH]}):
                for src, dst, kind, start, end in row["edges"]:
                    if kind == "SPOUSE_OF":
                        fam.add_spouse(src, dst, _native(start), _native(end))
                    elif kind == "PARENT_OF":
                        fam.add_parent(src, dst)
                    else:
                        fam.add_sibling(src, dst)
                    found.update(x for x in (src, dst) if x not in seen)
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
    ``day``, at least one of them in ``seeds`` (default: all candidates).

    With every candidate a seed, the screen reads half the depth (see the module)."""
    seeds = candidates if seeds is None else seeds & candidates
    if not seeds:
        return set()
    hops = HALF_HOPS if seeds == candidates else MAX_EDGE_HOPS
    fam = load_skeleton(graph, seeds, hops)
    pairs = set()
    for x in candidates & set(fam.gender):
        for y in fam.relatives(x, day):
            if y in candidates and (x in seeds or y in seeds):
                pairs.add((min(x, y), max(x, y)))
    return pairs
