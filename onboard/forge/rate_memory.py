"""Rate limits remembered until they reset, across requests and across runs.

A newcomer who presses ``r`` again after "too many requests" must not spend another request
(or, for a secondary limit, prolong the penalty): GitHub says when the allowance comes back
(``X-RateLimit-Reset``, or ``Retry-After`` for a secondary limit), so until then onboard answers
from memory. The memory is a small JSON file in the cache folder, keyed by a hash of the API
and the token's identity (never the token), so ``onboard find`` right after the app knows too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from onboard.core.storage.fsutil import atomic_write_text

#: A limit on every resource at once: GitHub's secondary ("abuse") limits are not per resource.
ALL = "*"
#: No reset is ever believed to be further away than GitHub's one-hour window.
MAX_BLOCK_SECONDS = 3600.0


@dataclass(frozen=True)
class Block:
    until: float  #: epoch seconds
    message: str


def resource_of(path: str) -> str:
    """GitHub's rate-limit resource a request to ``path`` (relative to the API) counts against."""
    if path.startswith("/search/"):
        return "search"
    if path.startswith("/graphql") or path == "/api/graphql":  # GitHub Enterprise Server's
        return "graphql"
    return "core"


class RateMemory:
    """Which resources are blocked, until when, and what GitHub said."""

    def __init__(self, path: Path | None, api_url: str, identity: str) -> None:
        self._path = path
        self._key = hashlib.sha256(f"{api_url}\0{identity}".encode()).hexdigest()[:24]
        self._lock = threading.Lock()
        self._blocks: dict[str, Block] = self._load()

    def blocked(self, resource: str, now: float | None = None) -> Block | None:
        now = time.time() if now is None else now
        with self._lock:
            found = [self._blocks.get(resource), self._blocks.get(ALL)]
        live = [block for block in found if block is not None and block.until > now]
        return max(live, key=lambda block: block.until) if live else None

    def block(self, resource: str, until: float, message: str) -> None:
        until = min(until, time.time() + MAX_BLOCK_SECONDS)
        with self._lock:
            self._blocks[resource] = Block(until, message)
            self._save()

    def clear(self, resource: str) -> None:
        """An answer with allowance left: whatever was remembered for it is over."""
        with self._lock:
            if self._blocks.pop(resource, None) is not None:
                self._save()

    def _load(self) -> dict[str, Block]:
        if self._path is None:
            return {}
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8")).get(self._key, {})
            now = time.time()
            return {
                str(name): Block(float(until), str(message))
                for name, (until, message) in raw.items()
                if float(until) > now
            }
        except (OSError, ValueError, TypeError, AttributeError):
            return {}

    def _save(self) -> None:
        if self._path is None:
            return
        now = time.time()
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            try:
                everyone = json.loads(self._path.read_text(encoding="utf-8"))
                if not isinstance(everyone, dict):
                    everyone = {}
            except (OSError, ValueError):
                everyone = {}
            everyone[self._key] = {
                name: [block.until, block.message]
                for name, block in self._blocks.items()
                if block.until > now
            }
            atomic_write_text(self._path, json.dumps(everyone))
