"""What a long-running process keeps between runs, trusted only as far as the store's
import ledger accounts for it (the kinship skeleton, ``riskgraph.kin_skeleton``; the
contractor graph of ``hidden_cluster``, ``riskgraph.cluster_state``; post_risk's tables,
``riskgraph.posttables``).

A ``Holder`` keeps one value per graph client and store, stamped with the finished import
batches it reflects (id and finish time) and the graph's counts of some labels. Its
``check`` says whether the value can be caught up (and with which batches) or must be
built afresh:

- there is none yet for that graph and store (a restart, another graph or store), or the
  client it was built through is gone (ids of objects are reused);
- a batch it reflects is gone from the ledger or finished at another time (another store
  or a recreated one: the stamp no longer describes the graph);
- no batch finished or runs since, yet a label count differs from the one it recorded
  (something wrote or wiped nodes outside an import).

Otherwise the batches finished since (``new``) and the running ones (``running``: an
import under way, or one that crashed; not in the stamp, so what it wrote is looked at
again until it finishes) are what the caller catches the value up with; it then
``keep``s the value with the ledger and counts the check read.

``Held`` is the common case on top of it: a value read whole by one function and caught
up with some batches by another, for a ``key`` (e.g. the day and rules it was read for:
another key reads it afresh). A value is caught up in place: the scheduler runs one job
at a time (``scheduler.SerialExecutor``), so no run reads a value while another catches
it up. Imports never delete what these values hold; deleting the graph's contents
(``graph_schema.wipe_graph``) changes the counts, and a re-import after it brings
batches applied on top of rows that may be gone — wiping is for tests and benchmarks,
which use a fresh store.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.graph import GraphClient
from riskgraph.store import ImportBatch
from riskgraph.store.vocab import ImportStatus

T = TypeVar("T")


def ledger(session: Session) -> tuple[dict[str, datetime], set[str]]:
    """The finished import batches (id -> finish time), and the running ones."""
    rows = session.execute(sa.select(ImportBatch.id, ImportBatch.status,
                                     ImportBatch.finished_at)).all()
    finished = {r.id: r.finished_at for r in rows if r.status != ImportStatus.RUNNING}
    return finished, {r.id for r in rows if r.status == ImportStatus.RUNNING}


@dataclass
class Check(Generic[T]):
    value: T | None                    # None: build it afresh
    finished: dict[str, datetime]
    running: set[str]
    new: set[str]                      # finished batches the value does not reflect yet
    counts: dict[str, int]


@dataclass
class _Entry(Generic[T]):
    value: T
    batches: dict[str, datetime]
    counts: dict[str, int]
    graph: weakref.ref


class Holder(Generic[T]):
    """One value per graph client and store, validated against the import ledger and
    the counts of ``labels`` (see the module docstring)."""

    def __init__(self, labels: tuple[str, ...]):
        self.labels = labels
        self.lock = threading.Lock()     # callers hold it from check to keep
        self._entries: dict[tuple[int, str], _Entry[T]] = {}

    def forget(self) -> None:
        """Drop every value (what a new process starts with)."""
        self._entries.clear()

    @staticmethod
    def _key(graph: GraphClient, session: Session) -> tuple[int, str]:
        return id(graph), str(session.get_bind().url)

    def check(self, graph: GraphClient, session: Session) -> Check[T]:
        finished, running = ledger(session)
        counts = {label: graph.read("graph/count_label", Label=label)[0]["count"]
                  for label in self.labels}
        kept = self._entries.get(self._key(graph, session))
        if kept is not None and kept.graph() is not graph:
            kept = None                     # another client that got the same id
        if kept is not None and any(finished.get(b) != at for b, at in kept.batches.items()):
            kept = None                     # the ledger no longer describes the value
        new = set(finished) - set(kept.batches) if kept is not None else set(finished)
        if kept is not None and not new and not running and counts != kept.counts:
            kept = None                     # nodes written or wiped outside an import
        return Check(kept.value if kept is not None else None, finished, running, new, counts)

    def keep(self, graph: GraphClient, session: Session, value: T, check: Check) -> None:
        """Hold ``value`` as reflecting the finished batches and counts ``check`` read."""
        self._entries[self._key(graph, session)] = _Entry(value, check.finished, check.counts,
                                                          weakref.ref(graph))

    def peek(self, graph: GraphClient, session: Session) -> T | None:
        """The value held, unchecked."""
        kept = self._entries.get(self._key(graph, session))
        return kept.value if kept is not None and kept.graph() is graph else None

    def drop(self, graph: GraphClient, session: Session) -> None:
        self._entries.pop(self._key(graph, session), None)

    def unapply(self, batches: list[str]) -> None:
        """Take some batches out of every value's stamp, so that the next check reports
        them as new again (benchmarks time the same catch-up repeatedly)."""
        with self.lock:
            for entry in self._entries.values():
                entry.batches = {b: at for b, at in entry.batches.items() if b not in batches}


# read(graph, key) -> value; apply(graph, value, batches, key, hint): catch the value up
# with what the batches wrote (``hint``: what the caller knows of those writes, or None).
Read = Callable[[GraphClient, Hashable], T]
Apply = Callable[[GraphClient, T, list[str], Hashable, Any], None]


class Held(Generic[T]):
    """A ``Holder`` of a value read whole by ``read`` and caught up by ``apply``, for a
    ``key``; validated by the counts of ``labels``."""

    def __init__(self, read: Read, apply: Apply, labels: tuple[str, ...]):
        self._read, self._apply = read, apply
        self.holder: Holder[tuple[Hashable, T]] = Holder(labels)

    def forget(self) -> None:
        """Drop every held value (what a new process starts with)."""
        with self.holder.lock:
            self.holder.forget()

    def unapply(self, batches: list[str]) -> None:
        self.holder.unapply(batches)

    def seed(self, graph: GraphClient, session: Session, key: Hashable,
             value: Callable[[], T]) -> T:
        """Hold what ``value()`` reads afresh (a whole run's own read), stamped with the
        ledger and counts taken before it reads: a batch finishing meanwhile is applied
        again on the next ``get``."""
        with self.holder.lock:
            check = self.holder.check(graph, session)
            fresh = value()
            self.holder.keep(graph, session, (key, fresh), check)
            return fresh

    def get(self, graph: GraphClient, session: Session, key: Hashable = (),
            hint: Any = None) -> T:
        """The value for ``graph`` and the store of ``session``: the held one caught up
        with the batches finished (or running) since, or read afresh when none can be
        trusted (see the module docstring). ``hint`` goes to ``apply``."""
        with self.holder.lock:
            check = self.holder.check(graph, session)
            kept = check.value
            try:
                if kept is None or kept[0] != key:
                    value = self._read(graph, key)
                else:
                    value = kept[1]
                    if check.new or check.running:   # a running batch: applied each time
                        self._apply(graph, value, sorted(check.new | check.running), key, hint)
            except BaseException:
                self.holder.drop(graph, session)     # half caught up: never trusted
                raise
            self.holder.keep(graph, session, (key, value), check)
            return value
