"""The threads a piece of code started, and whether they ended: for the tests that check a
forge client lets its request threads go (``Forge.close``)."""

from __future__ import annotations

import threading
from collections.abc import Collection


def started_since(before: Collection[threading.Thread], prefix: str) -> list[threading.Thread]:
    """Live threads named ``prefix…`` that were not running when ``before`` was taken."""
    return [t for t in threading.enumerate() if t not in before and t.name.startswith(prefix)]


def all_ended(threads: Collection[threading.Thread], timeout: float = 5) -> bool:
    """Whether every thread ends, each given up to ``timeout`` seconds."""
    for thread in threads:
        thread.join(timeout=timeout)
    return not any(thread.is_alive() for thread in threads)
