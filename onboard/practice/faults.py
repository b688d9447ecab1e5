"""Fault modes: make the practice forge fail the way GitHub fails, on purpose.

Learners rehearse what an outage, a revoked token or a rate limit looks like; tests use the same
switches to prove onboard survives them. A fault matches requests by a regular expression searched
in the request path (no query string) and, optionally, by HTTP method; the first matching fault
(in the order they were added) applies, ``times`` times or until removed. Kinds:

``latency`` (``seconds=1.0``)
    Answer normally, ``seconds`` later.
``timeout`` (``seconds=30.0``)
    Hold the connection open for ``seconds`` before answering normally, so clients with a
    shorter timeout give up. Stopping the forge releases held connections at once.
``error`` (``status=500``, ``message=None``)
    A 5xx with GitHub's JSON error body (``{"message": "Server Error", ...}``).
``malformed``
    Status 200 whose JSON body is cut in half (invalid JSON).
``unauthorized``
    401 ``Bad credentials``, as for a revoked token.
``rate_limit`` (``reset_in=60``)
    403 "API rate limit exceeded" with ``X-RateLimit-Remaining: 0`` and ``X-RateLimit-Reset`` in
    ``reset_in`` seconds.
``secondary_rate_limit`` (``retry_after=60``, ``status=429``)
    GitHub's secondary ("abuse") limit: ``Retry-After: N`` and its message (status 429 or 403).
``reset``
    Close the connection without answering (TCP reset).
``html`` (``status=200``)
    A web page instead of data: what a maintenance page or a network's sign-in page (hotel,
    train, campus Wi-Fi: a captive portal) sends, with status 200 and ``text/html``.
``redirect`` (``status=302``, ``location="https://login.example.net/portal"``)
    A redirect elsewhere (a captive portal, a proxy), with a small HTML body.

``latency``, ``timeout`` and ``malformed`` requests are served (side effects happen); the others
are refused before the forge looks at them. Every faulted request is recorded with its kind.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Every fault kind, with its options and their defaults.
KINDS: dict[str, dict[str, Any]] = {
    "latency": {"seconds": 1.0},
    "timeout": {"seconds": 30.0},
    "error": {"status": 500, "message": None},
    "malformed": {},
    "unauthorized": {},
    "rate_limit": {"reset_in": 60},
    "secondary_rate_limit": {"retry_after": 60, "status": 429},
    "reset": {},
    "html": {"status": 200},
    "redirect": {"status": 302, "location": "https://login.example.net/portal"},
}

#: Kinds answered without serving the request.
REFUSING = frozenset(
    {"error", "unauthorized", "rate_limit", "secondary_rate_limit", "reset", "html", "redirect"}
)


@dataclass
class Fault:
    """One active fault; ``remaining`` counts down when ``times`` was given."""

    kind: str
    path: str = ".*"
    method: str | None = None
    remaining: int | None = None
    options: dict[str, Any] = field(default_factory=dict)
    hits: int = 0
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.path)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self._pattern.search(path) is not None

    def __getitem__(self, option: str) -> Any:
        return self.options[option]


def _check_number(kind: str, name: str, value: Any, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{kind}: {name} must be a number, not {value!r}")
    if not math.isfinite(value) or value < minimum:
        raise ValueError(f"{kind}: {name} must be a finite number >= {minimum}, not {value!r}")
    return value


def _validated(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; choose from {', '.join(KINDS)}")
    unknown = sorted(set(options) - set(KINDS[kind]))
    if unknown:
        allowed = ", ".join(KINDS[kind]) or "none"
        raise TypeError(f"{kind}: unknown option(s) {', '.join(unknown)} (allowed: {allowed})")
    merged = {**KINDS[kind], **options}
    if "seconds" in merged:
        merged["seconds"] = float(_check_number(kind, "seconds", merged["seconds"]))
    if kind == "error":
        status = merged["status"]
        if isinstance(status, bool) or not isinstance(status, int) or not 500 <= status <= 599:
            raise ValueError(f"error: status must be a 5xx status code, not {status!r}")
        if merged["message"] is not None and not isinstance(merged["message"], str):
            raise TypeError("error: message must be a string")
    if kind == "rate_limit":
        merged["reset_in"] = int(_check_number(kind, "reset_in", merged["reset_in"]))
    if kind == "secondary_rate_limit":
        merged["retry_after"] = int(_check_number(kind, "retry_after", merged["retry_after"]))
        if merged["status"] not in (403, 429):
            raise ValueError("secondary_rate_limit: status must be 403 or 429")
    return merged


class Faults:
    """The forge's active faults; thread-safe, shared by every request thread::

    forge.faults.add("error", path=r"^/search/", status=503, times=2)
    forge.faults.clear()
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        kind: str,
        *,
        path: str = ".*",
        times: int | None = None,
        method: str | None = None,
        **options: Any,
    ) -> Fault:
        """Activate a fault for requests whose path matches ``path`` (``re.search``) and, if
        given, whose method is ``method``; ``times`` requests, or until removed/cleared."""
        merged = _validated(kind, options)
        if times is not None and (isinstance(times, bool) or not isinstance(times, int)):
            raise TypeError(f"times must be an int or None, not {times!r}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for 'until cleared')")
        try:
            fault = Fault(kind, path, method, times, merged)
        except re.error as exc:
            raise ValueError(f"invalid path pattern {path!r}: {exc}") from exc
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        with self._lock:
            self._faults = [f for f in self._faults if f is not fault]

    def clear(self) -> None:
        """Remove every fault: the forge behaves normally again."""
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The fault that applies to this request, if any, counting it as used."""
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                fault.hits += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def __iter__(self) -> Iterator[Fault]:
        with self._lock:
            return iter(list(self._faults))

    def __len__(self) -> int:
        with self._lock:
            return len(self._faults)

    def __repr__(self) -> str:
        with self._lock:
            kinds = ", ".join(f"{f.kind}@{f.path}" for f in self._faults)
        return f"<Faults [{kinds}]>"
