"""Which cadres a changed row can concern, per detector (the ``incremental`` block of
``config/detectors/<name>.yaml``):

    incremental:
      reads: [HOLDS, Post, ...]      # labels and relationship types its findings depend on
      subjects: [HOLDS]              # persons reached over these types are re-checked
      links: [HOLDS, IN_ORG]         # walked from a changed non-person node ...
      link_hops: 2                   # ... at most this many steps, to the persons concerned
      relatives: {OWNS: 2}           # persons on a changed row of this type (or reached over
                                     # it) concern their cadre relatives within N base
                                     # kinship edges (0 / absent: only themselves)

A batch that wrote nothing the detector ``reads`` cannot change its findings (its scope
is empty). Otherwise the scope is the cadres among:

- the persons a changed row is about: a changed person node, or the person ends of a
  changed relationship (the act, holding or tie is theirs) — with their relatives when
  ``relatives`` names the label/type;
- the persons reached from the other changed nodes (and from both ends of a changed
  relationship without a person end, e.g. one company owning another) over ``links``
  in at most ``link_hops`` steps, when reached over a ``subjects`` type (themselves) or a
  ``relatives`` type (their relatives too); persons are not walked through.

A detector that cannot be scoped (``Detector.scoped`` false: whole-graph analytics) runs
on the whole graph when the batch wrote something it ``reads``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

PERSON = "Person"
# Key of the sweep's ``shared`` dict under which the re-check after an import leaves the
# ``Changes`` it planned from, for detectors that update a whole-graph result in place.
CHANGES = "incremental.changes"


@dataclass(frozen=True)
class Reach:
    reads: frozenset[str]
    subjects: frozenset[str] = frozenset()
    links: frozenset[str] = frozenset()
    link_hops: int = 1
    relatives: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_config(cls, doc: dict | None) -> Reach | None:
        """None when the detector declares no reach (it is then re-checked whole)."""
        if not doc:
            return None
        return cls(reads=frozenset(doc.get("reads") or ()),
                   subjects=frozenset(doc.get("subjects") or ()),
                   links=frozenset(doc.get("links") or ()),
                   link_hops=int(doc.get("link_hops", 1)),
                   relatives={str(k): int(v) for k, v in (doc.get("relatives") or {}).items()})

    def names(self) -> frozenset[str]:
        return self.reads | self.subjects | self.links | frozenset(self.relatives)


@dataclass
class Changes:
    """What the pending batches wrote: node ids per label, and per relationship type
    its (start id, start labels, end id, end labels); ``batches``: their ids (empty:
    unknown — a reader must then take any row for one of theirs)."""

    nodes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    edges: dict[str, list[tuple[str, frozenset[str], str, frozenset[str]]]] = field(
        default_factory=lambda: defaultdict(list))
    batches: tuple[str, ...] = ()

    def kinds(self) -> set[str]:
        return {k for k, v in self.nodes.items() if v} | {k for k, v in self.edges.items() if v}


# neighbours(label, ids, types) -> rows {node, type, other, labels}
Neighbours = Callable[[str, list[str], list[str]], Iterable[dict]]


def persons_concerned(reach: Reach, changes: Changes, neighbours: Neighbours,
                      person_labels: frozenset[str]) -> dict[str, int]:
    """Person id -> the kinship edges within which their cadre relatives are concerned
    (0: only the person)."""
    out: dict[str, int] = {}

    def add(pid: str, hops: int) -> None:
        out[pid] = max(out.get(pid, 0), hops)

    # Frontier of non-person nodes to walk from, with the kinship reach of their origin.
    frontier: dict[tuple[str, str], int] = {}
    for label, ids in changes.nodes.items():
        if label not in reach.reads:
            continue
        hops = reach.relatives.get(label, 0)
        for i in ids:
            if label in person_labels:
                add(i, hops)
            else:
                frontier[(label, i)] = max(frontier.get((label, i), -1), hops)
    for rel_type, rows in changes.edges.items():
        if rel_type not in reach.reads:
            continue
        hops = reach.relatives.get(rel_type, 0)
        for src, src_labels, dst, dst_labels in rows:
            ends = ((src, src_labels), (dst, dst_labels))
            people = [i for i, labels in ends if labels & person_labels]
            for i in people:
                add(i, hops)
            if people:
                continue        # the row is about its persons (an act, a holding, a tie)
            for i, labels in ends:
                for label in labels:
                    frontier[(label, i)] = max(frontier.get((label, i), -1), hops)
    seen = set(frontier)
    types = sorted(reach.links)
    for _ in range(reach.link_hops if types else 0):
        by_label: dict[str, list[str]] = defaultdict(list)
        for label, i in frontier:
            by_label[label].append(i)
        nxt: dict[tuple[str, str], int] = {}
        for label, ids in by_label.items():
            for row in neighbours(label, ids, types):
                origin = frontier[(label, row["node"])]
                labels = set(row["labels"])
                if labels & person_labels:
                    if row["type"] in reach.subjects:
                        add(row["other"], 0)
                    if row["type"] in reach.relatives:
                        add(row["other"], max(origin, reach.relatives[row["type"]]))
                    continue
                for other_label in labels:
                    key = (other_label, row["other"])
                    if key not in seen:
                        seen.add(key)
                        nxt[key] = max(nxt.get(key, -1), origin)
        frontier = nxt
        if not frontier:
            break
    return out


def within(adjacency: Callable[[set[str]], dict[str, set[str]]],
           seeds: dict[str, int]) -> set[str]:
    """Every person within ``seeds[p]`` base kinship edges of a seed ``p`` (the seeds
    included). ``adjacency(ids)`` gives the kin neighbours of some persons."""
    reached = set(seeds)
    best = dict(seeds)                      # person -> most hops still to go from it
    frontier = {p for p, h in seeds.items() if h > 0}
    while frontier:
        adj = adjacency(frontier)
        nxt = set()
        for p in frontier:
            near = adj.get(p)
            if not near:
                continue
            reached.update(near)
            left = best[p] - 1
            for q in near:
                if left > best.get(q, -1):
                    best[q] = left
                    if left > 0:
                        nxt.add(q)
        frontier = nxt
    return reached
