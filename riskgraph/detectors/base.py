"""What a detector is, what it yields, and what it gets to work with.

A detector is one module under ``riskgraph.detectors`` with a module-level ``DETECTOR``:
its metadata (name, Chinese title and rule text, regulation citation, default severity,
rule version) and a ``run(ctx)`` function yielding ``Hit``s. Thresholds and scope come
from ``config/detectors/<name>.yaml`` (``ctx.config``), never from code. A detector reads
the graph only through named Cypher files (``ctx.graph``) and may hand what it read to a
pure function over a networkx graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from riskgraph.evidence import Evidence
from riskgraph.graph import GraphClient
from riskgraph.store.vocab import Severity

FAMILIES = {"avoidance": "回避", "high_risk": "高风险岗位", "two_faced": "两面人"}


@dataclass(frozen=True)
class Entity:
    """One entity a finding is about; the finding key is built from their ids."""

    label: str
    id: str
    name: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "id": self.id, "name": self.name}


@dataclass
class Hit:
    """One occurrence of a detector's pattern, before it becomes a finding.

    ``entities`` make the finding key (detector, rule version, sorted ids), so they must
    name exactly what identifies the occurrence and nothing that changes between runs.
    ``subjects`` are the cadres it is about; ``orgs`` the organisations it concerns (the
    users whose scope covers one of them may see it).
    """

    entities: list[Entity]
    subjects: list[str]
    orgs: list[str]
    title: str
    explanation: str
    evidence: Evidence
    severity: Severity | None = None      # None: the detector's configured severity
    date: date | None = None              # the day of the act or when the pattern began
    facts: dict[str, Any] = field(default_factory=dict)   # detector-specific, JSON-able

    @property
    def entity_ids(self) -> list[str]:
        return sorted({e.id for e in self.entities})


@dataclass
class Context:
    """What a detector run gets: the graph, its configuration and the day it takes as
    today. ``scope`` optionally restricts the run to some cadres (incremental re-checks):
    a detector that supports it yields only hits whose subjects are in it.

    ``province`` selects the configuration overrides a detector applies when it reads
    another detector's configuration; ``sessions`` (read only, may be None) gives access
    to the review state, e.g. earlier confirmed findings; ``shared`` is one dict for the
    whole sweep, where a detector may leave a result for the steps after the sweep."""

    graph: GraphClient
    config: dict[str, Any]
    as_of: date
    scope: frozenset[str] | None = None
    progress: Callable[[int, int], None] | None = None
    province: str = ""
    sessions: Any = None
    shared: dict[str, Any] = field(default_factory=dict)

    def threshold(self, name: str) -> Any:
        try:
            return self.config["thresholds"][name]
        except KeyError:
            raise KeyError(f"threshold {name!r} is missing from the detector's config") from None

    def in_scope(self, person_id: str) -> bool:
        return self.scope is None or person_id in self.scope

    def read_scope_first(self, name: str, params: dict) -> list[dict]:
        """Rows of query ``name``; in a scoped run, of ``name``_scoped, which starts from
        the scope's persons (``ids``) and gives the same rows for them."""
        if self.scope is None:
            return self.graph.read(name, params)
        return self.graph.read(f"{name}_scoped", {**params, "ids": sorted(self.scope)})


@dataclass(frozen=True)
class Detector:
    name: str
    title: str                         # Chinese, e.g. 任职回避
    family: str                        # a key of FAMILIES
    rule: str                          # the rule in plain Chinese
    citation: str                      # regulation and article
    version: str                       # rule version: bump when what it finds changes
    run: Callable[[Context], Iterable[Hit]]
    scoped: bool = False               # supports Context.scope
    description: str = ""              # English, for developers
    # How the re-check after an import derives this detector's scope when the generic
    # walk of ``riskgraph.reach`` does not fit: rescope(nav, changes, config) -> the ids
    # to re-check, of the kind ``scope_by`` names (nav: ``riskgraph.incremental.
    # Navigator``). Called only when the batches wrote something ``incremental.reads``
    # names.
    rescope: Callable[[Any, Any, dict[str, Any]], frozenset[str]] | None = None
    # What a scope's ids are: "subjects" (cadres: a scoped run yields the hits about
    # them and resolves only their findings) or "entities" (e.g. projects: a scoped
    # run yields every hit holding one of them and resolves only findings that do).
    scope_by: str = "subjects"

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"{self.name}: unknown family {self.family!r}")
        if ":" in self.name or ":" in self.version:
            raise ValueError(f"{self.name}: name and version must not contain ':'")
        if self.scope_by not in ("subjects", "entities"):
            raise ValueError(f"{self.name}: scope_by must be 'subjects' or 'entities'")
