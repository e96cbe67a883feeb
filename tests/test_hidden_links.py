"""Unit tests of the pure networkx functions behind money_loop and hidden_cluster."""

from __future__ import annotations

from datetime import date

import networkx as nx

from riskgraph.hidden_links import cross_ties, dense_clusters, money_chains


def payments(*edges):
    G = nx.MultiDiGraph()
    for a, b, key, day in edges:
        for n in (a, b):
            G.add_node(n, kind="person" if n.startswith("P") else "company")
        G.add_edge(a, b, key=key, date=date.fromisoformat(day))
    return G


def keys(chains):
    return [[k for _, _, k in c] for c in chains]


def test_chains_follow_time_and_stop_at_persons():
    G = payments(("O", "K1", "p1", "2024-01-01"), ("K1", "K2", "p2", "2024-01-10"),
                 ("K2", "P1", "p3", "2024-01-20"), ("K1", "P2", "p4", "2024-01-05"),
                 ("K2", "K1", "p5", "2024-01-15"))     # back to K1: never revisited
    assert keys(money_chains(G, ("O", "K1", "p1"), 4, 180)) == [["p1", "p4"], ["p1", "p2", "p3"]]


def test_chains_respect_days_hops_and_gaps():
    G = payments(("O", "K1", "p1", "2024-01-01"), ("K1", "K2", "p2", "2024-01-01"),
                 ("K2", "P1", "p3", "2024-06-29"))     # day 180
    assert keys(money_chains(G, ("O", "K1", "p1"), 3, 180)) == [["p1", "p2", "p3"]]
    assert keys(money_chains(G, ("O", "K1", "p1"), 3, 179)) == []
    assert keys(money_chains(G, ("O", "K1", "p1"), 2, 180)) == []
    assert keys(money_chains(G, ("O", "K1", "p1"), 3, 180, min_gap_days=1)) == []


def cluster_graph(extra_edges=()):
    G = nx.Graph()
    for i in (1, 2, 3):
        G.add_node(f"C{i}", kind="cadre")
        G.add_node(f"R{i}", kind="relative")
        G.add_node(f"K{i}", kind="company")
        G.add_edges_from([(f"C{i}", f"R{i}"), (f"R{i}", f"K{i}")])
    G.add_edges_from(extra_edges)
    for j in range(20):     # unrelated background pairs
        G.add_edge(f"x{j}", f"y{j}")
        G.nodes[f"x{j}"]["kind"] = G.nodes[f"y{j}"]["kind"] = "company"
    return G


DENSE = [("K1", "K2"), ("K2", "K3"), ("K1", "K3"), ("R1", "K2"), ("R3", "K1"), ("R2", "K1"),
         ("R1", "K3")]
NEED = {"cadre": 3, "relative": 3, "company": 3}


def test_sparse_stars_are_no_cluster():
    assert dense_clusters(cluster_graph(), 7, NEED, 0.2, 3, 0.3) == []


def test_dense_group_is_one_cluster_whatever_the_seed():
    G = cluster_graph(DENSE)
    for seed in (1, 7, 42):
        found = dense_clusters(G, seed, NEED, 0.2, 3, 0.3)
        assert [sorted(c.nodes) for c in found] == [sorted(f"{k}{i}" for k in "CRK" for i in (1, 2, 3))]
        assert found[0].cross_ties == cross_ties(G, found[0].nodes) == 3 + 4


def test_thresholds_filter_clusters():
    G = cluster_graph(DENSE)
    assert dense_clusters(G, 1, {**NEED, "cadre": 4}, 0.2, 3, 0.3) == []
    assert dense_clusters(G, 1, NEED, 0.5, 3, 0.3) == []
    assert dense_clusters(G, 1, NEED, 0.2, 8, 0.3) == []


def two_groups_joined() -> nx.Graph:
    """Two dense groups of nine (cadres, relatives, companies), one tie between them."""
    G = nx.Graph()
    for tag in "AB":
        for i in (1, 2, 3):
            G.add_node(f"{tag}C{i}", kind="cadre")
            G.add_node(f"{tag}R{i}", kind="relative")
            G.add_node(f"{tag}K{i}", kind="company")
            G.add_edges_from([(f"{tag}C{i}", f"{tag}R{i}"), (f"{tag}R{i}", f"{tag}K{i}")])
        G.add_edges_from([(f"{tag}{a}", f"{tag}{b}") for a, b in
                          [("K1", "K2"), ("K2", "K3"), ("K1", "K3"), ("R1", "K2"), ("R3", "K1")]])
    G.add_edge("AK1", "BK1")
    return G


def test_a_components_clusters_do_not_depend_on_the_rest_of_the_graph():
    # networkx's Louvain over the whole graph merges the two groups (one community of
    # 18, too sparse: no cluster) once 200 unrelated pairs exist elsewhere, and splits
    # them when they are alone. Run per component, the answer is the same either way,
    # and whatever order the graph was built in: re-running only the components an
    # import touched gives the whole run's clusters.
    alone = two_groups_joined()
    want = [sorted(c.nodes) for c in dense_clusters(alone, 20261121, NEED, 0.2, 3, 0.3)]
    assert [len(c) for c in want] == [9, 9]
    crowded = two_groups_joined()
    for j in range(200):
        crowded.add_node(f"x{j}", kind="company")
        crowded.add_node(f"y{j}", kind="relative")
        crowded.add_edge(f"x{j}", f"y{j}")
    flipped = nx.Graph()
    flipped.add_nodes_from(sorted(crowded.nodes(data=True), reverse=True))
    flipped.add_edges_from(sorted(crowded.edges, reverse=True))
    for G in (crowded, flipped):
        assert [sorted(c.nodes) for c in dense_clusters(G, 20261121, NEED, 0.2, 3, 0.3)] == want
