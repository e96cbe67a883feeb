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
