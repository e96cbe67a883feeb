"""离职从业 on a small fixture graph.

Housing bureau O1 (regulates E, K; county K1 of city C1), one post P1 there, and a water
bureau O2 (regulates N). Former holders of P1 and where they went:

- R1 left 2023-01-01, employed by CO1 (E, K1) from 2025-12-01          → found (inside 3 y)
- RB left 2021-03-01, director of CO2 (K, K1) from 2024-03-01          → found (exactly 3 y)
- R2 left 2020-01-01, employed by CO3 (E, K1) from 2023-06-01          → none (after window)
- R3 left 2023-01-01, supervisor of CO4 (E, K1)                        → none (office not listed)
- R4 left P1 2023-01-01 but holds a post in O2 now; employed by CO5    → none (not former)
- R5 left 2023-01-01, employed by CO6 (I, K1)                          → none (unregulated)
- R6 left 2023-01-01, employed by CO7 (E, K2)                          → none (outside region)
- R7 employed by CO8 (E, K1) from 2022-06-01, left P1 2023-01-01       → none (before leaving)
"""

from __future__ import annotations

from datetime import date

import pytest

from detectorkit import (city_counties, entity_sets, hits, hits_with, housing_bureau, run_detector,
                         water_bureau)
from graphkit import Kit

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)

FORMER = {  # person: (left P1, tie type, company, role, tie start)
    "R1": ("2023-01-01", "Employment", "CO1", None, "2025-12-01"),
    "RB": ("2021-03-01", "Directorship", "CO2", "director", "2024-03-01"),
    "R2": ("2020-01-01", "Employment", "CO3", None, "2023-06-01"),
    "R3": ("2023-01-01", "Directorship", "CO4", "supervisor", "2023-06-01"),
    "R4": ("2023-01-01", "Employment", "CO5", None, "2023-06-01"),
    "R5": ("2023-01-01", "Employment", "CO6", None, "2023-06-01"),
    "R6": ("2023-01-01", "Employment", "CO7", None, "2023-06-01"),
    "R7": ("2023-01-01", "Employment", "CO8", None, "2022-06-01"),
}
COMPANIES = {"CO1": ("E", "K1"), "CO2": ("K", "K1"), "CO3": ("E", "K1"), "CO4": ("E", "K1"),
             "CO5": ("E", "K1"), "CO6": ("I", "K1"), "CO7": ("E", "K2"), "CO8": ("E", "K1")}


@pytest.fixture
def door_graph(graph):
    kit = Kit(graph)
    city_counties(kit)
    housing_bureau(kit)
    water_bureau(kit)
    kit.add("Post", id="P1", name="副局长", org="O1", rank="vice_section", category="leadership",
            is_head=False, in_leadership=True)
    kit.add("Post", id="P2", name="办公室主任", org="O2", rank="staff", category="general",
            is_head=False, in_leadership=False)
    for cid, (industry, region) in COMPANIES.items():
        kit.add("Company", id=cid, name=f"{cid}公司", industry=industry, region=region)
    for pid, (left, tie, cid, role, start) in FORMER.items():
        kit.add("Cadre", id=pid, name=pid, managed_by="O1", rank="vice_section")
        kit.add("Occupancy", person=pid, post="P1", start_date="2015-01-01", end_date=left)
        if tie == "Employment":
            kit.add("Employment", person=pid, employer=cid, position="顾问", start_date=start)
        else:
            kit.add("Directorship", person=pid, company=cid, role=role, start_date=start)
    kit.add("Occupancy", person="R4", post="P2", start_date="2023-02-01")
    kit.write()
    return graph


def test_former_cadres_in_regulated_companies_within_the_window(door_graph, settings):
    found = hits(door_graph, settings, "revolving_door", AS_OF)
    assert entity_sets(found) == {frozenset({"R1", "CO1"}), frozenset({"RB", "CO2"})}
    r1 = next(h for h in found if h.subjects == ["R1"])
    assert r1.date == date(2025, 12, 1) and r1.orgs == ["O1"]
    assert "2023-01-01" in r1.explanation and "受聘任职" in r1.explanation
    ev = r1.evidence.as_dict()
    holds = next(e for e in ev["edges"] if e["type"] == "HOLDS")
    assert holds["end"] == "2023-01-01" and holds["source"].startswith("occupancies.csv:")
    assert {"EMPLOYED_BY", "REGISTERED_IN", "JURISDICTION", "IN_ORG"} <= {e["type"] for e in ev["edges"]}
    rb = next(h for h in found if h.subjects == ["RB"])
    assert "担任董事" in rb.explanation


def test_the_window_is_configured(door_graph):
    found = entity_sets(hits_with(door_graph, "revolving_door", AS_OF, {"thresholds": {"years": 4}}))
    assert frozenset({"R2", "CO3"}) in found


def test_scope_and_store(door_graph, settings, store):
    found = hits(door_graph, settings, "revolving_door", AS_OF, scope=frozenset({"RB", "R2"}))
    assert entity_sets(found) == {frozenset({"RB", "CO2"})}
    summary = run_detector(door_graph, store, settings, "revolving_door", AS_OF)
    assert summary.new == 2


def test_a_scoped_run_agrees_with_the_whole_run_on_its_persons(door_graph, settings):
    # The scoped run starts from its persons (detectors/revolving_door_scoped).
    whole = hits(door_graph, settings, "revolving_door", AS_OF)
    for scope in [frozenset({p}) for p in FORMER] + [frozenset(FORMER), frozenset({"R1", "R4"})]:
        scoped = hits(door_graph, settings, "revolving_door", AS_OF, scope=scope)
        expected = [h for h in whole if set(h.subjects) & scope]
        assert [(h.entity_ids, h.explanation) for h in scoped] == \
               [(h.entity_ids, h.explanation) for h in expected]
