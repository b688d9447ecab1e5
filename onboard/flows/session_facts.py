"""Gather the :class:`~onboard.core.sessions.checkpoints.Facts` a session's checkpoints are judged
on.

Everything comes from real state: the saved journeys, each clone as it is on disk (remotes,
branches), the fork itself (``git ls-remote``, offline-safe), and the session's recorded events
and checkpoint log. It runs git, so call it from a worker thread, never from the UI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from onboard.core.contributions.record import ContributionKind
from onboard.core.journey import Journey
from onboard.core.packs.loading import Pack
from onboard.core.sessions.checkpoints import (
    CheckpointStatus,
    Facts,
    MergeFact,
    WorkFacts,
    evaluate,
)
from onboard.core.sessions.progress import newly_seen_at, now_utc, parse_stamp
from onboard.core.sessions.reachability import ProjectOffer
from onboard.core.sessions.session import Session
from onboard.core.storage.state import StateStore
from onboard.workspace.gitenv import WorkspaceError
from onboard.workspace.remote_branches import branch_on_remote
from onboard.workspace.repo import remote_slug
from onboard.workspace.setup import inspect


def saved_journeys(store: StateStore) -> list[tuple[str, Journey]]:
    """Every (forge key, journey) with a project, most recently updated first."""
    raw = store.read().get("journeys", {})
    journeys = [
        (key, Journey.from_dict(value))
        for key, value in raw.items()
        if isinstance(value, dict) and value.get("project")
    ]

    def updated(item: tuple[str, Journey]) -> float:
        moment = parse_stamp(item[1].updated_at)
        return moment.timestamp() if moment else 0.0

    return sorted(journeys, key=updated, reverse=True)


def work_facts(forge: str, journey: Journey, *, check_remote: bool = True) -> WorkFacts:
    """What is on disk (and on the fork) for ``journey``; never raises for a broken clone."""
    if not journey.clone_path:
        return WorkFacts(forge, journey)
    path = Path(journey.clone_path)
    try:
        status = inspect(path)
    except WorkspaceError:  # not a clone any more, or git is missing: nothing to see
        return WorkFacts(forge, journey)
    if not status.exists:
        return WorkFacts(forge, journey)
    origin = status.remotes.get("origin")
    on_origin: bool | None = None
    live = False
    if check_remote and journey.work_branch:
        answer = branch_on_remote(path, journey.work_branch)
        on_origin, live = answer.found, answer.live
    return WorkFacts(
        forge,
        journey,
        clone_exists=True,
        origin_slug=remote_slug(origin) if origin else None,
        work_branch_on_origin=on_origin,
        remote_checked_live=live,
    )


def merge_facts(store: StateStore) -> tuple[MergeFact, ...]:
    """The learner's pull requests that My contributions (or ``onboard status``) saw merged."""
    return tuple(
        MergeFact(forge, record.repo, record.number, record.url, record.merged_at)
        for forge, record in store.contributions()
        if record.kind is ContributionKind.PULL and record.merged_at is not None
    )


def project_offer(work: WorkFacts | None, packs: Sequence[Pack]) -> ProjectOffer | None:
    """Whether the journey's project has tests: its pack's ``test_command``, else what onboard
    detects in its clone; None while neither can tell (no clone yet), which never skips."""
    if work is None or not work.journey.project:
        return None
    project = work.journey.project
    wanted = project.lower()
    for pack in packs:
        for described in pack.projects:
            if str(described.repo).lower() == wanted and described.test_command:
                return ProjectOffer(project, True, f"the {pack.name} guide pack runs them")
    if not (work.clone_exists and work.journey.clone_path):
        return None
    from onboard.core.setup.project_detect import detect

    try:
        found = detect(Path(work.journey.clone_path))
    except OSError:
        return None
    if found.test is not None:
        return ProjectOffer(project, True, "found in its files")
    return ProjectOffer(project, False, "no test command in its guide pack or its files")


def gather_facts(
    store: StateStore,
    session_id: str,
    *,
    check_remote: bool = True,
    now: datetime | None = None,
    packs: Sequence[Pack] = (),
) -> Facts:
    """Facts from state and disk; ``packs`` tell which projects have tests (see
    :func:`project_offer`)."""
    progress = store.session_progress(session_id)
    work = tuple(
        work_facts(forge, journey, check_remote=check_remote)
        for forge, journey in saved_journeys(store)
    )
    return Facts(
        observed_at=now or now_utc(),
        work=work,
        merges=merge_facts(store),
        contributions=tuple(record for _forge, record in store.contributions()),
        events=progress.events,
        first_seen=progress.checkpoints,
        current_offer=project_offer(work[0] if work else None, packs),
    )


def refresh_checkpoints(
    store: StateStore, session: Session, *, check_remote: bool = True, packs: Sequence[Pack] = ()
) -> tuple[Facts, list[CheckpointStatus]]:
    """Gather facts, judge the checkpoints, and log first-seen times: what guided mode polls."""
    facts = gather_facts(store, session.id, check_remote=check_remote, packs=packs)
    statuses = evaluate(session, facts)
    logged = facts.first_seen
    if any(newly_seen_at(status, logged.get(status.id)) is not None for status in statuses):
        # Guided mode polls every few seconds: write the progress file only when it changes.
        store.mark_checkpoints(session.id, statuses)
    return facts, statuses
