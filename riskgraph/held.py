"""What a long-running process keeps between runs, trusted only as far as the store's
import ledger accounts for it (the kinship skeleton, ``riskgraph.kin_skeleton``; the
contractor graph of ``hidden_cluster``, ``riskgraph.cluster_state``).

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
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

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
