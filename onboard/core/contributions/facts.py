"""What a forge says about a pull request, as plain data (the adapter fills these in).

The shapes follow GitHub's REST answers closely (review ``state`` values, check-run ``status``
and ``conclusion``, commit-status ``state``) so that :mod:`.live` can fold them with GitHub's
own rules, and a test can write them down without a forge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from onboard.core.models import Comment


@dataclass(frozen=True)
class ReviewFact:
    """One review: ``state`` is APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING."""

    author: str | None
    state: str
    submitted_at: datetime | None
    body: str = ""


@dataclass(frozen=True)
class ReviewComment:
    """A comment on a line of the diff (``GET /pulls/{n}/comments``); ``line`` is None for a
    comment on a line that is no longer in the diff (GitHub calls it outdated)."""

    author: str | None
    body: str
    path: str
    line: int | None
    created_at: datetime | None = None


@dataclass(frozen=True)
class StatusFact:
    """One commit status of the combined status: ``state`` error/failure/pending/success."""

    context: str
    state: str
    description: str = ""


@dataclass(frozen=True)
class CheckRunFact:
    """One check run: ``status`` queued/in_progress/completed, ``conclusion`` when completed."""

    name: str
    status: str
    conclusion: str | None
    summary: str = ""


@dataclass(frozen=True)
class PullFacts:
    """Everything onboard reads about one pull request in a refresh."""

    state: str  # "open" or "closed", as GitHub says
    merged: bool
    draft: bool
    head_sha: str
    title: str
    url: str
    author: str | None
    created_at: datetime | None
    updated_at: datetime | None
    node_id: str = ""
    reviews: tuple[ReviewFact, ...] = ()
    review_comments: tuple[ReviewComment, ...] = ()
    comments: tuple[Comment, ...] = ()
    statuses: tuple[StatusFact, ...] = ()
    check_runs: tuple[CheckRunFact, ...] = ()
    #: ETag-style marker of how the answer was obtained, for tests and benchmarks.
    requests: int = field(default=0, compare=False)
