"""Acting on a chosen issue: claim it politely, start a branch, open a draft pull request.

Each function does the real work and records it in the journey; the UI asks for confirmation
before calling the ones that write in public (claiming, pushing, opening a pull request).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from onboard.core.change.pr_template import with_fixes
from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.discovery.labels import lane_of
from onboard.core.journey import Journey, issue_branch_name
from onboard.core.models import Issue, RepoRef
from onboard.core.public_actions import text_problem
from onboard.core.sessions.progress import SessionEvent
from onboard.core.storage.state import StateStore
from onboard.forge.base import CreatedPull, Forge
from onboard.workspace import setup as ws
from onboard.workspace.gitenv import WorkspaceError


def claim_template() -> str:
    """A friendly claim comment the newcomer edits before anything is posted."""
    return (
        "Hi! I'd like to work on this, if nobody else is already.\n\n"
        "My plan: <one or two sentences on how you would approach it>.\n\n"
        "This would be one of my first contributions, so any pointers are welcome. "
        "I'll post an update here within a week."
    )


def post_claim(forge: Forge, store: StateStore, journey: Journey, issue: Issue, body: str) -> str:
    problem = text_problem(body)
    if problem:
        raise ValueError(problem)
    url = forge.comment(issue.repo, issue.number, body)
    journey.issue = issue.number
    journey.claim_url = url
    store.save_journey(forge.config.key, journey)
    _record(forge, store, ContributionKind.CLAIM, issue.repo, issue.number, url, issue.title)
    return url


def review_template() -> str:
    """A kind, specific review the newcomer edits: what works, then one question."""
    return (
        "Thanks for this change!\n\n"
        "What works well: <one specific thing you liked or checked>.\n\n"
        "A question or suggestion: <one thing you wondered about, asked kindly>.\n\n"
        "(I'm new here, so I may have missed something.)"
    )


def post_review(forge: Forge, store: StateStore, pull: Issue, body: str) -> str:
    """Post a comment review on ``pull`` and record it for the learner's mentor session."""
    problem = text_problem(body, what="review")
    if problem:
        raise ValueError(problem)
    url = forge.review(pull.repo, pull.number, body)
    store.record_event(SessionEvent.review_given(url, f"{pull.repo}#{pull.number}"))
    return url


def start_work(forge: Forge, store: StateStore, journey: Journey, issue: Issue) -> str:
    """Branch ``issue-<n>-<slug>`` from the up-to-date upstream default branch."""
    path = _clone(journey)
    base = forge.repo(issue.repo).default_branch
    branch = issue_branch_name(issue.number, issue.title)
    ws.start_issue_branch(path, branch, base=base)
    journey.issue = issue.number
    journey.work_branch = branch
    store.save_journey(forge.config.key, journey)
    return branch


def default_pull_text(issue: Issue, template: str | None = None) -> tuple[str, str]:
    """A title and a description to edit: the project's ``template`` with ``Fixes #N`` if it
    has one (see :mod:`onboard.core.change.pr_template`), else onboard's own."""
    title = issue.title if len(issue.title) <= 72 else issue.title[:71] + "…"
    if template is not None:
        return title, with_fixes(template, issue.number)
    body = (
        f"Fixes #{issue.number}\n\n"
        "## What this changes\n\n<describe your change in a sentence or two>\n\n"
        "## How I checked it\n\n<what you ran or looked at>\n\n"
        "This is a draft: I would be grateful for early feedback."
    )
    return title, body


def open_draft_pull(
    forge: Forge,
    store: StateStore,
    journey: Journey,
    issue: Issue,
    *,
    title: str,
    body: str,
    draft: bool = True,
) -> CreatedPull:
    """Push the work branch to the fork and open a draft pull request on the project.

    ``draft=False`` opens it ready for review at once (``onboard pr --ready``), for those who
    know their change is complete; the app always opens a draft.
    """
    problem = text_problem(body, what="description")
    if problem:
        raise ValueError(problem)
    if not journey.work_branch or not journey.fork:
        raise WorkspaceError("Start work on the issue first: onboard creates the branch for you.")
    path = _clone(journey)
    upstream = forge.repo(issue.repo)
    ahead = ws.commits_ahead(path, journey.work_branch, f"upstream/{upstream.default_branch}")
    if ahead == 0:
        raise WorkspaceError(
            f"Branch '{journey.work_branch}' has no commits yet. Make your change, then "
            "`git add` and `git commit` it, and try again."
        )
    ws.push_branch(path, journey.work_branch)
    fork_owner = RepoRef.parse(journey.fork).owner
    created = forge.create_pull(
        issue.repo,
        head=f"{fork_owner}:{journey.work_branch}",
        base=upstream.default_branch,
        title=title,
        body=body,
        draft=draft,
    )
    journey.pull_request = created.number
    journey.pull_url = created.url
    store.save_journey(forge.config.key, journey)
    _record(
        forge,
        store,
        ContributionKind.PULL,
        issue.repo,
        created.number,
        created.url,
        title,
        issue=issue.number,
    )
    lane = lane_of(label.name for label in issue.labels)
    if not lane.is_code:  # docs, translation, writing...: a non-code contribution, observed
        store.record_event(
            SessionEvent.noncode_done(lane.value, created.url, f"{issue.repo}#{issue.number}")
        )
    return created


def _record(
    forge: Forge,
    store: StateStore,
    kind: ContributionKind,
    repo: RepoRef,
    number: int,
    url: str,
    title: str,
    *,
    issue: int | None = None,
) -> None:
    """Remember the contribution for *My contributions* and ``onboard status``."""
    record = ContributionRecord(kind, str(repo), number, url, title, datetime.now(UTC), issue=issue)
    store.record_contribution(forge.config.key, record)


def _clone(journey: Journey) -> Path:
    if not journey.clone_path or not ws.inspect(Path(journey.clone_path)).exists:
        raise WorkspaceError("Your clone is missing: set the project up again from the start.")
    return Path(journey.clone_path)
