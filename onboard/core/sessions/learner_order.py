"""The orders a mentor sorts learners in, each answering one question.

- ``progress``: who is furthest behind? (fewest checkpoints reached first; among equals, the
  one who has gone longest without reaching one);
- ``name``: where is Bo? (alphabetical, ignoring case);
- ``stuck``: who needs me now? (stuck learners first, the longest stuck first, then by progress);
- ``quiet``: who has gone longest without progress? (stuck or not);
- ``pull_requests``, ``reviews``, ``noncode``: who did the most of each;
- ``report``: whose report is oldest (and may no longer tell the truth)?

Ties are broken by name so the order never depends on which file was read first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from onboard.core.sessions.cohort import LearnerRow

#: What ``s`` cycles through on the dashboard.
MAIN_ORDERS = ("progress", "name", "stuck")
_LONG_AGO = datetime.min.replace(tzinfo=UTC)


def _name(row: LearnerRow) -> str:
    return row.label.casefold()


def _progress(row: LearnerRow) -> tuple[Any, ...]:
    share = row.reached / row.of if row.of else 0.0
    return (share, -(row.minutes_since_progress or 0.0), _name(row))


def _stuck(row: LearnerRow) -> tuple[Any, ...]:
    return (row.stuck is None, -(row.minutes_stuck or 0.0), *_progress(row))


ORDERS: dict[str, Callable[[LearnerRow], Any]] = {
    "progress": _progress,
    "name": _name,
    "stuck": _stuck,
    "quiet": lambda row: (-(row.minutes_since_progress or 0.0), _name(row)),
    "pull_requests": lambda row: (-row.pull_requests, _name(row)),
    "reviews": lambda row: (-row.reviews, _name(row)),
    "noncode": lambda row: (-row.noncode, _name(row)),
    "report": lambda row: (row.generated_at or _LONG_AGO, _name(row)),
}


def ordered(rows: Sequence[LearnerRow], order: str, *, reverse: bool = False) -> list[LearnerRow]:
    """``rows`` sorted for ``order`` (one of :data:`ORDERS`); ``reverse`` turns it around."""
    return sorted(rows, key=ORDERS[order], reverse=reverse)


def next_order(order: str) -> str:
    """The main order after ``order`` (any other order starts the cycle again)."""
    if order not in MAIN_ORDERS:
        return MAIN_ORDERS[0]
    return MAIN_ORDERS[(MAIN_ORDERS.index(order) + 1) % len(MAIN_ORDERS)]
