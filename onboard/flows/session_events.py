"""Recording what the learner did into their mentor session, from the screens that see it.

Screens call these after the real action finished, so a checkpoint such as "tests ran" comes
from an exit code onboard observed, not from a button the learner pressed. Without an active
session nothing is written and False is returned: callers never need to know about sessions.
"""

from __future__ import annotations

from onboard.core.sessions.progress import SessionEvent
from onboard.core.storage.state import StateStore
from onboard.workspace.commands import StepResult


def record_test_run(store: StateStore, result: StepResult) -> bool:
    """Record a finished test run; a run that was stopped or timed out ran nothing to judge."""
    finished = not (result.cancelled or result.timed_out)
    exit_code = result.exit_code if finished else None
    return store.record_event(SessionEvent.tests_ran(exit_code))
