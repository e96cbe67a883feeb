"""Helpers for detector tests: run one detector on the fixture graph, in a fresh store;
the regions and bureaus several detectors' fixture graphs share."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from riskgraph import detectors
from riskgraph.store import Finding, session_scope
from riskgraph.store.vocab import DataStatus, RunTrigger
from riskgraph.sweep import RunSummary, run_one


def run_detector(graph, store, settings, name: str, as_of: date,
                 scope: frozenset[str] | None = None) -> RunSummary:
    """Run detector ``name`` once; fail the test if the run itself failed."""
    summary = run_one(graph, store, settings, detectors.get(name), "test", RunTrigger.MANUAL,
                      as_of, scope)
    assert summary.error is None, summary.error
    return summary


def hits(graph, settings, name: str, as_of: date, scope=None) -> list:
    """The detector's hits, without the store (for asserting on details)."""
    from riskgraph.detectors.base import Context
    from riskgraph.detectors.config import detector_config

    detector = detectors.get(name)
    province = settings.get("detectors", "province")
    ctx = Context(graph, detector_config(name, province), as_of, scope, province=province)
    return list(detector.run(ctx))


def assert_scoped_runs_agree(graph, settings, name: str, as_of: date, people) -> None:
    """A run scoped to each of ``people`` (and to all of them) yields exactly the whole
    run's hits about its cadres, in the same order (scoped runs start from their cadres
    with their own queries)."""
    whole = hits(graph, settings, name, as_of)
    assert whole, "the fixture must give the whole run something to find"
    for scope in [frozenset({p}) for p in people] + [frozenset(people)]:
        scoped = hits(graph, settings, name, as_of, scope=scope)
        expected = [h for h in whole if set(h.subjects) & scope]
        assert [(h.entity_ids, h.explanation) for h in scoped] == \
               [(h.entity_ids, h.explanation) for h in expected], scope


def hits_with(graph, name: str, as_of: date, overrides: dict) -> list:
    """The detector's hits with ``overrides`` laid over its default configuration (as a
    province file would)."""
    from riskgraph.detectors.base import Context
    from riskgraph.detectors.config import deep_merge, detector_config

    config = deep_merge(detector_config(name), overrides)
    return list(detectors.get(name).run(Context(graph, config, as_of)))


def present_findings(store, by: str = "subjects") -> set[frozenset[str]]:
    """The store's present findings, each as the set of its subject (or entity) ids."""
    with session_scope(store) as session:
        found = session.scalars(sa.select(Finding).where(Finding.data_status == DataStatus.PRESENT))
        if by == "subjects":
            return {frozenset(f.subject_ids) for f in found}
        return {frozenset(e["id"] for e in f.entities) for f in found}


def entity_sets(found) -> set[frozenset[str]]:
    return {frozenset(h.entity_ids) for h in found}


def city_counties(kit) -> None:
    """City C1 (甲市) with its counties K1 (乙县) and K2 (丙县)."""
    kit.add("Region", id="C1", name="甲市", level="city")
    kit.add("Region", id="K1", name="乙县", level="county", parent="C1")
    kit.add("Region", id="K2", name="丙县", level="county", parent="C1")


def housing_bureau(kit) -> None:
    """K1's housing bureau O1 (乙县住房和城乡建设局), regulating industries E and K."""
    kit.add("Organization", id="O1", name="乙县住房和城乡建设局", kind="housing", level="county",
            region="K1", regulates=["E", "K"])


def water_bureau(kit) -> None:
    """K1's water bureau O2 (乙县水利局), regulating industry N."""
    kit.add("Organization", id="O2", name="乙县水利局", kind="water", level="county",
            region="K1", regulates=["N"])


def section_of_three(kit, holders: list[tuple[str, str]], since: str) -> None:
    """Staff posts SEC, SEC_A and SEC_B (both reporting to SEC) in O1, held since
    ``since`` by the cadres ``holders`` (id, gender) in that order."""
    for pid, sup in [("SEC", None), ("SEC_A", "SEC"), ("SEC_B", "SEC")]:
        kit.add("Post", id=pid, name=pid, org="O1", rank="staff", category="general",
                is_head=False, in_leadership=False, reports_to=sup)
    for (pid, gender), post in zip(holders, ("SEC", "SEC_A", "SEC_B"), strict=True):
        kit.add("Cadre", id=pid, name=pid, gender=gender, birth_date="1975-01-01",
                managed_by="O1", rank="staff")
        kit.add("Occupancy", person=pid, post=post, start_date=since)
