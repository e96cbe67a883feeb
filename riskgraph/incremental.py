"""What an import could have changed: the cadres to re-check first after an import.

An import batch stamps every node and edge it writes with ``_batch``. From the batches
imported since a detector last succeeded:

1. the nodes of the batch's template (or both ends of its relationships),
2. widened over the configured ``links`` (a post to its holders, a company to its
   owners and directors, a project to the companies that won it, ...) up to
   ``link_hops`` steps, to the persons concerned,
3. widened through kinship to every statutory relative (``kinship.MAX_EDGE_HOPS`` base
   kinship edges), except persons reached over ``self_links`` (an evaluation or a
   petition concerns its subject only),
4. the cadres among them are the scope.

Detectors with ``scoped=True`` then run on that scope; findings of other cadres are left
alone (``riskgraph.findings`` resolves only in-scope findings). The whole graph is swept
instead when that is cheaper: the detectors' last whole sweep was short
(``whole_graph_below_seconds``), the scope is large (``max_scope_fraction`` of all
cadres), a batch touched a label of ``full_sweep_labels`` (reference data such as
regions), or a detector has never succeeded.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.graph import GraphClient
from riskgraph.scheduler_config import IncrementalSpec
from riskgraph.store import ImportBatch, Run
from riskgraph.store.vocab import ImportStatus, RunStatus, RunTrigger

log = logging.getLogger(__name__)
BATCH = 2000
KIN_BATCH = 500        # var-length kinship walks: smaller batches, bounded results


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


def _chunks(ids, size: int = BATCH):
    ids = sorted(ids)
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


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


def affected_persons(graph: GraphClient, start: dict[str, set[str]],
                     spec: IncrementalSpec) -> tuple[set[str], set[str]]:
    """Persons among ``start`` or reached from it over ``spec.links`` within
    ``spec.link_hops`` steps (persons are not walked through: kinship does that).
    Returns (persons whose relatives count too, persons reached over ``self_links``)."""
    persons, own = set(start.get("Person", ())), set()
    frontier = {label: set(ids) for label, ids in start.items() if label != "Person" and ids}
    seen = {(label, i) for label, ids in frontier.items() for i in ids}
    types = sorted(spec.links)
    for _ in range(spec.link_hops):
        nxt: dict[str, set[str]] = defaultdict(set)
        for label, ids in frontier.items():
            for chunk in _chunks(ids):
                rows = graph.read("incremental/neighbours", {"ids": chunk, "types": types},
                                  Label=label)
                for row in rows:
                    labels = set(row["labels"])
                    if "Person" in labels:
                        (own if row["type"] in spec.self_links else persons).add(row["other"])
                        continue
                    for other_label in labels & graph.schema.labels:
                        if (other_label, row["other"]) not in seen:
                            seen.add((other_label, row["other"]))
                            nxt[other_label].add(row["other"])
        frontier = nxt
        if not frontier:
            break
    return persons, own - persons


def cadres_among(graph: GraphClient, person_ids: set[str], kin: bool) -> set[str]:
    """The cadres among ``person_ids`` (and, with ``kin``, among their statutory
    relatives: every person within kinship.MAX_EDGE_HOPS base kinship edges)."""
    name = "incremental/kin_cadres" if kin else "incremental/cadres_among"
    out = set()
    for chunk in _chunks(person_ids, KIN_BATCH if kin else BATCH):
        out.update(r["id"] for r in graph.read(name, {"ids": chunk}))
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
    persons, own = affected_persons(graph, start, spec)
    return frozenset(cadres_among(graph, persons, kin=True) | cadres_among(graph, own, kin=False))


def last_whole_sweep_seconds(session: Session, detector_names: list[str]) -> float | None:
    """How long the detectors' last successful whole-graph runs took together."""
    total = 0.0
    for name in detector_names:
        took = session.scalar(
            sa.select(Run.duration_s).where(
                Run.detector == name, Run.status == RunStatus.SUCCEEDED,
                Run.trigger.in_([RunTrigger.SCHEDULED, RunTrigger.MANUAL]))
            .order_by(Run.started_at.desc()).limit(1))
        if took is None:
            return None
        total += took
    return total


def plan(graph: GraphClient, session: Session, detector_names: list[str],
         spec: IncrementalSpec) -> Plan | None:
    """The re-check after the imports since the detectors last succeeded; None when no
    batch is pending."""
    batches = pending_batches(session, detector_names)
    if batches is None:
        return Plan((), None, "有检测器尚未成功运行过，全量检查")
    if not batches:
        return None
    whole = last_whole_sweep_seconds(session, detector_names)
    if whole is not None and whole < spec.whole_graph_below_seconds:
        return Plan(tuple(batches), None, f"上次全量检查仅用{whole:.1f}秒，全量检查更快")
    scope = affected_cadres(graph, session, batches, spec)
    if scope is None:
        return Plan(tuple(batches), None, "导入涉及基础数据，全量检查")
    total = graph.read("graph/count_label", Label="Cadre")[0]["count"]
    if total and len(scope) > spec.max_scope_fraction * total:
        return Plan(tuple(batches), None, f"涉及{len(scope)}名干部，超过全量的"
                                          f"{spec.max_scope_fraction:.0%}，全量检查")
    return Plan(tuple(batches), scope, f"涉及{len(scope)}名干部，增量检查")
