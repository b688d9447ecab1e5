"""Rate-limit windows: per caller and resource, short-lived, deliberately never persisted.

Like GitHub's windows they are short-lived, and writing a file on every read request would make
the forge slow for no benefit, so they live beside the document rather than in it. They share the
store's lock and clock, so a test that moves the clock moves the windows too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from onboard.practice.store.base import StoreBase


@dataclass
class RateWindow:
    """One rate-limit bucket (per caller and per resource), reset when its window has passed."""

    limit: int
    used: int
    reset: int  # epoch seconds

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


class RateLimits(StoreBase):
    """The store's rate-limit windows, charged by the HTTP pipeline."""

    def __init__(
        self,
        path: Path | None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(path, clock=clock)
        self._rate: dict[tuple[str, str], RateWindow] = {}

    def rate_window(self, key: str, resource: str, limit: int, period: int) -> RateWindow:
        """The caller's current window for ``resource`` (a fresh one once the old reset)."""
        with self._lock:
            now = int(self.now().timestamp())
            window = self._rate.get((key, resource))
            if window is None or window.reset <= now:
                window = RateWindow(limit=limit, used=0, reset=now + period)
                self._rate[(key, resource)] = window
            window.limit = limit
            return window

    def charge(
        self, key: str, resource: str, limit: int, period: int, points: int = 1
    ) -> tuple[bool, RateWindow]:
        """Spend ``points`` from the window (one per REST request; a GraphQL query costs its
        score); ``False``, spending nothing, when fewer than that are left."""
        with self._lock:
            window = self.rate_window(key, resource, limit, period)
            if window.remaining < max(points, 1):
                return False, window
            window.used += points
            return True, window

    def refund(self, key: str, resource: str) -> None:
        """Give back a charged request (authenticated 304s are free on GitHub)."""
        with self._lock:
            window = self._rate.get((key, resource))
            if window is not None and window.used > 0:
                window.used -= 1
