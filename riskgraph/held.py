"""State a long-running process derives from the graph and keeps across imports, trusted
only as far as the store's import ledger accounts for it (the kinship skeleton,
``riskgraph.kin_skeleton``; the post risk tables, ``riskgraph.posttables``).

A ``Held`` keeps one value per graph client and store, read the first time it is asked
for and then caught up with the import batches finished since: ``apply`` re-reads what
those batches wrote (``_batch`` is stamped on every write, and indexed), so the cost of
keeping it is proportional to what the imports wrote. The value is stamped with the
finished batches it reflects (id and finish time) and read afresh instead when:

- the process holds none for that graph client and store, or one for another ``key``
  (a restart, another graph or store, another day or configuration);
- a batch it reflects is gone from the ledger or finished at another time (another store
  or a recreated one: the stamp no longer describes the graph);
- the graph's ``census`` (counts of the nodes it reads) differs from the one recorded
  although no batch finished or ran since (something wrote or wiped them outside an
  import).

A running batch (an import under way, or one that crashed) is not in the stamp: what it
has written so far is applied again on every call, until it finishes and is applied
once more (while one runs, the census is not compared). Imports never delete the nodes
and relationships these values hold; deleting the graph's contents
(``graph_schema.wipe_graph``) changes the census, and a re-import after it brings
batches applied on top of rows that may be gone — wiping is for tests and benchmarks,
which use a fresh store. A value is caught up in place: the scheduler runs one job at a
time (``scheduler.SerialExecutor``), so no run reads a value while another catches it up.
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

# read(graph, key) -> value; apply(graph, value, batches, key, hint): catch the value up
# with what the batches wrote (``hint``: what the caller knows of those writes, or None).
Read = Callable[[GraphClient, Hashable], T]
Apply = Callable[[GraphClient, T, list[str], Hashable, Any], None]


def ledger(session: Session) -> tuple[dict[str, datetime], set[str]]:
    """The finished import batches (id -> finish time), and the running ones."""
    rows = session.execute(sa.select(ImportBatch.id, ImportBatch.status,
                                     ImportBatch.finished_at)).all()
    finished = {r.id: r.finished_at for r in rows if r.status != ImportStatus.RUNNING}
    return finished, {r.id for r in rows if r.status == ImportStatus.RUNNING}


def count_labels(graph: GraphClient, labels: tuple[str, ...]) -> tuple[int, ...]:
    """A census: how many nodes of each label the graph holds."""
    return tuple(graph.read("graph/count_label", Label=label)[0]["count"] for label in labels)


@dataclass
class _Entry(Generic[T]):
    value: T
    key: Hashable
    batches: dict[str, datetime]       # finished batches it reflects -> their finish time
    census: Any
    graph: weakref.ref                 # the client it was read through (ids are reused)


class Held(Generic[T]):
    """One kind of held state: how to read it whole, catch it up with some batches, and
    take the census that shows writes outside an import."""

    def __init__(self, read: Read, apply: Apply, census: Callable[[GraphClient], Any]):
        self._read, self._apply, self._census = read, apply, census
        self._lock = threading.Lock()
        self._entries: dict[tuple[int, str], _Entry] = {}

    def forget(self) -> None:
        """Drop every held value (what a new process starts with)."""
        with self._lock:
            self._entries.clear()

    def unapply(self, batches: list[str]) -> None:
        """Take some batches out of every value's stamp, so that the next call applies
        them again (benchmarks time the same catch-up repeatedly)."""
        with self._lock:
            for entry in self._entries.values():
                entry.batches = {b: at for b, at in entry.batches.items() if b not in batches}

    def seed(self, graph: GraphClient, session: Session, key: Hashable,
             value: Callable[[], T]) -> T:
        """Hold what ``value()`` reads afresh (a whole run's own read), stamped with the
        ledger and census taken before it reads: a batch finishing meanwhile is applied
        again on the next ``get``."""
        finished, _running = ledger(session)
        census = self._census(graph)
        fresh = value()
        with self._lock:
            self._entries[(id(graph), str(session.get_bind().url))] = _Entry(
                fresh, key, finished, census, weakref.ref(graph))
        return fresh

    def get(self, graph: GraphClient, session: Session, key: Hashable = (),
            hint: Any = None) -> T:
        """The value for ``graph`` and the store of ``session``: the held one caught up
        with the batches finished (or running) since, or read afresh when none can be
        trusted (see the module docstring). ``hint`` goes to ``apply``."""
        finished, running = ledger(session)
        slot = (id(graph), str(session.get_bind().url))
        with self._lock:
            kept = self._entries.get(slot)
            if kept is not None and (kept.graph() is not graph or kept.key != key):
                kept = None                 # another client that got the same id; another key
            if kept is not None:
                if any(finished.get(b) != at for b, at in kept.batches.items()):
                    kept = None             # the ledger no longer describes this value
                else:
                    new = set(finished) - set(kept.batches)
                    census = self._census(graph)
                    if new or running:      # a running batch is applied again each time
                        self._apply(graph, kept.value, sorted(new | running), key, hint)
                    elif census != kept.census:
                        kept = None         # written or wiped outside an import
                    if kept is not None:
                        kept.batches, kept.census = finished, census
            if kept is None:
                census = self._census(graph)
                kept = self._entries[slot] = _Entry(self._read(graph, key), key, finished,
                                                    census, weakref.ref(graph))
            return kept.value
