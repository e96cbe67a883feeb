"""The re-check after an import of a new kinship edge, for the pair detector 任职回避.

A scoped post_avoidance run finds every pair of relatives of which EITHER member is in
its scope (``kin_screen.related_pairs``). A new base edge A–B can only create (or end)
pairs (X, Y) whose walk crosses it: X within d1 base edges of A, Y within d2 of B,
d1 + d2 + 1 <= kinship.MAX_EDGE_HOPS (5), so one of them lies within 2 edges of A or B —
the widening post_avoidance declares. Here the new edge sits deep in a family: X is
three edges from it, Y one.

Family: X's parent XP and uncle U are children of G (XP and U are siblings through G);
U's child CZ is married to Y. New: U is CZ's parent, which makes Y X's 堂兄弟的妻子
(walk PBCS, five base edges, in-law). Z is CZ's child from before (not Y's): X's first
cousin once removed and Y's stepchild — not statutory either way (the near-misses).
X heads section SEC of O1; Y and Z work in it under him.
"""

from __future__ import annotations

from datetime import date

import pytest
from detectorkit import (
    city_counties,
    housing_bureau,
    present_findings,
    run_detector,
    section_of_three,
)
from graphkit import Kit
from schedkit import INCREMENTAL_SCHEDULE as SCHEDULE
from schedkit import INCREMENTAL_SPEC as SPEC
from schedkit import Clock, imported, make_service

from riskgraph import detectors, incremental, kin_skeleton
from riskgraph.store import session_scope

pytestmark = pytest.mark.integration
PAIRS = detectors.get("post_avoidance")


@pytest.fixture
def family(graph, store, settings):
    kit = Kit(graph, batch="b1")
    city_counties(kit)
    housing_bureau(kit)
    section_of_three(kit, [("X", "M"), ("Y", "F"), ("Z", "M")], "2020-01-01")
    for pid in ("G", "XP", "U", "CZ"):
        kit.add("Person", id=pid, name=pid, gender="M", birth_date="1950-01-01")
    for parent, child in [("G", "XP"), ("G", "U"), ("XP", "X"), ("CZ", "Z")]:
        kit.add("Parenthood", parent=parent, child=child)
    kit.add("Spouse", person="CZ", spouse="Y", start_date="2010-01-01")
    kit.write()
    imported(store, "b1", "cadres")
    # The day the re-check will take as today (the settings set none).
    full = run_detector(graph, store, settings, PAIRS.name, date.today())
    assert full.new == 0                     # X and Y are no relatives yet
    kin_skeleton.skeleton(graph, store)      # held by the process from before the import
    return full


def test_a_new_edge_deep_in_a_family_widens_two_edges_only(family, graph, store):
    kit = Kit(graph, batch="b2")
    kit.add("Parenthood", parent="U", child="CZ")
    kit.write()
    imported(store, "b2", "parents")
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [PAIRS], SPEC)
    # Y and Z are within two base edges of the new edge; X is three away.
    assert plan.scope_of("post_avoidance") == {"Y", "Z"}


def test_the_recheck_finds_the_new_in_law_pair_and_no_near_miss(family, graph, store,
                                                                 settings):
    kit = Kit(graph, batch="b2")
    kit.add("Parenthood", parent="U", child="CZ")
    kit.write()
    imported(store, "b2", "parents")
    service = make_service(graph, store, settings, Clock(), [PAIRS], schedule_data=SCHEDULE)
    plan = service.runtime.recheck_imports()
    assert plan.scope == {"Y", "Z"}
    assert present_findings(store) == {frozenset({"X", "Y"})}      # found from Y's side
    # A whole run afterwards finds nothing more and resolves nothing.
    full = run_detector(graph, store, settings, PAIRS.name, date.today())
    assert (full.new, full.resolved) == (0, 0)
    assert present_findings(store) == {frozenset({"X", "Y"})}


# -- 公务回避: the actor must be in scope (the relative need not be a cadre) -------------

RECUSAL = detectors.get("recusal")


@pytest.fixture
def actor(graph, store, settings):
    """Cadre X approves project PJ on 2024-06-01, won by company W, 30% of which Y has
    owned since 2020. Y is married to CZ (U's child) only in the new batch; U and X's
    parent XP are children of G. Z is X's child (a cadre, no act)."""
    kit = Kit(graph, batch="b1")
    kit.add("Region", id="R1", name="甲县", level="county")
    kit.add("Organization", id="O1", name="甲县住建局", kind="housing", level="county", region="R1")
    kit.add("Post", id="P1", name="副局长", org="O1", rank="vice_division", category="leadership",
            is_head=False, in_leadership=True)
    for pid in ("X", "Z"):
        kit.add("Cadre", id=pid, name=pid, gender="M", birth_date="1970-01-01",
                managed_by="O1", rank="section")
    for pid, gender in [("G", "M"), ("XP", "M"), ("U", "M"), ("CZ", "M"), ("Y", "F")]:
        kit.add("Person", id=pid, name=pid, gender=gender, birth_date="1950-01-01")
    for parent, child in [("G", "XP"), ("G", "U"), ("XP", "X"), ("U", "CZ"), ("X", "Z")]:
        kit.add("Parenthood", parent=parent, child=child)
    kit.add("Company", id="W", name="企业W", industry="E", region="R1")
    kit.add("Ownership", owner="Y", company="W", percent=30, start_date="2020-01-01")
    kit.add("Project", id="PJ", name="项目", owner="O1", method="open", winner="W")
    kit.add("OfficialAct", person="X", target="PJ", role="approve", date="2024-06-01", post="P1")
    kit.write()
    imported(store, "b1", "cadres")
    assert run_detector(graph, store, settings, RECUSAL.name, date.today()).new == 0
    kin_skeleton.skeleton(graph, store)      # held by the process from before the import


def test_a_new_marriage_four_edges_from_the_actor_is_rechecked(actor, graph, store, settings):
    kit = Kit(graph, batch="b2")
    kit.add("Spouse", person="CZ", spouse="Y", start_date="2000-01-01")
    kit.write()
    imported(store, "b2", "spouses")
    with session_scope(store) as session:
        plan = incremental.plan(graph, session, [RECUSAL], SPEC)
    # X is four base edges from CZ (CZ-U-G-XP-X): Y is X's 堂兄弟的妻子 (five edges).
    # Z, five edges from CZ, gains no relative there (six edges to Y).
    assert plan.scope_of("recusal") == {"X"}
    service = make_service(graph, store, settings, Clock(), [RECUSAL], schedule_data=SCHEDULE)
    service.runtime.recheck_imports()
    assert present_findings(store) == {frozenset({"X"})}
    full = run_detector(graph, store, settings, RECUSAL.name, date.today())
    assert (full.new, full.resolved) == (0, 0)
