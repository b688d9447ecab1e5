"""The PyGithub adapter: one :class:`Forge` for GitHub and for the practice forge alike.

Lessons baked in (measured, see shared/README.md): PyGithub's default retry sleeps until the rate
limit resets (up to an hour) and retries 500s eleven times, so we pass a small capped retry; it
waits 0.25 s between requests unless told not to; one ``Github`` object shared by threads mixes up
responses, so each worker thread gets its own; and ``import github`` attaches a stderr handler
that would draw over the TUI, which we remove.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import github
import requests
from github import Auth, Github, GithubException
from urllib3.util.retry import Retry

from onboard.core.labels import has_beginner_label
from onboard.core.models import Comment, Issue, Label, RepoInfo, RepoRef
from onboard.core.queries import beginner_issue_queries
from onboard.forge.base import (
    ForgeAuthError,
    ForgeConfig,
    ForgeError,
    ForgeNotFound,
    ForgeRateLimited,
    ForgeUnreachable,
    RateLimit,
)

logging.getLogger("github").handlers.clear()
logging.getLogger("github").addHandler(logging.NullHandler())
logging.getLogger("github").propagate = False

REQUEST_TIMEOUT_SECONDS = 15
FORK_READY_TIMEOUT_SECONDS = 120.0
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

    def __init__(self, config: ForgeConfig) -> None:
        self.config = config
        self._local = threading.local()

    # -- plumbing -------------------------------------------------------------------------

    @property
    def _gh(self) -> Github:
        client = getattr(self._local, "client", None)
        if client is None:
            client = Github(
                base_url=self.config.api_url,
                auth=Auth.Token(self.config.token) if self.config.token else None,
                timeout=REQUEST_TIMEOUT_SECONDS,
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
        except (requests.ConnectionError, requests.Timeout) as error:
            raise ForgeUnreachable(
                f"Cannot reach {where} at {self.config.api_url}. Check your internet connection."
            ) from error
        except requests.RequestException as error:
            raise ForgeUnreachable(f"Talking to {where} failed: {type(error).__name__}.") from error
        except ValueError as error:  # malformed JSON from a proxy or captive portal
            raise ForgeError(f"{where} sent an answer onboard could not understand.") from error

    # -- the Forge contract ---------------------------------------------------------------

    def whoami(self) -> str | None:
        if not self.config.token:
            return None
        return self._call(lambda: self._gh.get_user().login)

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

    def good_first_issues(
        self, repos: Sequence[RepoRef], beginner_labels: Sequence[str] = ()
    ) -> list[Issue]:
        """Open, unassigned beginner issues of ``repos``, pull requests excluded, newest first.

        ``beginner_labels`` replaces the common spellings when a pack names a project's own.
        """
        found: dict[tuple[str, int], Issue] = {}
        own = {label.casefold() for label in beginner_labels}
        queries = (
            beginner_issue_queries(repos, beginner_labels)
            if beginner_labels
            else beginner_issue_queries(repos)
        )
        for query in queries:
            for item in self._call(lambda q=query: list(self._gh.search_issues(q, sort="updated"))):
                # Not `item.pull_request`: issues lack that key, and reading a missing attribute
                # makes PyGithub fetch the whole issue again (one extra request per result).
                if "/pull/" in (item.html_url or "") or item.assignees:
                    continue
                issue = _issue(item)
                names = issue.label_names
                if has_beginner_label(names) or any(n.casefold() in own for n in names):
                    found[(issue.repo.full_name, issue.number)] = issue
        return sorted(
            found.values(),
            key=lambda i: i.updated_at or datetime.min.replace(tzinfo=UTC),
            reverse=True,
        )

    def issue(self, ref: RepoRef, number: int) -> Issue:
        return self._call(lambda: _issue(self._gh.get_repo(ref.full_name).get_issue(number)))

    def comments(self, ref: RepoRef, number: int) -> list[Comment]:
        def fetch() -> list[Comment]:
            issue = self._gh.get_repo(ref.full_name).get_issue(number)
            return [
                Comment(
                    author=c.user.login if c.user else None,
                    body=c.body or "",
                    created_at=c.created_at,
                    association=c.raw_data.get("author_association", "NONE"),
                )
                for c in issue.get_comments()
            ]

        return self._call(fetch)

    def fork(self, ref: RepoRef) -> RepoInfo:
        """Fork ``ref`` into the signed-in account and wait until the fork answers.

        GitHub creates forks asynchronously: the POST returns at once, the copy appears later.
        """
        if not self.config.token:
            raise ForgeAuthError(
                f"Forking needs you to sign in to {self.config.label}: set GH_TOKEN, "
                "or log in with `gh auth login`."
            )
        created = self._call(lambda: self._gh.get_repo(ref.full_name).create_fork())
        deadline = time.monotonic() + FORK_READY_TIMEOUT_SECONDS
        delay = 0.5
        while True:
            try:
                return self._call(lambda: _repo_info(self._gh.get_repo(created.full_name)))
            except ForgeNotFound:
                if time.monotonic() > deadline:
                    raise ForgeError(
                        f"{self.config.label} is still creating your fork {created.full_name}. "
                        "Try again in a minute."
                    ) from None
                time.sleep(delay)
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


def _from_status(where: str, error: GithubException) -> ForgeError:
    status = error.status
    message = error.data.get("message") if isinstance(error.data, dict) else None
    if status == 401:
        return ForgeAuthError(f"{where} needs you to sign in for this (set GH_TOKEN).")
    if status in (403, 429) and _reset_time(error.headers) is not None:
        return ForgeRateLimited(
            f"{where} says we made too many requests for now.", _reset_time(error.headers)
        )
    if status is not None and status >= 500:
        return ForgeError(
            f"{where} is having trouble right now (error {status}). Try again in a moment."
        )
    detail = f": {message}" if message else ""
    return ForgeError(f"{where} refused the request (error {status}){detail}")


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


def _issue(item: Any) -> Issue:
    repo_full_name = item.repository_url.rstrip("/").split("/repos/", 1)[-1]
    return Issue(
        repo=RepoRef.parse(repo_full_name),
        number=item.number,
        title=item.title or "",
        url=item.html_url,
        body=item.body,
        labels=tuple(Label(lb.name, lb.color or "ededed", lb.description) for lb in item.labels),
        assignees=tuple(a.login for a in item.assignees),
        comments=item.comments or 0,
        author=item.user.login if item.user else None,
        created_at=item.created_at,
        updated_at=item.updated_at,
        locked=bool(item.locked),
        state=item.state or "open",
    )
