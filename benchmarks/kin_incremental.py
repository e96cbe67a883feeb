"""The kinship detectors after an import: scoped re-check versus a whole run, side by side.

``--setup`` splits a county data set as ``incremental_sweep.py`` does (≈1% held back),
imports the base rows into a private var dir, runs the five kinship detectors on the
whole graph (their hit keys are kept: the state before the import), imports the new rows
and notes their batches. Without ``--setup`` it reuses that var dir: derives each
detector's scope from the new batches, runs it scoped and whole (``--repeat`` times,
alternating; the scoped run catches up the skeleton the whole run left with the new
batches, as the scheduler's re-check does), and checks the scoped run is exact: the whole run after the import equals
the findings before it with the scoped run's in-scope subjects replaced by its hits.

``--check`` compares the skeleton with the graph read the detectors' whole way.

Usage: python benchmarks/kin_incremental.py --data DIR --var DIR [--setup] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sqlalchemy as sa
from incremental_sweep import private_settings, split

from riskgraph import detectors, incremental, kin_skeleton
from riskgraph.cli import initialise, run_import
from riskgraph.detectors.base import Context
from riskgraph.detectors.config import detector_config
from riskgraph.findings import hit_key
from riskgraph.graph import open_graph
from riskgraph.scheduler_config import load_scheduler_config
from riskgraph.store import ImportBatch, make_engine, session_factory, session_scope

NAMES = ["post_avoidance", "recusal", "declaration_gap", "words_vs_deeds", "relative_business"]
AS_OF = date(2025, 12, 31)


def hits(graph, name: str, scope, sessions=None) -> tuple[float, dict[str, list[str]]]:
    """Seconds, and key -> subjects of each hit."""
    d = detectors.get(name)
    ctx = Context(graph, detector_config(d.name, ""), AS_OF, scope, sessions=sessions)
    started = time.perf_counter()
    found = {hit_key(d, h): sorted(h.subjects) for h in d.run(ctx)}
    return time.perf_counter() - started, found


def check(graph) -> None:
    """The skeleton against the graph read the detectors' whole way: current holders on
    three days; the relatives of 400 random holders on three days (``load_family``); the
    whole-graph pair screen against the skeleton's, with every holder and half of them
    as seeds."""
    import random

    from riskgraph.family import load_family
    from riskgraph.kin_screen import related_pairs, related_pairs_of
    from riskgraph.kinship import MAX_EDGE_HOPS

    kin = kin_skeleton.read(graph)
    days = (AS_OF, date(2010, 1, 1), date(1995, 1, 1))
    for day in days:
        assert kin.holders(day) == {i for r in graph.read("detectors/current_cadres",
                                                          {"as_of": day}) for i in r["ids"]}
    random.seed(1)
    holders = kin.holders(AS_OF)
    seeds = random.sample(sorted(holders), 400)
    fam, bare = load_family(graph, seeds), kin.family(kin.around(seeds, MAX_EDGE_HOPS - 1))
    assert set(fam.gender) == set(bare.gender)
    relations = 0
    for day in days:
        for p in seeds:
            found = {k: r.walk for k, r in fam.relatives(p, day).items()}
            assert found == {k: r.walk for k, r in bare.relatives(p, day).items()}, p
            relations += len(found)
    whole = related_pairs(graph, holders, AS_OF)
    half = set(random.sample(sorted(holders), len(holders) // 2))
    assert whole == related_pairs_of(kin, holders, AS_OF, holders)
    assert {p for p in whole if set(p) & half} == related_pairs_of(kin, holders, AS_OF, half)
    print(f"check: holders on {len(days)} days, {relations} relations of 400 holders, "
          f"{len(whole)} pairs: the skeleton agrees with the graph")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/work/main/var/demo/county-1"))
    ap.add_argument("--var", type=Path, required=True)
    ap.add_argument("--setup", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=NAMES)
    ap.add_argument("--check", action="store_true", help="only compare the skeleton with the graph")
    args = ap.parse_args()
    settings = private_settings(args.var)
    state = args.var / "kin_state.json"
    if args.setup:
        args.var.mkdir(parents=True, exist_ok=True)
        total, held = split(args.data, args.var / "split", 0.01)
        print(f"split: {total} rows, {held} held back")
        (args.var / "bench.sqlite3").unlink(missing_ok=True)
        initialise(settings, echo=print)
        with open_graph(settings) as graph:
            from riskgraph.graph_schema import wipe_graph
            wipe_graph(graph)
        run_import(settings, [args.var / "split" / "base"], force=True, echo=lambda m: None,
                   initialised=True)
        with open_graph(settings) as graph:
            before = {n: hits(graph, n, None)[1] for n in NAMES}
        reports = run_import(settings, [args.var / "split" / "new"], force=True,
                             echo=lambda m: None, initialised=True)
        state.write_text(json.dumps({"before": before,
                                     "batches": [r.batch_id for r in reports]}))
        return
    if args.check:
        with open_graph(settings) as graph:
            check(graph)
        return
    saved = json.loads(state.read_text())
    engine = make_engine(settings.store_url)
    sessions = session_factory(engine)
    spec = load_scheduler_config().incremental
    load = [os.getloadavg()[0]]
    with open_graph(settings) as graph, session_scope(sessions) as session:
        batches = saved["batches"]
        assert session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)
                              .where(ImportBatch.id.in_(batches))) == len(batches)
        chosen = [detectors.get(n) for n in args.only]
        derive_t = []
        for _ in range(args.repeat + 1):      # the first one reads the skeleton
            t0 = time.perf_counter()
            _, scopes = incremental.derive(graph, session, batches, chosen, spec)
            derive_t.append(time.perf_counter() - t0)
        first, then = derive_t[0], statistics.median(derive_t[1:])
        lines = [(f"scope derivation for these detectors: {first:.2f} s the first time "
                  f"(reads the kinship skeleton), then median {then:.2f} s"), "",
                 ("| detector | scope (cadres) | incremental s (median) | full s (median) "
                  "| ratio | exact |"), "|---|---|---|---|---|---|"]
        total_i = total_f = 0.0
        for name in args.only:
            scope = scopes[name]
            inc_t, full_t = [], []
            for _ in range(args.repeat):
                t, whole = hits(graph, name, None, sessions)
                full_t.append(t)
                # As in the scheduler: the skeleton the process holds from before the
                # import is caught up with the new batches (they are marked unapplied
                # again here, so that each scoped run re-applies them: the same reads).
                kin_skeleton.unapply(batches)
                t, scoped = hits(graph, name, scope, sessions)
                inc_t.append(t)
            before = saved["before"][name]
            expect = {k: s for k, s in before.items()
                      if scope is None or not set(s) & scope} | scoped
            exact = set(expect) == set(whole)
            if not exact:
                print("  missing:", sorted(set(whole) - set(expect))[:5],
                      "extra:", sorted(set(expect) - set(whole))[:5])
            mi, mf = statistics.median(inc_t), statistics.median(full_t)
            size = "whole" if scope is None else f"{len(scope):,}"
            lines.append(f"| {name} | {size} | {mi:.3f} | {mf:.3f} | {mi / mf:.0%} | {exact} |")
            total_i, total_f = total_i + mi, total_f + mf
            load.append(os.getloadavg()[0])
    engine.dispose()
    lines += [(f"| **together** | | **{total_i:.3f}** | **{total_f:.3f}** | "
               f"**{total_i / total_f:.0%}** | |"), "",
              (f"load average seen: {min(load):.1f}-{max(load):.1f} ({os.cpu_count()} cores); "
               f"{args.repeat} runs each, alternating whole and scoped; {date.today()}")]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
