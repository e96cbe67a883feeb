"""Keeping the cyclic garbage collector out of the way of a long-running process.

The scheduler process holds large state between jobs (the kinship skeleton, post_risk's
tables, hidden_cluster's contractor graph: millions of small objects, see
``riskgraph.held``). Python's full collections traverse every tracked object, so each
one a job triggers walks all of that state again, although none of it is garbage: in a
re-check after an import that was a large part of its time. ``settle`` runs after each
job: it collects what the job left and moves every survivor to the permanent generation
(``gc.freeze``), so later collections look only at what later jobs allocate.

Held state holds no reference cycles (maps, sets and lists of ids, dates and rows), so
dropping a frozen value frees it all the same (reference counting). Whatever frozen
object might still end up in an unreachable cycle is reclaimed by the thaw every
``THAW_SECONDS`` (``gc.unfreeze`` before the collection).
"""

from __future__ import annotations

import gc
import time

THAW_SECONDS = 24 * 3600


class Settler:
    """Settles the process's memory after each job (see the module docstring)."""

    def __init__(self, clock=time.monotonic, thaw_seconds: float = THAW_SECONDS):
        self.clock, self.thaw_seconds = clock, thaw_seconds
        self.thawed_at = clock()

    def settle(self) -> None:
        if self.clock() - self.thawed_at >= self.thaw_seconds:
            gc.unfreeze()
            self.thawed_at = self.clock()
        gc.collect()
        gc.freeze()
