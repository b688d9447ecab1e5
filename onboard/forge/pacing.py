"""Pacing searches to GitHub's search allowance, so a big refresh waits instead of failing.

GitHub allows 30 searches a minute signed in (10 without a token). A ``find`` over 200 projects
needs about 40: sent at once, the last ten get 403 and (before this) everything was thrown
away. The pacer keeps a budget from the latest ``X-RateLimit-Remaining`` of the search resource,
minus what is in flight; when it runs out it waits for ``X-RateLimit-Reset`` (at most a minute
and a bit) and goes on. Until the first answer says what the budget is, one search at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from onboard.forge.base import RateLimit

#: Never wait longer than a search window (plus slack); a longer reset is a real rate limit.
MAX_WAIT_SECONDS = 65.0


class SearchPacer:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._cond = threading.Condition()
        self._budget: int | None = None
        self._reset: float | None = None
        self._in_flight = 0
        #: Seconds spent waiting for the allowance, for benchmarks and progress messages.
        self.waited = 0.0

    def acquire(self) -> None:
        """Block until a search may be sent (or until waiting longer would be pointless)."""
        with self._cond:
            while True:
                if self._budget is None:
                    if self._in_flight == 0:
                        break
                    self._cond.wait(0.5)
                    continue
                if self._budget > 0:
                    self._budget -= 1
                    break
                wait = (self._reset or 0.0) - self._clock()
                if wait <= 0:
                    self._budget = None  # a new window: learn its budget from the next answer
                    continue
                if wait > MAX_WAIT_SECONDS:
                    break  # not a search window: let the request meet the limit and say so
                started = self._clock()
                self._cond.wait(wait + 0.05)
                self.waited += self._clock() - started
            self._in_flight += 1

    def release(self, limit: RateLimit | None) -> None:
        """A search came back; ``limit`` is what its headers said about the search resource."""
        with self._cond:
            self._in_flight = max(0, self._in_flight - 1)
            if limit is not None:
                self._budget = max(0, limit.remaining - self._in_flight)
                self._reset = limit.reset_at.timestamp() if limit.reset_at else None
            self._cond.notify_all()
