"""Finding first contributions: live search, lanes, claim status, ranking — in one call.

The search itself is a handful of batched requests; claim status needs each issue's timeline,
so it is checked for the most promising issues only (a bounded number of requests), and every
other issue honestly says "unknown" rather than pretending to be free.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from onboard.core.discovery.claims import assess_claim
from onboard.core.discovery.labels import lane_of
from onboard.core.discovery.ranking import rank
from onboard.core.models import Claim, Contribution, Issue, Preferences, Project, RepoRef
from onboard.forge.base import Forge, ForgeError, Freshness, Timeline

#: Claim status is checked for this many issues per refresh (one timeline request each).
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
    searches = [forge.good_first_issues(repos, labels) for labels, repos in groups.items()]
    issues = [issue for search in searches for issue in search.issues]

    limit = check_limit
    if limit is None:
        limit = CLAIM_CHECKS_SIGNED_IN if forge.config.token else CLAIM_CHECKS_ANONYMOUS
    to_check = [(issue.repo, issue.number) for issue in issues[:limit]]
    languages = {repo: project.languages for repo, project in projects.items() if project}

    def ranked(timelines: dict[tuple[RepoRef, int], Timeline | ForgeError]) -> Discovery:
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
            claim_requests=len(timelines),
            incomplete=any(search.incomplete for search in searches),
            missing=tuple(repo for search in searches for repo in search.missing),
            missing_reason=next((s.missing_reason for s in searches if s.missing_reason), None),
        )

    if preliminary is not None:
        preliminary(ranked({}))
    say(f"Checking who is working on {len(to_check)} issues…")
    return ranked(forge.timelines(to_check) if to_check else {})


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
