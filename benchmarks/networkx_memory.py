"""Time and peak resident memory of the networkx parts of the hidden-link detectors
(money_loop, hidden_cluster), on an already imported graph (read only).

For each detector: the Cypher extraction (database time), building the networkx graph,
and the algorithm (money_chains over every approved payment; Louvain dense_clusters),
with the graph's size; then the whole detector run as `riskgraph run` does it. Peak RSS
is the Python process's, sampled every 10 ms. `--replicate N` also times the algorithms
on N disjoint copies of the extracted graphs (a stand-in for a larger jurisdiction when
no larger data set is imported).

Usage: RISKGRAPH_VAR_DIR=/work/main/var python benchmarks/networkx_memory.py
           [--as-of 2025-12-31] [--replicate 10] [--label county]
Writes benchmarks/reports/networkx_memory.md (one section per --label).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from datetime import date
from pathlib import Path

import networkx as nx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskgraph import detectors
from riskgraph.cluster_inputs import cluster_graph, kin_pairs
from riskgraph.detectors import money_loop
from riskgraph.detectors._posts import current_posts, native
from riskgraph.detectors.base import Context
from riskgraph.detectors.config import detector_config
from riskgraph.family import load_family
from riskgraph.graph import open_graph
from riskgraph.hidden_links import dense_clusters, money_chains
from riskgraph.settings import load_settings

REPORT = ROOT / "benchmarks" / "reports" / "networkx_memory.md"


class PeakRss:
    def __init__(self):
        self.proc, self.peak, self._stop = psutil.Process(), 0, threading.Event()

    def __enter__(self):
        self.peak = self.proc.memory_info().rss
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def copies(G, n):
    """n disjoint copies of G (node ids suffixed), keeping node and edge data."""
    return nx.disjoint_union_all([G] * n) if n > 1 else G


def bench_money(graph, as_of, n):
    t = detector_config("money_loop")["thresholds"]
    since = date(as_of.year - t["lookback_years"], as_of.month, 1)
    db0 = graph.db_seconds
    seeds = [{**r, "day": native(r["day"])} for r in graph.read(
        "detectors/money_loop_seeds", {"since": since, "as_of": as_of})]
    flows = [{**r, "day": native(r["day"])} for r in graph.read(
        "detectors/money_loop_flows", {"since": since, "until": as_of})]
    extract = graph.db_seconds - db0
    G, build = timed(lambda: money_loop.payment_graph(seeds, flows))

    def chains(H, starts):
        return sum(1 for s in starts for _ in money_chains(H, s, t["max_hops"], t["max_days"]))

    starts = [(s["payer_id"], s["payee_id"], s["pay_id"]) for s in seeds]
    found, algo = timed(lambda: chains(G, starts))
    out = {"extract": extract, "build": build, "algo": algo, "nodes": G.number_of_nodes(),
           "edges": G.number_of_edges(), "result": found}
    if n > 1:
        big = nx.MultiDiGraph()
        for i in range(n):
            big.add_nodes_from((f"{v}#{i}", d) for v, d in G.nodes(data=True))
            big.add_edges_from((f"{a}#{i}", f"{b}#{i}", f"{k}#{i}", d)
                               for a, b, k, d in G.edges(keys=True, data=True))
        big_starts = [(f"{a}#{i}", f"{b}#{i}", f"{k}#{i}") for i in range(n) for a, b, k in starts]
        found_n, algo_n = timed(lambda: chains(big, big_starts))
        out.update(rep_nodes=big.number_of_nodes(), rep_edges=big.number_of_edges(),
                   rep_algo=algo_n, rep_result=found_n)
    return out


def bench_cluster(graph, as_of, n):
    t = detector_config("hidden_cluster")["thresholds"]
    since = date(as_of.year - t["lookback_years"], 1, 1)
    db0 = graph.db_seconds
    companies = {}
    for r in graph.read("detectors/hidden_cluster_contractors", {"since": since, "as_of": as_of}):
        companies.setdefault(r["company_id"], r)
    ids = sorted(companies)
    ties = []
    for i in range(0, len(ids), 2000):
        ties += graph.read("detectors/hidden_cluster_ties",
                           {"ids": ids[i:i + 2000], "as_of": as_of, "since": since})
    persons = {r["src"] for r in ties if r["src_is_person"]}
    fam = load_family(graph, persons)
    posts = current_posts(graph, fam.gender.keys(), as_of)
    extract = graph.db_seconds - db0
    cadres = {p for p in posts if posts[p]}
    kin = kin_pairs(fam, cadres, persons, as_of)
    G, build = timed(lambda: cluster_graph(companies, ties, persons, cadres, kin, fam.names))
    args = (t["seed"], t["min_counts"], t["min_density"], t["min_cross_ties"], t["resolution"])
    found, algo = timed(lambda: dense_clusters(G, *args))
    out = {"extract": extract, "build": build, "algo": algo, "nodes": G.number_of_nodes(),
           "edges": G.number_of_edges(), "result": len(found), "family": len(fam.gender)}
    if n > 1:
        big = copies(G, n)
        found_n, algo_n = timed(lambda: dense_clusters(big, *args))
        out.update(rep_nodes=big.number_of_nodes(), rep_edges=big.number_of_edges(),
                   rep_algo=algo_n, rep_result=len(found_n))
    return out


def whole_run(graph, name, as_of):
    det = detectors.get(name)
    ctx = Context(graph, detector_config(name), as_of)
    db0 = graph.db_seconds
    hits, secs = timed(lambda: list(det.run(ctx)))
    return {"seconds": secs, "db": graph.db_seconds - db0, "hits": len(hits)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--as-of", default="2025-12-31")
    ap.add_argument("--replicate", type=int, default=10)
    ap.add_argument("--label", default="county")
    a = ap.parse_args()
    as_of = date.fromisoformat(a.as_of)
    settings = load_settings(dict(os.environ))
    rows = []
    with open_graph(settings, start=False) as graph:
        for name, bench in (("money_loop", bench_money), ("hidden_cluster", bench_cluster)):
            with PeakRss() as rss:
                parts = bench(graph, as_of, a.replicate)
            with PeakRss() as rss_run:
                run = whole_run(graph, name, as_of)
            rows.append((name, parts, rss.peak, run, rss_run.peak))
            print(name, parts, run, rss.peak >> 20, rss_run.peak >> 20, flush=True)
    write_report(a, rows)


def write_report(a, rows):
    mb = lambda b: f"{b / 2**20:,.0f} MB"
    lines = [(f"## {a.label} (as of {a.as_of}; measured {date.today()} by "
             f"`python benchmarks/networkx_memory.py --label {a.label}`)"), "",
             ("| detector | Cypher extraction s | build s | algorithm s | graph nodes / edges | "
              "result | peak RSS (parts) | whole run s (db s) | peak RSS (whole run) |"),
             "|---|---|---|---|---|---|---|---|---|"]
    for name, p, peak, run, peak_run in rows:
        lines.append(f"| {name} | {p['extract']:.2f} | {p['build']:.3f} | {p['algo']:.3f} | "
                     f"{p['nodes']:,} / {p['edges']:,} | {p['result']} | {mb(peak)} | "
                     f"{run['seconds']:.2f} ({run['db']:.2f}) | {mb(peak_run)} |")
    if a.replicate > 1:
        lines += ["", f"Algorithms alone on {a.replicate} disjoint copies of the extracted graphs:",
                  "", "| detector | nodes / edges | algorithm s | result |", "|---|---|---|---|"]
        for name, p, *_ in rows:
            lines.append(f"| {name} | {p['rep_nodes']:,} / {p['rep_edges']:,} | "
                         f"{p['rep_algo']:.3f} | {p['rep_result']} |")
    section = "\n".join(lines) + "\n"
    head = "# networkx parts: time and peak memory\n\nMachine: 2 cores shared with other jobs.\n\n"
    old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else head
    marker = f"## {a.label} "
    kept = [s for s in old.split("\n## ") if not ("## " + s).startswith(marker)]
    text = "\n## ".join(kept).rstrip() + "\n\n" + section
    REPORT.write_text(text if text.startswith("# ") else head + text, encoding="utf-8")


if __name__ == "__main__":
    main()
