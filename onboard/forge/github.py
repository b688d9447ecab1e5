"""The PyGithub adapter: one :class:`Forge` for GitHub and for the practice forge alike.

Lessons baked in (measured, see shared/README.md): PyGithub's default retry sleeps until the rate
limit resets (up to an hour) and retries 500s eleven times, so we pass a small capped retry; it
waits 0.25 s between requests unless told not to; one ``Github`` object shared by threads mixes up
responses, so each worker thread gets its own; and ``import github`` attaches a stderr handler
that would draw over the TUI, which we remove.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import github
import requests
from github import Auth, Github, GithubException
from urllib3.util.retry import Retry

from onboard.core.contributions.facts import PullFacts
from onboard.core.discovery.labels import has_beginner_label
from onboard.core.discovery.queries import SEARCH_SPELLINGS, beginner_issue_queries, review_queries
from onboard.core.discovery.readiness import (
    RESPONSE_SAMPLE_SIZE,
    Readiness,
    assess,
    beginner_history_query,
)
from onboard.core.discovery.repo_search import SORTS, RepoSearchError, repository_query
from onboard.core.models import Issue, Label, RepoInfo, RepoRef
from onboard.core.storage import paths
from onboard.forge import pull_parse
from onboard.forge.auth import ENV_TOKEN_NAMES
from onboard.forge.base import (
    CreatedPull,
    ForgeAuthError,
    ForgeConfig,
    ForgeError,
    ForgeNotFound,
    ForgeRateLimited,
    ForgeUnexpected,
    ForgeUnreachable,
    Freshness,
    IssueSearch,
    RateLimit,
    RepoSearchHit,
    SearchHit,
    SearchHits,
    Timeline,
    TimelineBatch,
    TokenInfo,
)
from onboard.forge.cache import CachedResponse, ResponseCache
from onboard.forge.claim_evidence import Answer, Plan, graphql_url, rate_limit_kind, read_answer
from onboard.forge.evidence import ClaimEvidence, EvidenceStore
from onboard.forge.pacing import SearchPacer
from onboard.forge.parse import (
    assignments_from_json,
    comment_from_json,
    is_pull_request,
    issue_from_json,
    parse_time,
    timeline_from_json,
)
from onboard.forge.project_parse import (
    beginner_issue_from_json,
    closed_pull_from_json,
    community_files,
    repo_hit_from_json,
)
from onboard.forge.rate_memory import ALL, RateMemory, resource_of
from onboard.forge.unsearchable import Unsearchable

logging.getLogger("github").handlers.clear()
logging.getLogger("github").addHandler(logging.NullHandler())
logging.getLogger("github").propagate = False

#: Beginner issues read per issue search when counting them for repository search results:
#: enough to tell "3" from "many" without paging through a huge project's backlog.
COUNT_ISSUES_PER_QUERY = 300
MAX_PARALLEL_REQUESTS = 4
#: GraphQL queries in flight at once: few, as GitHub asks, but beside the REST pool, so claim
#: evidence travels while the searches do.
MAX_PARALLEL_GRAPHQL = 2
#: How beginner-issue searches are asked (and so how their answers are cached).
ISSUE_SEARCH_PARAMS = {"sort": "updated", "order": "desc", "per_page": 100}
MAX_SEARCH_RESULTS = 1000  # GitHub never returns more for one search
#: Extra searches spent isolating repositories that GitHub refuses to search (422).
MAX_SPLIT_SEARCHES = 16
CONTRIBUTING_PATHS = ("CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md")

T = TypeVar("T")

#: GitHub's GraphQL mutation for "Ready for review" (REST has none); the input as a variable.
READY_FOR_REVIEW = (
    "mutation($input: MarkPullRequestReadyForReviewInput!) { "
    "markPullRequestReadyForReview(input: $input) { pullRequest { isDraft } } }"
)


class _Backoff(Retry):
    """urllib3's Retry, but never an instant retry of a server error.

    urllib3 retries the first failure at once (measured: 0 s, then 0.6 s), which hits an
    overloaded server again immediately. A refused or dropped connection is retried after a
    short pause (so "offline" is known within half a second), a 5xx after 1 s, then 2 s.
    """

    def get_backoff_time(self) -> float:
        failures = len(self.history)
        if failures == 0:
            return 0.0
        if self.history[-1].status is None:  # no answer at all: connection refused or reset
            return 0.2
        return float(min(2 ** (failures - 1), 4))


def _capped_retry() -> Retry:
    """Retry brief network hiccups on reads a couple of times, never sleep for a rate limit.

    A read timeout is not retried: the message says "did not answer within N seconds", and a
    retry would make that 2N.
    """
    return _Backoff(
        total=2,
        connect=1,
        read=0,
        status=2,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=False,
        raise_on_status=False,
    )


#: GitHub answers 302/307 for moved resources; more hops than this is a loop.
MAX_REDIRECTS = 3
#: What an endpoint promises: a JSON object, a JSON array, or a search result.
SEARCH = "search"
Expect = type[dict] | type[list] | str | None


class GitHubForge:
    """Blocking forge client; call from worker threads (each gets its own PyGithub client)."""

    def __init__(
        self,
        config: ForgeConfig,
        *,
        cache: ResponseCache | None = None,
    ) -> None:
        self.config = config
        self._local = threading.local()
        self._cache = cache or ResponseCache(paths.cache_dir() / "http")
        self._identity = (
            hashlib.sha256(config.token.encode()).hexdigest()[:16] if config.token else "anonymous"
        )
        #: The latest rate-limit headers seen, per resource ("core", "search").
        self.rate_limits: dict[str, RateLimit] = {}
        #: One pacer per forge: its worker threads share the search allowance.
        self._search_pacer = SearchPacer()
        self._unsearchable = Unsearchable(
            None if cache is not None else paths.cache_dir() / "unsearchable.json"
        )
        self._rates = RateMemory(
            None if cache is not None else paths.cache_dir() / "rate-limits.json",
            config.api_url,
            self._identity,
        )
        self._evidence = ClaimEvidence(
            EvidenceStore(self._cache, graphql_url(config.api_url), self._identity),
            self._ask_evidence,
            lambda: self._graphql_pool,
            self._graphql_blocked,
        )

    @functools.cached_property
    def _pool(self) -> ThreadPoolExecutor:
        """Long-lived threads, so each keeps its own PyGithub client and open connection."""
        return ThreadPoolExecutor(max_workers=MAX_PARALLEL_REQUESTS, thread_name_prefix="forge")

    @functools.cached_property
    def _graphql_pool(self) -> ThreadPoolExecutor:
        """GraphQL's own threads (each with its own client), so a query never waits for a
        REST slot and never takes one from the searches it runs beside."""
        return ThreadPoolExecutor(max_workers=MAX_PARALLEL_GRAPHQL, thread_name_prefix="graphql")

    def close(self) -> None:
        """Shut down the request threads; work already handed to them still finishes."""
        for name in ("_pool", "_graphql_pool"):
            pool = self.__dict__.pop(name, None)  # a later use makes a fresh pool
            if pool is not None:
                pool.shutdown(wait=False)

    # -- plumbing -------------------------------------------------------------------------

    @property
    def _gh(self) -> Github:
        client = getattr(self._local, "client", None)
        if client is None:
            client = Github(
                base_url=self.config.api_url,
                auth=Auth.Token(self.config.token) if self.config.token else None,
                timeout=self.config.timeout,
                retry=_capped_retry(),
                seconds_between_requests=None,
                seconds_between_writes=None if self.config.practice else 1.0,
                per_page=100,
                user_agent="onboard",
                lazy=True,  # get_repo() costs no request; attributes are fetched when first read
            )
            self._local.client = client
        return client

    def _call(self, action: Callable[[], T]) -> T:
        with self._translated_errors():
            return action()

    @contextlib.contextmanager
    def _translated_errors(self) -> Iterator[None]:
        where = self.config.label
        try:
            yield
        except github.BadCredentialsException as error:
            raise ForgeAuthError(_bad_token(where, self.config.token_source)) from error
        except github.RateLimitExceededException as error:
            raise _rate_limited(where, error.headers, signed_in=bool(self.config.token)) from error
        except github.UnknownObjectException as error:
            raise ForgeNotFound(
                f"{where} has no such repository or issue (or it is private)."
            ) from error
        except GithubException as error:
            raise _from_status(where, error) from error
        except (requests.Timeout, requests.ConnectionError) as error:
            if not _timed_out(error):
                raise ForgeUnreachable(
                    f"Cannot reach {where} at {self.config.api_url}. "
                    "Check your internet connection."
                ) from error
            raise ForgeUnreachable(
                f"{where} did not answer within {self.config.timeout} seconds. It may be busy, "
                "or your connection is slow; try again in a moment."
            ) from error
        except requests.RequestException as error:
            raise ForgeUnreachable(f"Talking to {where} failed: {type(error).__name__}.") from error
        except (AssertionError, RuntimeError) as error:
            # PyGithub asserts a followed URL stays on the API host, and raises RuntimeError for
            # a 301 to another host or scheme.
            raise ForgeUnexpected(
                f"{where} sent a link to another address; onboard did not follow it, so your "
                "token stays with the configured API."
            ) from error
        except ValueError as error:  # malformed JSON from a proxy or captive portal
            raise ForgeUnexpected(_unexpected(where, "an answer that is not valid data")) from error

    # -- the Forge contract ---------------------------------------------------------------

    def whoami(self) -> str | None:
        if not self.config.token:
            return None
        return self.token_info().login

    def token_info(self) -> TokenInfo:
        """The token's login and classic scopes, from one uncached ``GET /user``.

        GitHub lists a classic token's scopes in the ``X-OAuth-Scopes`` header of any
        authenticated answer; fine-grained tokens get no such header (``scopes`` is ``None``).
        Not cached: a stale answer would hide a token that was just revoked or re-scoped.
        """
        if not self.config.token:
            return TokenInfo(None, None)
        headers, data = self._request("GET", "/user")
        login = data.get("login")
        if not isinstance(login, str):
            raise ForgeUnexpected(_unexpected(self.config.label, "an account without a login"))
        return TokenInfo(login, _scopes(headers.get("x-oauth-scopes")))

    def rate_limit(self) -> RateLimit:
        """The core allowance (``/rate_limit`` costs none of it, and is never remembered away)."""
        _headers, data = self._request("GET", "/rate_limit", remembered=False)
        core = (data.get("resources") or {}).get("core") if isinstance(data, dict) else None
        try:
            return RateLimit(
                int(core["limit"]),
                int(core["remaining"]),
                datetime.fromtimestamp(int(core["reset"]), tz=UTC),
            )
        except (TypeError, KeyError, ValueError, OverflowError, OSError):
            raise ForgeUnexpected(
                _unexpected(self.config.label, "a rate limit without numbers")
            ) from None

    def repo(self, ref: RepoRef) -> RepoInfo:
        page = self._get(f"/repos/{ref.full_name}", fallback=False)
        return _repo_info(page.data, self.config.label)

    def labels(self, ref: RepoRef) -> list[Label]:
        page = self._get_all(f"/repos/{ref.full_name}/labels", {"per_page": 100})
        return [
            Label(
                str(label.get("name") or ""),
                str(label.get("color") or "ededed"),
                label.get("description") if isinstance(label.get("description"), str) else None,
            )
            for label in page.data
            if isinstance(label, dict) and isinstance(label.get("name"), str)
        ]

    # -- cached reads -----------------------------------------------------------------------

    def _request(
        self,
        verb: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        body: Any = None,
        expect: Expect = dict,
        remembered: bool = True,
    ) -> tuple[dict[str, Any], Any]:
        """One API request, checked before it is believed: ``(headers, data)``.

        ``data`` is None for ``304 Not Modified`` (and for an empty answer when ``expect`` is
        None). Anything that is not the JSON the endpoint promises (a web page with status 200,
        a redirect elsewhere, JSON of another shape) raises :class:`ForgeUnexpected`, never an
        empty result. A rate limit is remembered until GitHub's reset (``remembered``), so asking
        again meanwhile costs nothing and never prolongs a secondary limit.
        """
        where = self.config.label
        resource = resource_of(self._relative(url))
        block = self._rates.blocked(resource) if remembered else None
        if block is not None:
            raise ForgeRateLimited(block.message, datetime.fromtimestamp(block.until, tz=UTC))
        pacer = self._search_pacer if resource == "search" else None
        if pacer is not None:
            pacer.acquire()
        search_limit: RateLimit | None = None
        status, response_headers, text = 0, {}, ""
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                status, response_headers, text = self._call(
                    lambda v=verb, u=url, p=params, b=body: self._gh.requester.requestJson(
                        v, u, parameters=p, headers=headers, input=b
                    )
                )
                search_limit = self._note_rate(response_headers) or search_limit
                location = response_headers.get("location")
                if status not in (302, 303, 307, 308) or not location:
                    break
                url, params = (
                    self._same_origin(location, "a redirect"),
                    None,
                )  # Location has a query
                if status == 303:
                    verb, body = "GET", None
            else:
                raise ForgeUnexpected(_unexpected(where, "a redirect that leads in circles"))
        finally:
            if pacer is not None:
                pacer.release(search_limit)
        if status == 304:
            return response_headers, None
        if status >= 400:
            error = self._refusal(status, response_headers, text)
            if isinstance(error, ForgeRateLimited) and error.reset_at is not None:
                self._rates.block(
                    ALL if error.secondary else resource, error.reset_at.timestamp(), str(error)
                )
            raise error
        if 300 <= status < 400:
            raise ForgeUnexpected(_unexpected(where, f"a redirect (status {status})"))
        if not text.strip():
            if expect is None:
                return response_headers, None
            raise ForgeUnexpected(_unexpected(where, "an empty answer"))
        kind = str(response_headers.get("content-type", "")).lower()
        if "json" not in kind:
            what = "a web page" if "html" in kind or text.lstrip()[:1] == "<" else "something"
            raise ForgeUnexpected(_unexpected(where, f"{what} instead of data", page=True))
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise ForgeUnexpected(_unexpected(where, "data that is cut short or damaged")) from None
        if not _has_shape(data, expect):
            raise ForgeUnexpected(_unexpected(where, "data of another shape than promised"))
        return response_headers, data

    def _refusal(self, status: int, headers: dict[str, Any], text: str) -> ForgeError:
        """The ForgeError for an error status, whatever the body is (JSON, HTML, nothing)."""
        try:
            data = json.loads(text) if text.strip() else {}
        except (ValueError, RecursionError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        try:
            with self._translated_errors():
                raise self._gh.requester.createException(status, headers, data)
        except ForgeError as error:
            return error

    def _get(
        self,
        url: str,
        params: dict[str, Any] | None = None,
        *,
        expect: Expect | None = None,
        fallback: bool = True,
    ) -> _Page:
        """GET JSON through the ETag cache; on failure, fall back to the cached copy if any.

        ``expect`` defaults to a search result for ``/search/`` and an object otherwise (lists
        pass ``list``). ``fallback=False`` raises instead of answering from the cache.
        """
        params = dict(params or {})
        if expect is None:
            expect = SEARCH if self._relative(url).startswith("/search/") else dict
        key = ResponseCache.key(self._absolute(url), params, self._identity)
        cached = self._cache.get(key)
        headers = {"If-None-Match": cached.etag} if cached and cached.etag else None
        try:
            response_headers, data = self._request(
                "GET", url, params=params or None, headers=headers, expect=expect
            )
        except ForgeNotFound:
            raise
        except ForgeError as error:
            if cached is None or not fallback:
                raise
            return _Page(cached.data, cached.next_url, cached.fetched_at, str(error), requests=1)
        if data is None and cached is not None:  # 304 Not Modified: free, and still current
            self._cache.touch(key, cached)
            return _Page(cached.data, cached.next_url, cached.fetched_at, None, requests=1)
        if data is None:  # a 304 for something we never asked about: not believed
            raise ForgeUnexpected(_unexpected(self.config.label, "'not modified' for new data"))
        entry = CachedResponse(
            url=self._absolute(url),
            etag=response_headers.get("etag"),
            fetched_at=time.time(),
            data=data,
            next_url=_next_link(response_headers.get("link")),
        )
        if entry.etag:
            self._cache.put(key, entry)
        return _Page(entry.data, entry.next_url, entry.fetched_at, None, requests=1)

    def _get_all(
        self, url: str, params: dict[str, Any], *, limit: int = MAX_SEARCH_RESULTS
    ) -> _Page:
        """Follow ``Link: rel="next"`` up to ``limit`` items, merging the pages."""
        expect: Expect = SEARCH if self._relative(url).startswith("/search/") else list
        first = self._get(url, params, expect=expect)
        pages = [first]
        items = _items(first.data)
        while pages[-1].next_url and len(items) < limit:
            page = self._get(self._same_origin(pages[-1].next_url), expect=expect)
            pages.append(page)
            if not _items(page.data):
                break  # an empty page ends the list: a server linking on forever cannot hang us
            items += _items(page.data)
        return _Page(
            items,
            None,
            min(page.fetched_epoch for page in pages),
            next((page.stale_reason for page in pages if page.stale_reason), None),
            requests=sum(page.requests for page in pages),
            incomplete=any(
                isinstance(page.data, dict) and page.data.get("incomplete_results")
                for page in pages
            ),
            total=_total_count(first.data),
        )

    def _absolute(self, url: str) -> str:
        return url if "://" in url else f"{self.config.api_url}{url}"

    def _relative(self, url: str) -> str:
        """``url``'s path below the API (``/search/issues``), for telling resources apart."""
        if "://" not in url:
            return url
        base = urlsplit(self.config.api_url).path.rstrip("/")
        return urlsplit(url).path.removeprefix(base) or "/"

    def _same_origin(self, url: str, what: str = "a pagination link") -> str:
        """``url`` if it points at the configured API (scheme, host and port), else an error.

        Pagination links and redirects are chosen by the server; following one to another host
        would send it the Authorization header, so the check happens before any request.
        """
        if url.startswith("/") and not url.startswith("//"):
            return url
        if _origin(url) != _origin(self.config.api_url):
            raise ForgeUnexpected(
                f"{self.config.label} sent {what} to another host; stopped. Your token was not "
                "sent there. A network that wants you to sign in first (hotel, train or campus "
                "Wi-Fi) does this: open any web page in your browser to check."
                if what != "a pagination link"
                else f"{self.config.label} sent {what} to another host; stopped. Your token was "
                "not sent there."
            )
        return url

    def _note_rate(self, headers: dict[str, Any]) -> RateLimit | None:
        """Remember the allowance an answer reports; returns it when it is the search one."""
        try:
            remaining = int(headers["x-ratelimit-remaining"])
            limit = int(headers["x-ratelimit-limit"])
            reset = datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), tz=UTC)
        except (KeyError, ValueError, OverflowError, OSError):
            return None
        resource = str(headers.get("x-ratelimit-resource", "core"))
        self.rate_limits[resource] = RateLimit(limit, remaining, reset)
        return self.rate_limits[resource] if resource == "search" else None

    # -- issues -------------------------------------------------------------------------------

    def good_first_issues(
        self,
        repos: Sequence[RepoRef],
        beginner_labels: Sequence[str] = (),
        *,
        claim_evidence: bool = False,
    ) -> IssueSearch:
        """Open, unassigned beginner issues of ``repos``, pull requests excluded, newest first.

        Repositories are packed into as few search queries as GitHub's limits allow, and the
        queries run concurrently. ``beginner_labels`` replaces the common spellings when a pack
        names a project's own. With ``claim_evidence`` (signed in), the issues' claim evidence
        is gathered through GraphQL while the searches run, so the :meth:`timelines_batch`
        that follows costs no further round trip (see :meth:`_prefetch_evidence`); the search
        does not wait for it, so its results can be shown at once.
        """
        own = {label.casefold() for label in beginner_labels}
        labels = beginner_labels or SEARCH_SPELLINGS
        if not beginner_issue_queries(repos, labels):
            return IssueSearch([], Freshness(datetime.now(UTC)))
        if claim_evidence:
            self._prefetch_evidence(repos, labels)
        outcomes = self._issue_searches(repos, labels)
        pages = [page for _repos, page in outcomes if isinstance(page, _Page)]
        failures = [error for _repos, error in outcomes if isinstance(error, ForgeError)]
        reason = str(failures[0]) if failures else None
        if failures and all(error.status == 422 for error in failures):
            reason = (
                f"{self.config.label} cannot search them: they do not exist (renamed or deleted?) "
                "or are private"
            )
        if not pages:  # nothing arrived: the caller shows the error (or its cache)
            if reason and failures[0].status == 422:
                raise ForgeError(reason, status=422)
            raise failures[0]
        missing = tuple(
            repo for batch, outcome in outcomes if isinstance(outcome, ForgeError) for repo in batch
        )
        found: dict[tuple[str, int], Issue] = {}
        for page in pages:
            for item in page.data:
                if not isinstance(item, dict) or is_pull_request(item):
                    continue
                issue = issue_from_json(item)
                names = issue.label_names
                beginner = has_beginner_label(names) or any(n.casefold() in own for n in names)
                if beginner and not issue.assignees and issue.state == "open":
                    found[(issue.repo.full_name, issue.number)] = issue
        issues = sorted(found.values(), key=_newest_first)
        return IssueSearch(
            issues,
            Freshness.oldest([page.freshness for page in pages]),
            requests=sum(page.requests for page in pages) + len(failures),
            incomplete=any(page.incomplete for page in pages) or bool(failures),
            missing=missing,
            missing_reason=reason,
        )

    def _issue_searches(
        self, repos: Sequence[RepoRef], labels: Sequence[str]
    ) -> list[tuple[list[RepoRef], _Page | ForgeError]]:
        """Each batch of repositories with its search's answer, or the error it ended with.

        GitHub refuses a whole search (422) when one ``repo:`` in it does not exist (renamed,
        deleted, private): such a batch is split in halves until the culprit is alone, so one
        bad name costs no other repository its issues, and costs requests only when it happens.
        """
        params = ISSUE_SEARCH_PARAMS
        results: list[tuple[list[RepoRef], _Page | ForgeError]] = []
        known_bad = [repo for repo in repos if self._unsearchable.known(repo.full_name)]
        if known_bad:
            refused = ForgeError("refused earlier today (422)", status=422)
            results.append((known_bad, refused))
            repos = [repo for repo in repos if repo not in known_bad]
        pending = [(query, _repos_in(query)) for query in beginner_issue_queries(repos, labels)]
        splits = MAX_SPLIT_SEARCHES
        while pending:
            jobs = [
                (batch, self._pool.submit(self._get_all, "/search/issues", {**params, "q": q}))
                for q, batch in pending
            ]
            pending = []
            for batch, job in jobs:
                outcome = _outcome(job)
                refused = isinstance(outcome, ForgeError) and outcome.status == 422
                if refused and len(batch) > 1 and splits >= 2:
                    splits -= 2
                    middle = len(batch) // 2
                    for half in (batch[:middle], batch[middle:]):
                        pending += [(q, _repos_in(q)) for q in beginner_issue_queries(half, labels)]
                else:
                    if refused and len(batch) == 1:
                        self._unsearchable.remember(batch[0].full_name)
                    results.append((batch, outcome))
        return results

    def pulls_needing_review(self, repos: Sequence[RepoRef]) -> list[Issue]:
        """Open, non-draft pull requests without any review yet (search, batched)."""
        params = {"sort": "created", "order": "asc", "per_page": 30}
        pages = list(
            self._pool.map(
                lambda q: self._get("/search/issues", {**params, "q": q}), review_queries(repos)
            )
        )
        return [
            issue_from_json(item)
            for page in pages
            for item in _items(page.data)
            if isinstance(item, dict) and is_pull_request(item)
        ]

    # -- the OSPO view: counting searches and a project's history --------------------------

    def search_hits(self, query: str, limit: int = MAX_SEARCH_RESULTS) -> SearchHits:
        per_page = max(1, min(100, limit))
        params = {"q": query, "per_page": per_page, "sort": "created", "order": "asc"}
        page = self._get_all("/search/issues", params, limit=limit)
        hits = tuple(
            SearchHit(
                repo=issue.repo,
                number=issue.number,
                is_pull=is_pull_request(item),
                author=issue.author,
                created_at=issue.created_at,
                merged=_merged(item),
            )
            for item in page.data
            if isinstance(item, dict)
            for issue in (issue_from_json(item),)
        )
        return SearchHits(query, hits, page.total, page.incomplete, page.requests)

    def latest_commit(self, ref: RepoRef) -> datetime | None:
        try:
            page = self._get(f"/repos/{ref.full_name}/commits", {"per_page": 1}, expect=list)
        except ForgeError as error:
            if error.status == 409:  # GitHub: "Git Repository is empty."
                return None
            raise
        items = page.data if isinstance(page.data, list) else []
        first = items[0] if items and isinstance(items[0], dict) else {}
        stamp = (first.get("commit") or {}).get("committer") or {}
        return _stamp(stamp.get("date") if isinstance(stamp, dict) else None)

    def latest_release(self, ref: RepoRef) -> datetime | None:
        try:
            page = self._get(f"/repos/{ref.full_name}/releases/latest")
        except ForgeNotFound:
            return None
        return _stamp(page.data.get("published_at") if isinstance(page.data, dict) else None)

    def issue(self, ref: RepoRef, number: int) -> Issue:
        page = self._get(f"/repos/{ref.full_name}/issues/{number}")
        return issue_from_json(page.data)

    def timeline(self, ref: RepoRef, number: int) -> Timeline:
        page = self._get_all(
            f"/repos/{ref.full_name}/issues/{number}/timeline", {"per_page": 100}, limit=1000
        )
        events = [e for e in page.data if isinstance(e, dict)]
        comments, pulls = timeline_from_json(events)
        return Timeline(comments, pulls, page.freshness, assignments_from_json(events))

    def timelines(
        self, issues: Sequence[tuple[RepoRef, int]]
    ) -> dict[tuple[RepoRef, int], Timeline | ForgeError]:
        """Timelines of several issues, fetched concurrently; a failure is returned, not raised."""

        def fetch(key: tuple[RepoRef, int]) -> Timeline | ForgeError:
            try:
                return self.timeline(*key)
            except ForgeError as error:
                return error

        return dict(zip(issues, self._pool.map(fetch, issues), strict=True))

    def timelines_batch(self, issues: Sequence[Issue]) -> TimelineBatch:
        """Claim evidence of every issue in few requests: GraphQL, 100 issues a query.

        Evidence saved earlier is reused while the issue's ``updated_at`` (from the search
        that found it) has not moved past it: an unchanged refresh sends no query at all. Needs
        a token (GitHub's GraphQL API has no anonymous access); see
        :mod:`onboard.forge.evidence` for what happens when a query fails.
        """
        self._require_token("checking claim status of many issues at once")
        return self._evidence.batch(issues, self.timelines)

    def _prefetch_evidence(self, repos: Sequence[RepoRef], labels: Sequence[str]) -> None:
        """Start asking for the evidence the searches of ``repos`` are about to need.

        Each search's last answer (in the cache) names the issues it will most likely list
        again; a search never answered before is run through GraphQL itself, which brings each
        issue's evidence along. Nothing is asked without a token, nor when all is current.
        """
        if not self.config.token:
            return
        known: list[Issue] = []
        searches: list[str] = []
        usable = [repo for repo in repos if not self._unsearchable.known(repo.full_name)]
        for query in beginner_issue_queries(usable, labels):
            params = {**ISSUE_SEARCH_PARAMS, "q": query}
            key = ResponseCache.key(self._absolute("/search/issues"), params, self._identity)
            cached = self._cache.get(key)
            if cached is None:
                searches.append(query)
                continue
            for item in _items(cached.data):
                if isinstance(item, dict) and not is_pull_request(item):
                    with contextlib.suppress(KeyError, ValueError, TypeError):
                        known.append(issue_from_json(item))
        plans = self._evidence.prefetch_plans(known, searches)
        self._evidence.started(
            [self._graphql_pool.submit(self._evidence.prefetch, p) for p in plans]
        )

    def _ask_evidence(self, plan: Plan) -> tuple[Answer, float]:
        """One claim-evidence query through the checked transport of :meth:`_request`.

        ``(answer, when it arrived)``; raises ForgeError when the query failed as a whole,
        including GitHub's status-200 rate-limit answers, which are remembered like REST's.
        """
        url = graphql_url(self.config.api_url)
        body = {"query": plan.query, "variables": plan.variables}
        headers, data = self._request("POST", url, body=body)
        fetched = time.time()
        kind = rate_limit_kind(data)
        if kind is not None:
            raise self._graphql_limited(kind, headers)
        return read_answer(data, plan, self.config.label), fetched

    def _graphql_blocked(self) -> ForgeRateLimited | None:
        """The GraphQL rate limit remembered from an earlier answer, while it lasts."""
        block = self._rates.blocked("graphql")
        if block is None:
            return None
        return ForgeRateLimited(block.message, datetime.fromtimestamp(block.until, tz=UTC))

    def _graphql_limited(self, kind: str, headers: dict[str, Any]) -> ForgeRateLimited:
        """The error for a GraphQL rate limit, remembered until it resets."""
        where = self.config.label
        if kind == "secondary":
            others = {k: v for k, v in headers.items() if k.lower() != "x-ratelimit-remaining"}
            error = _rate_limited(where, others, signed_in=True)
            assert isinstance(error, ForgeRateLimited) and error.reset_at is not None
            self._rates.block(ALL, error.reset_at.timestamp(), str(error))
            return error
        try:
            reset = datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), tz=UTC)
        except (KeyError, ValueError, OverflowError, OSError):
            reset = datetime.now(UTC) + timedelta(seconds=SECONDARY_WAIT_SECONDS)
        error = ForgeRateLimited(
            f"{where} says onboard used up its GraphQL allowance (what checks who is working "
            f"on issues) for now. It resets at {reset.astimezone():%H:%M}; until then claim "
            "status comes from what onboard saved, or is checked for fewer issues.",
            reset,
        )
        self._rates.block("graphql", reset.timestamp(), str(error))
        return error

    # -- readiness and project search ---------------------------------------------------------

    def readiness(self, ref: RepoRef, beginner_labels: Sequence[str] = ()) -> Readiness:
        """Readiness signals of ``ref`` (see :mod:`onboard.core.discovery.readiness`) from few
        requests.

        At most 12 requests, all through the ETag cache and concurrent: the repository, its
        community profile, one issue search (beginner issues opened in the last 180 days, the 8
        newest), one page of the 100 most recently updated closed pull requests, then the first
        page of comments of those of the 8 issues that have any. Only the search counts against
        the search allowance; an unchanged project is answered with 304s. Counted in the
        practice forge's request log (tests/adapter/test_readiness.py): 8 requests for
        practice/hello-docs (4 of them comment pages), 12 for a project with 8 or more
        commented beginner issues, and all 304s when nothing changed.

        Raises ForgeError only when the repository itself cannot be read; any other part that
        fails makes its signal "unknown" (or comes from the cache, with ``stale_reason``).
        """
        now = datetime.now(UTC)
        full = ref.full_name
        labels = list(beginner_labels or SEARCH_SPELLINGS)
        search = {
            "q": beginner_history_query(ref, labels, now),
            "sort": "created",
            "order": "desc",
            "per_page": RESPONSE_SAMPLE_SIZE,
        }
        closed = {"state": "closed", "sort": "updated", "direction": "desc", "per_page": 100}
        jobs = [
            self._pool.submit(self._get, f"/repos/{full}"),
            self._pool.submit(self._get, f"/repos/{full}/community/profile"),
            self._pool.submit(self._get, "/search/issues", search),
            self._pool.submit(self._get, f"/repos/{full}/pulls", closed, expect=list),
        ]
        repo, profile, found, pulls = (_outcome(job) for job in jobs)
        if isinstance(repo, ForgeError):
            raise repo
        items = (
            [
                i
                for i in _items(found.data)
                if isinstance(i, dict)
                and isinstance(i.get("number"), int)
                and not is_pull_request(i)
            ]
            if isinstance(found, _Page)
            else []
        )[:RESPONSE_SAMPLE_SIZE]
        with_comments = [item for item in items if item.get("comments")]
        comment_jobs = [
            self._pool.submit(
                self._get,
                f"/repos/{full}/issues/{int(item['number'])}/comments",
                {"per_page": 100},
                expect=list,
            )
            for item in with_comments
        ]
        comment_pages = [_outcome(job) for job in comment_jobs]
        comments = {
            id(item): page.data if isinstance(page, _Page) and isinstance(page.data, list) else None
            for item, page in zip(with_comments, comment_pages, strict=True)
        }
        pull_items = (
            [p for p in pulls.data if isinstance(p, dict)]
            if isinstance(pulls, _Page) and isinstance(pulls.data, list)
            else []
        )
        has_contributing, has_conduct = (
            community_files(profile.data) if isinstance(profile, _Page) else (None, None)
        )
        closed_pulls = [closed_pull_from_json(p) for p in pull_items]
        repo_data = repo.data if isinstance(repo.data, dict) else {}
        result = assess(
            ref,
            now=now,
            issues=[beginner_issue_from_json(i, comments.get(id(i))) for i in items],
            pulls=closed_pulls,
            pushed_at=parse_time(repo_data.get("pushed_at")),
            updates=[parse_time(i.get("updated_at")) for i in items]
            + [p.updated_at for p in closed_pulls],
            has_contributing=has_contributing,
            has_code_of_conduct=has_conduct,
            issues_read=isinstance(found, _Page),
            pulls_read=isinstance(pulls, _Page),
        )
        pages = [p for p in (repo, profile, found, pulls, *comment_pages) if isinstance(p, _Page)]
        freshness = Freshness.oldest([page.freshness for page in pages])
        return dataclasses.replace(
            result,
            fetched_at=freshness.fetched_at,
            stale_reason=freshness.stale_reason,
            requests=len(jobs) + len(comment_pages),
        )

    def readiness_many(
        self, refs: Sequence[RepoRef], beginner_labels: Sequence[str] = ()
    ) -> dict[RepoRef, Readiness | ForgeError]:
        """Readiness of several repositories at once; a failure is returned, not raised.

        The repositories are assessed side by side, but every request still goes through the
        forge's pool, so no more than four are ever in flight, however many repositories.
        """
        unique = list(dict.fromkeys(refs))

        def one(ref: RepoRef) -> Readiness | ForgeError:
            try:
                return self.readiness(ref, beginner_labels)
            except ForgeError as error:
                return error

        if not unique:
            return {}
        # The coordinating threads only wait for the pool's requests, so they never starve it.
        with ThreadPoolExecutor(
            max_workers=min(len(unique), MAX_PARALLEL_REQUESTS), thread_name_prefix="readiness"
        ) as coordinators:
            return dict(zip(unique, coordinators.map(one, unique), strict=True))

    def search_repositories(
        self,
        topic: str | None = None,
        language: str | None = None,
        text: str = "",
        limit: int = 30,
        *,
        sort: str = "updated",
    ) -> list[RepoSearchHit]:
        """Public, active repositories with good first issues, by topic, language and words.

        One ``/search/repositories`` request per 100 results, then the open, unassigned
        beginner issues of all of them counted with as few issue searches as GitHub's query
        length allows (30 typical repositories: 4 searches, run concurrently), never one
        request per repository. ``sort`` is ``updated`` or ``stars``.
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {sort!r}")
        try:
            query = repository_query(topic, language, text)
        except RepoSearchError as error:
            raise ForgeError(str(error)) from None
        limit = max(1, min(limit, MAX_SEARCH_RESULTS))
        params = {"q": query, "sort": sort, "order": "desc", "per_page": min(limit, 100)}
        page = self._get_all("/search/repositories", params, limit=limit)
        hits: dict[RepoRef, RepoSearchHit] = {}
        for item in page.data:
            hit = repo_hit_from_json(item) if isinstance(item, dict) else None
            if hit is not None and hit.repo not in hits and len(hits) < limit:
                hits[hit.repo] = hit
        return self._with_beginner_counts(list(hits.values()))

    def _with_beginner_counts(self, hits: list[RepoSearchHit]) -> list[RepoSearchHit]:
        queries = beginner_issue_queries([hit.repo for hit in hits])
        params = {"sort": "updated", "order": "desc", "per_page": 100}

        def count(query: str) -> _Page | ForgeError:
            try:
                return self._get_all(
                    "/search/issues", {**params, "q": query}, limit=COUNT_ISSUES_PER_QUERY
                )
            except ForgeError as error:
                return error

        counts: dict[str, int] = {}
        known: dict[str, bool] = {}  # repository (lowercase) -> is its count exact?
        for query, page in zip(queries, self._pool.map(count, queries), strict=True):
            if isinstance(page, ForgeError):
                continue
            exact = page.total is None or page.total <= len(page.data)
            for term in query.split():
                if term.startswith("repo:"):
                    known[term.removeprefix("repo:").lower()] = exact
            for item in page.data:
                if isinstance(item, dict) and not is_pull_request(item):
                    name = issue_from_json(item).repo.full_name.lower()
                    counts[name] = counts.get(name, 0) + 1
        return [
            dataclasses.replace(
                hit,
                good_first_issues=counts.get(key, 0) if key in known else None,
                good_first_issues_exact=known.get(key, False),
            )
            for hit in hits
            for key in (hit.repo.full_name.lower(),)
        ]

    # -- writes ---------------------------------------------------------------------------------

    def comment(self, ref: RepoRef, number: int, body: str) -> str:
        """Post ``body`` on the issue; returns the comment's web address."""
        self._require_token("commenting")
        _headers, data = self._request(
            "POST", f"/repos/{ref.full_name}/issues/{number}/comments", body={"body": body}
        )
        return _web_url(data, self.config.label)

    def review(self, ref: RepoRef, number: int, body: str) -> str:
        """Post ``body`` as a review (a comment, neither approval nor change request) on pull
        request ``number``; returns the review's web address."""
        self._require_token("reviewing")
        _headers, data = self._request(
            "POST",
            f"/repos/{ref.full_name}/pulls/{number}/reviews",
            body={"body": body, "event": "COMMENT"},
        )
        return _web_url(data, self.config.label)

    def create_pull(
        self, ref: RepoRef, *, head: str, base: str, title: str, body: str, draft: bool = True
    ) -> CreatedPull:
        self._require_token("opening a pull request")
        _headers, data = self._request(
            "POST",
            f"/repos/{ref.full_name}/pulls",
            body={"title": title, "head": head, "base": base, "body": body, "draft": draft},
        )
        number = data.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            raise ForgeUnexpected(_unexpected(self.config.label, "a pull request without a number"))
        return CreatedPull(number, _web_url(data, self.config.label))

    # -- one pull request's life ---------------------------------------------------------------

    def pull_facts(self, ref: RepoRef, number: int) -> PullFacts:
        """The pull request with (in parallel) its reviews, review comments and issue comments,
        then its head commit's combined status and check runs: six requests in two round trips,
        each through the ETag cache, so an unchanged pull request costs six free 304s on GitHub.

        The JSON is read with :mod:`.pull_parse` rather than through PyGithub's objects
        (``get_reviews``, ``get_combined_status``...): those bypass the cache, the shape checks
        and the stale-copy fallback every other read here has, and would cost the same requests.
        """
        base = f"/repos/{ref.full_name}"
        lists = {
            "reviews": f"{base}/pulls/{number}/reviews",
            "review_comments": f"{base}/pulls/{number}/comments",
            "comments": f"{base}/issues/{number}/comments",
        }
        # The lists need nothing from the pull, so they travel beside it; the head's checks
        # follow once its sha is known: two round trips in all.
        jobs: dict[str, Future[_Page]] = {
            name: self._pool.submit(self._get_all, url, {"per_page": 100})
            for name, url in lists.items()
        }
        try:
            pull = self._get(f"{base}/pulls/{number}")
        except ForgeError:
            for job in jobs.values():
                job.cancel()
            raise
        data = pull.data
        sha = pull_parse.head_sha(data)
        if sha:
            jobs["status"] = self._pool.submit(self._get, f"{base}/commits/{sha}/status")
            jobs["checks"] = self._pool.submit(
                self._get, f"{base}/commits/{sha}/check-runs", {"per_page": 100}
            )
        pages = {name: job.result() for name, job in jobs.items()}  # a ForgeError is raised
        empty = _Page({}, None, 0.0, None)
        user = data.get("user")
        return PullFacts(
            state=str(data.get("state") or "open"),
            merged=bool(data.get("merged")) or bool(data.get("merged_at")),
            draft=bool(data.get("draft")),
            head_sha=sha,
            title=str(data.get("title") or ""),
            url=str(data.get("html_url") or ""),
            author=user.get("login") if isinstance(user, dict) else None,
            created_at=parse_time(data.get("created_at")),
            updated_at=parse_time(data.get("updated_at")),
            node_id=str(data.get("node_id") or ""),
            reviews=pull_parse.reviews_from_json(pages["reviews"].data),
            review_comments=pull_parse.review_comments_from_json(pages["review_comments"].data),
            comments=tuple(
                comment_from_json(c) for c in pages["comments"].data if isinstance(c, dict)
            ),
            statuses=pull_parse.statuses_from_json(pages.get("status", empty).data),
            check_runs=pull_parse.check_runs_from_json(pages.get("checks", empty).data),
            requests=pull.requests + sum(page.requests for page in pages.values()),
        )

    def mark_ready_for_review(self, ref: RepoRef, number: int) -> None:
        """GraphQL's ``markPullRequestReadyForReview`` with the pull's ``node_id`` (REST cannot
        do this); GitHub's own words when it refuses (not the author, no such node, closed)."""
        self._require_token("marking a pull request ready for review")
        pull = self._get(f"/repos/{ref.full_name}/pulls/{number}", fallback=False)
        node = pull.data.get("node_id")
        if not isinstance(node, str) or not node:
            raise ForgeUnexpected(_unexpected(self.config.label, "a pull request without an id"))
        body = {"query": READY_FOR_REVIEW, "variables": {"input": {"pullRequestId": node}}}
        headers, data = self._request("POST", graphql_url(self.config.api_url), body=body)
        kind = rate_limit_kind(data)
        if kind is not None:
            raise self._graphql_limited(kind, headers)
        errors = data.get("errors")
        if isinstance(errors, list) and errors:
            first = errors[0] if isinstance(errors[0], dict) else {}
            message = clean_message(str(first.get("message") or "an unknown error"))
            raise ForgeError(f"{self.config.label} refused to mark it ready for review: {message}")
        answer = (data.get("data") or {}).get("markPullRequestReadyForReview")
        if not isinstance(answer, dict):
            raise ForgeUnexpected(_unexpected(self.config.label, "an answer without the pull"))

    def _require_token(self, action: str) -> None:
        if not self.config.token:
            raise ForgeAuthError(
                f"{action.capitalize()} needs you to sign in to {self.config.label}: set "
                "GH_TOKEN, or sign in with `onboard auth login`."
            )

    def fork(self, ref: RepoRef) -> RepoInfo:
        """Fork ``ref`` into the signed-in account; the fork's API object, at once.

        GitHub answers ``POST /forks`` with 202 and the complete fork object (the existing fork,
        when the account already has one, so a repeated request creates nothing). The object is
        all the API will ever say about readiness: ``GET`` of it works at once, while the git
        repository behind it can take minutes to appear. Waiting for that is git's question,
        not the API's (:mod:`onboard.workspace.remote_ready`).
        """
        self._require_token("forking")
        _headers, data = self._request("POST", f"/repos/{ref.full_name}/forks", body={})
        return _repo_info(data, self.config.label)

    def contributing(self, ref: RepoRef) -> str | None:
        for path in CONTRIBUTING_PATHS:
            try:
                page = self._get(f"/repos/{ref.full_name}/contents/{path}", fallback=False)
            except ForgeNotFound:
                continue
            data = page.data
            if data.get("type") != "file" or not isinstance(data.get("content"), str):
                continue  # a directory of that name, or a file GitHub would not inline
            try:
                raw = base64.b64decode(data["content"], validate=False)
            except (ValueError, binascii.Error):
                continue
            return raw.decode("utf-8", errors="replace")
        return None


@dataclass(frozen=True)
class _Page:
    data: Any
    next_url: str | None
    fetched_epoch: float
    stale_reason: str | None
    requests: int = 0
    incomplete: bool = False
    #: A search's ``total_count`` (from its first page), when the answer had one.
    total: int | None = None

    @property
    def freshness(self) -> Freshness:
        return Freshness(datetime.fromtimestamp(self.fetched_epoch, tz=UTC), self.stale_reason)


def _merged(item: dict[str, Any]) -> bool:
    """A search item's ``pull_request.merged_at`` (GitHub adds it to pull requests' items)."""
    pull = item.get("pull_request")
    return isinstance(pull, dict) and bool(pull.get("merged_at"))


def _stamp(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _items(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return list(data.get("items") or [])
    return list(data) if isinstance(data, list) else []


def _total_count(data: Any) -> int | None:
    total = data.get("total_count") if isinstance(data, dict) else None
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def _outcome(job: Future[_Page]) -> _Page | ForgeError:
    """A request's page, or the ForgeError it ended with (other exceptions propagate)."""
    try:
        return job.result()
    except ForgeError as error:
        return error


def _repos_in(query: str) -> list[RepoRef]:
    """The ``repo:`` qualifiers of a search query, as references."""
    found = []
    for term in query.split():
        if term.startswith("repo:"):
            with contextlib.suppress(ValueError):
                found.append(RepoRef.parse(term.removeprefix("repo:")))
    return found


def _next_link(header: str | None) -> str | None:
    if not header:
        return None
    for link in requests.utils.parse_header_links(header):
        if link.get("rel") == "next":
            return link.get("url")
    return None


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of ``url``, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:  # a port that is not a number
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def _scopes(header: Any) -> tuple[str, ...] | None:
    """``"repo, read:org"`` → ``("repo", "read:org")``; no header → ``None``."""
    if not isinstance(header, str):
        return None
    return tuple(scope.strip() for scope in header.split(",") if scope.strip())


def _newest_first(issue: Issue) -> tuple[float, str, int]:
    stamp = issue.updated_at.timestamp() if issue.updated_at else 0.0
    return (-stamp, issue.repo.full_name, issue.number)


def _from_status(where: str, error: GithubException) -> ForgeError:
    status = error.status
    message = error.data.get("message") if isinstance(error.data, dict) else None
    if status == 401:
        return ForgeAuthError(
            f"{where} needs you to sign in for this: `onboard auth login` (or set GH_TOKEN)."
        )
    if status in (403, 429) and (
        _reset_time(error.headers) is not None or _retry_after(error.headers) is not None
    ):
        return _rate_limited(where, error.headers, signed_in=True)
    if status == 403 and isinstance(message, str) and "secondary rate limit" in message.lower():
        return _rate_limited(where, error.headers, signed_in=True)
    if status == 429:
        return _rate_limited(where, error.headers, signed_in=True)
    if status is not None and status >= 500:
        return ForgeError(
            f"{where} is having trouble right now (error {status}). Try again in a moment."
        )
    detail = f": {clean_message(message)}" if isinstance(message, str) and message else ""
    reasons = _validation_reasons(error.data)
    if reasons:  # "Validation Failed" alone does not say what to change; GitHub's errors do
        detail += f" ({clean_message('; '.join(reasons))})"
    return ForgeError(f"{where} refused the request (error {status}){detail}", status=status)


def _validation_reasons(data: object) -> list[str]:
    """The ``message`` of each entry of a 422's ``errors`` (GitHub's validation-error shape:
    ``{"resource": "PullRequest", "code": "custom", "message": "A pull request already
    exists for kim:fix."}``), at most three."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, list):
        return []
    found = [e.get("message") for e in errors if isinstance(e, dict)]
    return [m for m in found if isinstance(m, str) and m.strip()][:3]


def clean_message(message: str) -> str:
    """A server's error message, kept short: it is shown to a newcomer as is."""
    return message if len(message) <= 300 else message[:299] + "…"


#: GitHub's documented advice when a secondary limit gives no Retry-After: wait a minute.
SECONDARY_WAIT_SECONDS = 60


def _rate_limited(where: str, headers: dict[str, Any] | None, *, signed_in: bool) -> ForgeError:
    """A rate limit, primary (until ``X-RateLimit-Reset``) or secondary (``Retry-After``)."""
    reset = _reset_time(headers)
    if reset is not None:
        hint = "" if signed_in else " Signing in (`onboard auth login`) gives a much larger one."
        return ForgeRateLimited(
            f"{where} says we made too many requests for now. It resets at "
            f"{reset.astimezone():%H:%M}; until then onboard shows what it already has instead "
            f"of asking again.{hint}",
            reset,
        )
    retry_after = _retry_after(headers)
    wait = retry_after if retry_after is not None else SECONDARY_WAIT_SECONDS
    return ForgeRateLimited(
        f"{where} asks us to slow down (too many requests in a short time). Wait {wait} "
        "seconds: onboard asks again after that, not before.",
        datetime.now(UTC) + timedelta(seconds=wait),
        secondary=True,
    )


def _bad_token(where: str, source: str | None) -> str:
    """A rejected token, and what to do about it where it came from."""
    said = f"{where} did not accept the token from {source or 'your settings'}"
    if source in ENV_TOKEN_NAMES:
        fix = (
            f"create a new token and set {source} to it, or `unset {source}` to browse "
            "without signing in"
        )
    elif source == "gh auth token":
        fix = "run `gh auth login` to refresh it, or sign in with `onboard auth login`"
    elif source and "practice" in source:
        fix = "restart onboard practice to get a fresh practice token"
    else:
        fix = (
            "store a new one with `onboard auth login`, or forget it with `onboard auth logout` "
            "to browse without signing in"
        )
    return f"{said}: it may be expired, revoked or mistyped. To fix it, {fix}."


def _unexpected(where: str, what: str, *, page: bool = False) -> str:
    """ "GitHub answered something unexpected": what it was, and what that usually means."""
    why = (
        " This is usually a maintenance page, or a network that wants you to sign in first "
        "(hotel, train or campus Wi-Fi): open any web page in your browser to check."
        if page
        else ""
    )
    return (
        f"{where} answered something unexpected ({what}), so onboard did not use it.{why} "
        "Try again in a moment."
    )


def _has_shape(data: Any, expect: Expect) -> bool:
    if expect is None:
        return True
    if expect == SEARCH:
        return isinstance(data, dict) and isinstance(data.get("items"), list)
    return isinstance(data, expect)  # type: ignore[arg-type]


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _web_url(data: dict[str, Any], where: str) -> str:
    url = data.get("html_url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise ForgeUnexpected(_unexpected(where, "an answer without its web address"))
    return url


def _timed_out(error: Exception) -> bool:
    """A read timeout, possibly wrapped by urllib3's retry into a ConnectionError."""
    return isinstance(error, requests.Timeout) or "timed out" in str(error).lower()


def _retry_after(headers: dict[str, Any] | None) -> int | None:
    lowered = {str(key).lower(): value for key, value in (headers or {}).items()}
    try:
        return max(int(lowered["retry-after"]), 0)
    except (KeyError, ValueError):
        return None


def _reset_time(headers: dict[str, Any] | None) -> datetime | None:
    if not headers:
        return None
    lowered = {str(key).lower(): value for key, value in headers.items()}
    if str(lowered.get("x-ratelimit-remaining", "")) != "0":
        return None
    try:
        return datetime.fromtimestamp(int(lowered["x-ratelimit-reset"]), tz=UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return None


def _repo_info(data: dict[str, Any], where: str) -> RepoInfo:
    """A repository object from GitHub's JSON; anything without a usable name is unexpected."""
    try:
        repo = RepoRef.parse(str(data["full_name"]))
        clone_url = data["clone_url"]
        if not isinstance(clone_url, str) or not clone_url:
            raise ValueError("no clone_url")
    except (KeyError, ValueError, TypeError):
        raise ForgeUnexpected(_unexpected(where, "a repository without a name")) from None
    parent: RepoRef | None = None
    raw_parent = data.get("parent")
    if data.get("fork") and isinstance(raw_parent, dict):
        with contextlib.suppress(KeyError, ValueError, TypeError):
            parent = RepoRef.parse(str(raw_parent["full_name"]))
    description = data.get("description")
    return RepoInfo(
        repo=repo,
        description=description if isinstance(description, str) else None,
        default_branch=str(data.get("default_branch") or "main"),
        clone_url=clone_url,
        html_url=str(data.get("html_url") or ""),
        is_fork=bool(data.get("fork")),
        parent=parent,
        archived=bool(data.get("archived")),
        has_issues=bool(data.get("has_issues", True)),
    )
