"""Claim evidence kept between refreshes: an issue is asked about once per change, not per refresh.

GraphQL answers cannot be revalidated with ETags (every query is a POST, and costs points), so
an unchanged refresh would pay again for evidence it already has. Instead each issue's evidence
is saved (in memory, and in the response cache folder so the next run knows it too) together
with the issue's ``updatedAt`` as the evidence reported it. A refresh's search results (which
*are* revalidated, with 304s) say when each issue last changed: an issue whose ``updated_at`` has
not moved past its evidence keeps that evidence, with its real age (``Freshness.fetched_at``);
only issues that changed are asked again. New comments and (un)assignments move an issue's
``updated_at``; a linked pull request being closed elsewhere may not, so evidence older than
:data:`MAX_AGE` is asked again anyway.

:class:`ClaimEvidence` also *prefetches*: while a search runs, it asks for the evidence the
search is about to need (issues its last answer listed, or, when there is no last answer, the
same search through GraphQL), so claim status costs no extra round trip after the search.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onboard.core.models import Issue
from onboard.forge.base import (
    ForgeAuthError,
    ForgeError,
    ForgeNotFound,
    ForgeRateLimited,
    ForgeUnexpected,
    ForgeUnreachable,
    Freshness,
    Timeline,
    TimelineBatch,
)
from onboard.forge.cache import CachedResponse, ResponseCache
from onboard.forge.claim_evidence import (
    ISSUES_PER_QUERY,
    Answer,
    Key,
    Plan,
    build_plan,
    evidence_updated_at,
    timeline_from_node,
)

#: Evidence older than this is asked again even if the issue did not change: a pull request
#: that references it can be closed or merged without the issue's ``updated_at`` moving.
MAX_AGE = 3600.0
#: Searches answered per prefetch query (each brings up to 100 issues with their evidence).
SEARCHES_PER_QUERY = 2
#: When GraphQL fails as a whole, this many issues are still checked through REST timelines.
REST_FALLBACK_CHECKS = 40
#: Shape version of saved evidence; another version is simply asked again.
VERSION = 1

Ask = Callable[[Plan], tuple[Answer, float]]


@dataclass(frozen=True)
class Saved:
    """One issue's evidence as it arrived, with when it arrived."""

    node: dict[str, Any]
    fetched_at: float  # epoch seconds

    @property
    def updated_at(self) -> datetime | None:
        return evidence_updated_at(self.node)

    def current_for(self, updated_at: datetime | None, now: float) -> bool:
        """Still the issue's evidence when the issue last changed at ``updated_at``?"""
        mine = self.updated_at
        if mine is None or updated_at is None or now - self.fetched_at >= MAX_AGE:
            return False
        return mine >= updated_at

    def timeline(self, stale_reason: str | None = None) -> Timeline:
        moment = datetime.fromtimestamp(self.fetched_at, tz=UTC)
        return timeline_from_node(self.node, Freshness(moment, stale_reason))


class EvidenceStore:
    """Saved evidence per issue: a memory in front of the response cache folder.

    Evidence arrives a hundred issues at a time, and a hundred small files take longer to write
    than the query took to answer, so files are written by one background thread, off the
    refresh's path (see :func:`flush`). Until written, an entry is visible to every store of
    the same cache folder in this process, so nothing is asked twice meanwhile.
    """

    def __init__(self, cache: ResponseCache, url: str, identity: str) -> None:
        self._cache = cache
        self._url = url
        self._identity = identity
        self._memory: dict[str, Saved] = {}
        self._lock = threading.Lock()

    def _key(self, key: Key) -> str:
        name = f"{key[0].full_name.lower()}#{key[1]}"
        return ResponseCache.key(self._url, {"claim-evidence": name}, self._identity)

    def get(self, key: Key) -> Saved | None:
        cache_key = self._key(key)
        with self._lock:
            found = self._memory.get(cache_key)
        if found is not None:
            return found
        with _PENDING_LOCK:
            entry = _PENDING.get((self._cache.root, cache_key))
        entry = entry or self._cache.get(cache_key)
        if entry is None or not isinstance(entry.data, dict):
            return None
        node = entry.data.get("node")
        if entry.data.get("version") != VERSION or not isinstance(node, dict):
            return None
        saved = Saved(node, entry.fetched_at)
        with self._lock:
            self._memory[cache_key] = saved
        return saved

    def put_many(self, nodes: dict[Key, dict[str, Any]], fetched_at: float) -> dict[Key, Saved]:
        """Remember ``nodes`` (evidence that arrived at ``fetched_at``) and save them."""
        saved = {key: Saved(node, fetched_at) for key, node in nodes.items()}
        keys = {key: self._key(key) for key in saved}
        entries = [
            (
                keys[key],
                CachedResponse(
                    url=self._url,
                    etag=None,
                    fetched_at=fetched_at,
                    data={"version": VERSION, "node": one.node},
                ),
            )
            for key, one in saved.items()
        ]
        with self._lock:
            self._memory.update({keys[key]: one for key, one in saved.items()})
        if entries:
            with _PENDING_LOCK:
                _PENDING.update({(self._cache.root, k): e for k, e in entries})
            _writer().submit(_write, self._cache, entries)
        return saved


#: Entries handed to the writer but not yet on disk, by (cache folder, key).
_PENDING: dict[tuple[Path, str], CachedResponse] = {}
_PENDING_LOCK = threading.Lock()
_WRITER: list[ThreadPoolExecutor] = []


def _writer() -> ThreadPoolExecutor:
    """The one background writer; its thread is not a daemon, so writes finish before exit."""
    with _PENDING_LOCK:
        if not _WRITER:
            _WRITER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence"))
        return _WRITER[0]


def _write(cache: ResponseCache, entries: list[tuple[str, CachedResponse]]) -> None:
    for key, entry in entries:
        cache.put(key, entry, durable=False)  # a lost entry is only asked again
        with _PENDING_LOCK:
            if _PENDING.get((cache.root, key)) is entry:
                del _PENDING[(cache.root, key)]


def flush() -> None:
    """Wait until every piece of evidence handed to the writer so far is on disk."""
    _writer().submit(lambda: None).result()


class ClaimEvidence:
    """Asks GitHub's GraphQL API for claim evidence, 100 issues a query, and remembers it."""

    def __init__(
        self,
        store: EvidenceStore,
        ask: Ask,
        pool: Callable[[], Executor],
        blocked: Callable[[], ForgeError | None] = lambda: None,
    ) -> None:
        self._store = store
        self._ask = ask
        self._pool = pool
        #: The rate limit GraphQL is known to be under, if any: then no query is attempted.
        self._blocked = blocked
        #: Requests and points prefetches spent since the last batch, which reports them: the
        #: evidence a refresh uses costs what it cost, whichever of the two asked for it.
        self._prefetched = (0, 0)
        #: Prefetch queries still in flight: a batch waits for them before deciding what to ask.
        self._pending: list[Future[None]] = []
        self._lock = threading.Lock()

    def batch(
        self,
        issues: Sequence[Issue],
        rest: Callable[[list[Key]], dict[Key, Timeline | ForgeError]],
    ) -> TimelineBatch:
        """Evidence for every issue: saved when still current, else asked (100 a query).

        A query that fails as a whole leaves each of its issues with its last saved evidence
        (marked stale, with the reason), or with a REST timeline for up to
        :data:`REST_FALLBACK_CHECKS` of them when GraphQL alone is the problem (its allowance
        spent, an error on GitHub's side), or with the error.
        """
        with self._lock:
            pending, self._pending = self._pending, []
        for job in pending:
            job.result()  # a prefetch reports no ForgeError; anything else is a bug to show
        now = time.time()
        unique = list({(i.repo, i.number): i for i in issues}.values())
        timelines: dict[Key, Timeline | ForgeError] = {}
        ask: list[Key] = []
        reused = 0
        for issue in unique:
            key = (issue.repo, issue.number)
            saved = self._store.get(key)
            if saved is not None and saved.current_for(issue.updated_at, now):
                timelines[key] = saved.timeline()
                reused += 1
            else:
                ask.append(key)
        chunks = [ask[i : i + ISSUES_PER_QUERY] for i in range(0, len(ask), ISSUES_PER_QUERY)]
        block = self._blocked() if chunks else None
        outcomes: list[tuple[Answer, float] | ForgeError]
        if block is not None:
            outcomes = [block] * len(chunks)
        else:
            outcomes = self._run([build_plan(chunk) for chunk in chunks])
        cost: int | None = None
        failed: list[tuple[Key, ForgeError]] = []
        for chunk, outcome in zip(chunks, outcomes, strict=True):
            if isinstance(outcome, ForgeError):
                failed += [(key, outcome) for key in chunk]
                continue
            answer, fetched = outcome
            if answer.cost is not None:
                cost = (cost or 0) + answer.cost
            arrived = self._store.put_many(answer.nodes, fetched)
            for key in chunk:
                saved = arrived.get(key)
                if saved is not None:
                    timelines[key] = saved.timeline()
                else:
                    timelines[key] = answer.errors.get(key) or ForgeNotFound(
                        f"No evidence came back for {key[0].full_name}#{key[1]}."
                    )
        fallback: list[Key] = []
        for key, error in failed:
            saved = self._store.get(key)
            if saved is not None:
                timelines[key] = saved.timeline(stale_reason=str(error))
            elif _rest_may_help(error) and len(fallback) < REST_FALLBACK_CHECKS:
                fallback.append(key)
            else:
                timelines[key] = error
        if fallback:
            timelines.update(rest(fallback))
        with self._lock:
            (early_requests, early_cost), self._prefetched = self._prefetched, (0, 0)
        if early_requests:
            cost = (cost or 0) + early_cost
        return TimelineBatch(
            {key: timelines[key] for key in ((i.repo, i.number) for i in unique)},
            requests=(0 if block else len(chunks)) + len(fallback) + early_requests,
            cost=cost,
            reused=reused,
        )

    def prefetch_plans(self, known: Sequence[Issue], searches: Sequence[str]) -> list[Plan]:
        """The queries that save the evidence a search is about to need (none: all current).

        ``known`` are the issues the search's last answer listed: those without current
        evidence are asked by number. ``searches`` have no last answer: GraphQL runs them
        itself (same text, up to 100 issues each) and brings each found issue's evidence.
        Each plan is then sent with :meth:`prefetch`, side by side.
        """
        if self._blocked() is not None:
            return []
        now = time.time()
        wanted = [
            (issue.repo, issue.number)
            for issue in {(i.repo, i.number): i for i in known}.values()
            if not self._is_current(issue, now)
        ]
        plans = [
            build_plan(wanted[i : i + ISSUES_PER_QUERY])
            for i in range(0, len(wanted), ISSUES_PER_QUERY)
        ]
        plans += [
            build_plan((), searches[i : i + SEARCHES_PER_QUERY])
            for i in range(0, len(searches), SEARCHES_PER_QUERY)
        ]
        return plans

    def started(self, jobs: Sequence[Future[None]]) -> None:
        """Prefetches now in flight (see :meth:`prefetch`), for the next batch to wait for."""
        with self._lock:
            self._pending += jobs

    def prefetch(self, plan: Plan) -> None:
        """Send one prefetch query and save what it brings; the next batch reports its cost.

        A failure costs nothing but the attempt: the evidence is then asked after the search,
        where a failure is reported.
        """
        try:
            answer, fetched = self._ask(plan)
        except ForgeError:
            points = 0
        else:
            points = answer.cost or 0
            self._store.put_many(answer.nodes, fetched)
        with self._lock:
            self._prefetched = (self._prefetched[0] + 1, self._prefetched[1] + points)

    def _is_current(self, issue: Issue, now: float) -> bool:
        saved = self._store.get((issue.repo, issue.number))
        return saved is not None and saved.current_for(issue.updated_at, now)

    def _run(self, plans: list[Plan]) -> list[tuple[Answer, float] | ForgeError]:
        """Each plan's answer (or error), concurrently when there are several."""

        def one(plan: Plan) -> tuple[Answer, float] | ForgeError:
            try:
                return self._ask(plan)
            except ForgeError as error:
                return error

        if len(plans) <= 1:
            return [one(plan) for plan in plans]
        return list(self._pool().map(one, plans))


def _rest_may_help(error: ForgeError) -> bool:
    """Whether REST timelines could still answer when GraphQL failed with ``error``.

    Not when nothing answers (offline: REST would wait just as long, forty times), the token is
    refused, every resource is slowed down (a secondary limit), or a web page stands in for the
    API: REST would meet the same wall.
    """
    if isinstance(error, ForgeRateLimited):
        return not error.secondary
    return not isinstance(error, ForgeUnreachable | ForgeAuthError | ForgeUnexpected)
