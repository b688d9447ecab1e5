"""Set up a project: fork, clone with progress, add upstream, create the working branch, verify.

Progress is saved after every step, so quitting half way and starting again resumes at the first
step that is not done yet. Each step is also checked against what is really on disk, so a clone
deleted by hand is noticed and redone. The last step checks the result (remotes, tracking, a
dry-run push) instead of trusting that every command did what it should.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from onboard.core.journey import DEFAULT_BRANCH_NAME, Journey, Step
from onboard.core.models import RepoInfo, RepoRef
from onboard.core.storage.paths import display_path
from onboard.core.storage.state import StateStore
from onboard.forge.base import Forge
from onboard.workspace import setup as ws
from onboard.workspace.clone import CloneProgress, FolderInUse, clone
from onboard.workspace.repo import remote_slug
from onboard.workspace.verify import Check, track_upstream, verify_setup


@dataclass(frozen=True)
class StepStarted:
    step: Step


@dataclass(frozen=True)
class StepDone:
    step: Step
    detail: str


@dataclass(frozen=True)
class ForkWaiting:
    """The forge accepted the fork but is still creating it (GitHub does this asynchronously)."""

    seconds: float


@dataclass(frozen=True)
class Verified:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


SetupEvent = StepStarted | StepDone | ForkWaiting | CloneProgress | Verified
EventSink = Callable[[SetupEvent], None]


class ReusableClone(FolderInUse):
    """The clone folder already holds a clone of this project (or of the learner's fork).

    Setup stops and asks: using it keeps whatever work is in it; onboard then only corrects
    its ``origin`` and ``upstream`` remotes.
    """


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

    def run(
        self,
        journey: Journey,
        emit: EventSink,
        *,
        cancel: threading.Event | None = None,
        reuse_existing: bool = False,
    ) -> Journey:
        """Run the steps not done yet; ``reuse_existing`` accepts a :class:`ReusableClone`."""
        if not journey.project:
            raise ValueError("choose a project before setting it up")
        upstream_ref = RepoRef.parse(journey.project)
        key = self.forge.config.key
        self._forget_missing_clone(journey)

        emit(StepStarted(Step.FORK))
        fork = self.forge.fork(upstream_ref, on_wait=lambda waited: emit(ForkWaiting(waited)))
        journey.fork = fork.repo.full_name
        self.store.save_journey(key, journey)
        emit(StepDone(Step.FORK, f"Your fork: {fork.repo.full_name}"))

        emit(StepStarted(Step.CLONE))
        chosen = journey.clone_path or journey.clone_target
        path = Path(chosen) if chosen else ws.clone_path_for(self.workspace_root, upstream_ref)
        upstream = self.forge.repo(upstream_ref)
        self._clone(fork, upstream, path, emit, cancel, reuse_existing)
        ws.set_remote(path, "origin", fork.clone_url)  # corrects a moved practice forge
        journey.clone_path = str(path)
        self.store.save_journey(key, journey)
        emit(StepDone(Step.CLONE, f"Cloned into {display_path(path)}"))

        emit(StepStarted(Step.UPSTREAM))
        ws.set_remote(path, "upstream", upstream.clone_url)
        track_upstream(path, upstream.default_branch)
        journey.upstream_added = True
        self.store.save_journey(key, journey)
        emit(StepDone(Step.UPSTREAM, f"upstream → {upstream.repo.full_name}"))

        emit(StepStarted(Step.BRANCH))
        branch = journey.branch or DEFAULT_BRANCH_NAME
        ws.create_branch(path, branch)
        journey.branch = branch
        self.store.save_journey(key, journey)
        emit(StepDone(Step.BRANCH, f"On branch {branch}"))

        checks = verify_setup(
            path,
            fork_url=fork.clone_url,
            upstream_url=upstream.clone_url,
            default_branch=upstream.default_branch,
            branch=branch,
        )
        emit(Verified(tuple(checks)))
        return journey

    def _clone(
        self,
        fork: RepoInfo,
        upstream: RepoInfo,
        path: Path,
        emit: EventSink,
        cancel: threading.Event | None,
        reuse_existing: bool,
    ) -> None:
        try:
            clone(fork.clone_url, path, progress=emit, partial=self.partial_clone, cancel=cancel)
        except FolderInUse as error:
            ours = {fork.repo.full_name.lower(), upstream.repo.full_name.lower()}
            slugs = {remote_slug(url) for url in (error.remotes or {}).values()}
            if ours & slugs and reuse_existing:
                return
            if ours & slugs:
                raise ReusableClone(
                    f"{display_path(path)} already holds a clone of this project. Use it (your "
                    "files there are kept; onboard only corrects its remotes), or choose another "
                    "folder.",
                    path,
                    error.remotes,
                ) from error
            raise

    def _forget_missing_clone(self, journey: Journey) -> None:
        """If the clone recorded in state is gone from disk, redo clone, upstream and branch."""
        if journey.clone_path and not ws.inspect(Path(journey.clone_path)).exists:
            journey.clone_target = journey.clone_path  # clone again into the same place
            journey.clone_path = None
            journey.upstream_added = False
            journey.branch = None
