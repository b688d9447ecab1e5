"""What a session's checkpoint checks: the kinds, and each one's default id and title.

A module of its own, with nothing but :mod:`enum` below it, so that the command line can offer
the kinds as ``onboard session new --checkpoint`` choices without importing the session format,
its validation and its schemas before every command (``onboard --help`` included).
"""

from __future__ import annotations

from enum import StrEnum


class CheckpointKind(StrEnum):
    """What a checkpoint checks. Each kind is observed in real state, never taken on trust."""

    PROJECT_CHOSEN = "project_chosen"
    FORK_CREATED = "fork_created"
    FORK_CLONED = "fork_cloned"
    TESTS_RAN = "tests_ran"
    ISSUE_CHOSEN = "issue_chosen"
    ISSUE_CLAIMED = "issue_claimed"
    BRANCH_PUSHED = "branch_pushed"
    DRAFT_PR_OPENED = "draft_pr_opened"
    REVIEW_GIVEN = "review_given"
    NONCODE_DONE = "noncode_done"
    FIRST_PR_MERGED = "first_pr_merged"

    @property
    def default_title(self) -> str:
        return _DEFAULT_TITLES[self]

    @property
    def default_id(self) -> str:
        return self.value.replace("_", "-")


_DEFAULT_TITLES = {
    CheckpointKind.PROJECT_CHOSEN: "Project chosen",
    CheckpointKind.FORK_CREATED: "Fork created",
    CheckpointKind.FORK_CLONED: "Fork cloned",
    CheckpointKind.TESTS_RAN: "Tests ran",
    CheckpointKind.ISSUE_CHOSEN: "Issue chosen",
    CheckpointKind.ISSUE_CLAIMED: "Issue claimed",
    CheckpointKind.BRANCH_PUSHED: "Branch pushed",
    CheckpointKind.DRAFT_PR_OPENED: "Draft pull request opened",
    CheckpointKind.REVIEW_GIVEN: "One review given",
    CheckpointKind.NONCODE_DONE: "A non-code contribution",
    CheckpointKind.FIRST_PR_MERGED: "First pull request merged",
}
