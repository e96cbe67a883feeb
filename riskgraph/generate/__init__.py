"""Synthetic cadre-supervision data with planted cases: ``generate(out_dir, scale, seed)``.

Writes one CSV per import template (header = English field names), ``ground_truth.jsonl``
(one planted case or near-miss per line) and ``manifest.json``. Same seed, same bytes.

Blocks (a county, a city's own organisations, the province's) are generated one at a
time and written out, so memory stays bounded by the largest block. Within a block:
organisations and posts -> seat reservations for planted pairs -> background cadres,
families and companies -> planted cases (phase A) -> career histories, relatives'
businesses, projects -> planted cases (phase B) -> declarations, evaluations,
petitions -> words-vs-deeds items (phase C) -> write.

What each ground-truth variant means exactly (for detector authors): GROUND_TRUTH.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from riskgraph.generate import (
    careers,
    companies,
    families,
    orgs,
    people,
    plants,
    projects,
    records,
)
from riskgraph.generate.config import load_config
from riskgraph.generate.emit import emit_block
from riskgraph.generate.ids import IdFactory
from riskgraph.generate.model import Block, Ctx
from riskgraph.generate.regions import build_regions
from riskgraph.generate.writer import Sink, write_manifest
from riskgraph.schema import default_schema

GENERATOR_VERSION = "1.0"
Progress = Callable[[str, int, "int | None"], None]

__all__ = ["generate", "GENERATOR_VERSION"]


STEPS = (
    orgs.build_orgs, plants.plan, people.fill_seats,
    lambda b: b.formers.extend(people.former_cadres(b)),
    lambda b: [families.build_family(b, p) for p in list(b.cadres)],
    companies.background_companies, plants.phase_a,
    lambda b: careers.assign_histories(b, b.formers),
    companies.relative_businesses, projects.background_projects, plants.phase_b,
    careers.personnel_acts, records.estates_and_trips, records.declarations,
    records.evaluations, records.petitions_and_findings, plants.phase_c,
)
STAGE = "区划单元"      # progress stage: blocks, counted in steps


def build_block(b: Block, tick: Callable[[], None] | None = None) -> None:
    for step in STEPS:
        step(b)
        if tick:
            tick()


def generate(out_dir: Path, scale: str, seed: int, rates: dict | None = None,
             progress: Progress | None = None) -> dict:
    """Generate a data set at `scale` (tiny, county, city, province) into `out_dir`.

    Returns the row count of every template (plus ``ground_truth``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = load_config(scale, rates)
    ctx = Ctx(cfg=cfg, seed=seed, ids=IdFactory(seed), regions=build_regions(cfg, seed))
    sink = Sink(out_dir, default_schema())
    try:
        sink.write("regions", ctx.regions.rows())
        blocks = ctx.regions.blocks
        total, done = len(blocks) * (len(STEPS) + 1), [0]

        def tick() -> None:
            done[0] += 1
            if progress:
                progress(STAGE, done[0], total)

        if progress:
            progress(STAGE, 0, total)
        for region in blocks:
            b = Block(ctx, region)
            build_block(b, tick)
            emit_block(b, sink)
            tick()
    finally:
        sink.close()
    counts = dict(sink.counts)
    counts["ground_truth"] = sink.gt_count
    write_manifest(out_dir, {"generator": "riskgraph.generate", "version": GENERATOR_VERSION,
                             "scale": scale, "seed": seed, "as_of": cfg.as_of.isoformat(),
                             "rates": cfg.rates if rates else None,
                             "files": {f"{k}.csv" if k != "ground_truth" else "ground_truth.jsonl": v
                                       for k, v in sorted(counts.items())}})
    return counts
