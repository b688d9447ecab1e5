"""The OSPO's two standing questions, asked of the forge: which upstreams need help now, and
what did our people give back.

Both run many searches, so they run in a few threads (each :class:`GitHubForge` thread has its
own client), and every answer goes through the forge's ETag cache like ``find``: asking again
the same day costs ``304``s. The counting itself is pure (:mod:`onboard.core.ospo`); this module
only asks, splits searches the 1,000-result cap cut short, and hands plain records over.

A renamed upstream is asked for under the name given, the forge follows GitHub's ``301`` to
its new name, and it is counted once, under the new one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from onboard.core.discovery.queries import beginner_issue_queries, pack_repos
from onboard.core.models import RepoRef
from onboard.core.ospo.counting import Record, count
from onboard.core.ospo.queries import PlannedSearch, capped, plan, split
from onboard.core.ospo.report import ContributionsReport, Evidence
from onboard.core.ospo.signals import UpstreamFacts, UpstreamNeed, by_need, signals
from onboard.core.ospo.team import Team
from onboard.flows.dependencies import explore_dependencies
from onboard.forge.base import (
    Forge,
    ForgeError,
    ForgeNotFound,
    ForgeRateLimited,
    SearchHit,
    SearchHits,
)
from onboard.forge.registries import Registries, RegistryConfig

WORKERS = 4
#: A split search may be split again; this bounds the extra searches one capped answer costs.
MAX_SPLITS = 64
MERGE_WINDOW = timedelta(days=90)
#: GitHub's search allowance when signed in; the forge's pacer waits for the next window.
SEARCHES_PER_MINUTE = 30

#: What each metric's hits were: (kind, role) of the record they make.
_ROLES: dict[str, tuple[str, str]] = {
    "issues_opened": ("issue", "author"),
    "issues_commented": ("issue", "commenter"),
    "prs_opened": ("pr", "author"),
    "prs_merged": ("pr", "author"),
    "reviews": ("pr", "reviewer"),
}


_REPO_LINE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+")


def read_upstreams(path: Path) -> tuple[list[RepoRef], list[str]]:
    """The GitHub repositories behind ``path`` and what could not be traced (one line each).

    A file whose every non-comment line is ``OWNER/REPO`` is that list; anything else is a
    project folder, manifest or SBOM, traced as ``onboard deps`` does (registries included).
    """
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: cannot be read ({error.__class__.__name__})") from None
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        if lines and all(_REPO_LINE.fullmatch(line) for line in lines):
            return [RepoRef.parse(line) for line in lines], []
    registries = Registries(RegistryConfig.from_env(offline=False))
    try:
        exploration = explore_dependencies(path, None, registries=registries)
    finally:
        registries.close()
    repos = [p.repo for p in exploration.resolved if p.repo is not None]
    untraced = [f"{', '.join(p.names)}: {p.reason}" for p in exploration.projects if p.repo is None]
    return repos, untraced


@dataclass
class Upstreams:
    """The upstreams as the forge knows them: current names, renames, the ones not found."""

    repos: list[RepoRef] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def resolve_upstreams(forge: Forge, repos: Sequence[RepoRef]) -> Upstreams:
    """Each upstream under its current name (once), following renames; unknown ones named."""
    unique = list(dict.fromkeys(repos))

    def one(ref: RepoRef) -> RepoRef | ForgeError:
        try:
            return forge.repo(ref).repo
        except ForgeRateLimited:
            raise
        except ForgeError as error:
            return error

    found = Upstreams()
    seen: set[str] = set()
    with ThreadPoolExecutor(WORKERS) as pool:
        for ref, answer in zip(unique, pool.map(one, unique), strict=True):
            if isinstance(answer, ForgeError):
                reason = "not found" if isinstance(answer, ForgeNotFound) else str(answer)
                found.missing[ref.full_name] = reason
                continue
            if answer.full_name.casefold() != ref.full_name.casefold():
                found.renamed[ref.full_name] = answer.full_name
            if answer.full_name.casefold() not in seen:
                seen.add(answer.full_name.casefold())
                found.repos.append(answer)
    return found


@dataclass
class Cost:
    """What a view cost: requests sent (including 304s) and searches asked."""

    requests: int = 0
    searches: int = 0


def count_contributions(
    forge: Forge,
    team: Team,
    repos: Sequence[RepoRef],
    since: date,
    until: date,
    *,
    progress: Callable[[str], None] | None = None,
    cost: Cost | None = None,
) -> ContributionsReport:
    """Search, per person and kind of contribution, over every upstream; count once each."""
    say = progress or (lambda _message: None)
    spent = cost if cost is not None else Cost()
    say(f"Checking {len(repos)} upstream projects…")
    upstreams = resolve_upstreams(forge, repos)
    spent.requests += len(set(repos))
    pending = plan(team.logins, upstreams.repos, since, until)
    minutes = -(-len(pending) // SEARCHES_PER_MINUTE)
    pace = (
        f" (GitHub answers {SEARCHES_PER_MINUTE} a minute: about {minutes} min)"
        if minutes > 1
        else ""
    )
    say(f"Asking {len(pending)} searches for {len(team.people)} people{pace}…")
    records: list[Record] = []
    evidence: dict[tuple[str, str], Evidence] = {}
    splits = MAX_SPLITS

    def ask(search: PlannedSearch) -> SearchHits | ForgeError:
        try:
            return forge.search_hits(search.query)
        except ForgeError as error:
            return error

    with ThreadPoolExecutor(WORKERS) as pool:
        while pending:
            answers = list(pool.map(ask, pending))
            retry: list[PlannedSearch] = []
            for search, answer in zip(pending, answers, strict=True):
                spent.searches += 1
                key = (search.login, search.metric.key)
                proof = evidence.setdefault(key, Evidence())
                if isinstance(answer, ForgeError):
                    proof.failed.append(f"{search.metric.label} of {search.login}: {answer}")
                    continue
                spent.requests += answer.requests
                if capped(answer.total_count, answer.incomplete):
                    halves = split(search) if splits > 0 else None
                    if halves is not None:
                        splits -= 1
                        retry.extend(halves)
                        continue
                    proof.lower_bound = True
                proof.urls.append(search.url)
                kind, role = _ROLES[search.metric.key]
                records += [
                    Record(
                        search.login,
                        hit.repo.full_name,
                        hit.number,
                        "pr" if hit.is_pull else "issue",
                        role,  # type: ignore[arg-type]
                        merged=hit.merged or search.metric.key == "prs_merged",
                    )
                    for hit in answer.hits
                    if ("pr" if hit.is_pull else "issue") == kind
                ]
            pending = retry
    for proof in evidence.values():
        proof.urls = list(dict.fromkeys(proof.urls))
    table = count(_current_names(records, upstreams), team.logins)
    return ContributionsReport(
        team=team,
        since=since,
        until=until,
        upstreams=tuple(repo.full_name for repo in upstreams.repos),
        table=table,
        evidence=evidence,
        renamed=upstreams.renamed,
    )


def _current_names(records: list[Record], upstreams: Upstreams) -> list[Record]:
    """Records under the upstream's current spelling (a search item may carry an old one)."""
    names = {repo.full_name.casefold(): repo.full_name for repo in upstreams.repos}
    names.update({old.casefold(): new for old, new in upstreams.renamed.items()})
    return [
        Record(r.login, names.get(r.repo.casefold(), r.repo), r.number, r.kind, r.role, r.merged)
        for r in records
    ]


# ---------------------------------------------------------------------------- upstream needs


def upstream_needs(
    forge: Forge,
    repos: Sequence[RepoRef],
    *,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    cost: Cost | None = None,
) -> tuple[list[UpstreamNeed], Upstreams]:
    """The signals of need of every upstream, most in need first."""
    say = progress or (lambda _message: None)
    spent = cost if cost is not None else Cost()
    moment = now or datetime.now(UTC)
    upstreams = resolve_upstreams(forge, repos)
    spent.requests += len(set(repos))
    say(f"Measuring {len(upstreams.repos)} upstream projects…")
    waiting, waiting_why = _batched_hits(
        forge, "is:pr is:open draft:false review:none", upstreams, spent
    )
    since = (moment - MERGE_WINDOW).date().isoformat()
    merged, merged_why = _batched_hits(forge, f"is:pr is:merged merged:>={since}", upstreams, spent)

    def facts(ref: RepoRef) -> UpstreamFacts:
        problems: list[str] = []
        key = ref.full_name.casefold()

        def total(what: str, query: str) -> int | None:
            try:
                answer = forge.search_hits(query, limit=1)
            except ForgeError as error:
                problems.append(f"{what} not counted: {error}")
                return None
            spent.requests += answer.requests
            spent.searches += 1
            return answer.total_count

        scope = f"repo:{ref.full_name}"
        open_issues = total("open issues", f"is:issue is:open {scope}")
        unanswered = total("issues without a reply", f"is:issue is:open comments:0 {scope}")
        beginner_counts = [total("beginner issues", q) for q in beginner_issue_queries([ref])]
        beginner = None if None in beginner_counts else sum(c or 0 for c in beginner_counts)
        try:
            last_commit = forge.latest_commit(ref)
            release = forge.latest_release(ref)
            release_known = True
            spent.requests += 2
        except ForgeError as error:
            problems.append(str(error))
            last_commit, release, release_known = None, None, False
        wait = waiting.get(key)
        authors = merged.get(key)
        if wait is None:
            problems.append(f"pull requests awaiting review not counted: {waiting_why}")
        if authors is None:
            problems.append(f"merged pull requests not counted: {merged_why}")
        return UpstreamFacts(
            repo=ref.full_name,
            awaiting_review=None
            if wait is None
            else tuple(h.created_at for h in wait if h.created_at),
            unanswered_issues=unanswered,
            open_issues=open_issues,
            mergers_90d=None if authors is None else len({h.author for h in authors if h.author}),
            last_release=release,
            release_known=release_known,
            last_commit=last_commit,
            beginner_issues=beginner,
            problems=tuple(dict.fromkeys(problems)),
        )

    with ThreadPoolExecutor(WORKERS) as pool:
        measured = list(pool.map(facts, upstreams.repos))
    return by_need([signals(f, moment) for f in measured]), upstreams


def _batched_hits(
    forge: Forge, base: str, upstreams: Upstreams, spent: Cost
) -> tuple[dict[str, list[SearchHit]], str]:
    """``base`` over every upstream, packed; each repository's hits, or no entry (unknown)
    when its search failed or was capped (the hits would be short), and why not."""
    found: dict[str, list[SearchHit]] = {}
    why = ""
    for query in pack_repos(base, upstreams.repos):
        try:
            answer = forge.search_hits(query)
        except ForgeError as error:
            why = str(error)
            continue
        spent.requests += answer.requests
        spent.searches += 1
        if capped(answer.total_count, answer.incomplete):
            why = "GitHub found more than the 1,000 results a search returns"
            continue
        batch = [t.removeprefix("repo:").casefold() for t in query.split() if t.startswith("repo:")]
        for name in batch:
            found[name] = []
        for hit in answer.hits:
            found.setdefault(hit.repo.full_name.casefold(), []).append(hit)
    return found, why
