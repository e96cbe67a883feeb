"""A progress line for long work (imports, generation, sweeps) on standard error.

On a terminal it redraws one line; otherwise (logs, CI) it prints a line every few
seconds, so long runs still show they are alive.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int | None = None, unit: str = "行",
                 stream: TextIO | None = None, interval: float | None = None):
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.interval = interval if interval is not None else (0.2 if self.tty else 5.0)
        self.done = 0
        self.started = time.monotonic()
        self._last = self.started

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._draw(final=False)

    def _draw(self, final: bool) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            frac = min(1.0, self.done / self.total)
            bar = "█" * int(frac * 24) + "░" * (24 - int(frac * 24))
            eta = "" if final or rate == 0 else f"，剩余约{max(0, self.total - self.done) / rate:.0f}秒"
            text = f"{self.label} {bar} {frac:6.1%} {self.done}/{self.total}{self.unit} {rate:,.0f}{self.unit}/秒{eta}"
        else:
            text = f"{self.label} {self.done}{self.unit} {rate:,.0f}{self.unit}/秒"
        if final:
            text += f"，用时{elapsed:.1f}秒"
        if self.tty:
            self.stream.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        self._draw(final=True)
