"""Some detectors' re-check after an import versus their whole-graph runs, side by side.

The county data set is split as ``benchmarks/incremental_sweep.py`` splits it (about 1%
of the rows, spread over 15 files, held back as new). On a private embedded server and
store (``--var``): import the rest, run the chosen detectors on the whole graph (the
state before the import), import the new rows, and keep a copy of the store. Then
``--repeat`` times, from that copy (the findings as they stood before the import):

1. derive the chosen detectors' scopes from the new batches (``incremental.derive``);
2. run each detector on its scope, as the re-check does — timed, findings kept;
3. run each on the whole graph right after — timed; it must find nothing new and
   resolve nothing (the scoped run left the findings a whole run leaves).

Usage: python benchmarks/incremental_detectors.py --data DIR --var DIR
[--detectors money_loop hidden_cluster procurement_flags] [--repeat 3]
Writes benchmarks/reports/incremental_detectors.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sqlalchemy as sa
from incremental_sweep import present_keys, private_settings, split

from riskgraph import detectors, incremental
from riskgraph.cli import initialise, run_import
from riskgraph.graph import open_graph
from riskgraph.reach import CHANGES
from riskgraph.scheduler_config import load_scheduler_config
from riskgraph.store import (
    Finding,
    ImportBatch,
    make_engine,
    session_factory,
    session_scope,
)
from riskgraph.store.vocab import DataStatus, RunTrigger
from riskgraph.sweep import effective_scope, run_one, run_sweep

DEFAULT = ["money_loop", "hidden_cluster", "procurement_flags"]
REPORT = ROOT / "benchmarks" / "reports" / "incremental_detectors.md"


def keys_of(sessions, name: str) -> set[str]:
    with session_scope(sessions) as session:
        return set(session.scalars(sa.select(Finding.key).where(
            Finding.detector == name, Finding.data_status == DataStatus.PRESENT)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--var", type=Path, required=True)
    ap.add_argument("--detectors", nargs="+", default=DEFAULT)
    ap.add_argument("--fraction", type=float, default=0.01)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    db = args.var / "bench.sqlite3"
    as_of = date.fromisoformat("2025-12-31")
    settings = private_settings(args.var).with_overrides(detectors={"as_of": as_of.isoformat()})
    chosen = [detectors.get(n) for n in args.detectors]
    loads = [os.getloadavg()[0]]

    total, held = split(args.data, args.var / "split", args.fraction)
    print(f"split: {total} rows, {held} held back as new")
    db.unlink(missing_ok=True)
    initialise(settings, echo=print)
    with open_graph(settings) as graph:
        from riskgraph.graph_schema import wipe_graph
        wipe_graph(graph)
    run_import(settings, [args.var / "split" / "base"], force=True, echo=lambda m: None,
               initialised=True)
    engine = make_engine(settings.store_url)
    sessions = session_factory(engine)
    with open_graph(settings) as graph:
        run_sweep(graph, sessions, settings, chosen, as_of=as_of)
    with session_scope(sessions) as session:
        old = set(session.scalars(sa.select(ImportBatch.id)))
    run_import(settings, [args.var / "split" / "new"], force=True, echo=lambda m: None,
               initialised=True)
    with session_scope(sessions) as session:
        batches = [b for b in session.scalars(
            sa.select(ImportBatch.id).order_by(ImportBatch.finished_at)) if b not in old]
    engine.dispose()
    snapshot = args.var / "before.sqlite3"
    shutil.copy(db, snapshot)
    spec = load_scheduler_config().incremental
    loads.append(os.getloadavg()[0])

    rows: dict[str, dict[str, list]] = {d.name: {"inc": [], "full": [], "same": [], "scope": []}
                                        for d in chosen}
    derive_times = []
    with open_graph(settings) as graph:
        for i in range(args.repeat):
            shutil.copy(snapshot, db)
            engine = make_engine(settings.store_url)
            sessions = session_factory(engine)
            before = present_keys(sessions)
            with session_scope(sessions) as session:
                started = time.perf_counter()
                writes, scopes = incremental.derive(graph, session, batches, chosen, spec)
                derive_times.append(time.perf_counter() - started)
            shared = {CHANGES: writes}
            for d in chosen:
                scope = effective_scope(d, scopes[d.name])
                inc = run_one(graph, sessions, settings, d, f"bench-inc-{i}", RunTrigger.IMPORT,
                              as_of, scope, shared=shared)
                after_inc = keys_of(sessions, d.name)
                full = run_one(graph, sessions, settings, d, f"bench-full-{i}",
                               RunTrigger.MANUAL, as_of, None, shared={})
                r = rows[d.name]
                r["inc"].append(inc.seconds)
                r["full"].append(full.seconds)
                r["same"].append(full.new == full.resolved == 0
                                 and after_inc == keys_of(sessions, d.name))
                r["scope"].append("whole graph" if scope is None else f"{len(scope):,}")
                print(f"{i} {d.name}: scope {r['scope'][-1]}, inc {inc.seconds:.2f}s "
                      f"(new {inc.new}, resolved {inc.resolved}), full {full.seconds:.2f}s "
                      f"(new {full.new}, resolved {full.resolved})")
            print(f"{i}: findings before the re-check {len(before)}, "
                  f"after {len(present_keys(sessions))}")
            engine.dispose()
            loads.append(os.getloadavg()[0])
    write_report(args, total, held, batches, rows, derive_times, loads)


def write_report(args, total, held, batches, rows, derive_times, loads) -> None:
    med = statistics.median
    lines = [
        "# Re-check after an import vs whole runs, per detector",
        "",
        (f"Machine: 2 cores shared with other work (load average during the run: "
        f"{min(loads):.1f}–{max(loads):.1f}), Python {platform.python_version()}; measured "
        f"{date.today().isoformat()} by `flock /work/wt/bench.lock python "
        f"benchmarks/incremental_detectors.py --data <county seed 1> --var <private var> "
        f"--repeat {args.repeat}` on a private embedded ArcadeDB server and SQLite store."),
        "",
        (f"Rows: {total:,}; held back and imported as new: {held:,} in {len(batches)} batches "
        f"(as benchmarks/incremental_sweep.py splits them). Each repetition starts from a "
        f"copy of the store as it stood before the import, derives the scopes, runs each "
        f"detector on its scope and then on the whole graph, side by side."),
        "",
        ("| detector | scope | incremental s (median) | whole s (median) | incremental / whole |"
        " same findings |"),
        "|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        inc, full = med(r["inc"]), med(r["full"])
        lines.append(f"| {name} | {r['scope'][0]} | {inc:.2f} | {full:.2f} | "
                     f"{inc / full:.0%} | {all(r['same'])} ({sum(r['same'])} of {len(r['same'])}) |")
    lines += [
        "",
        (f"Scope derivation for these detectors (reading the batches' writes included, "
        f"which the whole re-check does once for all detectors): median "
        f"{med(derive_times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in derive_times)})."),
        "",
        "Each run's seconds: " + "; ".join(
            f"{n} inc {', '.join(f'{t:.2f}' for t in r['inc'])} / whole "
            f"{', '.join(f'{t:.2f}' for t in r['full'])}" for n, r in rows.items()) + ".",
        "",
    ]
    # The reading is written by hand: keep the one already there.
    old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    reading = old[old.index("## Reading"):] if "## Reading" in old else \
        "## Reading\n\n(written by hand after the run)\n"
    REPORT.write_text("\n".join(lines) + "\n\n" + reading, encoding="utf-8")
    print(f"report: {REPORT}")


if __name__ == "__main__":
    main()
