"""Run time of the avoidance detectors on an already loaded graph (read only).

Runs each detector's ``run(ctx)`` a few times against the graph of the current settings
(``RISKGRAPH_VAR_DIR``; nothing is written, not even findings) and reports the median
wall-clock and database seconds, the number of hits, and the phases of post_avoidance's
kinship screen. The machine's load average is printed beside the figures, because on a
shared machine it moves them more than anything else.

Usage: RISKGRAPH_VAR_DIR=... python benchmarks/avoidance_detectors.py [--as-of 2025-12-31]
       [--repeat 3] [detector ...]
Prints a Markdown table (paste it into benchmarks/reports/avoidance_detectors.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskgraph import detectors  # noqa: E402
from riskgraph.detectors.base import Context  # noqa: E402
from riskgraph.detectors.config import detector_config  # noqa: E402
from riskgraph.graph import open_graph  # noqa: E402
from riskgraph.kin_screen import related_pairs  # noqa: E402
from riskgraph.settings import load_settings  # noqa: E402

DEFAULT = ["post_avoidance", "relative_business", "revolving_door"]


def timed(graph, work):
    started, db = time.perf_counter(), graph.db_seconds
    out = work()
    return out, time.perf_counter() - started, graph.db_seconds - db


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", default=DEFAULT)
    ap.add_argument("--as-of", default="2025-12-31")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    day = date.fromisoformat(args.as_of)
    settings = load_settings()
    rows = []
    with open_graph(settings) as graph:
        for name in args.names:
            config = detector_config(name, settings.get("detectors", "province"))
            runs = [timed(graph, lambda: list(detectors.get(name).run(Context(graph, config, day))))
                    for _ in range(args.repeat)]
            rows.append((name, len(runs[0][0]), statistics.median(r[1] for r in runs),
                         statistics.median(r[2] for r in runs)))
        holders, s1, d1 = timed(graph, lambda: {i for r in graph.read(
            "detectors/current_cadres", {"as_of": day}) for i in r["ids"]})
        pairs, s2, d2 = timed(graph, lambda: related_pairs(graph, holders, day))
        # A scoped re-check (e.g. after an import touched some cadres): the planted pairs'
        # members plus as many other cadres, expanded from them instead of the whole graph.
        some = {p for pair in sorted(pairs) for p in pair}
        some |= set(sorted(holders - some)[:len(some)])
        config = detector_config("post_avoidance", settings.get("detectors", "province"))
        scoped, s3, d3 = timed(graph, lambda: list(detectors.get("post_avoidance").run(
            Context(graph, config, day, frozenset(some)))))
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores); median of {args.repeat} runs\n")
    print("| detector | hits | seconds | database seconds |\n|---|---|---|---|")
    for name, hits, secs, db in rows:
        print(f"| {name} | {hits} | {secs:.2f} | {db:.2f} |")
    print(f"| **together** | | **{sum(r[2] for r in rows):.2f}** | {sum(r[3] for r in rows):.2f} |")
    print(f"\npost_avoidance screen: {len(holders)} current post holders read in {s1:.2f} s "
          f"({d1:.2f} s database); {len(pairs)} related pairs found in {s2:.2f} s ({d2:.2f} s "
          f"database).\nScoped post_avoidance run for {len(some)} cadres: {len(scoped)} hits in "
          f"{s3:.2f} s ({d3:.2f} s database).")


if __name__ == "__main__":
    main()
