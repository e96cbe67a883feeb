"""The scheduler process's memory settling (riskgraph.memory): survivors of a job are
frozen out of the collector's way, and the daily thaw reclaims frozen garbage cycles."""

from __future__ import annotations

import gc
import weakref

from riskgraph.memory import Settler


class Node:
    pass


def cycle() -> weakref.ref:
    n = Node()
    n.self = n
    return weakref.ref(n)


def test_survivors_are_frozen_and_the_thaw_reclaims_frozen_cycles():
    now = [0.0]
    settler = Settler(clock=lambda: now[0], thaw_seconds=10)
    try:
        dropped = cycle()                # garbage before the job ends: collected
        kept = Node()
        kept.self = kept
        held = weakref.ref(kept)
        settler.settle()
        assert dropped() is None and gc.get_freeze_count() > 0

        del kept                         # frozen, then dropped: out of the collector's sight
        gc.collect()
        assert held() is not None
        now[0] = 5
        settler.settle()                 # no thaw yet
        assert held() is not None
        now[0] = 11
        settler.settle()                 # the thaw: reclaimed
        assert held() is None and settler.thawed_at == 11
    finally:
        gc.unfreeze()                    # leave the test process as it was
