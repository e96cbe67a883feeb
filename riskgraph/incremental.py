"""What an import could have changed: the cadres to re-check first after an import.

An import batch stamps every node and edge it writes with ``_batch``. From the batches
imported since a detector last succeeded:

1. the nodes of the batch's template (or both ends of its relationships),
2. widened over the configured ``links`` (a post to its holders, a company to its
   owners and directors, a project to the companies that won it, ...) up to
   ``link_hops`` steps, to the persons concerned,
3. widened through kinship (``kin_hops`` base kinship edges: statutory relatives),
4. the cadres among them are the scope.

Detectors with ``scoped=True`` then run on that scope; findings of other cadres are left
alone (``riskgraph.findings`` resolves only in-scope findings). The whole graph is swept
instead when the scope is large (``max_scope_fraction`` of all cadres), when a batch
touched a label of ``full_sweep_labels`` (reference data such as regions), or when the
detector has never succeeded.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.family import load_family
from riskgraph.graph import GraphClient
from riskgraph.scheduler_config import IncrementalSpec
from riskgraph.store import ImportBatch, Run
from riskgraph.store.vocab import ImportStatus, RunStatus

log = logging.getLogger(__name__)
BATCH = 2000


@dataclass(frozen=True)
class Plan:
    """What to re-check: ``scope`` None means the whole graph."""

    batches: tuple[str, ...]
    scope: frozenset[str] | None
    reason: str


def pending_batches(session: Session, detector_names: list[str]) -> list[str] | None:
    """Batches finished since the earliest of the detectors' last successful start;
    None when one of them never succeeded (it needs a whole-graph run anyway)."""
    marks = []
    for name in detector_names:
        mark = session.scalar(sa.select(sa.func.max(Run.started_at)).where(
            Run.detector == name, Run.status == RunStatus.SUCCEEDED))
        if mark is None:
            return None
        marks.append(mark)
    query = sa.select(ImportBatch.id).where(ImportBatch.status == ImportStatus.DONE)
    if marks:
        query = query.where(ImportBatch.finished_at > min(marks))
    return list(session.scalars(query.order_by(ImportBatch.finished_at)))


def _chunks(ids):
    ids = sorted(ids)
    for i in range(0, len(ids), BATCH):
        yield ids[i:i + BATCH]


def touched(graph: GraphClient, batches: list[str], templates: set[str | None]) -> dict[str, set[str]]:
    """Ids per label of what the batches wrote (nodes of their templates, both ends of
    their relationships)."""
    schema = graph.schema
    types = ([schema.by_template(t) for t in templates if t]
             if None not in templates else list(schema.types))
    out: dict[str, set[str]] = defaultdict(set)
    for etype in types:
        if etype.kind == "node":
            for row in graph.read("incremental/batch_nodes", {"batches": batches}, Label=etype.label):
                out[etype.label].add(row["id"])
        else:
            for row in graph.read("incremental/batch_edges", {"batches": batches}, TYPE=etype.rel_type):
                for label in etype.source.to:
                    out[label].add(row["src"])
                for label in etype.target.to:
                    out[label].add(row["dst"])
    return out


def affected_persons(graph: GraphClient, start: dict[str, set[str]], spec: IncrementalSpec) -> set[str]:
    """Persons among ``start`` or reached from it over ``spec.links`` within
    ``spec.link_hops`` steps (persons are not walked through: kinship does that)."""
    persons = set(start.get("Person", ()))
    frontier = {label: set(ids) for label, ids in start.items() if label != "Person" and ids}
    seen = {(label, i) for label, ids in frontier.items() for i in ids}
    for _ in range(spec.link_hops):
        nxt: dict[str, set[str]] = defaultdict(set)
        for label, ids in frontier.items():
            for chunk in _chunks(ids):
                for row in graph.read("incremental/neighbours", {"ids": chunk}, Label=label):
                    if row["type"] not in spec.links:
                        continue
                    labels = set(row["labels"])
                    if "Person" in labels:
                        persons.add(row["other"])
                        continue
                    for other_label in labels & graph.schema.labels:
                        if (other_label, row["other"]) not in seen:
                            seen.add((other_label, row["other"]))
                            nxt[other_label].add(row["other"])
        frontier = nxt
        if not frontier:
            break
    return persons


def cadres_among(graph: GraphClient, person_ids: set[str]) -> set[str]:
    out = set()
    for chunk in _chunks(person_ids):
        out.update(r["id"] for r in graph.read("incremental/cadres_among", {"ids": chunk}))
    return out


def affected_cadres(graph: GraphClient, session: Session, batches: list[str],
                    spec: IncrementalSpec) -> frozenset[str] | None:
    """The cadres the batches may concern, or None when only a whole sweep will do."""
    templates = set(session.scalars(sa.select(ImportBatch.template)
                                    .where(ImportBatch.id.in_(batches))))
    start = touched(graph, batches, templates)
    heavy = sorted(label for label in spec.full_sweep_labels if start.get(label))
    if heavy:
        log.info("batches touched %s: whole-graph re-check", heavy)
        return None
    persons = affected_persons(graph, start, spec)
    if spec.kin_hops and persons:
        persons |= set(load_family(graph, persons, hops=spec.kin_hops).gender)
    return frozenset(cadres_among(graph, persons))


def plan(graph: GraphClient, session: Session, detector_names: list[str],
         spec: IncrementalSpec) -> Plan | None:
    """The re-check after the imports since the detectors last succeeded; None when no
    batch is pending."""
    batches = pending_batches(session, detector_names)
    if batches is None:
        return Plan((), None, "有检测器尚未成功运行过，全量检查")
    if not batches:
        return None
    scope = affected_cadres(graph, session, batches, spec)
    if scope is None:
        return Plan(tuple(batches), None, "导入涉及基础数据，全量检查")
    total = graph.read("graph/count_label", Label="Cadre")[0]["count"]
    if total and len(scope) > spec.max_scope_fraction * total:
        return Plan(tuple(batches), None, f"涉及{len(scope)}名干部，超过全量的"
                                          f"{spec.max_scope_fraction:.0%}，全量检查")
    return Plan(tuple(batches), scope, f"涉及{len(scope)}名干部，增量检查")
