"""In-memory data model of the practice forge, persisted as one JSON document.

Everything the forge knows (users, repositories, labels, issues, pull requests, comments, tokens)
lives in a single plain-JSON ``dict`` guarded by one re-entrant lock, rewritten atomically to
``forge.json`` after every write (see :mod:`.base`). Rate-limit counters are deliberately *not*
persisted (see :mod:`.rates`).

The operations on that one document are layered by what they touch, one module a layer, each
building on the ones below it:

- :mod:`.base`: the document: persistence, the lock, ids, the clock, timestamps;
- :mod:`.accounts`: users, organizations and tokens;
- :mod:`.repos`: repositories, fork networks, labels, and who belongs to a repository;
- :mod:`.issues`: issues and pull requests as records, their comments and timeline events;
- :mod:`.pulls`: what only pull requests have: their git-side fields, merging, reviews,
  review comments;
- :mod:`.checks`: commit statuses and check runs (CI's verdicts on a commit);
- :mod:`.rates`: the rate-limit windows, beside the document rather than in it.

:class:`Store` stacks them into the one object the forge, the seed and the tests use.
"""

from __future__ import annotations

from onboard.practice.store.base import SCHEMA_VERSION, Record, StoreError, iso, parse_iso
from onboard.practice.store.checks import CHECK_STATUSES, CONCLUSIONS, STATUS_STATES, CheckState
from onboard.practice.store.pulls import REVIEW_STATES
from onboard.practice.store.rates import RateLimits, RateWindow

__all__ = [
    "CHECK_STATUSES",
    "CONCLUSIONS",
    "REVIEW_STATES",
    "SCHEMA_VERSION",
    "STATUS_STATES",
    "RateWindow",
    "Record",
    "Store",
    "StoreError",
    "iso",
    "parse_iso",
]


class Store(CheckState, RateLimits):
    """Thread-safe owner of the forge's state: every layer's operations on one document.

    Public mutators take the lock, change the data and save. Readers that build several payloads
    from one consistent view use :meth:`locked` and read :attr:`data` directly.
    """
