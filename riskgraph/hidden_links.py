"""Hidden links as pure functions of networkx graphs (fed by Cypher extractions in the
detectors ``money_loop`` and ``hidden_cluster``).

- ``money_chains``: time-respecting chains of payments that start with one payment and
  end at a person (a closed money loop once the person is the approver or a relative).
- ``dense_clusters``: communities of cadres, relatives and contractors (Louvain with a
  fixed seed on each connected component by itself, so runs are repeatable and a
  component's clusters depend on it alone), kept when they are large and tightly knit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import networkx as nx

Payment = tuple[str, str, str]     # (payer, payee, payment id): an edge of a MultiDiGraph


def money_chains(G: nx.MultiDiGraph, first: Payment, max_hops: int, max_days: int,
                 min_gap_days: int = 0) -> Iterator[list[Payment]]:
    """Every chain of payments that starts with ``first`` and ends at a node whose
    ``kind`` is ``"person"``: each next payment leaves the previous payee no earlier than
    ``min_gap_days`` after the previous one, at most ``max_days`` after the first, with at
    most ``max_hops`` payments and no party twice. Edges carry ``date`` (a date).

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["ORG", "K1", "K2"], kind="company"); G.add_node("R", kind="person")
    >>> _ = G.add_edge("ORG", "K1", key="P1", date=date(2024, 1, 1))
    >>> _ = G.add_edge("K1", "K2", key="P2", date=date(2024, 1, 20))
    >>> _ = G.add_edge("K2", "R", key="P3", date=date(2024, 2, 10))
    >>> _ = G.add_edge("K1", "R", key="P4", date=date(2023, 12, 1))   # earlier: not a chain
    >>> [[p for _, _, p in c] for c in money_chains(G, ("ORG", "K1", "P1"), 4, 180)]
    [['P1', 'P2', 'P3']]
    >>> list(money_chains(G, ("ORG", "K1", "P1"), 2, 180))
    []
    """
    start = G.edges[first]["date"]
    last_day = start + timedelta(days=max_days)
    seen = {first[0], first[1]}
    chain = [first]

    def walk(node: str, day: date) -> Iterator[list[Payment]]:
        if G.nodes[node].get("kind") == "person":
            yield list(chain)
            return
        if len(chain) >= max_hops:
            return
        for _, nxt, key, data in sorted(G.out_edges(node, keys=True, data=True),
                                        key=lambda e: (e[3]["date"], e[2])):
            if nxt in seen or data["date"] < day + timedelta(days=min_gap_days) \
                    or data["date"] > last_day:
                continue
            seen.add(nxt)
            chain.append((node, nxt, key))
            yield from walk(nxt, data["date"])
            chain.pop()
            seen.discard(nxt)

    yield from walk(first[1], start)


@dataclass(frozen=True)
class Cluster:
    nodes: frozenset[str]
    counts: dict[str, int]       # nodes by kind
    density: float
    cross_ties: int              # company–company ties + relatives' ties beyond a first company


def cross_ties(G: nx.Graph, nodes) -> int:
    """Ties that knit companies together: company–company edges, plus each person's
    company ties beyond the first.

    >>> G = nx.Graph()
    >>> G.add_nodes_from(["K1", "K2"], kind="company"); G.add_node("R", kind="relative")
    >>> G.add_edges_from([("R", "K1"), ("R", "K2"), ("K1", "K2")])
    >>> cross_ties(G, G.nodes)
    2
    """
    sub = G.subgraph(nodes)
    kind = nx.get_node_attributes(sub, "kind")
    between = sum(1 for a, b in sub.edges if kind[a] == kind[b] == "company")
    spread = sum(max(0, sum(1 for m in sub[n] if kind[m] == "company") - 1)
                 for n in sub if kind[n] != "company")
    return between + spread


def component_graph(G: nx.Graph, nodes) -> nx.Graph:
    """A copy of ``G``'s subgraph on ``nodes`` with nodes and edges in sorted order, so
    what is computed on it depends on those nodes and edges alone (not on the order in
    which the whole graph was built)."""
    C = nx.Graph()
    C.add_nodes_from(sorted(nodes))
    C.add_edges_from(sorted(tuple(sorted(e)) for e in G.subgraph(nodes).edges))
    return C


def dense_clusters(G: nx.Graph, seed: int, min_counts: dict[str, int], min_density: float,
                   min_cross_ties: int, resolution: float = 1.0) -> list[Cluster]:
    """Louvain communities of ``G`` (nodes with a ``kind``) that hold at least
    ``min_counts`` nodes of each kind, with at least ``min_density`` and
    ``min_cross_ties``; largest first. Deterministic for a given ``seed``. A
    ``resolution`` below 1 favours larger communities: on a small graph, modularity
    would otherwise split even a tight group of nine into pieces.

    Louvain is run on each connected component by itself (``component_graph``): a
    community never spans two components, but networkx's Louvain over a whole graph
    weighs every move by the whole graph's edge count, shuffles all nodes together and
    stops on the whole graph's modularity, so a change in one component could change
    the communities of another. Per component, a component's clusters depend on it
    alone — re-running the touched components is exact. A component that cannot hold
    ``min_counts`` is skipped (no community of it could).

    >>> G = nx.Graph()
    >>> for i in (1, 2, 3):
    ...     G.add_node(f"C{i}", kind="cadre"); G.add_node(f"R{i}", kind="relative")
    ...     G.add_node(f"K{i}", kind="company"); G.add_edge(f"C{i}", f"R{i}")
    ...     G.add_edge(f"R{i}", f"K{i}")
    >>> dense_clusters(G, 1, {"cadre": 3, "company": 3}, 0.2, 3)   # three separate stars
    []
    >>> G.add_edges_from([("K1", "K2"), ("K2", "K3"), ("K1", "K3"), ("R1", "K2"), ("R3", "K1")])
    >>> [sorted(c.nodes) for c in dense_clusters(G, 1, {"cadre": 3, "company": 3}, 0.2, 3, 0.3)]
    [['C1', 'C2', 'C3', 'K1', 'K2', 'K3', 'R1', 'R2', 'R3']]
    """
    out = [cluster for nodes in components(G) for cluster in component_clusters(
        G, nodes, seed, min_counts, min_density, min_cross_ties, resolution)]
    return sorted(out, key=lambda c: (-len(c.nodes), sorted(c.nodes)))


def components(G: nx.Graph) -> list[set[str]]:
    """The connected components of ``G`` with an edge (where ``dense_clusters`` looks)."""
    return [nodes for nodes in nx.connected_components(G) if len(nodes) > 1]


def component_clusters(G: nx.Graph, nodes: set[str], seed: int, min_counts: dict[str, int],
                       min_density: float, min_cross_ties: int,
                       resolution: float = 1.0) -> list[Cluster]:
    """The clusters ``dense_clusters`` keeps in one connected component ``nodes``."""
    if not _enough(G, nodes, min_counts):
        return []
    out = []
    for community in nx.community.louvain_communities(
            component_graph(G, nodes), seed=seed, resolution=resolution):
        if not _enough(G, community, min_counts):
            continue
        counts = Counter(G.nodes[n]["kind"] for n in community)
        density = nx.density(G.subgraph(community))
        ties = cross_ties(G, community)
        if density >= min_density and ties >= min_cross_ties:
            out.append(Cluster(frozenset(community), dict(counts), density, ties))
    return out


def _enough(G: nx.Graph, nodes, min_counts: dict[str, int]) -> bool:
    counts = Counter(G.nodes[n]["kind"] for n in nodes)
    return all(counts[k] >= v for k, v in min_counts.items())
