"""Helpers for detector tests: run one detector on the fixture graph, in a fresh store."""

from __future__ import annotations

from datetime import date

from riskgraph import detectors
from riskgraph.sweep import RunSummary, run_one
from riskgraph.store.vocab import RunTrigger


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
    ctx = Context(graph, detector_config(name, settings.get("detectors", "province")), as_of, scope)
    return list(detector.run(ctx))


def entity_sets(found) -> set[frozenset[str]]:
    return {frozenset(h.entity_ids) for h in found}
