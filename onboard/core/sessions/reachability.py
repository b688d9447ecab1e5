"""Which checkpoints a project cannot offer, so an agenda never sticks on a step it lacks.

A workshop offers several projects, and not every checkpoint fits each: a typo fix in a docs-only
project has no tests to run. Rather than leave such a learner stuck at "run the tests" for the
rest of the session, the checkpoint is *skipped* for that project: not reached (reports say it
was skipped, and why), but no longer the step the agenda waits for. Whether a project has tests
comes from its guide pack's ``test_command``, else from what onboard detects in the clone
(:mod:`onboard.core.setup.project_detect`); unknown (no pack command, no clone yet) never skips.

The same rule warns the mentor at ``onboard session validate`` time, from the packs alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from onboard.core.sessions.checkpoint_kind import CheckpointKind


@dataclass(frozen=True)
class ProjectOffer:
    """What a project lets a learner do, as far as checkpoints care."""

    project: str
    #: Whether the project has tests to run; None when nobody can tell yet.
    tests: bool | None = None
    #: Where ``tests`` came from, in words ("its guide pack", "its files").
    source: str = ""


def skip_reason(kind: CheckpointKind, offer: ProjectOffer | None) -> str | None:
    """Why ``kind`` cannot be reached on ``offer``'s project, or None when it can (or may)."""
    if offer is None:
        return None
    if kind is CheckpointKind.TESTS_RAN and offer.tests is False:
        where = f" ({offer.source})" if offer.source else ""
        return f"skipped: {offer.project} has no tests to run{where}"
    return None


def unreachable_on(
    kinds: Mapping[str, CheckpointKind], offers: Mapping[str, ProjectOffer]
) -> list[tuple[str, str, str]]:
    """(checkpoint id, project, reason) for every checkpoint a project cannot offer."""
    found = []
    for checkpoint_id, kind in kinds.items():
        for project, offer in offers.items():
            reason = skip_reason(kind, offer)
            if reason is not None:
                found.append((checkpoint_id, project, reason))
    return found
