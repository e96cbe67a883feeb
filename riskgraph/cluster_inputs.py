"""The inputs of ``hidden_cluster``: contractors, their ties, cadres and their statutory
relations to tied persons, and the undirected graph the clusters are found in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import networkx as nx

from riskgraph.detectors._posts import BATCH
from riskgraph.detectors.base import Context
from riskgraph.hidden_links import Cluster, component_clusters, dense_clusters
from riskgraph.kinship import Relation
from riskgraph.values import native


def since_of(ctx: Context) -> date:
    return date(ctx.as_of.year - ctx.threshold("lookback_years"), 1, 1)


def contractors(rows: list[dict]) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """Contractor rows by company: its first row (name and contacts), and every row (its
    projects)."""
    companies: dict[str, dict] = {}
    projects: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        companies.setdefault(r["company_id"], r)
        projects[r["company_id"]].append(r)
    return companies, projects


def read_ties(ctx: Context, ids) -> list[dict]:
    return ctx.graph.read_chunked("detectors/hidden_cluster_ties", "ids", sorted(ids),
                                  {"as_of": ctx.as_of, "since": since_of(ctx)}, size=BATCH)


@dataclass
class Inputs:
    """What the clusters are found in: contractors (by company: first row, every row),
    their ties, who holds a post (``cadre``: of the persons near the tied ones) and the
    statutory relations of those cadres to tied persons (``kin``: (cadre, relative))."""

    companies: dict[str, dict]
    projects: dict[str, list[dict]]
    ties: dict[str, list[dict]]          # by the company tied to
    cadre: dict[str, bool]
    kin: dict[tuple[str, str], Relation | None]

    @property
    def persons(self) -> set[str]:
        return {r["src"] for rows in self.ties.values() for r in rows if r["src_is_person"]}

    def graph(self, names: dict[str, str]) -> nx.Graph:
        rows = [r for rows in self.ties.values() for r in rows]
        return cluster_graph(self.companies, rows, self.persons,
                             {p for p, yes in self.cadre.items() if yes}, self.kin, names)


def by_company(rows: list[dict]) -> dict[str, list[dict]]:
    """Tie rows by the company tied to."""
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["dst"]].append(r)
    return out


def clusters_of(G: nx.Graph, t: dict, nodes=None) -> list[Cluster]:
    """The dense clusters of ``G`` (of its component ``nodes`` when given)."""
    args = (t["seed"], t["min_counts"], t["min_density"], t["min_cross_ties"], t["resolution"])
    if nodes is None:
        return dense_clusters(G, *args)
    return component_clusters(G, nodes, *args)


def kin_pairs(fam, cadres: set[str], persons: set[str], day: date
              ) -> dict[tuple[str, str], Relation]:
    """(cadre, tied person) -> the person's statutory relation to the cadre on ``day``."""
    return {(c, r): rel for c in sorted(cadres)
            for r, rel in fam.relatives(c, day).items() if r in persons}


def cluster_graph(companies: dict, ties: list[dict], persons: set[str], cadres: set[str],
                  kin: dict[tuple[str, str], object], names: dict[str, str]) -> nx.Graph:
    """The undirected graph of cadres, their relatives tied to contractors (``kin``:
    (cadre, relative) pairs), and the contractors, each edge with its ``ties``."""
    G = nx.Graph()

    def tie(a: str, b: str, **info) -> None:
        if not G.has_edge(a, b):
            G.add_edge(a, b, ties=[])
        G.edges[a, b]["ties"].append(info)

    people = persons & cadres
    for c, r in kin:
        people.add(r)
        G.add_node(c, kind="cadre", name=names.get(c, c))
        G.add_node(r, kind="cadre" if r in cadres else "relative", name=names.get(r, r))
        tie(c, r, type="KIN", src=c, dst=r)
    for p in people:
        G.add_node(p, kind="cadre" if p in cadres else "relative", name=names.get(p, p))
    # In one order whatever order the rows came in (a component's ties read the same).
    for r in sorted(ties, key=lambda r: (r["dst"], r["src"], r["type"], str(r["detail"]))):
        src, dst = r["src"], r["dst"]
        if (src in people) or (not r["src_is_person"] and src in companies and src != dst):
            G.add_node(dst, kind="company", name=companies[dst]["company_name"])
            if src in companies:
                G.add_node(src, kind="company", name=companies[src]["company_name"])
            tie(src, dst, type=r["type"], detail=r["detail"], start=native(r["start"]),
                source=r["source"], src=src, dst=dst)
    for field, kind in (("address", "ADDRESS"), ("phone", "PHONE")):
        groups = defaultdict(list)
        for cid in G:
            if G.nodes[cid]["kind"] == "company" and companies[cid][field]:
                groups[companies[cid][field]].append(cid)
        for value, group in groups.items():
            for i, a in enumerate(sorted(group)):
                for b in sorted(group)[i + 1:]:
                    tie(a, b, type=kind, detail=value)
    return G
