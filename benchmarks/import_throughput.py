"""Import throughput and memory: riskgraph's full pipeline against the database's own
fastest bulk path, measured side by side in one run.

- pipeline: `riskgraph import` as users run it (read, validate, check references inside
  the write transaction, merge, report), on a fresh embedded server;
- engine:   the same rows, parsed beforehand (untimed), sent as plain UNWIND/MERGE
  batches of the same size with no checks, on another fresh embedded server.
The ratio pipeline/engine is what matters; absolute rows/s depend on the machine.
Memory: peak resident size of the importing Python process, on one file and on the same
file four times as long (imports stream, so the two should be close).

The pipeline runs in a child process of its own, so its peak memory is that of an
import alone (the parent holds the engine side's parsed rows). On a shared machine the
load drifts: ``--rounds 2`` runs the sides engine, pipeline, pipeline, engine and
compares the totals.

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
from riskgraph.ingest.readers import iter_rows  # noqa: E402
from riskgraph.ingest.rows import RowValidator  # noqa: E402
from riskgraph.ingest.runner import Importer, expand  # noqa: E402
from riskgraph.ingest.writer import edge_merge_query  # noqa: E402
from riskgraph.settings import load_settings  # noqa: E402

HEAP = {"tiny": "1g", "county": "2g", "city": "6g"}
BATCH = 2000


class PeakRss:
    """Samples the resident size of processes (each with its child processes) in a
    thread; keeps the peak of each."""

    def __init__(self, pids):
        self.procs = [psutil.Process(p) for p in pids]
        self.peak = [0] * len(self.procs)
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
        while not self._stop.is_set():
            for i, p in enumerate(self.procs):
                try:
                    self.peak[i] = max(self.peak[i], self._rss(p))
                except psutil.Error:
                    pass
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


def _pipeline_child(env: dict, data: str, conn) -> None:
    """The pipeline side, in a process of its own: import every file of ``data``."""
    sys.path.insert(0, str(ROOT))
    settings = load_settings(env)
    with open_graph(settings, start=False) as graph:
        importer = Importer(graph, _NullLedger(), graph.schema, settings.var_dir / "imports",
                            batch_size=BATCH, show_progress=False)
        conn.recv()  # the parent is sampling memory: go
        started = time.perf_counter()
        reports = importer.import_paths([Path(data)])
        seconds = time.perf_counter() - started
    conn.send({"seconds": seconds, "rows": sum(r.rows_read for r in reports),
               "rejected": sum(r.rejected for r in reports), "failed": [str(r.path) for r in reports if r.status != "done"],
               "per_file": {r.path.name: (r.rows_read, r.seconds) for r in reports}})


def run_pipeline(scale: str, data: Path) -> dict:
    env = server_env(scale, "pipeline")
    settings, server = fresh_server(scale, "pipeline", env)
    try:
        with open_graph(settings, start=False) as graph:
            apply_graph_schema(graph)
        here, there = multiprocessing.Pipe()
        child = multiprocessing.get_context("spawn").Process(target=_pipeline_child, args=(env, str(data), there))
        child.start()
        with PeakRss([child.pid, server.status().pid]) as rss:
            here.send("go")
            out = here.recv()
        child.join()
        if out["failed"]:
            raise RuntimeError(f"pipeline import failed for {out['failed']}")
        return {**out, "py_peak_mb": rss.peak[0] / 2**20, "server_peak_mb": rss.peak[1] / 2**20}
    finally:
        server.stop()
        shutil.rmtree(settings.var_dir, ignore_errors=True)


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


def run_engine(scale: str, data: Path) -> dict:
    settings, server = fresh_server(scale, "engine")
    total_rows, total_seconds = 0, 0.0
    per_file = {}
    rss = PeakRss([server.status().pid])
    try:
        rss.__enter__()
        with open_graph(settings, start=False) as graph:
            apply_graph_schema(graph)
            parser = FieldParser(graph.schema)
            for path, etype in expand([data], graph.schema):
                validator = RowValidator(etype, parser, path.name, "bench")
                rows = [v for v in (validator.validate(raw) for raw in iter_rows(path, etype))
                        if not isinstance(v, list)]
                payload = _engine_payload(graph, etype, rows)
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
                seconds = time.perf_counter() - started
                total_seconds += seconds
                total_rows += len(rows)
                per_file[path.name] = (len(rows), seconds)
                del rows, payload
    finally:
        rss.__exit__()
        server.stop()
        shutil.rmtree(settings.var_dir, ignore_errors=True)
    return {"rows": total_rows, "seconds": total_seconds, "per_file": per_file,
            "server_peak_mb": rss.peak[0] / 2**20}


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


def combine(runs: list[dict]) -> dict:
    """Several runs of one side as one: total rows over total seconds, peak of peaks."""
    out = {"rows": runs[0]["rows"], "seconds": sum(r["seconds"] for r in runs), "rounds": len(runs)}
    out["rate"] = out["rows"] * len(runs) / out["seconds"]
    out["rates"] = [round(r["rows"] / r["seconds"]) for r in runs]
    for key in ("py_peak_mb", "server_peak_mb"):
        if key in runs[0]:
            out[key] = max(r[key] for r in runs)
    if "rejected" in runs[0]:
        out["rejected"] = runs[0]["rejected"]
    files = runs[0]["per_file"]
    out["per_file"] = {name: round(sum(r["per_file"][name][0] for r in runs)
                                   / max(1e-9, sum(r["per_file"][name][1] for r in runs)))
                       for name in files}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", action="append", choices=list(HEAP))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=1, help="runs of each side, order alternating")
    ap.add_argument("--memory-only", action="store_true",
                    help="measure only the memory table; keep the stored throughput results")
    ap.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "reports" / "import_throughput.md")
    args = ap.parse_args()
    from riskgraph.generate import generate

    store = args.report.with_suffix(".json")
    earlier = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    for r in earlier.values():
        r["memory"] = {int(k): v for k, v in r["memory"].items()}
    results = {}
    for scale in args.scale or ["county"]:
        data = ROOT / "benchmarks" / ".data" / f"{scale}-{args.seed}"
        if not (data / "manifest.json").exists():
            generate(data, scale, args.seed)
        persons = data / "persons.csv"
        if args.memory_only:
            results[scale] = {**earlier[scale], "memory": {1: peak_memory_of_import(persons, 1),
                                                           4: peak_memory_of_import(persons, 4)}}
            continue
        runs = {"engine": [], "pipeline": []}
        for i in range(args.rounds):
            for side in (("engine", "pipeline") if i % 2 == 0 else ("pipeline", "engine")):
                runs[side].append((run_engine if side == "engine" else run_pipeline)(scale, data))
                print(scale, side, runs[side][-1]["rows"], round(runs[side][-1]["seconds"], 1), "s", flush=True)
        pipeline, engine = combine(runs["pipeline"]), combine(runs["engine"])
        # Round i pairs the i-th run of each side (run back to back, so under similar load).
        pairs = [e["seconds"] / p["seconds"] for p, e in zip(runs["pipeline"], runs["engine"])]
        memory = {1: peak_memory_of_import(persons, 1), 4: peak_memory_of_import(persons, 4)}
        results[scale] = {"pipeline": pipeline, "engine": engine, "memory": memory, "pairs": pairs,
                          "heap": os.environ.get("RISKGRAPH_EMBEDDED_HEAP", HEAP[scale])}
        print(json.dumps({scale: results[scale]}, ensure_ascii=False, indent=1), flush=True)
    # Scales measured in earlier invocations stay in the report (city takes long).
    merged = {**earlier, **results}
    merged = {k: merged[k] for k in HEAP if k in merged}
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
    write_report(args.report, merged)


def write_report(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Import throughput", "",
             f"Machine: {os.cpu_count()} cores, shared with other work while measuring; measured "
             f"{time.strftime('%Y-%m-%d')} by `python benchmarks/import_throughput.py`. Each side "
             f"runs on its own fresh embedded server; batches of {BATCH} rows.", "",
             "| scale | rows | rounds | pipeline rows/s | engine UNWIND/MERGE rows/s | ratio (lowest round) | "
             "ratio per round | rejected | importer peak RSS | pipeline server peak RSS | "
             "engine server peak RSS | heap |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for scale, r in results.items():
        p, e = r["pipeline"], r["engine"]
        lines.append(f"| {scale} | {p['rows']:,} | {p['rounds']} | {p['rate']:,.0f} | {e['rate']:,.0f} | "
                     f"**{min(r['pairs']):.2f}×** | {', '.join(f'{x:.2f}×' for x in r['pairs'])} | "
                     f"{p['rejected']} | {p['py_peak_mb']:,.0f} MB | "
                     f"{p['server_peak_mb']:,.0f} MB | {e['server_peak_mb']:,.0f} MB | {r['heap']} |")
    lines += ["", "Rows/s are totals over all rounds. A round runs the two sides back to back "
              "(engine first in odd rounds, pipeline first in even ones); its ratio is pipeline "
              "rows/s over engine rows/s in that round, and the headline is the lowest round.",
              "", "Memory flat in file size (validation of persons.csv, one copy vs four copies, "
              "peak RSS of the process):", "", "| scale | 1× file | 4× file | ratio |", "|---|---|---|---|"]
    for scale, r in results.items():
        m = r["memory"]
        lines.append(f"| {scale} | {m[1]:,.0f} MB | {m[4]:,.0f} MB | {m[4] / m[1]:.2f}× |")
    lines += ["", "Rows/s per file (pipeline / engine):", "",
              "| file | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    for name in next(iter(results.values()))["pipeline"]["per_file"]:
        cells = []
        for r in results.values():
            p, e = r["pipeline"]["per_file"].get(name), r["engine"]["per_file"].get(name)
            cells.append(f"{p:,} / {e:,}" if p is not None and e is not None else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "The engine side gets every row already parsed and every reference's target "
              "label already resolved (untimed); it times only the UNWIND/MERGE writes (the same "
              "node and edge MERGEs with the same properties and provenance the pipeline writes, "
              "and the extra Cadre label created the same way; one transaction per batch). The pipeline times everything: reading, validation, "
              "reference checks inside each write transaction, duplicate probes and provenance. "
              "Importer peak RSS is the importing process with its child processes.", "",
              "Per valid batch the pipeline runs, beyond the engine's MERGEs, a count of its own "
              "keys already in the graph (for stale references and extra labels), the "
              "likely-duplicate probe for persons, and a label lookup for references that may "
              "point at several labels. References to a single label are not looked up: the edge "
              "MERGE matches both ends by key inside the batch's transaction, and a count short "
              "of the rows rolls the batch back and writes it again with every reference looked "
              "up first, which names the rejected rows (riskgraph/ingest/writer.py).", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"report: {path}")


if __name__ == "__main__":
    main()
