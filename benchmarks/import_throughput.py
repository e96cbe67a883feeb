"""Import throughput and memory: riskgraph's full pipeline against the database's own
fastest bulk path, measured side by side in one run.

- pipeline: `riskgraph import` as users run it (read, validate, check references inside
  the write transaction, merge, report), in a process of its own, on a fresh embedded
  server;
- engine:   the same rows, parsed beforehand (untimed), sent as plain UNWIND/MERGE
  batches of the same size with no checks, on another fresh embedded server.
The ratio pipeline/engine is what matters; absolute rows/s depend on the machine.

A round starts both servers and takes the files one at a time in import order: each
file is written by both sides back to back (the side that goes first alternates from
file to file and from round to round), so both sides of a file see the same load on a
shared machine. A round's ratio is the sum of the engine's seconds over the sum of the
pipeline's. The pipeline's process imports one file per request from the parent, with
one importer for the whole round, as `riskgraph import FOLDER` does.

Memory: peak resident size of the importing process during the run, and of a process
validating one file and the same file four times as long (imports stream, so the two
should be close). The 1-minute load average is sampled during the run.

Usage: python benchmarks/import_throughput.py [--scale county] [--scale city] [--seed 1]
       [--rounds N]
Heap of the servers: RISKGRAPH_EMBEDDED_HEAP, else a default per scale.
Writes benchmarks/reports/import_throughput.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskgraph.embedded import EmbeddedServer  # noqa: E402
from riskgraph.graph import open_graph  # noqa: E402
from riskgraph.graph_schema import apply_graph_schema  # noqa: E402
from riskgraph.ingest.fields import FieldParser  # noqa: E402
from riskgraph.ingest.readers import iter_rows, template_for  # noqa: E402
from riskgraph.ingest.rows import RowValidator  # noqa: E402
from riskgraph.ingest.runner import Importer, expand  # noqa: E402
from riskgraph.ingest.writer import edge_merge_query  # noqa: E402
from riskgraph.settings import load_settings  # noqa: E402

HEAP = {"tiny": "1g", "county": "2g", "city": "6g"}
BATCH = 2000


class PeakRss:
    """Samples the resident size of processes (each with its child processes) in a
    thread; keeps the peak of each, and the 1-minute load average seen meanwhile."""

    def __init__(self, pids):
        self.procs = [psutil.Process(p) for p in pids]
        self.peak = [0] * len(self.procs)
        self.load: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss(proc: psutil.Process) -> int:
        total = 0
        for p in [proc, *proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self):
        ticks = 0
        while not self._stop.is_set():
            for i, p in enumerate(self.procs):
                try:
                    self.peak[i] = max(self.peak[i], self._rss(p))
                except psutil.Error:
                    pass
            if ticks % 25 == 0:   # every 5 s
                self.load.append(os.getloadavg()[0])
            ticks += 1
            time.sleep(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def server_env(scale: str, label: str) -> dict:
    var = Path(tempfile.mkdtemp(prefix=f"rg-bench-{label}-"))
    return {"RISKGRAPH_VAR_DIR": str(var),
            "RISKGRAPH_EMBEDDED_HEAP": os.environ.get("RISKGRAPH_EMBEDDED_HEAP", HEAP[scale])}


def fresh_server(scale: str, label: str, env: dict | None = None):
    settings = load_settings(env or server_env(scale, label))
    server = EmbeddedServer(settings)
    server.start()
    return settings, server


class _NullLedger:
    """The benchmark measures the graph path; the store ledger is timed separately by
    the pipeline's own numbers (it is a few SQLite writes per file)."""

    def completed_batch(self, sha):
        return None

    def begin(self, report):
        pass

    def add_rejections(self, batch_id, rejections):
        pass

    def add_duplicates(self, batch_id, duplicates):
        pass

    def finish(self, report):
        pass


def _pipeline_child(env: dict, conn) -> None:
    """The pipeline side, in a process of its own: one importer for the round, which
    imports each file the parent sends (a path, or None to stop)."""
    sys.path.insert(0, str(ROOT))
    settings = load_settings(env)
    with open_graph(settings, start=False) as graph:
        importer = Importer(graph, _NullLedger(), graph.schema, settings.var_dir / "imports",
                            batch_size=BATCH, show_progress=False,
                            process_from_bytes=int(settings.get("import", "validation_process_from_bytes")))
        conn.send("ready")
        while (path := conn.recv()) is not None:
            path = Path(path)
            started = time.perf_counter()
            report = importer.import_file(path, template_for(path, graph.schema))
            conn.send({"seconds": time.perf_counter() - started, "rows": report.rows_read,
                       "rejected": report.rejected, "status": report.status})


class PipelineSide:
    """The pipeline's server and importing process for one round."""

    def __init__(self, scale: str):
        self.env = server_env(scale, "pipeline")
        self.settings, self.server = fresh_server(scale, "pipeline", self.env)
        with open_graph(self.settings, start=False) as graph:
            apply_graph_schema(graph)
        self.conn, there = multiprocessing.Pipe()
        self.child = multiprocessing.get_context("spawn").Process(target=_pipeline_child,
                                                                   args=(self.env, there))
        self.child.start()
        self.conn.recv()  # connected and ready

    def write(self, path: Path) -> dict:
        self.conn.send(str(path))
        out = self.conn.recv()
        if out["status"] != "done":
            raise RuntimeError(f"pipeline import failed for {path}")
        return out

    def close(self) -> None:
        if self.child.is_alive():
            self.conn.send(None)
        self.child.join()
        self.server.stop()
        shutil.rmtree(self.settings.var_dir, ignore_errors=True)


def _label_of(graph, field, ids):
    """Target label of each referenced id (looked up before timing starts)."""
    if len(field.to) == 1:
        return {i: field.to[0] for i in ids}
    found = {}
    for label in field.to:
        for key in graph.read("import/existing_ids", {"ids": sorted(ids)}, Label=label)[0]["ids"]:
            found[key] = label
    return found


def _engine_payload(graph, etype, rows):
    """Plain UNWIND/MERGE batches for one file: node rows and their reference edges, or
    edge rows, each grouped by the labels at both ends (resolved beforehand)."""
    out = defaultdict(list)
    if etype.kind == "node" and etype.extra_labels:
        # Two labels (Person:Cadre): the same writes as the pipeline, whose fastest form
        # on ArcadeDB is CREATE with both labels for new keys (MERGE on two labels scans).
        keys = sorted({r.key for r in rows})
        existing = set(graph.read("import/existing_ids", {"ids": keys}, Label=etype.label)[0]["ids"])
        for extra in etype.extra_labels:
            out[("promote", etype.label, extra, None)] = [k for k in keys if k in existing]
        out[("create", etype.label, etype.extra_labels[0], None)] = [k for k in keys if k not in existing]
    if etype.kind == "node":
        labels = {f.name: _label_of(graph, f, {r.refs[f.name] for r in rows} - {None})
                  for f in etype.refs}
        for r in rows:
            out[("node", etype.label, None, None)].append({"id": r.key, "props": r.props})
            for f in etype.refs:
                target = r.refs.get(f.name)
                if target is not None and target in labels[f.name]:
                    provenance = {"_source": r.props["_source"], "_batch": r.props["_batch"]}
                    out[("edge", etype.label, labels[f.name][target], f.edge)].append(
                        {"from": r.key, "to": target, "key": "", "props": provenance})
    else:
        src = _label_of(graph, etype.source, {r.source for r in rows})
        dst = _label_of(graph, etype.target, {r.target for r in rows})
        for r in rows:
            if r.source in src and r.target in dst:
                out[("edge", src[r.source], dst[r.target], etype.rel_type)].append(
                    {"from": r.source, "to": r.target, "key": r.edge_key, "props": r.props})
    return out


class EngineSide:
    """The engine's server for one round; writes a file's rows, parsed and resolved
    beforehand, as plain UNWIND/MERGE batches (one transaction each); times the writes."""

    def __init__(self, scale: str):
        self.settings, self.server = fresh_server(scale, "engine")
        self.graph = open_graph(self.settings, start=False)
        apply_graph_schema(self.graph)
        self.parser = FieldParser(self.graph.schema)

    def prepare(self, path: Path, etype) -> tuple[int, dict]:
        validator = RowValidator(etype, self.parser, path.name, "bench")
        rows = [v for v in (validator.validate(raw) for raw in iter_rows(path, etype))
                if not isinstance(v, list)]
        return len(rows), _engine_payload(self.graph, etype, rows)

    def write(self, payload: dict) -> float:
        graph = self.graph
        started = time.perf_counter()
        for (kind, a, b, rel), items in payload.items():
            for i in range(0, len(items), BATCH):
                chunk = items[i:i + BATCH]
                if kind == "promote":
                    graph.write("import/promote_label", {"ids": chunk}, Label=a, Extra=b)
                elif kind == "create":
                    graph.write("import/create_labelled_nodes", {"ids": chunk}, Label=a, Extra=b)
                elif kind == "node":
                    graph.write("import/merge_nodes", {"rows": chunk}, Label=a)
                else:
                    graph.write(edge_merge_query(chunk), {"rows": chunk}, From=a, To=b, TYPE=rel)
        return time.perf_counter() - started

    def close(self) -> None:
        self.graph.close()
        self.server.stop()
        shutil.rmtree(self.settings.var_dir, ignore_errors=True)


def _cpu(proc: psutil.Process) -> float:
    """CPU seconds of ``proc`` and its child processes (the importer's validation
    process), live or ended."""
    times = proc.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in proc.children(recursive=True):
        try:
            t = child.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


def run_round(scale: str, data: Path, number: int) -> dict:
    """Both sides over every file of ``data``, file by file, back to back. Besides the
    seconds, each side's CPU seconds (its client and its server) are kept per file: on a
    shared machine they show the work done, whatever the load."""
    engine = pipeline = None
    out = {"files": {}, "rejected": 0}
    try:
        engine, pipeline = EngineSide(scale), PipelineSide(scale)
        procs = {"pipeline": (psutil.Process(pipeline.child.pid), psutil.Process(pipeline.server.status().pid)),
                 "engine": (None, psutil.Process(engine.server.status().pid))}
        with PeakRss([pipeline.child.pid, pipeline.server.status().pid, engine.server.status().pid]) as rss:
            for i, (path, etype) in enumerate(expand([data], engine.graph.schema)):
                rows, payload = engine.prepare(path, etype)
                entry = {"rows": rows}
                for side in (("engine", "pipeline") if (i + number) % 2 == 0 else ("pipeline", "engine")):
                    client, server = procs[side]
                    before = (_cpu(client) if client else time.thread_time(), _cpu(server))
                    if side == "engine":
                        entry["engine"] = engine.write(payload)
                    else:
                        done = pipeline.write(path)
                        if done["rows"] != rows:
                            raise RuntimeError(f"{path.name}: pipeline read {done['rows']} rows, engine {rows}")
                        entry["pipeline"] = done["seconds"]
                        out["rejected"] += done["rejected"]
                    after = (_cpu(client) if client else time.thread_time(), _cpu(server))
                    entry[f"{side}_cpu"] = [after[0] - before[0], after[1] - before[1]]
                out["files"][path.name] = entry
                del payload
        out.update(py_peak_mb=rss.peak[0] / 2**20, pipeline_server_peak_mb=rss.peak[1] / 2**20,
                   engine_server_peak_mb=rss.peak[2] / 2**20, load=rss.load)
    finally:
        for side in (pipeline, engine):
            if side is not None:
                side.close()
    files = out["files"].values()
    out["rows"] = sum(f["rows"] for f in files)
    for side in ("pipeline", "engine"):
        out[f"{side}_seconds"] = sum(f[side] for f in files)
        out[f"{side}_cpu"] = sum(sum(f[f"{side}_cpu"]) for f in files)
    out["ratio"] = out["engine_seconds"] / out["pipeline_seconds"]
    return out


def peak_memory_of_import(data_file: Path, copies: int) -> float:
    """Peak RSS (MB) of a fresh process reading and validating ``copies`` concatenated
    copies of a file."""
    script = f"""
import sys, tempfile
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from riskgraph.ingest.fields import FieldParser
from riskgraph.ingest.readers import iter_rows, template_for
from riskgraph.ingest.rows import RowValidator
from riskgraph.schema import default_schema
src = Path({str(data_file)!r})
tmp = Path(tempfile.mkdtemp()) / src.name
with open(tmp, "w", encoding="utf-8", newline="") as out:
    for copy in range({copies}):
        with open(src, encoding="utf-8") as fh:
            header = fh.readline()
            if copy == 0:
                out.write(header)
            for line in fh:
                out.write(line)
s = default_schema(); et = template_for(tmp, s); v = RowValidator(et, FieldParser(s), tmp.name, "b")
n = sum(1 for raw in iter_rows(tmp, et) if not isinstance(v.validate(raw), list))
# VmHWM: this process's own peak (ru_maxrss would carry over the parent's across exec).
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(n, int(hwm) / 1024, tmp.parent)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    _, peak_mb, folder = out.stdout.split()
    shutil.rmtree(folder, ignore_errors=True)
    return float(peak_mb)


def summarise(rounds: list[dict]) -> dict:
    """The rounds of one scale: rates over all rounds, ratio per round, peaks, load."""
    files = rounds[0]["files"]
    per_file = {}
    for name in files:
        rows = sum(r["files"][name]["rows"] for r in rounds)
        pipe = sum(r["files"][name]["pipeline"] for r in rounds)
        eng = sum(r["files"][name]["engine"] for r in rounds)
        cpu = {side: [sum(r["files"][name][f"{side}_cpu"][k] for r in rounds) / len(rounds) for k in (0, 1)]
               for side in ("pipeline", "engine")}
        per_file[name] = {"rows": files[name]["rows"], "pipeline": rows / max(pipe, 1e-9),
                          "engine": rows / max(eng, 1e-9), "ratio": eng / max(pipe, 1e-9), "cpu": cpu}
    total = sum(r["rows"] for r in rounds)
    load = [x for r in rounds for x in r["load"]]
    return {"rows": rounds[0]["rows"], "rounds": len(rounds),
            "pipeline": total / sum(r["pipeline_seconds"] for r in rounds),
            "engine": total / sum(r["engine_seconds"] for r in rounds),
            "ratios": [r["ratio"] for r in rounds],
            "cpu_ratios": [r["engine_cpu"] / r["pipeline_cpu"] for r in rounds],
            "round_rates": [(r["rows"] / r["pipeline_seconds"], r["rows"] / r["engine_seconds"]) for r in rounds],
            "rejected": rounds[0]["rejected"],
            "py_peak_mb": max(r["py_peak_mb"] for r in rounds),
            "pipeline_server_peak_mb": max(r["pipeline_server_peak_mb"] for r in rounds),
            "engine_server_peak_mb": max(r["engine_server_peak_mb"] for r in rounds),
            "load": [min(load), sum(load) / len(load), max(load)] if load else [0, 0, 0],
            "per_file": per_file}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", action="append", choices=list(HEAP))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=1, help="rounds, each on two fresh servers")
    ap.add_argument("--memory-only", action="store_true",
                    help="measure only the memory table; keep the stored throughput results")
    ap.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "reports" / "import_throughput.md")
    args = ap.parse_args()
    from riskgraph.generate import generate

    store = args.report.with_suffix(".json")
    earlier = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    earlier = {k: v for k, v in earlier.items() if "ratios" in v}   # this format only
    for r in earlier.values():
        r["memory"] = {int(k): v for k, v in r["memory"].items()}
    results = {}
    for scale in args.scale or ["county"]:
        data = ROOT / "benchmarks" / ".data" / f"{scale}-{args.seed}"
        if not (data / "manifest.json").exists():
            generate(data, scale, args.seed)
        persons = data / "persons.csv"
        memory = {1: peak_memory_of_import(persons, 1), 4: peak_memory_of_import(persons, 4)}
        if args.memory_only:
            results[scale] = {**earlier[scale], "memory": memory}
            continue
        rounds = []
        for i in range(args.rounds):
            rounds.append(run_round(scale, data, i))
            r = rounds[-1]
            print(f"{scale} round {i + 1}: {r['rows']} rows, pipeline {r['pipeline_seconds']:.1f} s, "
                  f"engine {r['engine_seconds']:.1f} s, ratio {r['ratio']:.2f}, "
                  f"load {min(r['load'], default=0):.1f}-{max(r['load'], default=0):.1f}", flush=True)
        results[scale] = {**summarise(rounds), "memory": memory, "date": time.strftime("%Y-%m-%d"),
                          "heap": os.environ.get("RISKGRAPH_EMBEDDED_HEAP", HEAP[scale])}
    # Scales measured in earlier invocations stay in the report (city takes long).
    merged = {**earlier, **results}
    merged = {k: merged[k] for k in HEAP if k in merged}
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
    write_report(args.report, merged)


def write_report(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Import throughput", "",
             f"Machine: {os.cpu_count()} cores, shared with other work while measuring; measured by "
             f"`python benchmarks/import_throughput.py` (dates per scale below). Each round starts "
             f"two fresh embedded servers, one per side, and writes every file with both sides "
             f"back to back; batches of {BATCH} rows.", "",
             "| scale | rows | rounds | pipeline rows/s | engine UNWIND/MERGE rows/s | ratio per round | "
             "lowest | CPU-seconds ratio per round | rejected | importer peak RSS | server peak RSS "
             "(pipeline / engine) | heap | load avg (1 min) during run: min / mean / max | measured |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for scale, r in results.items():
        lo, mean, hi = r["load"]
        lines.append(f"| {scale} | {r['rows']:,} | {r['rounds']} | {r['pipeline']:,.0f} | {r['engine']:,.0f} | "
                     f"{', '.join(f'{x:.2f}×' for x in r['ratios'])} | **{min(r['ratios']):.2f}×** | "
                     f"{', '.join(f'{x:.2f}×' for x in r['cpu_ratios'])} | {r['rejected']} | {r['py_peak_mb']:,.0f} MB | "
                     f"{r['pipeline_server_peak_mb']:,.0f} / {r['engine_server_peak_mb']:,.0f} MB | "
                     f"{r['heap']} | {lo:.1f} / {mean:.1f} / {hi:.1f} | {r['date']} |")
    lines += ["", "Rows/s are over all rounds. A round's ratio is the engine's total seconds over the "
              "pipeline's (pipeline rows/s over engine rows/s); its CPU-seconds ratio is the same for the "
              "CPU time spent by each side's client and server while writing, which the load of a shared "
              "machine changes far less than elapsed time. Per round, pipeline / engine rows/s:"]
    for scale, r in results.items():
        lines.append(f"- {scale}: " + "; ".join(f"{p:,.0f} / {e:,.0f}" for p, e in r["round_rates"]))
    lines += ["", "Memory flat in file size (peak RSS of a process reading and validating persons.csv, "
              "one copy vs four copies):", "", "| scale | 1× file | 4× file | ratio |", "|---|---|---|---|"]
    for scale, r in results.items():
        m = r["memory"]
        lines.append(f"| {scale} | {m[1]:,.0f} MB | {m[4]:,.0f} MB | {m[4] / m[1]:.2f}× |")
    lines += ["", "Per file over all rounds: rows/s pipeline / engine (ratio), and CPU seconds per round "
              "of each side as client + server:", "",
              "| file | rows | " + " | ".join(f"{s} rows/s | {s} CPU s pipeline / engine" for s in results) + " |",
              "|---|---|" + "---|---|" * len(results)]
    for name in next(iter(results.values()))["per_file"]:
        cells, sizes = [], []
        for r in results.values():
            f = r["per_file"].get(name)
            sizes.append(f"{f['rows']:,}" if f else "")
            if f is None:
                cells += ["", ""]
                continue
            (pc, ps), (ec, es) = f["cpu"]["pipeline"], f["cpu"]["engine"]
            cells += [f"{f['pipeline']:,.0f} / {f['engine']:,.0f} ({f['ratio']:.2f}×)",
                      f"{pc:.1f} + {ps:.1f} / {ec:.1f} + {es:.1f}"]
        lines.append(f"| {name} | {', '.join(sizes)} | " + " | ".join(cells) + " |")
    lines += ["", "The engine side gets every row already parsed and every reference's target "
              "label already resolved (untimed); it times only the UNWIND/MERGE writes (the same "
              "node and edge MERGEs with the same properties and provenance the pipeline writes, "
              "and the extra Cadre label created the same way; one transaction per batch). The "
              "pipeline times everything: reading, validation, reference checks inside each write "
              "transaction, the likely-duplicate probe and provenance. Importer peak RSS is the "
              "importing process with its validation process; the pipeline's client CPU counts "
              "both.", ""]
    # Hand-written notes under "## Notes" survive a re-run.
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    notes = old[old.index("## Notes"):] if "## Notes" in old else ""
    path.write_text("\n".join(lines) + ("\n" + notes if notes else ""), encoding="utf-8")
    print(f"report: {path}")


if __name__ == "__main__":
    main()
