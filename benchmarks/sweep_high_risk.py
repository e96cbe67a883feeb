"""Time of the high-risk-post work (issue 4) on an already loaded graph: the detectors
post_tenure, procurement_flags and post_risk (hits only, no store), and score_posts
(gather, score, store the ranking) into a throw-away SQLite store. Each is run `--repeat`
times; the report gives the median and the slowest, with database time apart.

Usage (on the shared county graph, read only):
  RISKGRAPH_VAR_DIR=/work/main/var python benchmarks/sweep_high_risk.py --as-of 2025-12-31
Writes benchmarks/reports/sweep_high_risk.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskgraph import detectors  # noqa: E402
from riskgraph.detectors.base import Context  # noqa: E402
from riskgraph.detectors.config import detector_config  # noqa: E402
from riskgraph.graph import open_graph  # noqa: E402
from riskgraph.postscores import score_posts  # noqa: E402
from riskgraph.settings import load_settings  # noqa: E402
from riskgraph.store import make_engine, session_factory  # noqa: E402
from riskgraph.store.migrate import upgrade  # noqa: E402

DETECTORS = ("post_tenure", "procurement_flags", "post_risk")


def timed(graph, work) -> tuple[float, float, int]:
    db, started = graph.db_seconds, time.perf_counter()
    count = work()
    return time.perf_counter() - started, graph.db_seconds - db, count


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--as-of", default="2025-12-31")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    settings = load_settings()
    province = settings.get("detectors", "province")
    results: dict[str, list[tuple[float, float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp, open_graph(settings) as graph:
        url = f"sqlite:///{Path(tmp) / 'store.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        for _ in range(args.repeat):
            for name in DETECTORS:
                det = detectors.get(name)
                ctx = Context(graph, detector_config(name, province), as_of)
                results.setdefault(name, []).append(timed(graph, lambda d=det, c=ctx: len(list(d.run(c)))))
            results.setdefault("score_posts", []).append(timed(graph, lambda: len(
                score_posts(graph, sessions, settings, "bench", as_of))))
        engine.dispose()
    load = os.getloadavg()[0]
    lines = ["# High-risk posts sweep (issue 4)", "",
             f"Machine: {os.cpu_count()} cores shared with other jobs (load average {load:.1f} at the end); "
             f"measured {dt.date.today()} by `python benchmarks/sweep_high_risk.py` on the shared county "
             f"graph (seed 1, 8.5k cadres, ~237k rows), as of {as_of}, {args.repeat} runs each.", "",
             "| step | results | median s | slowest s | database s (median) |", "|---|---|---|---|---|"]
    total = 0.0
    for name, runs in results.items():
        med = statistics.median(r[0] for r in runs)
        total += med
        lines.append(f"| {name} | {runs[0][2]} | {med:.2f} | {max(r[0] for r in runs):.2f} | "
                     f"{statistics.median(r[1] for r in runs):.2f} |")
    lines += ["", f"Total of the medians: **{total:.1f} s** (target for all issue-4 detectors on a county: "
              "≤ 20 s)."]
    out = ROOT / "benchmarks" / "reports" / "sweep_high_risk.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
