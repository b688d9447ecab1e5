"""The PyGithub adapter: one :class:`Forge` for GitHub and for the practice forge alike.

Lessons baked in (measured, see shared/README.md): PyGithub's default retry sleeps until the rate
limit resets (up to an hour) and retries 500s eleven times, so we pass a small capped retry; it
waits 0.25 s between requests unless told not to; one ``Github`` object shared by threads mixes up
responses, so each worker thread gets its own; and ``import github`` attaches a stderr handler
that would draw over the TUI, which we remove.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
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
from onboard.forge.base import (
    CreatedPull,
    ForgeAuthError,
    ForgeConfig,
    ForgeError,
    ForgeNotFound,
    ForgeRateLimited,
    ForgeUnreachable,
    Freshness,
    IssueSearch,
    RateLimit,
    RepoSearchHit,
    Timeline,
    TokenInfo,
)
from onboard.forge.cache import CachedResponse, ResponseCache
from onboard.forge.parse import (
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

logging.getLogger("github").handlers.clear()
logging.getLogger("github").addHandler(logging.NullHandler())
logging.getLogger("github").propagate = False

FORK_READY_TIMEOUT_SECONDS = 120.0
#: Beginner issues read per issue search when counting them for repository search results:
#: enough to tell "3" from "many" without paging through a huge project's backlog.
COUNT_ISSUES_PER_QUERY = 300
MAX_PARALLEL_REQUESTS = 4
MAX_SEARCH_RESULTS = 1000  # GitHub never returns more for one search
CONTRIBUTING_PATHS = ("CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md")

T = TypeVar("T")


def _capped_retry() -> Retry:
    """Retry brief network hiccups on reads a couple of times, never sleep for a rate limit."""
    return Retry(
        total=2,
        connect=2,
        read=1,
        status=2,
        backoff_factor=0.3,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=False,
        raise_on_status=False,
    )


class GitHubForge:
    """Blocking forge client; call from worker threads (each gets its own PyGithub client)."""

    def __init__(
        self,
        config: ForgeConfig,
        *,
        cache: ResponseCache | None = None,
        fork_timeout: float = FORK_READY_TIMEOUT_SECONDS,
    ) -> None:
        self.config = config
        #: Seconds :meth:`fork` waits for GitHub to finish creating a fork.
        self.fork_timeout = fork_timeout
        self._local = threading.local()
        self._cache = cache or ResponseCache(paths.cache_dir() / "http")
        self._identity = (
            hashlib.sha256(config.token.encode()).hexdigest()[:16] if config.token else "anonymous"
        )
        #: The latest rate-limit headers seen, per resource ("core", "search").
        self.rate_limits: dict[str, RateLimit] = {}

    @functools.cached_property
    def _pool(self) -> ThreadPoolExecutor:
        """Long-lived threads, so each keeps its own PyGithub client and open connection."""
        return ThreadPoolExecutor(max_workers=MAX_PARALLEL_REQUESTS, thread_name_prefix="forge")

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
            source = self.config.token_source or "your settings"
            raise ForgeAuthError(
                f"{where} did not accept the token from {source}: it may be expired or mistyped. "
                "Create a new one, or unset it to browse without signing in."
            ) from error
        except github.RateLimitExceededException as error:
            reset = _reset_time(error.headers)
            when = f" It resets at {reset.astimezone():%H:%M}." if reset else ""
            hint = (
                "" if self.config.token else " Signing in (GH_TOKEN) gives a much larger allowance."
            )
            raise ForgeRateLimited(
                f"{where} says we made too many requests for now.{when}{hint}", reset
            ) from error
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
        except AssertionError as error:  # PyGithub asserts a followed URL stays on the API host
            raise ForgeError(
                f"{where} sent a link to another address; onboard did not follow it, so your "
                "token stays with the configured API."
            ) from error
        except ValueError as error:  # malformed JSON from a proxy or captive portal
            raise ForgeError(f"{where} sent an answer onboard could not understand.") from error

    # -- the Forge contract ---------------------------------------------------------------

    def whoami(self) -> str | None:
        if not self.config.token:
            return None
        return self._call(lambda: self._gh.get_user().login)

    def token_info(self) -> TokenInfo:
        """The token's login and classic scopes, from one uncached ``GET /user``.

        GitHub lists a classic token's scopes in the ``X-OAuth-Scopes`` header of any
        authenticated answer; fine-grained tokens get no such header (``scopes`` is ``None``).
        Not cached: a stale answer would hide a token that was just revoked or re-scoped.
        """
        if not self.config.token:
            return TokenInfo(None, None)
        headers, data = self._call(lambda: self._gh.requester.requestJsonAndCheck("GET", "/user"))
        self._note_rate(headers)
        login = data.get("login") if isinstance(data, dict) else None
        return TokenInfo(
            login if isinstance(login, str) else None, _scopes(headers.get("x-oauth-scopes"))
        )

    def rate_limit(self) -> RateLimit:
        def fetch() -> RateLimit:
            core = self._gh.get_rate_limit().resources.core
            return RateLimit(core.limit, core.remaining, core.reset)

        return self._call(fetch)

    def repo(self, ref: RepoRef) -> RepoInfo:
        return self._call(lambda: _repo_info(self._gh.get_repo(ref.full_name)))

    def labels(self, ref: RepoRef) -> list[Label]:
        def fetch() -> list[Label]:
            return [
                Label(label.name, label.color or "ededed", label.description)
                for label in self._gh.get_repo(ref.full_name).get_labels()
            ]

        return self._call(fetch)

    # -- cached reads -----------------------------------------------------------------------

    def _get(self, url: str, params: dict[str, Any] | None = None) -> _Page:
        """GET JSON through the ETag cache; on failure, fall back to the cached copy if any."""
        params = dict(params or {})
        key = ResponseCache.key(self._absolute(url), params, self._identity)
        cached = self._cache.get(key)
        headers = {"If-None-Match": cached.etag} if cached and cached.etag else None
        try:
            response_headers, data = self._call(
                lambda: self._gh.requester.requestJsonAndCheck(
                    "GET", url, parameters=params or None, headers=headers
                )
            )
        except ForgeNotFound:
            raise
        except ForgeError as error:
            if cached is None:
                raise
            return _Page(cached.data, cached.next_url, cached.fetched_at, str(error), requests=1)
        self._note_rate(response_headers)
        if data is None and cached is not None:  # 304 Not Modified: free, and still current
            self._cache.touch(key, cached)
            return _Page(cached.data, cached.next_url, cached.fetched_at, None, requests=1)
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
        first = self._get(url, params)
        pages = [first]
        items = _items(first.data)
        while pages[-1].next_url and len(items) < limit:
            page = self._get(self._same_origin(pages[-1].next_url))
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

    def _same_origin(self, url: str) -> str:
        """``url`` if it points at the configured API (scheme, host and port), else ForgeError.

        A pagination link is chosen by the server; following one to another host would send it
        the Authorization header, so the check happens before any request is made.
        """
        if url.startswith("/") and not url.startswith("//"):
            return url
        if _origin(url) != _origin(self.config.api_url):
            raise ForgeError(
                f"{self.config.label} sent a pagination link to another host; stopped. "
                "Your token was not sent there."
            )
        return url

    def _note_rate(self, headers: dict[str, Any]) -> None:
        try:
            remaining = int(headers["x-ratelimit-remaining"])
            limit = int(headers["x-ratelimit-limit"])
            reset = datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), tz=UTC)
        except (KeyError, ValueError, OverflowError, OSError):
            return
        resource = str(headers.get("x-ratelimit-resource", "core"))
        self.rate_limits[resource] = RateLimit(limit, remaining, reset)

    # -- issues -------------------------------------------------------------------------------

    def good_first_issues(
        self, repos: Sequence[RepoRef], beginner_labels: Sequence[str] = ()
    ) -> IssueSearch:
        """Open, unassigned beginner issues of ``repos``, pull requests excluded, newest first.

        Repositories are packed into as few search queries as GitHub's limits allow, and the
        queries run concurrently. ``beginner_labels`` replaces the common spellings when a pack
        names a project's own.
        """
        own = {label.casefold() for label in beginner_labels}
        queries = beginner_issue_queries(repos, beginner_labels or SEARCH_SPELLINGS)
        if not queries:
            return IssueSearch([], Freshness(datetime.now(UTC)))
        params = {"sort": "updated", "order": "desc", "per_page": 100}
        pages = list(
            self._pool.map(lambda q: self._get_all("/search/issues", {**params, "q": q}), queries)
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
            requests=sum(page.requests for page in pages),
            incomplete=any(page.incomplete for page in pages),
        )

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

    def issue(self, ref: RepoRef, number: int) -> Issue:
        page = self._get(f"/repos/{ref.full_name}/issues/{number}")
        return issue_from_json(page.data)

    def timeline(self, ref: RepoRef, number: int) -> Timeline:
        page = self._get_all(
            f"/repos/{ref.full_name}/issues/{number}/timeline", {"per_page": 100}, limit=1000
        )
        comments, pulls = timeline_from_json([e for e in page.data if isinstance(e, dict)])
        return Timeline(comments, pulls, page.freshness)

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
            self._pool.submit(self._get, f"/repos/{full}/pulls", closed),
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
                self._get, f"/repos/{full}/issues/{int(item['number'])}/comments", {"per_page": 100}
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

        def post() -> str:
            issue = self._gh.get_repo(ref.full_name).get_issue(number)
            return issue.create_comment(body).html_url

        return self._call(post)

    def review(self, ref: RepoRef, number: int, body: str) -> str:
        """Post ``body`` as a review (a comment, neither approval nor change request) on pull
        request ``number``; returns the review's web address."""
        self._require_token("reviewing")

        def post() -> str:
            pull = self._gh.get_repo(ref.full_name).get_pull(number)
            return pull.create_review(body=body, event="COMMENT").html_url

        return self._call(post)

    def create_pull(
        self, ref: RepoRef, *, head: str, base: str, title: str, body: str, draft: bool = True
    ) -> CreatedPull:
        self._require_token("opening a pull request")

        def post() -> CreatedPull:
            pull = self._gh.get_repo(ref.full_name).create_pull(
                base=base, head=head, title=title, body=body, draft=draft
            )
            return CreatedPull(pull.number, pull.html_url)

        return self._call(post)

    def _require_token(self, action: str) -> None:
        if not self.config.token:
            raise ForgeAuthError(
                f"{action.capitalize()} needs you to sign in to {self.config.label}: set "
                "GH_TOKEN, or sign in with `onboard auth login`."
            )

    def fork(self, ref: RepoRef, on_wait: Callable[[float], None] | None = None) -> RepoInfo:
        """Fork ``ref`` into the signed-in account and wait until the fork answers.

        GitHub creates forks asynchronously: the POST returns at once, the copy appears later.
        ``on_wait`` hears how many seconds have passed each time the fork is not there yet, so
        the screen can say why nothing seems to happen.
        """
        self._require_token("forking")
        created = self._call(lambda: self._gh.get_repo(ref.full_name).create_fork())
        started = time.monotonic()
        deadline = started + self.fork_timeout
        delay = 0.5
        while True:
            try:
                return self._call(lambda: _repo_info(self._gh.get_repo(created.full_name)))
            except ForgeNotFound:
                if on_wait is not None:
                    on_wait(time.monotonic() - started)
                if time.monotonic() > deadline:
                    waited = max(1, round(self.fork_timeout))
                    raise ForgeError(
                        f"{self.config.label} is still creating your fork {created.full_name}: "
                        f"it was not ready after {waited} second{'s' if waited != 1 else ''}. "
                        "Try again in a minute."
                    ) from None
                time.sleep(min(delay, max(0.0, deadline - time.monotonic()) + 0.05))
                delay = min(delay * 2, 5.0)

    def contributing(self, ref: RepoRef) -> str | None:
        repo = self._gh.get_repo(ref.full_name)
        for path in CONTRIBUTING_PATHS:
            try:
                content = self._call(lambda p=path: repo.get_contents(p))
            except ForgeNotFound:
                continue
            if isinstance(content, list):  # a directory of that name
                continue
            return content.decoded_content.decode("utf-8", errors="replace")
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
        return ForgeAuthError(f"{where} needs you to sign in for this (set GH_TOKEN).")
    reset = _reset_time(error.headers)
    if status in (403, 429) and reset is not None:
        return ForgeRateLimited(f"{where} says we made too many requests for now.", reset)
    retry_after = _retry_after(error.headers)
    if status == 429 or retry_after is not None:
        wait = f" Wait {retry_after} seconds, then try again." if retry_after else ""
        return ForgeRateLimited(
            f"{where} asks us to slow down (too many requests in a short time).{wait}",
            datetime.now(UTC) + timedelta(seconds=retry_after) if retry_after else None,
        )
    if status is not None and status >= 500:
        return ForgeError(
            f"{where} is having trouble right now (error {status}). Try again in a moment."
        )
    detail = f": {message}" if message else ""
    return ForgeError(f"{where} refused the request (error {status}){detail}")


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


def _repo_info(repo: Any) -> RepoInfo:
    parent = repo.parent if repo.fork else None
    return RepoInfo(
        repo=RepoRef.parse(repo.full_name),
        description=repo.description,
        default_branch=repo.default_branch or "main",
        clone_url=repo.clone_url,
        html_url=repo.html_url,
        is_fork=bool(repo.fork),
        parent=RepoRef.parse(parent.full_name) if parent is not None else None,
        archived=bool(repo.archived),
        has_issues=bool(repo.has_issues),
    )
