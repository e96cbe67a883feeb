"""What an import could have changed: the cadres each detector re-checks after an import.

An import batch stamps every node and relationship it writes with ``_batch`` (indexed on
every label and type, see ``riskgraph.schema.BATCH_PROPERTY``). From the batches imported
since the detectors last succeeded:

1. ``changes``: the nodes of the batches' templates, both ends of their relationships;
2. per detector, ``riskgraph.reach`` turns them into the persons concerned (over the
   detector's declared ``links``, and through kinship where its ``relatives`` say so),
   and the cadres among them are the detector's scope (the kinship steps walk the
   process's kinship skeleton, ``riskgraph.kin_skeleton``, caught up with the batches).
   A batch that wrote nothing the detector ``reads`` gives an empty scope: its run
   records that nothing needed a look.
3. Detectors that cannot be scoped (``Detector.scoped`` false: rankings and community
   analytics) run on the whole graph when the batches wrote something they read.

Findings of cadres outside a scope are left alone (``riskgraph.findings`` resolves only
in-scope findings). The whole graph is swept instead when that is cheaper: the
detectors' last whole sweep was short (``whole_graph_below_seconds``), the scopes
together are large (``max_scope_fraction`` of all cadres), a batch touched a label of
``full_sweep_labels`` (reference data such as regions), a detector has never
succeeded, or the detectors' last results were computed for another day or under other
rules (``basis_change``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph import kin_skeleton
from riskgraph.detectors import rules_digest
from riskgraph.detectors.base import Detector
from riskgraph.detectors.config import detector_config
from riskgraph.graph import GraphClient
from riskgraph.kin_skeleton import Skeleton
from riskgraph.reach import PERSON, Changes, Reach, persons_concerned, within
from riskgraph.scheduler_config import IncrementalSpec
from riskgraph.store import Finding, ImportBatch, Run
from riskgraph.store.vocab import DataStatus, ImportStatus, RunStatus, RunTrigger

log = logging.getLogger(__name__)
WHOLE = None        # a detector's scope: the whole graph


@dataclass(frozen=True)
class Plan:
    """What to re-check: ``scopes`` maps each detector to the cadres it re-checks (None:
    the whole graph; empty: nothing the batches wrote concerns it). ``scopes`` empty
    means every detector runs on the whole graph."""

    batches: tuple[str, ...]
    scopes: dict[str, frozenset[str] | None] = field(default_factory=dict)
    reason: str = ""
    changes: Changes | None = None      # what the batches wrote (for a scoped plan)
    by_entities: frozenset[str] = frozenset()   # detectors whose scopes are not cadres

    @property
    def whole(self) -> bool:
        return not self.scopes

    @property
    def scope(self) -> frozenset[str] | None:
        """Every cadre some scoped detector re-checks (None for a whole sweep)."""
        if self.whole:
            return None
        return frozenset().union(*(s for n, s in self.scopes.items()
                                   if s and n not in self.by_entities))

    def scope_of(self, name: str) -> frozenset[str] | None:
        return None if self.whole else self.scopes.get(name)


def last_successes(session: Session, detector_names: list[str]) -> dict[str, sa.Row]:
    """Each detector's last successful run (``started_at``, ``as_of``, ``rules_digest``),
    for those that ever succeeded; one query for all of them."""
    latest = (sa.select(Run.detector, sa.func.max(Run.started_at).label("at"))
              .where(Run.detector.in_(detector_names), Run.status == RunStatus.SUCCEEDED)
              .group_by(Run.detector).subquery())
    rows = session.execute(
        sa.select(Run.detector, Run.started_at, Run.as_of, Run.rules_digest)
        .join(latest, sa.and_(Run.detector == latest.c.detector, Run.started_at == latest.c.at))
        .where(Run.status == RunStatus.SUCCEEDED).order_by(Run.id)).all()
    return {r.detector: r for r in rows}


def pending_batches(session: Session, detector_names: list[str],
                    last: dict[str, sa.Row]) -> list[str] | None:
    """Batches finished since the earliest of the detectors' last successful start
    (``last``: ``last_successes``); None when one of them never succeeded (it needs a
    whole-graph run anyway)."""
    if any(name not in last for name in detector_names):
        return None
    query = sa.select(ImportBatch.id).where(ImportBatch.status == ImportStatus.DONE)
    if detector_names:
        query = query.where(ImportBatch.finished_at > min(last[n].started_at
                                                           for n in detector_names))
    return list(session.scalars(query.order_by(ImportBatch.finished_at)))


def changes(graph: GraphClient, batches: list[str], templates: set[str | None]) -> Changes:
    """What the batches wrote (nodes of their templates, both ends of their
    relationships), read through the ``_batch`` indexes."""
    schema = graph.schema
    types = ([schema.by_template(t) for t in templates if t]
             if None not in templates else list(schema.types))
    out = Changes(batches=tuple(batches))
    known, kept = schema.labels, {}      # the schema's labels among a row's (few distinct)

    def ours(labels: list[str]) -> frozenset[str]:
        key = tuple(labels)
        if key not in kept:
            kept[key] = frozenset(labels) & known
        return kept[key]

    for etype in types:
        if etype.kind == "node":
            rows = graph.read("incremental/batch_nodes", {"batches": batches}, Label=etype.label)
            out.nodes[etype.label].update(i for r in rows for i in r["ids"])
        else:
            rows = graph.read("incremental/batch_edges", {"batches": batches}, TYPE=etype.rel_type)
            out.edges[etype.rel_type].extend(
                (src, ours(src_labels), dst, ours(dst_labels))
                for r in rows for src, src_labels, dst, dst_labels in r["rows"])
    return out


class Navigator:
    """Cached graph look-ups of the scope derivation, shared by all detectors (and, with
    a store session, the findings a written node is part of)."""

    def __init__(self, graph: GraphClient, session: Session | None,
                 skeleton: Callable[[], Skeleton]):
        self.graph = graph
        self.session = session
        self.skeleton = skeleton            # the process's kinship skeleton
        self.near: dict[tuple[str, str], list[dict]] = {}
        self._within: dict[frozenset[tuple[str, int]], set[str]] = {}

    def neighbours(self, label: str, ids: list[str], types: list[str]) -> list[dict]:
        wanted = [i for i in ids if (label, i) not in self.near]
        for i in wanted:
            self.near[(label, i)] = []
        for r in self.graph.read_chunked("incremental/neighbours", "ids", sorted(wanted),
                                         Label=label):
            for node, rel_type, other, labels in r["rows"]:
                self.near[(label, node)].append(
                    {"node": node, "type": rel_type, "other": other, "labels": labels})
        allowed = set(types)
        return [r for i in ids for r in self.near[(label, i)] if r["type"] in allowed]

    def adjacency(self, ids: set[str]) -> dict[str, set[str]]:
        return self.skeleton().neighbours  # every person's (the walk looks up the ids only)

    def within(self, seeds: dict[str, int]) -> set[str]:
        """``reach.within`` over the skeleton, walked once for equal seeds (detectors
        that declare the same kinship reach for what the batches wrote)."""
        key = frozenset(seeds.items())
        if key not in self._within:
            self._within[key] = within(self.adjacency, seeds)
        return self._within[key]

    def cadres(self, ids: set[str]) -> set[str]:
        return ids & self.skeleton().cadres

    def findings_holding(self, detector: str, ids: set[str]) -> list[tuple[list[str], list[dict]]]:
        """Subjects and entities of ``detector``'s present findings that hold one of
        ``ids``: what a written node was part of before the import. (A re-pointed
        reference, e.g. a payment's payer, drops the old edge, so the graph no longer
        leads from the node to what it was part of.)"""
        if self.session is None or not ids:
            return []
        rows = self.session.execute(sa.select(Finding.subject_ids, Finding.entities).where(
            Finding.detector == detector, Finding.data_status == DataStatus.PRESENT))
        return [(subjects, entities) for subjects, entities in rows
                if any(e["id"] in ids for e in entities)]


def reach_of(detector: Detector, province: str = "") -> Reach | None:
    return Reach.from_config(detector_config(detector.name, province).get("incremental"))


def detector_scope(nav: Navigator, detector: Detector, reach: Reach | None,
                   changed: Changes, config: dict | None = None) -> frozenset[str] | None:
    """The cadres ``detector`` re-checks after ``changed`` (None: the whole graph)."""
    if reach is None:
        return WHOLE                       # no declared reach: no way to narrow it
    if not reach.names() & changed.kinds():
        return frozenset()                 # the batches wrote nothing it reads
    if detector.rescope is not None:       # its own derivation (see Detector.rescope)
        return detector.rescope(nav, changed, config or {})
    if not detector.scoped:
        return WHOLE
    persons = persons_concerned(reach, changed, nav.neighbours, frozenset({PERSON}))
    return frozenset(nav.cadres(nav.within(persons)))


def scopes(graph: GraphClient, session: Session, batches: list[str], chosen: list[Detector],
           spec: IncrementalSpec, province: str = "") -> dict[str, frozenset[str] | None] | None:
    """Each detector's scope after the batches, or None when only a whole sweep will do."""
    return derive(graph, session, batches, chosen, spec, province)[1]


def derive(graph: GraphClient, session: Session, batches: list[str], chosen: list[Detector],
           spec: IncrementalSpec, province: str = ""
           ) -> tuple[Changes, dict[str, frozenset[str] | None] | None]:
    """What the batches wrote, and each detector's scope after them (None: only a whole
    sweep will do). Its few dozen small reads share one read transaction (a session and
    a transaction of their own would cost each of them two more round trips)."""
    return graph.read_tx(lambda _tx: _derive(graph, session, batches, chosen, spec, province))


def _derive(graph: GraphClient, session: Session, batches: list[str], chosen: list[Detector],
            spec: IncrementalSpec, province: str
            ) -> tuple[Changes, dict[str, frozenset[str] | None] | None]:
    templates = set(session.scalars(sa.select(ImportBatch.template)
                                    .where(ImportBatch.id.in_(batches))))
    changed = changes(graph, batches, templates)
    heavy = sorted(spec.full_sweep_labels & changed.kinds())
    if heavy:
        log.info("batches touched %s: whole-graph re-check", heavy)
        return changed, None
    # Kinship widening walks the process's kinship skeleton (caught up with the batches).
    nav = Navigator(graph, session, cache(lambda: kin_skeleton.held(graph, session)))
    return changed, {d.name: detector_scope(nav, d, reach_of(d, province), changed,
                                            detector_config(d.name, province))
                     for d in chosen}


def basis_change(last: dict[str, sa.Row], as_of: date | None, digest: str) -> str | None:
    """Why the detectors' present results cannot be carried forward by a re-check, or
    None (``last``: ``last_successes``). A re-check keeps every result outside its
    scopes (and post_risk the rows of the last ranking), which holds only for the day
    and the rules those were computed for: when a detector's last successful run took
    another "today" (``as_of``: the tenure clocks, look-back windows and marriage dates
    all move with it) or other rules (``riskgraph.detectors.rules_digest``), only a
    whole sweep will do."""
    for run in last.values():
        if as_of is not None and run.as_of != as_of:
            return f"检查基准日由{run.as_of}变为{as_of}，全量检查"
        if run.rules_digest != digest:
            return "检测规则或配置已变更，全量检查"
    return None


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


def plan(graph: GraphClient, session: Session, chosen: list[Detector],
         spec: IncrementalSpec, province: str = "", as_of: date | None = None) -> Plan | None:
    """The re-check after the imports since the detectors last succeeded; None when no
    batch is pending. ``as_of``: the day the re-check will take as today (None: not
    compared with the last runs')."""
    names = [d.name for d in chosen]
    last = last_successes(session, names)
    batches = pending_batches(session, names, last)
    if batches is None:
        return Plan((), {}, "有检测器尚未成功运行过，全量检查")
    if not batches:
        return None
    moved = basis_change(last, as_of, rules_digest(province))
    if moved:
        return Plan(tuple(batches), {}, moved)
    whole = last_whole_sweep_seconds(session, names)
    if whole is not None and whole < spec.whole_graph_below_seconds:
        return Plan(tuple(batches), {}, f"上次全量检查仅用{whole:.1f}秒，全量检查更快")
    changed, found = derive(graph, session, batches, chosen, spec, province)
    if found is None:
        return Plan(tuple(batches), {}, "导入涉及基础数据，全量检查")
    by_entities = frozenset(d.name for d in chosen if d.scope_by != "subjects")
    union = Plan((), found, by_entities=by_entities).scope or frozenset()  # cadres only
    total = graph.read("graph/count_label", Label="Cadre")[0]["count"]
    if total and len(union) > spec.max_scope_fraction * total:
        return Plan(tuple(batches), {}, f"涉及{len(union)}名干部，超过全量的"
                                        f"{spec.max_scope_fraction:.0%}，全量检查")
    wholes = sorted(n for n, s in found.items() if s is None)
    return Plan(tuple(batches), found,
                f"涉及{len(union)}名干部，增量检查" + (f"（整图运行：{'、'.join(wholes)}）"
                                                    if wholes else ""), changed, by_entities)
