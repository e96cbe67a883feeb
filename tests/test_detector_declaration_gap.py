"""个人有关事项报告不实 on a fixture graph: concealed and partial items (positive), items
within the area and amount tolerances or facts no longer holding (negative), and a
difference of exactly the tolerance (boundary)."""

from __future__ import annotations

from datetime import date

import pytest
from detectorkit import assert_scoped_runs_agree, entity_sets, hits, run_detector
from graphkit import Kit
from twofacedkit import cadre, company, county, person

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)


def declare(kit: Kit, cadre_id: str, year: int, items: list[dict]) -> None:
    did = f"DEC-{cadre_id}-{year}"
    kit.add("Declaration", id=did, cadre=cadre_id, year=year, submitted=f"{year + 1}-01-20")
    for n, item in enumerate(items, start=1):
        kit.add("DeclarationItem", id=f"{did}-{n:02d}", declaration=did, **item)


@pytest.fixture
def decl_graph(graph):
    kit = Kit(graph)
    county(kit)
    for k in ("K1", "K2", "K3", "K4"):
        company(kit, k)
    # A: spouse W, child S. Partial estate, concealed spouse estate, concealed spouse
    # business, partial child business; W's K1 stake within 1% (no gap).
    cadre(kit, "A")
    person(kit, "W")
    person(kit, "S", gender="M", birth="1995-01-01")
    kit.add("Spouse", person="A", spouse="W", start_date="1996-01-01")
    kit.add("Parenthood", parent="A", child="S")
    kit.add("RealEstate", id="RE1", owner="A", address="甲路1号", area=120.0, registered="2010-01-01")
    kit.add("RealEstate", id="RE2", owner="W", address="乙路2号", area=90.0, registered="2020-01-01")
    kit.add("Ownership", owner="W", company="K1", percent=50, amount=100.0, start_date="2018-01-01")
    kit.add("Ownership", owner="W", company="K2", percent=30, amount=50.0, start_date="2018-01-01")
    kit.add("Directorship", person="W", company="K2", role="legal_rep", start_date="2018-01-01")
    kit.add("Ownership", owner="S", company="K3", percent=100, amount=200.0, start_date="2019-01-01")
    declare(kit, "A", 2024, [
        {"category": "marriage", "subject": "W", "description": "已婚"},
        {"category": "real_estate", "subject": "A", "address": "甲路1号", "area": 80.0},
        {"category": "business", "subject": "W", "company": "K1", "amount": 99.5},
        {"category": "business", "subject": "S", "company": "K3", "amount": 100.0},
    ])
    # B: marriage left out in 2023 and 2024; an estate short by exactly the tolerance.
    cadre(kit, "B")
    person(kit, "V")
    kit.add("Spouse", person="B", spouse="V", start_date="2001-01-01")
    kit.add("RealEstate", id="RE3", owner="B", address="丙路3号", area=100.0, registered="2012-01-01")
    for year in (2023, 2024):
        declare(kit, "B", year, [{"category": "real_estate", "subject": "B", "address": "丙路3号",
                                  "area": 99.0}])
    # C: everything stated; divorced before; a share sold and a job that ended before
    # 31 December; the spouse of a later marriage is declared with her job.
    cadre(kit, "C")
    person(kit, "X1")
    person(kit, "U")
    kit.add("Spouse", person="C", spouse="X1", start_date="1998-01-01", end_date="2010-01-01")
    kit.add("Spouse", person="C", spouse="U", start_date="2012-01-01")
    kit.add("Ownership", owner="U", company="K4", percent=10, amount=20.0, start_date="2015-01-01",
            end_date="2024-06-30")
    kit.add("Employment", person="U", employer="K4", start_date="2016-01-01", position="会计")
    kit.add("Employment", person="X1", employer="K1", start_date="2016-01-01")
    declare(kit, "C", 2024, [
        {"category": "marriage", "subject": "U", "description": "已婚"},
        {"category": "family_employment", "subject": "U", "company": "K4", "description": "会计"},
    ])
    kit.write()
    return graph


def test_gaps_are_classified_with_their_facts(decl_graph, settings):
    found = hits(decl_graph, settings, "declaration_gap", AS_OF)
    assert entity_sets(found) == {
        frozenset({"A", "RE1"}), frozenset({"A", "RE2"}), frozenset({"A", "W", "K2"}),
        frozenset({"A", "S", "K3"}), frozenset({"B", "V"})}
    by = {frozenset(h.entity_ids): h for h in found}
    assert by[frozenset({"A", "RE1"})].facts["kind"] == "partial"
    assert by[frozenset({"A", "RE1"})].severity == "medium"
    assert "少报为80平方米" in by[frozenset({"A", "RE1"})].explanation
    concealed = by[frozenset({"A", "W", "K2"})]
    assert concealed.facts["kind"] == "concealed" and concealed.severity == "high"
    assert "隐瞒不报" in concealed.explanation and "法定代表人" in concealed.explanation
    edges = concealed.evidence.as_dict()["edges"]
    owns = next(e for e in edges if e["type"] == "OWNS")
    assert owns["source"].startswith("ownerships.csv:") and owns["from"] == "W"
    assert any(e["type"] == "SPOUSE_OF" for e in edges)
    assert by[frozenset({"A", "S", "K3"})].facts["kind"] == "partial"
    marriage = by[frozenset({"B", "V"})]
    assert marriage.facts["years"] == [2023, 2024] and marriage.date == date(2024, 1, 31)
    assert "婚姻" in marriage.explanation


def test_scope_and_store(decl_graph, settings, store):
    found = hits(decl_graph, settings, "declaration_gap", AS_OF, scope=frozenset({"B"}))
    assert entity_sets(found) == {frozenset({"B", "V"})}
    summary = run_detector(decl_graph, store, settings, "declaration_gap", AS_OF)
    assert summary.new == 5


def test_scoped_runs_start_from_their_cadres_and_agree(decl_graph, settings):
    """A scoped run reads the declarations of its cadres only, and finds what the whole
    run finds about them."""
    assert_scoped_runs_agree(decl_graph, settings, "declaration_gap", AS_OF, ["A", "B", "C", "W"])
