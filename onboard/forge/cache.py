"""An on-disk cache of GET responses, keyed by URL and revalidated with ETags.

GitHub answers ``If-None-Match`` with ``304 Not Modified``, which costs no rate limit when
authenticated; so a refresh that finds nothing new is free, and when GitHub cannot be reached the
last answer is still there to show (with its age).

The cache prunes itself: at most once a day (the first write after a day), entries nobody has
confirmed for :data:`MAX_AGE` seconds go, then the oldest until the folder is under
:data:`MAX_BYTES`, so a year of refreshes never fills a disk. Leftover temporary files of
interrupted writes go too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onboard.core.storage.fsutil import atomic_write_text

MAX_AGE = 30 * 24 * 3600  #: an entry not confirmed for a month is not worth keeping
MAX_BYTES = 200 * 1024 * 1024  #: the folder's ceiling; the least recently confirmed go first
PRUNE_EVERY = 24 * 3600
MARKER = ".pruned"  #: its modification time says when the cache was last pruned


@dataclass(frozen=True)
class PruneResult:
    removed: int
    kept_bytes: int


@dataclass
class CachedResponse:
    url: str
    etag: str | None
    fetched_at: float  # when the forge last confirmed this data (epoch seconds)
    data: Any
    next_url: str | None = None


class ResponseCache:
    """One JSON file per response under ``root``; unreadable entries are simply dropped."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._prune_checked = False

    @staticmethod
    def key(url: str, params: dict[str, Any], identity: str) -> str:
        """``identity`` separates users (a hash of the token, never the token itself)."""
        material = json.dumps([url, sorted(params.items()), identity], default=str)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedResponse | None:
        path = self._path(key)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return CachedResponse(
                url=str(raw["url"]),
                etag=raw.get("etag"),
                fetched_at=float(raw["fetched_at"]),
                data=raw["data"],
                next_url=raw.get("next_url"),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def put(self, key: str, entry: CachedResponse, *, durable: bool = True) -> None:
        """Save ``entry``; ``durable=False`` skips flushing it to disk (see
        :func:`~onboard.core.storage.fsutil.atomic_write_bytes`), for entries written by the
        hundred, such as claim evidence."""
        payload = {
            "url": entry.url,
            "etag": entry.etag,
            "fetched_at": entry.fetched_at,
            "data": entry.data,
            "next_url": entry.next_url,
        }
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            atomic_write_text(self._path(key), json.dumps(payload), sync=durable)
        self._prune_if_due()

    def touch(self, key: str, entry: CachedResponse) -> None:
        """The forge confirmed the entry is still current (a 304)."""
        entry.fetched_at = time.time()
        self.put(key, entry)

    def prune(
        self, *, now: float | None = None, max_age: float = MAX_AGE, max_bytes: int = MAX_BYTES
    ) -> PruneResult:
        """Drop stale entries, then the least recently confirmed ones above ``max_bytes``.

        An entry's modification time is when the forge last confirmed it (``put`` and ``touch``
        both rewrite the file), so no file needs to be parsed.
        """
        now = time.time() if now is None else now
        entries: list[tuple[float, int, Path]] = []
        removed = 0
        for path in self.root.glob("*/*"):
            try:
                info = path.stat()
            except OSError:
                continue
            stale_temp = path.name.endswith(".tmp") and now - info.st_mtime > 3600
            if stale_temp or (path.suffix == ".json" and now - info.st_mtime > max_age):
                removed += _unlink(path)
            elif path.suffix == ".json":
                entries.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= max_bytes:
                break
            if _unlink(path):
                removed += 1
                total -= size
        return PruneResult(removed=removed, kept_bytes=total)

    def _prune_if_due(self) -> None:
        """Prune once a day at most, checked once per cache object (a stat, not a walk)."""
        if self._prune_checked:
            return
        self._prune_checked = True
        marker = self.root / MARKER
        try:
            if time.time() - marker.stat().st_mtime < PRUNE_EVERY:
                return
        except FileNotFoundError:
            pass
        except OSError:
            return
        with contextlib.suppress(OSError):
            marker.touch()
            self.prune()


def _unlink(path: Path) -> int:
    try:
        path.unlink()
    except OSError:
        return 0
    return 1
