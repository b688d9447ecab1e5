"""The forge contract the rest of onboard relies on, and the errors it may raise.

Screens and the CLI only see :class:`Forge` and :class:`ForgeError`; every library exception is
translated into one of these with a message a newcomer can act on, so nothing above this layer
needs to know PyGithub or ``requests`` exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from onboard.core.models import (
    AssignmentEvent,
    Comment,
    Issue,
    Label,
    LinkedPull,
    RepoInfo,
    RepoRef,
)

if TYPE_CHECKING:  # readiness pulls in the claim rules: not worth it before the first frame
    from onboard.core.contributions.facts import PullFacts
    from onboard.core.discovery.readiness import Readiness

GITHUB_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class ForgeConfig:
    """Where the forge is and how we authenticate. The token never appears in ``repr``."""

    api_url: str = GITHUB_API_URL
    token: str | None = field(default=None, repr=False)
    token_source: str | None = None
    practice: bool = False
    #: Seconds to wait for an answer before saying the forge is unreachable.
    timeout: int = 15

    @property
    def key(self) -> str:
        """Names this forge in saved progress, so practice and real journeys never mix."""
        return "practice" if self.practice else (urlsplit(self.api_url).netloc or self.api_url)

    @property
    def label(self) -> str:
        if self.practice:
            return "practice forge"
        host = urlsplit(self.api_url).netloc
        return "GitHub" if host == "api.github.com" else host


@dataclass(frozen=True)
class RateLimit:
    limit: int
    remaining: int
    reset_at: datetime | None


@dataclass(frozen=True)
class Freshness:
    """How old data is, and why it is old when the forge could not be asked."""

    fetched_at: datetime
    stale_reason: str | None = None

    @staticmethod
    def oldest(parts: list[Freshness]) -> Freshness:
        stale = next((part.stale_reason for part in parts if part.stale_reason), None)
        return Freshness(min(part.fetched_at for part in parts), stale)


@dataclass(frozen=True)
class IssueSearch:
    """Beginner issues found by a search, with how fresh they are and what it cost."""

    issues: list[Issue]
    freshness: Freshness
    requests: int = 0
    incomplete: bool = False
    #: Repositories whose search failed while others arrived (kept and shown, with the reason).
    missing: tuple[RepoRef, ...] = ()
    missing_reason: str | None = None


@dataclass(frozen=True)
class Timeline:
    """What happened on an issue: replies, pull requests that reference it, (un)assignments."""

    comments: list[Comment]
    pulls: list[LinkedPull]
    freshness: Freshness
    assignments: list[AssignmentEvent] = field(default_factory=list)
    #: Who is assigned as of ``freshness`` (GraphQL evidence says; ``None``: not asked, as for
    #: REST timelines, where the search result's assignees are the only word).
    assignees: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TimelineBatch:
    """Claim evidence of many issues, and what getting it cost.

    ``timelines`` has every issue asked about, each with its :class:`Timeline` or the
    :class:`ForgeError` it ended with. ``requests`` counts the HTTP requests sent for them,
    ``cost`` the GraphQL points GitHub charged (None when no GraphQL query ran), ``reused`` the
    issues answered from evidence saved earlier because they had not changed since.
    """

    timelines: dict[tuple[RepoRef, int], Timeline | ForgeError]
    requests: int = 0
    cost: int | None = None
    reused: int = 0


@dataclass(frozen=True)
class CreatedPull:
    number: int
    url: str


@dataclass(frozen=True)
class TokenInfo:
    """Who a token signs in as, and its classic OAuth scopes.

    ``scopes`` is ``None`` when the forge listed none at all (fine-grained tokens and app tokens
    get no ``X-OAuth-Scopes`` header), and ``()`` for a classic token without any scope.
    """

    login: str | None
    scopes: tuple[str, ...] | None


@dataclass(frozen=True)
class RepoSearchHit:
    """A repository found by :meth:`Forge.search_repositories`, with its beginner-issue count.

    ``good_first_issues`` counts open, unassigned beginner issues (the ones onboard would list);
    ``None`` when they could not be counted, never a guessed 0. ``good_first_issues_exact`` is
    false when GitHub had more matches than onboard read, so the count is a lower bound.
    """

    repo: RepoRef
    description: str | None
    language: str | None
    topics: tuple[str, ...]
    stars: int
    pushed_at: datetime | None
    open_issues: int
    html_url: str
    good_first_issues: int | None = None
    good_first_issues_exact: bool = True


@dataclass(frozen=True)
class SearchHit:
    """One issue or pull request a search found: enough to count it and to say whose it is."""

    repo: RepoRef
    number: int
    is_pull: bool
    author: str | None
    created_at: datetime | None
    merged: bool = False


@dataclass(frozen=True)
class SearchHits:
    """What one ``/search/issues`` query found. ``total_count`` is GitHub's own count, which
    may exceed the at most 1,000 ``hits`` it returns; ``incomplete`` is its
    ``incomplete_results`` (the search timed out on GitHub's side)."""

    query: str
    hits: tuple[SearchHit, ...]
    total_count: int | None
    incomplete: bool
    requests: int


class ForgeError(Exception):
    """Something went wrong talking to the forge; ``str()`` is written for a newcomer."""

    def __init__(self, message: str = "", *, status: int | None = None) -> None:
        super().__init__(message)
        #: The HTTP status the forge answered with, when there was one.
        self.status = status


class ForgeUnreachable(ForgeError):
    """No answer at all: offline, DNS failure, timeout, connection refused."""


class ForgeUnexpected(ForgeError):
    """An answer that is not what the endpoint promises: a web page (maintenance, a network's
    sign-in page), a redirect, JSON of the wrong shape. Never read as an empty result."""


class ForgeAuthError(ForgeError):
    """The forge rejected the token, or the action needs one."""


class ForgeNotFound(ForgeError):
    """The repository or issue does not exist (or is private)."""


class ForgeRateLimited(ForgeError):
    """The hourly request allowance is used up."""

    def __init__(
        self, message: str, reset_at: datetime | None = None, *, secondary: bool = False
    ) -> None:
        super().__init__(message)
        self.reset_at = reset_at
        #: GitHub's secondary limit (too many requests in a short time): it covers every
        #: resource, and ``reset_at`` comes from ``Retry-After``.
        self.secondary = secondary


class Forge(Protocol):
    """What onboard needs from a forge: GitHub's REST semantics, behind one contract.

    Flows, screens and commands type against this, never against the PyGithub adapter, so the
    adapter can change (GraphQL, another client) without touching them. Every method blocks:
    call it from a worker thread. Failures are :class:`ForgeError` subclasses with a message a
    newcomer understands (:class:`ForgeUnreachable`, :class:`ForgeAuthError`,
    :class:`ForgeNotFound`, :class:`ForgeRateLimited`), never a client library's exception.
    """

    config: ForgeConfig
    #: The latest rate-limit headers seen, per resource ("core", "search", "graphql");
    #: read-only for callers.
    rate_limits: dict[str, RateLimit]

    def whoami(self) -> str | None:
        """The signed-in login, or None without a token."""
        ...

    def close(self) -> None:
        """Let the threads this client keeps for its requests end once their work is done.

        Called when the forge is replaced (practice mode, a new token) or its app closes: idle
        threads would otherwise wait for work all the process's life, each holding its own
        client and connection. A call after ``close`` still works, on fresh threads.
        """
        ...

    def token_info(self) -> TokenInfo:
        """Whose token this is and what it may do (scopes), for doctor and ``auth status``."""
        ...

    def rate_limit(self) -> RateLimit:
        """The core allowance now (``/rate_limit``, which costs none of it)."""
        ...

    def repo(self, ref: RepoRef) -> RepoInfo:
        """One repository; :class:`ForgeNotFound` when it does not exist or is private."""
        ...

    def labels(self, ref: RepoRef) -> list[Label]:
        """Every label of the repository (all pages)."""
        ...

    def good_first_issues(
        self,
        repos: Sequence[RepoRef],
        beginner_labels: Sequence[str] = (),
        *,
        claim_evidence: bool = False,
    ) -> IssueSearch:
        """Open, unassigned beginner issues of ``repos`` (never pull requests), batched searches;
        a partial failure is reported in the result, not raised. ``claim_evidence`` gathers
        the issues' claim evidence alongside (signed in), for :meth:`timelines_batch`."""
        ...

    def pulls_needing_review(self, repos: Sequence[RepoRef]) -> list[Issue]:
        """Open, non-draft pull requests of ``repos`` without any review yet."""
        ...

    def issue(self, ref: RepoRef, number: int) -> Issue:
        """One issue (or pull request, as GitHub's issues endpoint returns both)."""
        ...

    def timeline(self, ref: RepoRef, number: int) -> Timeline:
        """The issue's comments and the pull requests that reference it, oldest first."""
        ...

    def timelines(
        self, issues: Sequence[tuple[RepoRef, int]]
    ) -> dict[tuple[RepoRef, int], Timeline | ForgeError]:
        """Several timelines at once; each failure is returned in place of its timeline."""
        ...

    def timelines_batch(self, issues: Sequence[Issue]) -> TimelineBatch:
        """Claim evidence of many issues in few requests (GraphQL, signed in only), reusing
        what was saved for issues that have not changed (``updated_at``); each failure is
        returned in place of its timeline. :class:`ForgeAuthError` without a token."""
        ...

    def comment(self, ref: RepoRef, number: int, body: str) -> str:
        """Post a comment in public; returns its URL. Needs a token."""
        ...

    def review(self, ref: RepoRef, number: int, body: str) -> str:
        """Post a COMMENT review on a pull request in public; returns its URL. Needs a token."""
        ...

    def create_pull(
        self, ref: RepoRef, *, head: str, base: str, title: str, body: str, draft: bool = True
    ) -> CreatedPull:
        """Open a pull request from ``head`` (``owner:branch``) into ``base``. Needs a token."""
        ...

    def pull_facts(self, ref: RepoRef, number: int) -> PullFacts:
        """Everything the learner needs to follow one pull request: its state, merged and draft
        flags, reviews, review comments, issue comments, and the head commit's combined status
        and check runs (GitHub's REST shapes, folded by :mod:`onboard.core.contributions.live`)."""
        ...

    def mark_ready_for_review(self, ref: RepoRef, number: int) -> None:
        """Turn a draft pull request into one ready for review (GitHub's GraphQL mutation
        ``markPullRequestReadyForReview``; REST has no way). Needs a token."""
        ...

    def fork(self, ref: RepoRef) -> RepoInfo:
        """The signed-in user's fork of ``ref``, created if needed. Its git repository may not
        answer yet: GitHub creates it asynchronously."""
        ...

    def contributing(self, ref: RepoRef) -> str | None:
        """The project's CONTRIBUTING guide as text, or None when it has none."""
        ...

    def readiness(self, ref: RepoRef, beginner_labels: Sequence[str] = ()) -> Readiness:
        """Readiness signals: how fast maintainers answer newcomers, first PRs merged, activity."""
        ...

    def readiness_many(
        self, refs: Sequence[RepoRef], beginner_labels: Sequence[str] = ()
    ) -> dict[RepoRef, Readiness | ForgeError]:
        """Readiness of several repositories; each failure is returned in its place."""
        ...

    def search_hits(self, query: str, limit: int = 1000) -> SearchHits:
        """Everything (up to GitHub's 1,000) an issue search ``query`` finds, cached by ETag."""
        ...

    def latest_commit(self, ref: RepoRef) -> datetime | None:
        """When the newest commit on the default branch was made; None for an empty one."""
        ...

    def latest_release(self, ref: RepoRef) -> datetime | None:
        """When the latest release was published; None when none ever was."""
        ...

    def search_repositories(
        self,
        topic: str | None = None,
        language: str | None = None,
        text: str = "",
        limit: int = 30,
        *,
        sort: str = "updated",
    ) -> list[RepoSearchHit]:
        """Repositories with open beginner issues right now, with their unassigned count."""
        ...
