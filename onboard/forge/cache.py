"""An on-disk cache of GET responses, keyed by URL and revalidated with ETags.

GitHub answers ``If-None-Match`` with ``304 Not Modified``, which costs no rate limit when
authenticated; so a refresh that finds nothing new is free, and when GitHub cannot be reached the
last answer is still there to show (with its age).
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

    def put(self, key: str, entry: CachedResponse) -> None:
        payload = {
            "url": entry.url,
            "etag": entry.etag,
            "fetched_at": entry.fetched_at,
            "data": entry.data,
            "next_url": entry.next_url,
        }
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            atomic_write_text(self._path(key), json.dumps(payload))

    def touch(self, key: str, entry: CachedResponse) -> None:
        """The forge confirmed the entry is still current (a 304)."""
        entry.fetched_at = time.time()
        self.put(key, entry)
