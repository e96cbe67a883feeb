"""Incremental re-check after an import versus a whole-graph sweep, at county scale.

1. Split a generated county data set: about 1% of all rows (taken evenly from files
   nothing else refers to: relationships and leaf records) is held back as "new".
2. On a private embedded server and store (``--var``): import the rest, run a full
   sweep (the state before the import), import the new rows.
3. Incremental: the scheduler's ``recheck_imports`` (scope derived from the new
   batches, scoped detectors run on it) — timed, and its findings kept.
4. Full: a whole-graph sweep right after it; it must find nothing new and resolve
   nothing (the incremental run left the same findings a full one does). Timed.
5. The scope derivation and the scoped run are timed again ``--repeat`` times, and
   full sweeps as often, for medians.

Usage: python benchmarks/incremental_sweep.py --data DIR --var DIR [--repeat 3]
(generate DIR with `python -m riskgraph generate --scale county --seed 1 DIR`).
Writes benchmarks/reports/incremental_sweep.md.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import platform
import shutil
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa

from riskgraph import cluster_state, incremental, kin_skeleton, posttables
from riskgraph.aftersweep import finish_sweep
from riskgraph.alerts_config import load_alerts_config
from riskgraph.cli import initialise, run_import
from riskgraph.embedded import EmbeddedServer
from riskgraph.graph import open_graph
from riskgraph.memory import Settler
from riskgraph.poststore import ranked
from riskgraph.reach import CHANGES
from riskgraph.scheduler_config import load_scheduler_config
from riskgraph.scheduler_jobs import Runtime, enabled_detectors
from riskgraph.settings import load_settings
from riskgraph.store import (
    Finding,
    make_engine,
    session_factory,
    session_scope,
)
from riskgraph.store.vocab import DataStatus, RunTrigger
from riskgraph.sweep import run_sweep

# Files whose rows no other file refers to: holding some back breaks no reference.
LEAF_FILES = ["occupancies", "spouses", "parents", "siblings", "ownerships", "directorships",
              "employments", "bids", "official_acts", "personnel_acts", "evaluations",
              "trips", "petitions", "real_estate", "oversight_findings"]


def split(data: Path, out: Path, fraction: float) -> tuple[int, int]:
    """Write out/base (everything but the held-back rows) and out/new; returns
    (total rows, new rows)."""
    base, new = out / "base", out / "new"
    for d in (base, new):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    files = sorted(p for p in data.glob("*.csv"))
    counts = {p.stem: sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in files}
    total = sum(counts.values())
    leaf_total = sum(counts[f] for f in LEAF_FILES if f in counts)
    share = fraction * total / leaf_total           # of each leaf file, to make `fraction`
    held = 0
    for p in files:
        with p.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        step = round(1 / share) if p.stem in LEAF_FILES else 0
        keep = [r for i, r in enumerate(body) if not step or i % step != step // 2]
        extra = [r for i, r in enumerate(body) if step and i % step == step // 2]
        _write(base / p.name, header, keep)
        if extra:
            _write(new / f"{p.stem}.new.csv", header, extra)
            held += len(extra)
    for name in ("manifest.json", "ground_truth.jsonl"):
        if (data / name).exists():
            shutil.copy(data / name, base / name)
    return total, held


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def present_keys(sessions) -> set[str]:
    with session_scope(sessions) as session:
        return set(session.scalars(sa.select(Finding.key).where(
            Finding.data_status == DataStatus.PRESENT)))


def ranking(sessions) -> list[tuple]:
    """The current stored post ranking (rank order: post, score, level, factors)."""
    r = ranked()
    with session_scope(sessions) as session:
        rows = session.execute(sa.select(r.c.post_id, r.c.score, r.c.level, r.c.holder_id,
                                         r.c.factors).order_by(r.c.rank))
        return [tuple(row) for row in rows]


# The part of a sweep that is no detector's run: post ranking and warning levels, alerts.
READING = "## Reading"
REST = "(after-sweep step, alerts)"
STORED = "(of which: storing the post ranking)"


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def private_settings(var: Path):
    """Settings of a private embedded server and SQLite store under ``var`` (none of the
    caller's RISKGRAPH_* variables); refuses the shared county graph."""
    if var.resolve() == Path("/work/main/var").resolve():
        sys.exit("refusing to import into the shared graph: give your own --var")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKGRAPH_")}
    env.update(RISKGRAPH_VAR_DIR=str(var), RISKGRAPH_EMBEDDED_HEAP="2g",
               RISKGRAPH_DATABASE_URL=f"sqlite:///{var / 'bench.sqlite3'}")
    return load_settings(env)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--var", type=Path, required=True)
    ap.add_argument("--fraction", type=float, default=0.01)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    settings = private_settings(args.var)
    as_of = date.fromisoformat("2025-12-31")
    settings = settings.with_overrides(detectors={"as_of": as_of.isoformat()})
    load_start = os.getloadavg()[0]
    total, held = split(args.data, args.var / "split", args.fraction)
    held_files = len(list((args.var / "split" / "new").glob("*.csv")))
    print(f"split: {total} rows, {held} held back as new")

    db = args.var / "bench.sqlite3"
    db.unlink(missing_ok=True)
    initialise(settings, echo=print)
    with open_graph(settings) as graph:
        from riskgraph.graph_schema import wipe_graph
        wipe_graph(graph)
    t_base, _ = timed(lambda: run_import(settings, [args.var / "split" / "base"], force=True,
                                         echo=lambda m: None, initialised=True))
    engine = make_engine(settings.store_url)
    sessions = session_factory(engine)
    chosen = enabled_detectors(settings)()
    names = [d.name for d in chosen]
    with open_graph(settings) as graph:
        # As the CLI and the scheduler do: the sweep, then the step after it (which
        # stores the post ranking the re-check's post_risk starts from).
        t_before, _ = timed(lambda: finish_sweep(
            sessions, run_sweep(graph, sessions, settings, as_of=as_of)))
        t_new, _ = timed(lambda: run_import(settings, [args.var / "split" / "new"], force=True,
                                            echo=lambda m: None, initialised=True))
        config = load_scheduler_config()
        # What the scheduler decides with the shipped settings (planning only).
        with session_scope(sessions) as session:
            t_choice, choice = timed(lambda: incremental.plan(graph, session, chosen,
                                                              config.incremental))
        # The scoped path, forced (no cost shortcut, any scope size): timed as the
        # scheduler runs it, then checked against a whole sweep run the same way.
        forced = dataclasses.replace(config, incremental=dataclasses.replace(
            config.incremental, whole_graph_below_seconds=0, max_scope_fraction=1.0))
        runtime = Runtime(graph=graph, sessions=sessions, settings=settings, config=forced,
                          alerts=load_alerts_config(environ={}),
                          clock=lambda: datetime.now(UTC), add_one_off=lambda *a: None,
                          detectors=lambda: chosen, settler=Settler())   # as the scheduler
        before_inc = present_keys(sessions)
        t_inc, plan = timed(runtime.recheck_imports)
        inc_runs = {r.detector: r for r in runtime.summaries}
        after_inc = present_keys(sessions)

        def full_sweep():
            return runtime.run_detectors(chosen, f"bench-full-{time.time()}", RunTrigger.MANUAL)

        t_full, full = timed(full_sweep)
        after_full = present_keys(sessions)
        changed = sum(r.new + r.resolved for r in full)
        full_runs = {r.detector: r for r in full}

        plan_times, scoped_times, full_times, repeats_same = [], [], [], []
        # Per detector, and the rest of a sweep (after-sweep step, alerts), per repeat.
        inc_each, full_each = defaultdict(list), defaultdict(list)
        for i in range(args.repeat):
            # As in the scheduler, where each re-check brings new batches: the state the
            # process holds (kinship skeleton, post risk tables, hidden_cluster's contractor
            # graph) catches up with them again.
            for kept in (kin_skeleton, posttables, cluster_state):
                kept.unapply(list(plan.batches))
            with session_scope(sessions) as session:
                t, (writes, found) = timed(lambda: incremental.derive(
                    graph, session, list(plan.batches), chosen, forced.incremental))
            plan_times.append(t)
            # As recheck_imports runs it: the batches' changes go along (post_risk).
            t, runs = timed(lambda: runtime.run_detectors(
                chosen, f"bench-inc-{i}", RunTrigger.IMPORT, scopes=found,  # noqa: B023
                shared={CHANGES: writes}))  # noqa: B023
            scoped_times.append(t)
            for r in runs:
                inc_each[r.detector].append(r.seconds)
            inc_each[REST].append(t - sum(r.seconds for r in runs))
            inc_each[STORED].append(runtime.last_after.ranking_seconds)
            keys_inc, ranks_inc = present_keys(sessions), ranking(sessions)
            t, again = timed(full_sweep)
            full_times.append(t)
            for r in again:
                full_each[r.detector].append(r.seconds)
            full_each[REST].append(t - sum(r.seconds for r in again))
            full_each[STORED].append(runtime.last_after.ranking_seconds)
            repeats_same.append(keys_inc == present_keys(sessions)
                                and sum(r.new + r.resolved for r in again) == 0
                                and ranks_inc == ranking(sessions))
        cadres = graph.read("graph/count_label", Label="Cadre")[0]["count"]
    engine.dispose()
    EmbeddedServer(settings).stop()          # the private server: nothing else uses it

    med = statistics.median
    inc_med = med(plan_times) + med(scoped_times)
    rows = []
    for d in chosen:
        scope = plan.scope_of(d.name)
        unit = "projects" if d.scope_by == "entities" else "cadres"
        size = "whole graph" if scope is None else f"{len(scope):,} {unit}"
        rows.append(f"| {d.name} | {'yes' if d.scoped else 'no'} | {size} | "
                    f"{inc_runs[d.name].seconds:.2f} | {full_runs[d.name].seconds:.2f} | "
                    f"{med(inc_each[d.name]):.2f} | {med(full_each[d.name]):.2f} |")
    for part in (REST, STORED):
        rows.append(f"| {part} | | | | | {med(inc_each[part]):.2f} | {med(full_each[part]):.2f} |")
    wholes = [d.name for d in chosen if plan.scope_of(d.name) is None]
    whole_inc = sum(inc_runs[n].seconds for n in wholes)
    union = plan.scope
    report = f"""# Incremental re-check after an import vs a full sweep

Machine: {os.cpu_count()} cores shared with other work (load average during the run:
{os.getloadavg()[0]:.1f} at the end, {load_start:.1f} at the start), Python
{platform.python_version()}; measured {date.today()} by `flock /work/wt/bench.lock python
benchmarks/incremental_sweep.py --data <county seed 1> --var <private var>` on a private
embedded ArcadeDB server and SQLite store. Detectors: all {len(names)} enabled ones.
Both paths are timed the same way: the scheduler's `run_detectors` (one sweep: every
detector's run and findings, then the post ranking and warning levels).

| step | value |
|---|---|
| rows in the data set | {total:,} |
| rows held back and imported as new (≈{args.fraction:.0%}, spread over {held_files} files) | {held:,} |
| import of the base rows / of the new rows | {t_base:.1f} s / {t_new:.1f} s |
| cadres in the graph | {cadres:,} |
| full sweep before the import (`run_sweep` + after-sweep step) | {t_before:.2f} s |
| **scheduler's choice with the shipped settings** | {choice.reason} (planned in {t_choice:.2f} s) |

The scoped path, forced (`whole_graph_below_seconds: 0`, `max_scope_fraction: 1`):

| step | value |
|---|---|
| pending batches | {len(plan.batches)} |
| cadres in some detector's scope | {len(union or ()):,} of {cadres:,} |
| incremental re-check, as the scheduler runs it (scopes + runs) | {t_inc:.2f} s |
| full sweep right after it | {t_full:.2f} s |
| findings present before the import's re-check / after it / after the full sweep | {len(before_inc)} / {len(after_inc)} / {len(after_full)} |
| **same findings** (keys equal; the full sweep found nothing new, resolved nothing) | **{after_inc == after_full and changed == 0}** |

Per detector: the first incremental run vs the full sweep right after it, and the
medians of the {args.repeat} repeats (each repeat: a re-check, then a full sweep):

| detector | scoped | scope | first incremental s | first full s | median incremental s | median full s |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Whole-graph detectors in the incremental run: {', '.join(wholes) or 'none'} —
{whole_inc:.2f} s of it.

Repeated {args.repeat}× (medians):

| part | seconds |
|---|---|
| scope derivation from the batches | {med(plan_times):.2f} |
| detector runs on their scopes (+ after-sweep step) | {med(scoped_times):.2f} |
| incremental total | {inc_med:.2f} |
| full sweep | {med(full_times):.2f} |
| **incremental / full** | **{inc_med / med(full_times):.0%}** (target ≤ 20%) |

Each repeated re-check left the same findings and the same post ranking (rank order,
scores, levels, factors) as the full sweep right after it: **{all(repeats_same)}**
({sum(repeats_same)} of {len(repeats_same)}).
"""
    out = ROOT / "benchmarks" / "reports" / "incremental_sweep.md"
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if READING in old:          # the hand-written reading stays until rewritten by hand
        report += "\n" + old[old.index(READING):]
    out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
