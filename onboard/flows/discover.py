"""Finding first contributions: live search, lanes, claim status, ranking — in one call.

The search itself is a handful of batched requests. Claim status needs each issue's timeline:
signed in, GraphQL brings the evidence of every listed issue in a request per 100 issues (or
none, when nothing changed since the last refresh); without a token only REST timelines exist,
one request each, so the first few issues are checked and the others honestly say "unknown",
with a note saying how many were checked, rather than pretending to be free.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from onboard.core.discovery.claims import assess_claim
from onboard.core.discovery.labels import lane_of
from onboard.core.discovery.ranking import rank
from onboard.core.models import Claim, Contribution, Issue, Preferences, Project, RepoRef
from onboard.forge.base import (
    Forge,
    ForgeConfig,
    ForgeError,
    Freshness,
    Timeline,
    TimelineBatch,
)

#: Without GraphQL (no token, or an explicit ``check_limit``), claim status is checked for this
#: many issues per refresh, one REST timeline request each: GitHub allows 60 anonymous requests
#: an hour. Signed in, every listed issue is checked.
CLAIM_CHECKS_SIGNED_IN = 40
CLAIM_CHECKS_ANONYMOUS = 10


@dataclass(frozen=True)
class Discovery:
    contributions: list[Contribution]
    freshness: Freshness
    search_requests: int
    claim_requests: int
    incomplete: bool = False
    #: Repositories whose search failed while the others arrived, and why.
    missing: tuple[RepoRef, ...] = ()
    missing_reason: str | None = None
    #: Issues whose claim evidence arrived, of those listed (0 of 0 before any was asked).
    claims_checked: int = 0
    claims_listed: int = 0
    #: Why the others were not checked, in a newcomer's words.
    claims_reason: str | None = None
    #: GraphQL points the claim evidence cost (None: no GraphQL query was sent).
    claim_cost: int | None = None

    def claim_note(self) -> str | None:
        """ "Checked who is working on 10 of 35 issues (…)", or None when every one was."""
        if self.claims_checked >= self.claims_listed:
            return None
        return (
            f"Checked who is working on {self.claims_checked} of {self.claims_listed} issues "
            f"(the others say unknown): {self.claims_reason or 'the check failed'}"
        )

    def missing_note(self) -> str | None:
        """ "3 of 40 projects could not be searched (GitHub says …)", or None."""
        if not self.missing:
            return None
        shown = ", ".join(repo.full_name for repo in self.missing[:3])
        more = f" and {len(self.missing) - 3} more" if len(self.missing) > 3 else ""
        count = len(self.missing)
        return (
            f"{count} project{'s' if count != 1 else ''} could not be searched ({shown}{more}): "
            f"{self.missing_reason or 'the search failed'}"
        )


Target = tuple[RepoRef, Project | None]


def discover(
    forge: Forge,
    targets: Sequence[Target],
    *,
    preferences: Preferences | None = None,
    now: datetime | None = None,
    check_limit: int | None = None,
    progress: Callable[[str], None] | None = None,
    preliminary: Callable[[Discovery], None] | None = None,
    me: str | None = None,
) -> Discovery:
    """Search ``targets`` and return ranked contributions with claim status and reasons.

    ``me`` is the learner's login (their fork's owner): issues they claimed or opened a pull
    request for come back as YOURS, also after a restart.
    ``preliminary`` receives the search results as soon as they arrive (claim status still
    unknown), so a screen can show them while the slower claim checks run.
    """
    now = now or datetime.now(UTC)
    projects = {repo: project for repo, project in targets}
    say = progress or (lambda _message: None)

    groups: dict[tuple[str, ...], list[RepoRef]] = {}
    for repo, project in targets:
        groups.setdefault(project.beginner_labels if project else (), []).append(repo)
    say(f"Searching {len(projects)} repositories…")
    batched = bool(forge.config.token) and check_limit is None  # GraphQL: every issue
    searches = [
        forge.good_first_issues(repos, labels, claim_evidence=batched)
        for labels, repos in groups.items()
    ]
    issues = [issue for search in searches for issue in search.issues]

    limit = len(issues) if batched else check_limit
    if limit is None:
        limit = CLAIM_CHECKS_ANONYMOUS
    to_check = issues[:limit]
    languages = {repo: project.languages for repo, project in projects.items() if project}

    def ranked(batch: TimelineBatch | None) -> Discovery:
        timelines = batch.timelines if batch is not None else {}
        candidates = []
        for issue in issues:
            timeline = timelines.get((issue.repo, issue.number))
            comments = timeline.comments if isinstance(timeline, Timeline) else None
            lane = lane_of(issue.label_names, projects.get(issue.repo))
            candidates.append((issue, lane, _claim(issue, timeline, now, me), comments))
        contributions = rank(
            candidates,
            now=now,
            preferences=preferences or Preferences(),
            project_languages=languages,
        )
        parts = [search.freshness for search in searches]
        parts += [t.freshness for t in timelines.values() if isinstance(t, Timeline)]
        return Discovery(
            contributions,
            Freshness.oldest(parts) if parts else Freshness(now),
            search_requests=sum(search.requests for search in searches),
            claim_requests=batch.requests if batch is not None else 0,
            incomplete=any(search.incomplete for search in searches),
            missing=tuple(repo for search in searches for repo in search.missing),
            missing_reason=next((s.missing_reason for s in searches if s.missing_reason), None),
            claims_checked=sum(isinstance(t, Timeline) for t in timelines.values()),
            claims_listed=len(issues) if batch is not None else 0,
            claims_reason=_unchecked_reason(timelines, forge.config),
            claim_cost=batch.cost if batch is not None else None,
        )

    if preliminary is not None:
        preliminary(ranked(None))
    say(f"Checking who is working on {len(to_check)} issues…")
    return ranked(_evidence(forge, to_check, batched=batched))


def _evidence(forge: Forge, issues: list[Issue], *, batched: bool) -> TimelineBatch:
    """Claim evidence of ``issues``: one GraphQL batch, or one REST timeline each."""
    if batched:  # even for no issues: it reports what was asked while the search ran
        return forge.timelines_batch(issues)
    if not issues:
        return TimelineBatch({})
    keys = [(issue.repo, issue.number) for issue in issues]
    return TimelineBatch(forge.timelines(keys), requests=len(keys))


def _unchecked_reason(
    timelines: dict[tuple[RepoRef, int], Timeline | ForgeError], config: ForgeConfig
) -> str:
    """Why some issues have no claim evidence: the first failure, else the request budget."""
    failure = next((t for t in timelines.values() if isinstance(t, ForgeError)), None)
    if failure is not None:
        return str(failure)
    if not config.token:
        return (
            f"without signing in, each check is one of the 60 requests {config.label} allows "
            "an hour; sign in (`onboard auth login`) to check every issue in one request"
        )
    return "onboard was asked to check fewer"


def _claim(issue: Issue, timeline: object, now: datetime, me: str | None) -> Claim:
    if isinstance(timeline, Timeline):
        return assess_claim(
            issue,
            now=now,
            comments=timeline.comments,
            pulls=timeline.pulls,
            assignments=timeline.assignments,
            me=me,
        )
    # Not checked (beyond the limit) or the check failed: only hard facts from the search count.
    return assess_claim(issue, now=now, comments=None, pulls=None, linked_pr=None, me=me)
