"""A line per step of a long command: which step of how many, time so far, an estimate of the rest.

    progress = Progress(total=len(breaks))
    progress.starting(f"{name} …")       # [3/40 · 6.2 min so far · ~70 min left] name …
    progress.finished(f"{name}: killed")  # [3/40 · 6.9 min so far · ~85 min left] name: killed

Plain lines rather than a redrawn bar, so that a CI log and a file of output read the same as
the terminal. The estimate is the mean time of the steps finished so far times those left.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Progress:
    def __init__(
        self,
        total: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        write: Callable[[str], None] = lambda line: print(line, flush=True),
    ) -> None:
        self.total = total
        self.done = 0
        self._clock = clock
        self._write = write
        self._started = clock()

    def starting(self, what: str) -> None:
        """Say which step begins (the next one)."""
        self._write(self._line(self.done + 1, what))

    def finished(self, what: str) -> None:
        """Count a step as done and say how it ended."""
        self.done += 1
        self._write(self._line(self.done, what))

    def _line(self, step: int, what: str) -> str:
        elapsed = self._clock() - self._started
        where = f"[{step}/{self.total} · {_minutes(elapsed)} so far"
        if self.done:
            left = elapsed / self.done * (self.total - self.done)
            where += f" · ~{_minutes(left)} left"
        return f"{where}] {what}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds < 600 else f"{seconds / 60:.0f} min"
