"""言行不一 on a fixture graph: praised cadres with credible petitions and findings
(positive), with unsubstantiated or false accusations, one credible item only, or a
middling grade (negative), and items just outside the window (boundary)."""

from __future__ import annotations

from datetime import date

import pytest
from detectorkit import assert_scoped_runs_agree, entity_sets, hits
from graphkit import Kit
from twofacedkit import cadre, county

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)


def praised(kit: Kit, pid: str, grade: str = "excellent", score: float = 94.0) -> None:
    for year in (2022, 2023, 2024):
        kit.add("Evaluation", id=f"EVA-{pid}-{year}", cadre=pid, year=year, kind="annual", grade=grade)
        kit.add("Evaluation", id=f"EVD-{pid}-{year}", cadre=pid, year=year, kind="democratic",
                score=score)


def petition(kit: Kit, pid: str, xid: str, day: str, outcome: str) -> None:
    kit.add("Petition", id=xid, about=pid, received=day, category="corruption", outcome=outcome,
            summary="反映其收受好处费")


def finding(kit: Kit, pid: str, fid: str, day: str, severity: str = "medium") -> None:
    kit.add("OversightFinding", id=fid, about=pid, source="audit", date=day, severity=severity,
            summary="项目资金未按规定用途使用")


@pytest.fixture
def wvd_graph(graph):
    kit = Kit(graph)
    county(kit)
    for pid in ("PET", "MIX", "FALSE", "UNSUB", "ONE", "PLAIN", "EDGE", "LOW"):
        cadre(kit, pid, start="2010-01-01")
    praised(kit, "PET")
    petition(kit, "PET", "X1", "2022-03-01", "substantiated")
    petition(kit, "PET", "X2", "2024-05-01", "partly_substantiated")
    praised(kit, "MIX")
    petition(kit, "MIX", "X3", "2023-03-01", "substantiated")
    finding(kit, "MIX", "F1", "2024-08-01", "high")
    praised(kit, "FALSE")
    for i, day in enumerate(("2022-05-01", "2023-05-01", "2024-05-01")):
        petition(kit, "FALSE", f"XF{i}", day, "false_accusation")
        petition(kit, "UNSUB", f"XU{i}", day, "unsubstantiated")
    praised(kit, "UNSUB")
    praised(kit, "ONE")
    petition(kit, "ONE", "X4", "2023-03-01", "substantiated")
    praised(kit, "PLAIN", grade="competent")
    petition(kit, "PLAIN", "X5", "2023-03-01", "substantiated")
    petition(kit, "PLAIN", "X6", "2024-03-01", "substantiated")
    praised(kit, "EDGE")                       # one item the day before the window opens
    petition(kit, "EDGE", "X7", "2021-12-31", "substantiated")
    petition(kit, "EDGE", "X8", "2024-03-01", "substantiated")
    praised(kit, "LOW", score=89.9)            # democratic score just under the bar
    finding(kit, "LOW", "F2", "2023-01-01")
    finding(kit, "LOW", "F3", "2023-06-01")
    kit.write()
    return graph


def test_praise_with_credible_items_is_found(wvd_graph, settings):
    found = hits(wvd_graph, settings, "words_vs_deeds", AS_OF)
    assert entity_sets(found) == {frozenset({"PET", "X1", "X2"}), frozenset({"MIX", "X3", "F1"})}
    mix = next(h for h in found if h.subjects == ["MIX"])
    assert mix.date == date(2024, 8, 1) and mix.orgs == ["O1"]
    assert "经查属实" in mix.explanation and "审计发现问题" in mix.explanation
    types = {e["type"] for e in mix.evidence.as_dict()["edges"]}
    assert {"ABOUT", "CONCERNS_PERSON", "EVALUATES", "HOLDS"} <= types


def test_window_moves_with_as_of(wvd_graph, settings):
    """Taking 2024-12-31 as today, the window opens on 2021-01-01 and takes in X7."""
    found = hits(wvd_graph, settings, "words_vs_deeds", date(2024, 12, 31))
    assert frozenset({"EDGE", "X7", "X8"}) in entity_sets(found)


def test_scoped_runs_start_from_their_cadres_and_agree(wvd_graph, settings):
    """A scoped run reads the petitions and findings of its cadres only, and finds what
    the whole run finds about them."""
    assert_scoped_runs_agree(wvd_graph, settings, "words_vs_deeds", AS_OF,
                             ["PET", "MIX", "FALSE", "ONE", "EDGE", "LOW"])
