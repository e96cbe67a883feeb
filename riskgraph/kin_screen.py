"""Which of a set of persons (e.g. current cadres) are statutory relatives of each other.

A cheap screen ahead of ``riskgraph.family``. Only candidates that share a connected
family (base edges of any date) with another candidate can be related, and most cadres
share theirs with no other cadre (county data: 64 of 8,006 do; families are small). For a
whole sweep (every candidate a seed) it reads every base edge of the graph in one query,
as bare id pairs (one string each: dates and Bolt structures cost several times more to
transfer and decode; one scan is also several times cheaper than expanding hop by hop
from every cadre), splits the persons into families, and reads the dated edges of only
the families holding two or more candidates. For some seeds (a re-check after an
import) it splits the persons within ``kinship.MAX_EDGE_HOPS - 1`` edges of them over
the kinship skeleton (``riskgraph.kin_skeleton``: every edge in memory, kept up to date
from the imports) and reads nothing. (At province scale the whole read should be paged,
e.g. by id range.) ``Family.relatives`` then runs only for candidates that share a
family. The few pairs it finds are read again with ``family.load_family`` for the
exact, named relation and its evidence.

Relations are directed (a parent's sibling's spouse is statutory, the reverse — a
spouse's sibling's child — is not), so a pair counts when either is a statutory
relative of the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from riskgraph.family import add_base_edge
from riskgraph.graph import GraphClient
from riskgraph.kin_skeleton import Skeleton
from riskgraph.kinship import MAX_EDGE_HOPS, Family

BATCH = 5000
Edge = list        # [src, dst, type, start_date, end_date], as detectors/kin_edges returns it


def load_whole_links(graph: GraphClient) -> list[tuple[str, str]]:
    """Every base kinship edge of the graph as a (src, dst) id pair, without type or dates."""
    return [tuple(link.split(" ")) for row in graph.read("detectors/kin_links_all")
            for link in row["links"]]


def load_edges(graph: GraphClient, persons: Iterable[str]) -> list[Edge]:
    """The base kinship edges touching ``persons``, with types and dates."""
    edges: dict[tuple, Edge] = {}
    ids = sorted(set(persons))
    for i in range(0, len(ids), BATCH):
        for row in graph.read("detectors/kin_edges", {"ids": ids[i:i + BATCH]}):
            for e in row["edges"]:
                edges[(e[0], e[1], e[2])] = e
    return list(edges.values())


def related_pairs(graph: GraphClient, candidates: set[str], day: date) -> set[tuple[str, str]]:
    """Sorted pairs of ``candidates`` of which one is a statutory relative of the other on
    ``day``, screened over every kinship edge of the graph."""
    groups, members = shared_families(load_whole_links(graph), candidates)
    fam = Family()
    for src, dst, kind, start, end in load_edges(graph, members):  # families are closed
        add_base_edge(fam, kind, src, dst, start, end)
        fam.gender.setdefault(src, "")
        fam.gender.setdefault(dst, "")
    return _pairs(fam, groups, candidates, day)


def related_pairs_of(skeleton: Skeleton, candidates: set[str], day: date,
                     seeds: set[str]) -> set[tuple[str, str]]:
    """Sorted pairs of ``candidates`` of which one is a statutory relative of the other on
    ``day``, at least one of them in ``seeds``, screened over the kinship skeleton: the
    pairs ``related_pairs`` finds with a member in ``seeds``.

    >>> s = Skeleton()
    >>> for parent, child in [("G", "P"), ("G", "U"), ("P", "X"), ("U", "Y"), ("Y", "Z")]:
    ...     s.add("PARENT_OF", parent, child)
    >>> sorted(related_pairs_of(s, {"X", "Y", "Z"}, date(2025, 1, 1), {"X", "Z"}))
    [('X', 'Y'), ('Y', 'Z')]
    >>> sorted(related_pairs_of(s, {"X", "Y", "Z"}, date(2025, 1, 1), {"Z"}))  # X: 2nd cousin
    [('Y', 'Z')]
    """
    seeds = seeds & candidates
    if not seeds:
        return set()
    near = skeleton.around(seeds, MAX_EDGE_HOPS - 1)      # a relative is <= 5 edges away
    groups = [g for g in shared_families(skeleton.links(near), candidates)[0]
              if not seeds.isdisjoint(g)]
    if not groups:
        return set()
    fam = skeleton.family(skeleton.around(set().union(*groups), MAX_EDGE_HOPS - 1))
    return _pairs(fam, groups, seeds, day)


def _pairs(fam: Family, groups: list[set[str]], seeds: set[str], day: date) -> set[tuple[str, str]]:
    pairs = set()
    for group in groups:
        if seeds.isdisjoint(group):
            continue
        for x in group:
            for y in fam.relatives(x, day):
                if y in group and (x in seeds or y in seeds):
                    pairs.add((min(x, y), max(x, y)))
    return pairs


def shared_families(links: Iterable[tuple[str, str]], persons: set[str]) -> tuple[list[set[str]], set[str]]:
    """The groups of two or more of ``persons`` joined by the ``links`` (base kinship
    edges of any date) — nobody outside a group can be a statutory relative of anyone in
    it — and every person of the families those groups belong to.

    >>> links = [("P", "A"), ("P", "B"), ("C", "D")]
    >>> groups, members = shared_families(links, {"A", "B", "C", "E"})
    >>> [sorted(g) for g in groups], sorted(members)
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

    for src, dst in links:
        a, b = find(src), find(dst)
        if a != b:
            root[a] = b
    by_root: dict[str, set[str]] = {}
    for p in sorted(persons & root.keys()):
        by_root.setdefault(find(p), set()).add(p)
    groups = {r: g for r, g in by_root.items() if len(g) > 1}
    members = {p for p in root if find(p) in groups}
    return list(groups.values()), members
