"""Hand items from a worker thread to the UI in batches, at most one batch per interval.

``npm ci`` or a test suite can print thousands of lines a second. One Textual message per line
would flood the message queue and redraw the log thousands of times; one batch every 50 ms looks
just as live and costs a few redraws a second. Items keep their order, and nothing waits longer
than one interval, so the last line of a quiet command still shows at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_INTERVAL = 0.05


class Batcher(Generic[T]):
    """Collects items from any thread; ``deliver`` gets them as lists from a thread of its own.

    Use it as a context manager: leaving the block delivers whatever is left, so everything
    added before :meth:`close` is delivered before ``close`` returns.
    """

    def __init__(
        self, deliver: Callable[[list[T]], None], interval: float = DEFAULT_INTERVAL
    ) -> None:
        self._deliver = deliver
        self._interval = interval
        self._items: list[T] = []
        self._changed = threading.Condition()
        self._delivering = threading.Lock()
        self._closed = False
        self._last = 0.0
        self._thread = threading.Thread(target=self._run, name="onboard-batcher", daemon=True)
        self._thread.start()

    def add(self, item: T) -> None:
        with self._changed:
            self._items.append(item)
            self._changed.notify()

    def flush(self) -> None:
        """Deliver what has been added so far (in order with the background deliveries)."""
        with self._delivering:
            with self._changed:
                items, self._items = self._items, []
            if items:
                self._deliver(items)
                self._last = time.monotonic()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify()
        self._thread.join()
        self.flush()

    def __enter__(self) -> Batcher[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._items and not self._closed:
                    self._changed.wait()
                delay = self._last + self._interval - time.monotonic()
                if delay > 0 and not self._closed:
                    self._changed.wait_for(lambda: self._closed, timeout=delay)
                if self._closed:
                    return  # close() delivers the rest
            self.flush()
