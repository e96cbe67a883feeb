"""Planted cases that must look exactly as GROUND_TRUTH.md says, also where the block
leaves the generator little room: tenure near-misses that break no other tenure rule,
and hidden clusters whose three companies all won a public project.

Runs single steps of the generator on the `tiny` block (one county), or the whole
generator with more planted cases than usual.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from riskgraph.generate import STEPS, generate, plants
from riskgraph.generate.config import load_config
from riskgraph.generate.ids import IdFactory
from riskgraph.generate.model import Block, Ctx
from riskgraph.generate.people import add_years
from riskgraph.generate.plants import money
from riskgraph.generate.projects import OWNER_KINDS
from riskgraph.generate.regions import build_regions

CFG = load_config("tiny")
AS_OF = CFG.as_of


def block_before_plants(seed: int = 7) -> Block:
    """The tiny block with organisations, cadres, families and companies, before any
    case is planted."""
    ctx = Ctx(cfg=CFG, seed=seed, ids=IdFactory(seed), regions=build_regions(CFG, seed))
    b = Block(ctx, ctx.regions.blocks[0])
    for step in STEPS[:STEPS.index(plants.phase_a)]:
        step(b)
    return b


def leader_seats(b: Block):
    return [s for o in b.orgs for s in (o.head, *o.deputies) if s is not None]


def cluster_rows(b: Block) -> list[dict]:
    return [c for c in b.gt if c["detector"] == "hidden_cluster"]


def won(b: Block) -> dict[str, set[str]]:
    """Company id -> ids of the projects it won."""
    out: dict[str, set[str]] = {}
    for p in b.rows["projects"]:
        out.setdefault(p["winner"], set()).add(p["id"])
    return out


def test_cluster_companies_all_win_a_project_when_free_leaders_are_scarce():
    # Every owner organisation had one free (unplanted) leader, for five weeks only:
    # twenty random picks of organisation and day rarely meet one.
    b = block_before_plants()
    for seat in leader_seats(b):
        for person, _, _ in seat.occupants:
            person.tag = "busy"
    start = AS_OF - dt.timedelta(days=500)
    for org in (o for o in b.orgs if o.kind in OWNER_KINDS):
        former = org.head.occupants[0][0] if org.head.occupants else None
        if former is None:
            continue
        former.tag, former.cadre.seat = None, None     # left office: not a cluster cadre
        org.head.occupants = [(former, start, start + dt.timedelta(days=35))]
    money.plant_cluster(b)
    rows = cluster_rows(b)
    assert rows, "no cluster planted"
    projects = won(b)
    for case in rows:
        companies = [e for e in case["entities"] if e.startswith("91")]
        assert len(companies) == 3
        for company in companies:
            assert projects.get(company, set()) & set(case["entities"]), (case["case"], company)


def test_no_cluster_recorded_when_no_company_can_win():
    b = block_before_plants()
    for seat in leader_seats(b):
        for person, _, _ in seat.occupants:
            person.tag = "busy"
    money.plant_cluster(b)
    assert cluster_rows(b) == []


@pytest.fixture(scope="module")
def many_boundaries(tmp_path_factory):
    """Tiny data with a leader_boundary near-miss on every cadre that can carry one (seed 2
    gave five of them 15+ years at one rank before the generator kept runs short)."""
    out = tmp_path_factory.mktemp("gen") / "boundaries"
    generate(out, "tiny", 2, rates={"post_tenure": {
        "near_miss": 300.0, "near_misses": {"leader_boundary": 1, "rotation_boundary": 0}}})
    truth = [json.loads(line) for line in (out / "ground_truth.jsonl").read_text("utf-8").splitlines()]
    with open(out / "cadres.csv", encoding="utf-8", newline="") as fh:
        cadres = {r["id"]: r for r in csv.DictReader(fh)}
    with open(out / "occupancies.csv", encoding="utf-8", newline="") as fh:
        holders = {r["person"] for r in csv.DictReader(fh) if not r["end_date"]}
    return truth, cadres, holders


def test_leader_boundary_near_misses_break_no_tenure_rule(many_boundaries):
    truth, cadres, _ = many_boundaries
    rules = CFG.rules["tenure"]
    cases = [c for c in truth if c["variant"] == "leader_boundary"]
    assert len(cases) >= 10
    for c in cases:
        in_post = dt.date.fromisoformat(c["date"])
        rank_since = dt.date.fromisoformat(cadres[c["subject"]]["rank_since"])
        assert add_years(AS_OF, -rules["leader_years"]) < in_post, c
        assert add_years(AS_OF, -rules["rank_level_years"]) < rank_since, (c, rank_since)


def test_no_current_holder_reaches_the_rank_level_limit(many_boundaries):
    _, cadres, holders = many_boundaries
    limit = add_years(AS_OF, -CFG.rules["tenure"]["rank_level_years"])
    assert [i for i in sorted(holders)
            if dt.date.fromisoformat(cadres[i]["rank_since"]) <= limit] == []
