"""Set up a project: fork, clone with progress, add upstream, create the working branch.

Progress is saved after every step, so quitting half way and starting again resumes at the first
step that is not done yet. Each step is also checked against what is really on disk, so a clone
deleted by hand is noticed and redone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from onboard.core.journey import DEFAULT_BRANCH_NAME, Journey, Step
from onboard.core.models import RepoRef
from onboard.core.paths import display_path
from onboard.core.state import StateStore
from onboard.forge.base import Forge
from onboard.workspace import setup as ws
from onboard.workspace.setup import CloneProgress


@dataclass(frozen=True)
class StepStarted:
    step: Step


@dataclass(frozen=True)
class StepDone:
    step: Step
    detail: str


SetupEvent = StepStarted | StepDone | CloneProgress
EventSink = Callable[[SetupEvent], None]


class SetupFlow:
    """Runs the setup steps of ``journey`` that are not done yet."""

    def __init__(
        self,
        forge: Forge,
        store: StateStore,
        workspace_root: Path,
        *,
        partial_clone: bool = True,
    ) -> None:
        self.forge = forge
        self.store = store
        self.workspace_root = workspace_root
        self.partial_clone = partial_clone

    def run(self, journey: Journey, emit: EventSink) -> Journey:
        if not journey.project:
            raise ValueError("choose a project before setting it up")
        upstream_ref = RepoRef.parse(journey.project)
        key = self.forge.config.key
        self._forget_missing_clone(journey)

        emit(StepStarted(Step.FORK))
        fork = self.forge.fork(upstream_ref)
        journey.fork = fork.repo.full_name
        self.store.save_journey(key, journey)
        emit(StepDone(Step.FORK, f"Your fork: {fork.repo.full_name}"))

        emit(StepStarted(Step.CLONE))
        path = Path(journey.clone_path) if journey.clone_path else None
        path = path or ws.clone_path_for(self.workspace_root, upstream_ref)
        ws.clone(fork.clone_url, path, progress=emit, partial=self.partial_clone)
        ws.set_remote(path, "origin", fork.clone_url)  # corrects a moved practice forge
        journey.clone_path = str(path)
        self.store.save_journey(key, journey)
        emit(StepDone(Step.CLONE, f"Cloned into {display_path(path)}"))

        emit(StepStarted(Step.UPSTREAM))
        upstream = self.forge.repo(upstream_ref)
        ws.set_remote(path, "upstream", upstream.clone_url)
        journey.upstream_added = True
        self.store.save_journey(key, journey)
        emit(StepDone(Step.UPSTREAM, f"upstream → {upstream.repo.full_name}"))

        emit(StepStarted(Step.BRANCH))
        branch = journey.branch or DEFAULT_BRANCH_NAME
        ws.create_branch(path, branch)
        journey.branch = branch
        self.store.save_journey(key, journey)
        emit(StepDone(Step.BRANCH, f"On branch {branch}"))
        return journey

    def _forget_missing_clone(self, journey: Journey) -> None:
        """If the clone recorded in state is gone from disk, redo clone, upstream and branch."""
        if journey.clone_path and not ws.inspect(Path(journey.clone_path)).exists:
            journey.clone_path = None
            journey.upstream_added = False
            journey.branch = None
