"""Every base kinship edge of the graph in memory, bare, kept up to date across imports.

The statutory walk (``riskgraph.kinship``) needs only who is whose spouse (with the
marriage's dates), parent or sibling — no names, sources or other particulars. The
kinship detectors find *which* persons are related from this skeleton, then read the
particulars of the few related pairs they report with ``family.load_family``. It also
keeps who holds a post when (the candidates of the post-avoidance pair screen), who is
a cadre and who approved a payment (for the re-check's scopes).

A scoped run after an import (the scheduler's re-check) takes this process's cached
skeleton — read once, the first time one is needed (a few queries of bare strings) —
and catches it up with the import batches finished since, read through the ``_batch``
indexes: its cost is proportional to what the imports wrote, not to the graph or to its
scope's families. (Whole runs read the graph as before: the whole-graph screen of
``kin_screen.related_pairs`` needs less than the skeleton and costs less than reading it.)

The cache trusts only what the store's import ledger accounts for (``riskgraph.held``,
which keeps the contractor graph of ``hidden_cluster`` the same way). It is keyed by the
graph client and the store, and stamped with the finished batches it reflects (id and
finish time). It is read afresh instead when:

- the process has none yet for that graph and store (a restart, another graph or store);
- a batch it reflects is gone from the ledger or finished at another time (another store
  or a recreated one: the stamp no longer describes the graph);
- the graph's person count differs from the one it recorded although no batch finished
  or ran since (something wrote or wiped persons outside an import).

A new finished batch is applied edge by edge: an edge it wrote is added, an edge it
re-wrote gets its new dates (``_batch`` is stamped on every write). A running batch (an
import under way, or one that crashed) is not in the stamp: what it has written so far
is read again on every call, until it finishes and is applied once more (while one
runs, the person count is not compared). Imports never delete kinship edges or post
holdings; deleting the graph's contents (``graph_schema.wipe_graph``) changes the
person count, and a re-import after it brings batches the cache applies on top of
edges that may be gone — wiping is for tests and benchmarks, which use a fresh store.
A batch is applied in place: the scheduler runs one job at a time
(``scheduler.SerialExecutor``), so no run reads a skeleton while another catches it up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from riskgraph.family import load_family
from riskgraph.graph import GraphClient
from riskgraph.held import Held
from riskgraph.kinship import MAX_EDGE_HOPS, Family
from riskgraph.store import session_scope

UNDATED = ("PARENT_OF", "SIBLING_OF")
TYPES = ("SPOUSE_OF", *UNDATED)


def _day(text: str) -> date | None:
    return None if text == "-" else date.fromisoformat(text)


def _index() -> dict[str, set[str]]:
    return defaultdict(set)


@dataclass
class Skeleton:
    """The base kinship edges of a graph, by person: parents, children, siblings and
    marriages (with their dates), and every kin neighbour (any date). ``family(persons)``
    gives the ``kinship.Family`` of some of them for the statutory walk (built only for
    the persons asked about: turning every edge into walk steps costs more than
    reading them). With them, every post holding's dates (``holders(day)``: the
    candidates of the post-avoidance pair screen), who is a cadre (the subjects of the
    re-check's scopes) and who approved a payment (the money loops' scope)."""

    neighbours: dict[str, set[str]] = field(default_factory=_index)
    parents: dict[str, set[str]] = field(default_factory=_index)
    children: dict[str, set[str]] = field(default_factory=_index)
    siblings: dict[str, set[str]] = field(default_factory=_index)
    spouses: dict[str, set[str]] = field(default_factory=_index)
    marriages: dict[tuple[str, str], tuple[date | None, date | None]] = field(default_factory=dict)
    holdings: dict[tuple[str, str, date | None], date | None] = field(default_factory=dict)
    cadres: set[str] = field(default_factory=set)     # persons with the Cadre label
    # Persons some payment names as its approver (the money loops' seeds). Imports never
    # delete approvals; one re-pointed to another person leaves the earlier one here.
    approvers: set[str] = field(default_factory=set)

    def add(self, kind: str, src: str, dst: str, start: date | None = None,
            end: date | None = None) -> None:
        """Add one edge (in its own direction), or give a marriage edge already known its
        new dates.

        >>> s = Skeleton()
        >>> s.add("SPOUSE_OF", "A", "W", date(2000, 1, 1)); s.add("PARENT_OF", "A", "C")
        >>> s.add("SPOUSE_OF", "A", "W", date(2000, 1, 1), date(2010, 1, 1))  # divorced
        >>> [(x.to, x.end) for x in s.family({"W"}).spouses["W"]], sorted(s.neighbours["A"])
        ([('A', datetime.date(2010, 1, 1))], ['C', 'W'])
        """
        if kind == "SPOUSE_OF":
            self.marriages[(src, dst)] = (start, end)
            self.spouses[src].add(dst)
            self.spouses[dst].add(src)
        elif kind == "PARENT_OF":
            self.parents[dst].add(src)
            self.children[src].add(dst)
        else:
            self.siblings[src].add(dst)
            self.siblings[dst].add(src)
        self.neighbours[src].add(dst)
        self.neighbours[dst].add(src)

    def holders(self, day: date) -> set[str]:
        """The persons holding a post on ``day`` (as ``detectors/current_cadres``).

        >>> s = Skeleton()
        >>> s.add_rows("HOLDS", ["A P1 2020-01-01 -", "B P2 2020-01-01 2024-12-31"])
        >>> sorted(s.holders(date(2024, 12, 31))), sorted(s.holders(date(2024, 12, 30)))
        (['A'], ['A', 'B'])
        """
        return {person for (person, _, start), end in self.holdings.items()
                if start is not None and start <= day and (end is None or end > day)}

    def add_rows(self, kind: str, rows: Iterable[str]) -> None:
        """Add edges given as "src dst [start end]" strings (ISO dates, '-' for none);
        a post holding (HOLDS) is known by its person, post and start (its key)."""
        if kind == "HOLDS":
            for row in rows:
                src, dst, start, end = row.split(" ")
                self.holdings[(src, dst, _day(start))] = _day(end)
            return
        if kind != "SPOUSE_OF":     # the bulk of a whole read: add's work, inlined
            ups, downs = (self.parents, self.children) if kind == "PARENT_OF" else \
                (self.siblings, self.siblings)
            near = self.neighbours
            for row in rows:
                src, dst = row.split(" ", 2)[:2]
                ups[dst].add(src)
                downs[src].add(dst)
                near[src].add(dst)
                near[dst].add(src)
            return
        for row in rows:
            src, dst, start, end = row.split(" ")
            self.add(kind, src, dst, _day(start), _day(end))

    def around(self, seeds: Iterable[str], hops: int) -> set[str]:
        """The persons within ``hops`` base edges of the seeds (the seeds included)."""
        seen = set(seeds)
        frontier = seen
        for _ in range(hops):
            frontier = {q for p in frontier for q in self.neighbours.get(p, ())} - seen
            if not frontier:
                break
            seen |= frontier
        return seen

    def links(self, persons: Iterable[str] | None = None) -> Iterable[tuple[str, str]]:
        """The edges touching ``persons`` as id pairs (default: every edge, once)."""
        if persons is None:
            return ((p, q) for p, qs in self.neighbours.items() for q in qs if p < q)
        return ((p, q) for p in persons for q in self.neighbours.get(p, ()))

    def family(self, persons: Iterable[str]) -> Family:
        """The ``kinship.Family`` of every edge touching ``persons`` (genders unknown: for
        finding relatives, not for naming them). Relatives of a person are complete in
        it when ``persons`` holds everyone within ``kinship.MAX_EDGE_HOPS - 1`` edges of
        them, as ``family.load_family`` reads them."""
        fam = Family()
        for p in persons:
            for parent in self.parents.get(p, ()):
                fam.add_parent(parent, p)
            for child in self.children.get(p, ()):
                fam.add_parent(p, child)
            for sibling in self.siblings.get(p, ()):
                fam.add_sibling(p, sibling)
            for q in self.spouses.get(p, ()):
                for pair in ((p, q), (q, p)):
                    if pair in self.marriages:
                        fam.add_spouse(*pair, *self.marriages[pair])
            fam.gender.setdefault(p, "")
            for q in self.neighbours.get(p, ()):
                fam.gender.setdefault(q, "")
        return fam


def read(graph: GraphClient) -> Skeleton:
    """Every base kinship edge and post holding of the graph, read afresh."""
    skeleton = Skeleton()
    for kind in UNDATED:
        for row in graph.read("kinship/skeleton_links", TYPE=kind):
            skeleton.add_rows(kind, row["links"])
    for row in graph.read("kinship/skeleton_spouses"):
        skeleton.add_rows("SPOUSE_OF", row["links"])
    for row in graph.read("kinship/skeleton_holds"):
        skeleton.add_rows("HOLDS", row["links"])
    for row in graph.read("kinship/skeleton_cadres"):
        skeleton.cadres.update(row["ids"])
    for row in graph.read("kinship/skeleton_approvers"):
        skeleton.approvers.update(row["ids"])
    return skeleton


def apply(graph: GraphClient, skeleton: Skeleton, batches: list[str]) -> None:
    """Catch ``skeleton`` up with the kinship edges, post holdings, cadres and payment
    approvers ``batches`` wrote or re-wrote (imports never take the Cadre label away)."""
    for kind in (*TYPES, "HOLDS"):
        for row in graph.read("kinship/skeleton_batch", {"batches": batches}, TYPE=kind):
            skeleton.add_rows(kind, row["links"])
    for row in graph.read("kinship/skeleton_cadres_batch", {"batches": batches}):
        skeleton.cadres.update(row["ids"])
    for row in graph.read("kinship/skeleton_approvers_batch", {"batches": batches}):
        skeleton.approvers.update(row["ids"])


# Validated against the import ledger by riskgraph.held (the census: the person count).
_HELD: Held[Skeleton] = Held(lambda graph, _key: read(graph),
                             lambda graph, kept, batches, _key, _hint: apply(graph, kept, batches),
                             ("Person",))


def forget() -> None:
    """Drop every cached skeleton (what a new process starts with)."""
    _HELD.forget()


def unapply(batches: list[str]) -> None:
    """Make the next call apply ``batches`` again (for benchmarks)."""
    _HELD.unapply(batches)


# Key of a sweep's ``shared`` dict under which the skeleton its first detector took is
# left for the others.
SHARED = "kin_skeleton.skeleton"


def skeleton(graph: GraphClient, sessions: sessionmaker[Session] | None = None,
             shared: dict | None = None) -> Skeleton:
    """The graph's kinship skeleton: the cached one caught up with the batches finished
    since, or read afresh when none can be trusted (see the module docstring). Without a
    store (``sessions`` None) it is read afresh and not cached. ``shared``: the sweep's
    shared dict — a skeleton an earlier detector of the sweep took is taken again,
    without checking the ledger again (a batch that finishes meanwhile is pending for
    the next re-check, which catches it up)."""
    if shared is not None and SHARED in shared:
        return shared[SHARED]
    if sessions is None:
        kin = read(graph)
    else:
        with session_scope(sessions) as session:
            kin = held(graph, session)
    if shared is not None:
        shared[SHARED] = kin
    return kin


def run_family(ctx: Any, seeds: Iterable[str], hops: int = MAX_EDGE_HOPS) -> Family:
    """The base kinship edges within ``hops`` of ``seeds`` for a detector run (``ctx``:
    its ``detectors.base.Context``): read from the graph (``family.load_family``) for a
    whole run; for a scoped one (a re-check after an import), the same edges from the
    skeleton, caught up with the imports since — without names (who is related only:
    the run reads the families of what it found with ``load_family``)."""
    if ctx.scope is None:
        return load_family(ctx.graph, seeds, hops=hops)
    kin = skeleton(ctx.graph, ctx.sessions, ctx.shared)
    return kin.family(kin.around(seeds, hops - 1))


def held(graph: GraphClient, session: Session) -> Skeleton:
    """``skeleton`` with the store's session at hand."""
    return _HELD.get(graph, session)
