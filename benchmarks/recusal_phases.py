"""Run time of the recusal detector on a loaded graph, phase by phase (read only).

Phases: the actors in the look-back window, their families (load_family), the interests
downstream of those families (holdings, chains, shared contacts, nominees), the acts on
those interests, and the pure matching in Python. Each phase is timed over several runs
and the median reported, since the machine is shared.

Usage (against the county graph, never writing to it):
  RISKGRAPH_VAR_DIR=/work/main/var python benchmarks/recusal_phases.py [--runs 5] [--as-of 2025-12-31]
Writes benchmarks/reports/recusal_phases.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from riskgraph.detectors import recusal
from riskgraph.detectors.base import Context
from riskgraph.detectors.config import detector_config
from riskgraph.family import load_family
from riskgraph.graph import open_graph
from riskgraph.settings import load_settings

REPORT = Path(__file__).parent / "reports" / "recusal_phases.md"


def one_run(ctx: Context) -> tuple[dict[str, float], dict[str, int]]:
    times, sizes = {}, {}
    t = time.perf_counter()
    rules = recusal.tie_rules(ctx)
    actors = {r["id"] for r in ctx.graph.read("detectors/recusal/actors", recusal._params(ctx))}
    times["actors"], sizes["actors"] = time.perf_counter() - t, len(actors)
    t = time.perf_counter()
    fam = load_family(ctx.graph, actors)
    times["families"], sizes["family persons"] = time.perf_counter() - t, len(fam.gender)
    t = time.perf_counter()
    g = recusal.load_interests(ctx.graph, set(fam.gender), rules)
    companies = {n for n, label in g.nodes(data="label") if label == "Company"}
    times["interests"], sizes["companies"] = time.perf_counter() - t, len(companies)
    t = time.perf_counter()
    acts = recusal.read_acts(ctx, companies, set(fam.gender))
    times["acts"], sizes["acts"] = time.perf_counter() - t, len(acts)
    t = time.perf_counter()
    cases = recusal.find_cases(acts, g, fam, rules)
    times["matching"], sizes["cases"] = time.perf_counter() - t, len(cases)
    t = time.perf_counter()
    hits = list(recusal.run(ctx))
    times["whole run (incl. evidence)"], sizes["hits"] = time.perf_counter() - t, len(hits)
    return times, sizes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--as-of", default="2025-12-31")
    args = ap.parse_args()
    settings = load_settings()
    with open_graph(settings, start=False) as graph:
        ctx = Context(graph, detector_config("recusal"), dt.date.fromisoformat(args.as_of))
        runs = [one_run(ctx) for _ in range(args.runs)]
    sizes = runs[-1][1]
    lines = ["# recusal detector: run time by phase", "",
             "Graph: the generated county (seed 1, ~237k rows), "
             f"as_of {args.as_of}; median of {args.runs} runs on a shared 2-core machine.", "",
             "| phase | median s | min s |", "|---|---|---|"]
    for phase in runs[0][0]:
        values = [r[0][phase] for r in runs]
        lines.append(f"| {phase} | {statistics.median(values):.2f} | {min(values):.2f} |")
    lines += ["", "| size | count |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sizes.items()]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
