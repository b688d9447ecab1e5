"""Which checkpoints of a session a learner has reached, judged from facts, not their word.

:class:`Facts` is gathered from real state (see :mod:`onboard.flows.session_facts`): the saved
journeys, what is on disk in each clone, whether the work branch is on the fork, and the events
only the learner's own actions record (a test run with its exit code, a review given).
:func:`evaluate` is pure, so guided mode, reports and tests all judge the same way.

A checkpoint's time is the first time it was seen done (the session's checkpoint log in state),
so reports are stable across runs. Once seen, a checkpoint stays reached even if its evidence
later disappears (a clone moved away): it did happen, and the evidence says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from onboard.core.contributions.record import ContributionRecord
from onboard.core.journey import Journey
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.progress import SessionEvent, utc_stamp
from onboard.core.sessions.reachability import ProjectOffer, skip_reason
from onboard.core.sessions.session import Checkpoint, Session


@dataclass(frozen=True)
class WorkFacts:
    """One saved journey and what is really on disk for it."""

    #: Which forge the journey is on ("practice", "api.github.com").
    forge: str
    journey: Journey
    clone_exists: bool = False
    #: The clone's ``origin`` remote, as ``owner/name`` (lower case), when it has one.
    origin_slug: str | None = None
    #: Whether ``journey.work_branch`` is on ``origin``; None when that could not be checked.
    work_branch_on_origin: bool | None = None
    #: True when the answer above came from asking the fork just now (``git ls-remote``), False
    #: when it came from the clone's memory of its last push or fetch (offline).
    remote_checked_live: bool = False


@dataclass(frozen=True)
class MergeFact:
    """A pull request of the learner's that onboard saw merged (My contributions, ``onboard
    status``), and when it first saw it: the forge's word, recorded, never the learner's."""

    forge: str
    repo: str
    number: int
    url: str
    merged_at: datetime


@dataclass(frozen=True)
class Facts:
    observed_at: datetime
    #: Every saved journey, most recently updated first.
    work: tuple[WorkFacts, ...] = ()
    #: The learner's pull requests seen merged.
    merges: tuple[MergeFact, ...] = ()
    #: Every claim and pull request recorded (My contributions), for the report's counts.
    contributions: tuple[ContributionRecord, ...] = ()
    events: tuple[SessionEvent, ...] = ()
    #: The session's checkpoint log: id -> first time seen done.
    first_seen: Mapping[str, datetime] = field(default_factory=dict)
    #: What the learner's current project offers (tests or not), for skipping checkpoints it
    #: cannot reach; None when unknown.
    current_offer: ProjectOffer | None = None


@dataclass(frozen=True)
class CheckpointStatus:
    id: str
    title: str
    kind: CheckpointKind
    done: bool
    done_at: datetime | None
    #: One plain sentence saying what was seen (or what is still missing).
    evidence: str
    #: The learner's project cannot offer this checkpoint (no tests to run): not reached, but
    #: nothing to wait for either.
    skipped: bool = False

    @property
    def settled(self) -> bool:
        """Reached, or skipped: the agenda moves on."""
        return self.done or self.skipped


_MISSING = {
    CheckpointKind.PROJECT_CHOSEN: "no project chosen yet",
    CheckpointKind.FORK_CREATED: "no fork yet",
    CheckpointKind.FORK_CLONED: "no clone of your fork on this computer yet",
    CheckpointKind.TESTS_RAN: "the tests have not been run from onboard yet",
    CheckpointKind.ISSUE_CHOSEN: "no issue chosen yet",
    CheckpointKind.ISSUE_CLAIMED: "no claim comment posted yet",
    CheckpointKind.BRANCH_PUSHED: "your work branch is not on your fork yet",
    CheckpointKind.DRAFT_PR_OPENED: "no pull request opened yet",
    CheckpointKind.REVIEW_GIVEN: "no review recorded yet",
    CheckpointKind.NONCODE_DONE: "no non-code contribution recorded yet",
    CheckpointKind.FIRST_PR_MERGED: "no pull request of yours seen merged yet",
}


def evaluate(session: Session, facts: Facts) -> list[CheckpointStatus]:
    """Each checkpoint of ``session``, in the session's order, judged from ``facts``."""
    return [_status(checkpoint, facts) for checkpoint in session.checkpoints]


def current_checkpoint(statuses: list[CheckpointStatus]) -> CheckpointStatus | None:
    """The first checkpoint neither reached nor skipped: what guided mode shows as "now"."""
    return next((status for status in statuses if not status.settled), None)


def _status(checkpoint: Checkpoint, facts: Facts) -> CheckpointStatus:
    kind = checkpoint.kind
    logged = facts.first_seen.get(checkpoint.id)
    seen = _observe(kind, facts)
    if seen is not None:
        evidence, at = seen
        known = [moment for moment in (logged, at) if moment is not None]
        done_at = min(known) if known else facts.observed_at
        return CheckpointStatus(checkpoint.id, checkpoint.title, kind, True, done_at, evidence)
    if logged is not None:
        return CheckpointStatus(
            checkpoint.id,
            checkpoint.title,
            kind,
            True,
            logged,
            f"seen done at {utc_stamp(logged)}; not visible now (moved, deleted or offline?)",
        )
    reason = skip_reason(kind, facts.current_offer)
    if reason is not None:
        return CheckpointStatus(
            checkpoint.id, checkpoint.title, kind, False, None, reason, skipped=True
        )
    return CheckpointStatus(checkpoint.id, checkpoint.title, kind, False, None, _MISSING[kind])


def _observe(kind: CheckpointKind, facts: Facts) -> tuple[str, datetime | None] | None:
    """(evidence, event time or None) when ``facts`` show ``kind`` done now."""
    if kind in _EVENT_KINDS:
        return _from_events(kind, facts.events)
    if kind is CheckpointKind.FIRST_PR_MERGED:
        return _first_merge(facts.merges)
    rule = _WORK_RULES[kind]
    for work in facts.work:
        evidence = rule(work)
        if evidence is not None:
            return evidence, None
    return None


def _project_chosen(work: WorkFacts) -> str | None:
    return f"chose {work.journey.project}" if work.journey.project else None


def _fork_created(work: WorkFacts) -> str | None:
    return f"your fork {work.journey.fork} exists" if work.journey.fork else None


def _fork_cloned(work: WorkFacts) -> str | None:
    fork = work.journey.fork
    if not (work.clone_exists and fork and work.origin_slug == fork.lower()):
        return None
    return f"{fork} is cloned on this computer, and 'origin' points at it"


def _issue_chosen(work: WorkFacts) -> str | None:
    journey = work.journey
    return f"working on {journey.project}#{journey.issue}" if journey.issue is not None else None


def _issue_claimed(work: WorkFacts) -> str | None:
    return f"claim comment: {work.journey.claim_url}" if work.journey.claim_url else None


def _branch_pushed(work: WorkFacts) -> str | None:
    branch = work.journey.work_branch
    if not branch or not work.work_branch_on_origin:
        return None
    how = "checked just now" if work.remote_checked_live else "as of your last push or fetch"
    return f"branch {branch} is on your fork {work.journey.fork} ({how})"


def _draft_pr_opened(work: WorkFacts) -> str | None:
    journey = work.journey
    if journey.pull_request is None:
        return None
    return f"pull request #{journey.pull_request} on {journey.project}: {journey.pull_url or ''}"


_WORK_RULES: dict[CheckpointKind, Callable[[WorkFacts], str | None]] = {
    CheckpointKind.PROJECT_CHOSEN: _project_chosen,
    CheckpointKind.FORK_CREATED: _fork_created,
    CheckpointKind.FORK_CLONED: _fork_cloned,
    CheckpointKind.ISSUE_CHOSEN: _issue_chosen,
    CheckpointKind.ISSUE_CLAIMED: _issue_claimed,
    CheckpointKind.BRANCH_PUSHED: _branch_pushed,
    CheckpointKind.DRAFT_PR_OPENED: _draft_pr_opened,
}
_EVENT_KINDS = {
    CheckpointKind.TESTS_RAN: "tests_ran",
    CheckpointKind.REVIEW_GIVEN: "review_given",
    CheckpointKind.NONCODE_DONE: "noncode_done",
}


def _first_merge(merges: tuple[MergeFact, ...]) -> tuple[str, datetime] | None:
    if not merges:
        return None
    first = min(merges, key=lambda merge: merge.merged_at)
    evidence = f"pull request {first.repo}#{first.number} was merged"
    return evidence + (f": {first.url}" if first.url else ""), first.merged_at


def _from_events(
    kind: CheckpointKind, events: tuple[SessionEvent, ...]
) -> tuple[str, datetime] | None:
    matching = [event for event in events if event.kind == _EVENT_KINDS[kind]]
    if kind is CheckpointKind.TESTS_RAN:
        # A run stopped half way says nothing about the tests; a failing run still ran them.
        matching = [e for e in matching if isinstance(e.extra.get("exit_code"), int)]
    if not matching:
        return None
    first = min(matching, key=lambda event: event.at)
    if kind is CheckpointKind.TESTS_RAN:
        code = first.extra["exit_code"]
        outcome = "they passed" if code == 0 else f"exit code {code}: some failed"
        return f"the tests ran ({outcome})", first.at
    url = first.extra.get("url")
    what = "a review" if kind is CheckpointKind.REVIEW_GIVEN else "a non-code contribution"
    lane = first.extra.get("lane")
    detail = f" ({lane})" if isinstance(lane, str) and lane else ""
    return f"recorded {what}{detail}" + (f": {url}" if isinstance(url, str) else ""), first.at
