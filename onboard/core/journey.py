"""The newcomer's journey as a small state machine.

The current step is *derived* from what has really happened (a fork exists, a clone path is
recorded, a branch was created...) instead of being stored separately, so progress can never
disagree with the facts it summarises, and resuming after a crash lands on the right step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from onboard.core.storage.paths import display_path


class Step(StrEnum):
    CHOOSE_PROJECT = "choose_project"
    FORK = "fork"
    CLONE = "clone"
    UPSTREAM = "upstream"
    BRANCH = "branch"
    FIND_ISSUE = "find_issue"
    WORK = "work"
    OPEN_PR = "open_pr"


class Stage(StrEnum):
    """Steps grouped the way a newcomer thinks about them; the UI shows these."""

    CHOOSE = "Choose a project"
    SETUP = "Set up the repo"
    FIND = "Find a contribution"
    WORK = "Make your change"
    SHARE = "Open a pull request"


STAGE_OF: dict[Step, Stage] = {
    Step.CHOOSE_PROJECT: Stage.CHOOSE,
    Step.FORK: Stage.SETUP,
    Step.CLONE: Stage.SETUP,
    Step.UPSTREAM: Stage.SETUP,
    Step.BRANCH: Stage.SETUP,
    Step.FIND_ISSUE: Stage.FIND,
    Step.WORK: Stage.WORK,
    Step.OPEN_PR: Stage.SHARE,
}

STEP_TITLES: dict[Step, str] = {
    Step.CHOOSE_PROJECT: "Choose a project",
    Step.FORK: "Fork the repository",
    Step.CLONE: "Clone your fork",
    Step.UPSTREAM: "Add the upstream remote",
    Step.BRANCH: "Create a working branch",
    Step.FIND_ISSUE: "Pick a first contribution",
    Step.WORK: "Make your change",
    Step.OPEN_PR: "Open a pull request",
}

DEFAULT_BRANCH_NAME = "first-contribution"


class Status(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"


@dataclass
class Journey:
    """Progress on one project, on one forge."""

    project: str | None = None
    fork: str | None = None
    clone_path: str | None = None
    #: A folder the learner chose for the clone (when the default one was taken); set before
    #: cloning, unlike ``clone_path`` which records a clone that exists.
    clone_target: str | None = None
    upstream_added: bool = False
    branch: str | None = None
    issue: int | None = None
    claim_url: str | None = None
    work_branch: str | None = None
    pull_request: int | None = None
    pull_url: str | None = None
    updated_at: str | None = None

    @property
    def login(self) -> str | None:
        """The learner's account on the forge, known from their fork ("kim/hello-docs")."""
        owner = (self.fork or "").partition("/")[0]
        return owner or None

    @property
    def current_step(self) -> Step:
        if not self.project:
            return Step.CHOOSE_PROJECT
        if not self.fork:
            return Step.FORK
        if not self.clone_path:
            return Step.CLONE
        if not self.upstream_added:
            return Step.UPSTREAM
        if not self.branch:
            return Step.BRANCH
        if self.issue is None:
            return Step.FIND_ISSUE
        if self.pull_request is None:
            return Step.WORK
        return Step.OPEN_PR

    @property
    def is_set_up(self) -> bool:
        return self.current_step not in (
            Step.CHOOSE_PROJECT,
            Step.FORK,
            Step.CLONE,
            Step.UPSTREAM,
            Step.BRANCH,
        )

    @property
    def stage(self) -> Stage:
        return STAGE_OF[self.current_step]

    def stage_statuses(self) -> list[tuple[Stage, Status]]:
        """Each stage with whether it is done, in progress, or still ahead."""
        order = list(Stage)
        current = order.index(self.stage)
        finished = self.pull_request is not None
        return [
            (
                stage,
                Status.DONE
                if index < current or finished
                else Status.CURRENT
                if index == current
                else Status.TODO,
            )
            for index, stage in enumerate(order)
        ]

    def choose(self, project: str) -> None:
        """Start (or restart) the journey on ``project``; earlier progress elsewhere is dropped."""
        if project != self.project:
            for item in fields(self):
                setattr(self, item.name, item.default)
            self.project = project

    def next_hint(self) -> str:
        """One plain sentence saying what to do next."""
        step = self.current_step
        branch = self.branch or DEFAULT_BRANCH_NAME
        where = display_path(self.clone_path) if self.clone_path else "your clone"
        hints = {
            Step.CHOOSE_PROJECT: "Pick a friendly-looking project. You can change your mind later.",
            Step.FORK: "Make your own copy (a fork) of the project, so you can change it freely.",
            Step.CLONE: "Download your fork to this computer (a clone).",
            Step.UPSTREAM: "Link your clone to the original project as 'upstream' to stay in sync.",
            Step.BRANCH: f"Create the branch '{branch}' so your work stays separate.",
            Step.FIND_ISSUE: "Pick an issue that fits you: code or not, every kind counts.",
            Step.WORK: (
                f"Make the change in {where} on branch '{self.work_branch or branch}', "
                "commit it, then open a draft pull request from onboard (it pushes for you)."
            ),
            Step.OPEN_PR: "Your pull request is open. Watch for review comments and reply kindly.",
        }
        return hints[step]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Journey:
        known = {item.name for item in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def issue_branch_name(number: int, title: str, *, max_length: int = 60) -> str:
    """``issue-<number>-<slug>``: says which issue the branch is for, safe for any git."""
    words = re.findall(
        r"[a-z0-9]+",
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower(),
    )
    name = f"issue-{number}"
    for word in words:
        if len(name) + 1 + len(word) > max_length:
            break
        name += f"-{word}"
    return name
