"""Repositories GitHub refused to search, remembered for a day.

A ``repo:`` that does not exist (renamed, deleted, private) makes GitHub refuse the whole search
with 422, and finding the culprit costs a few extra searches. Remembering it means the next
refresh leaves it out at once (and says so) instead of paying again, so an unchanged refresh
stays all 304s. A day, because a private repository may be made public or a rename undone.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from pathlib import Path

from onboard.core.storage.fsutil import atomic_write_text

REMEMBER_SECONDS = 24 * 3600


class Unsearchable:
    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._until: dict[str, float] = self._load()

    def known(self, full_name: str) -> bool:
        with self._lock:
            return self._until.get(full_name.casefold(), 0.0) > time.time()

    def remember(self, full_name: str) -> None:
        with self._lock:
            self._until[full_name.casefold()] = time.time() + REMEMBER_SECONDS
            self._save()

    def _load(self) -> dict[str, float]:
        if self._path is None:
            return {}
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
            now = time.time()
            return {str(k): float(v) for k, v in raw.items() if float(v) > now}
        except (OSError, ValueError, TypeError, AttributeError):
            return {}

    def _save(self) -> None:
        if self._path is None:
            return
        with contextlib.suppress(OSError):
            atomic_write_text(self._path, json.dumps(self._until))
