"""Sign-in attempt limits per client address and per username (in process memory).

Account lockout after repeated failures lives on the account (`User.locked_until`);
this limiter also slows guessing across many usernames from one address, and guessing
at names that have no account.

>>> lim = Limiter(2, 60)
>>> [lim.hit("ip:1", now=0), lim.hit("ip:1", now=1), lim.hit("ip:1", now=2)]
[True, True, False]
>>> lim.hit("ip:1", now=61.5)
True
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class Limiter:
    def __init__(self, max_hits: int, window_s: float) -> None:
        self.max_hits, self.window = max_hits, window_s
        self._hits: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> bool:
        """Record an attempt for ``key``; False when over the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            q = self._hits[key]
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.max_hits:
                return False
            q.append(now)
            return True

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)
