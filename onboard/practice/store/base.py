"""The forge's state document itself: persistence, the one lock, ids, the clock, timestamps.

Everything the forge knows lives in a single plain-JSON ``dict`` guarded by one re-entrant lock.
Plain data keeps the payload builders pure and lets the whole state round-trip through
``forge.json``; a practice forge holds a few hundred records at most, so rewriting the whole file
(atomically) after every write is cheap and means a crash can never leave a half-updated forge
behind. :class:`StoreBase` owns that document; the layers above it (accounts, repositories,
issues, pulls) only add operations on it.
"""

from __future__ import annotations

import contextlib
import copy
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from onboard.core.storage.fsutil import atomic_write_text

SCHEMA_VERSION = 1

#: First ids handed out per record kind; distinct ranges make ids plausible and never collide.
_ID_BASES: dict[str, int] = {
    "user": 1_000_000,
    "repo": 2_000_000,
    "label": 3_000_000,
    "issue": 4_000_000,
    "pull": 5_000_000,
    "comment": 6_000_000,
    "event": 7_000_000,
    "review": 8_000_000,
    "release": 9_000_000,
    "check_run": 10_000_000,
    "status": 11_000_000,
    "review_comment": 12_000_000,
}

Record = dict[str, Any]


class StoreError(Exception):
    """A store operation was asked for something that does not exist or cannot be."""


def iso(moment: datetime) -> str:
    """GitHub's timestamp format: UTC, second precision, ``Z`` suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """Inverse of :func:`iso`; also accepts offsets and bare dates (treated as UTC midnight)."""
    text = text.strip()
    if len(text) == 10:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class StoreBase:
    """The document, its lock and its file; the foundation every store layer builds on.

    Public mutators take the lock, change the data and save. Readers that build several payloads
    from one consistent view use :meth:`locked` and read :attr:`data` directly.
    """

    def __init__(
        self,
        path: Path | None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = path
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self.data: Record = self._empty()

    # ------------------------------------------------------------------ persistence

    @staticmethod
    def _empty() -> Record:
        return {
            "schema": SCHEMA_VERSION,
            "counters": {kind: base for kind, base in _ID_BASES.items()},
            "tokens": {},
            "users": {},
            "repos": {},
            "labels": {},
            "issues": {},
            "comments": {},
            "events": {},
            "reviews": {},
            "review_comments": {},
            "check_runs": {},
            "statuses": {},
            "maintainer": {},
        }

    def exists(self) -> bool:
        return self.path is not None and self.path.exists()

    def load(self) -> None:
        """Read ``forge.json``; a missing file leaves the store empty (the caller seeds it)."""
        if self.path is None or not self.path.exists():
            return
        loaded = json.loads(self.path.read_text(encoding="utf-8"))
        if loaded.get("schema") != SCHEMA_VERSION:
            raise StoreError(f"unsupported forge.json schema {loaded.get('schema')!r}")
        with self._lock:
            self.data = loaded
            self._migrate()

    def _migrate(self) -> None:
        """Bring a ``forge.json`` written before events and reviews existed up to date.

        This layer adds the missing counters and collections; :class:`.issues.IssueState`
        extends it with the events each old issue's state implies.
        """
        data = self.data
        for kind, base in _ID_BASES.items():
            data["counters"].setdefault(kind, base)
        data.setdefault("events", {})
        data.setdefault("reviews", {})
        for name in ("review_comments", "check_runs", "statuses", "maintainer"):
            data.setdefault(name, {})

    def save(self) -> None:
        """Persist atomically; called after every write so a restart sees every change."""
        if self.path is None:
            return
        with self._lock:
            text = json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True)
            atomic_write_text(self.path, text + "\n")

    @contextlib.contextmanager
    def locked(self) -> Iterator[Record]:
        """Hold the lock while reading several records that must agree with each other."""
        with self._lock:
            yield self.data

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes (e.g. seeding) into one save at the end."""
        with self._lock:
            previous = getattr(self, "_batching", False)
            self._batching = True
            try:
                yield
            finally:
                self._batching = previous
            if not previous:
                self.save()

    def _commit(self) -> None:
        if not getattr(self, "_batching", False):
            self.save()

    # ------------------------------------------------------------------ helpers

    def now(self) -> datetime:
        return self.clock()

    def _ago(self, days: float | None, *, default: datetime | None = None) -> str:
        if days is None:
            return iso(default or self.now())
        return iso(self.now() - timedelta(days=days))

    def _next_id(self, kind: str) -> int:
        counters = self.data["counters"]
        counters[kind] += 1
        return int(counters[kind])

    def snapshot(self) -> Record:
        """A deep copy of the whole state, for tests and admin tools."""
        with self._lock:
            return copy.deepcopy(self.data)
