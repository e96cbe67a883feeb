"""Values derived from the graph that a web process keeps between requests (the entity
index, the reach of a restricted scope), reloaded when the graph may have changed.

The graph changes only by imports, and every import is recorded in the store's import
ledger (`riskgraph.store.ImportBatch`), so the ledger's state is the graph's version
stamp: a cached value is reloaded when the stamp differs from the one it was loaded
under (checked at most every ``check_s`` seconds), and in any case after ``ttl_s``.

>>> calls = []
>>> stamp = ["v1"]
>>> cache = StampedCache(lambda: stamp[0], ttl_s=3600, check_s=0)
>>> cache.get("k", lambda: calls.append(1) or len(calls)), cache.get("k", lambda: 99)
(1, 1)
>>> stamp[0] = "v2"
>>> cache.get("k", lambda: calls.append(1) or len(calls))
2
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from riskgraph.store import ImportBatch

T = TypeVar("T")


def import_stamp(sessions: sessionmaker[Session]) -> tuple:
    """The state of the import ledger: changes whenever an import starts or finishes."""
    with sessions() as s:
        return tuple(s.execute(sa.select(sa.func.count(ImportBatch.id),
                                         sa.func.max(ImportBatch.started_at),
                                         sa.func.max(ImportBatch.finished_at))).one())


class StampedCache:
    """Values per key, each reloaded when ``stamp()`` changes or after ``ttl_s``.

    ``max_items`` bounds the number of keys (the oldest value goes first). Loading runs
    under a per-key lock, so concurrent requests load a key once: while one reloads a
    stale value, the others go on with the stale one; with no value yet, they wait."""

    def __init__(self, stamp: Callable[[], Any] | None, ttl_s: float, check_s: float = 5.0,
                 max_items: int = 32) -> None:
        self._stamp = stamp or (lambda: None)
        self.ttl_s, self.check_s, self.max_items = ttl_s, check_s, max_items
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._items: dict[Hashable, tuple[float, Any, Any]] = {}   # key -> (loaded, stamp, value)
        self._checked = (float("-inf"), None)                      # (when, stamp)

    def current_stamp(self) -> Any:
        now = time.monotonic()
        with self._lock:
            when, stamp = self._checked
            if now - when < self.check_s:
                return stamp
        stamp = self._stamp()
        with self._lock:
            self._checked = (now, stamp)
        return stamp

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        stamp = self.current_stamp()
        hit = self._fresh(key, stamp)
        if hit is not None:
            return hit[2]
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
            stale = self._items.get(key)
        if stale is not None and not key_lock.acquire(blocking=False):
            return stale[2]                      # another request is reloading it
        if stale is not None:
            key_lock.release()
        with key_lock:
            hit = self._fresh(key, stamp)
            if hit is not None:
                return hit[2]
            value = load()
            with self._lock:
                self._items[key] = (time.monotonic(), stamp, value)
                while len(self._items) > self.max_items:
                    oldest = min(self._items, key=lambda k: self._items[k][0])
                    del self._items[oldest]
                    self._key_locks.pop(oldest, None)
            return value

    def _fresh(self, key: Hashable, stamp: Any) -> tuple | None:
        with self._lock:
            hit = self._items.get(key)
        if hit and hit[1] == stamp and time.monotonic() - hit[0] < self.ttl_s:
            return hit
        return None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._checked = (float("-inf"), None)
