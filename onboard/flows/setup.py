"""Set up a project: fork, clone with progress, add upstream, create the working branch, verify.

Progress is saved after every step, so quitting half way and starting again resumes at the first
step that is not done yet. Forking is asked for once: GitHub answers the request at once but
creates the fork's git repository later, so the fork is recorded as soon as GitHub accepts it and
the flow then waits for git to answer for it (a resumed set-up only goes on waiting).

Each step is also checked against what is really on disk, so a clone deleted by hand is noticed
and redone. The last step checks the result (remotes, tracking, a dry-run push) instead of
trusting that every command did what it should.
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
from onboard.forge.base import Forge, ForgeError, ForgeNotFound
from onboard.workspace import setup as ws
from onboard.workspace.clone import CloneProgress, FolderInUse, clone
from onboard.workspace.gitenv import WorkspaceError
from onboard.workspace.remote_ready import (
    FORK_READY_TIMEOUT_SECONDS,
    RemoteNotReady,
    WaitCancelled,
    wait_until_ready,
)
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
    """The forge accepted the fork but its git repository does not answer yet (GitHub creates
    it asynchronously); ``seconds`` waited so far, so a screen can show that time passes."""

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


class ForkNotReady(WorkspaceError):
    """The fork is recorded but its git repository did not answer in time; trying again later
    only goes on waiting for it."""


class ForkGone(ForgeError):
    """The fork recorded in the journey no longer exists; the journey forgot it, so trying again
    asks before forking anew."""


class SetupFlow:
    """Runs the setup steps of ``journey`` that are not done yet.

    ``fork_ready_timeout`` is how long to wait for a new fork's git repository (GitHub documents
    up to five minutes).
    """

    def __init__(
        self,
        forge: Forge,
        store: StateStore,
        workspace_root: Path,
        *,
        partial_clone: bool = True,
        fork_ready_timeout: float = FORK_READY_TIMEOUT_SECONDS,
    ) -> None:
        self.forge = forge
        self.store = store
        self.workspace_root = workspace_root
        self.partial_clone = partial_clone
        self.fork_ready_timeout = fork_ready_timeout

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
        fork = self._fork(journey, upstream_ref)
        journey.fork = fork.repo.full_name
        self.store.save_journey(key, journey)  # kept even if its repository is not ready yet
        if not journey.clone_path:  # an existing clone shows the fork was ready long ago
            self._wait_for_fork(fork, emit, cancel)
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

    def _fork(self, journey: Journey, upstream_ref: RepoRef) -> RepoInfo:
        """The fork recorded in ``journey``, or a new one: a fork is requested at most once.

        Asking again would be harmless on GitHub (it hands back the existing fork), but it is a
        public action the learner agreed to once, and the recorded fork says all we need.
        """
        if not journey.fork:
            return self.forge.fork(upstream_ref)
        try:
            return self.forge.repo(RepoRef.parse(journey.fork))
        except ForgeNotFound:
            gone = journey.fork
            journey.fork = None
            self.store.save_journey(self.forge.config.key, journey)
            raise ForkGone(
                f"Your fork {gone} is no longer on the {self.forge.config.label} (was it "
                "deleted?). Press Try again to fork the project again."
            ) from None

    def _wait_for_fork(
        self, fork: RepoInfo, emit: EventSink, cancel: threading.Event | None
    ) -> None:
        """Wait until git answers for the fork: GitHub creates its repository after the API
        object, and a clone started before that fails with "no such repository"."""
        label = self.forge.config.label
        reports: list[float] = []

        def waiting(seconds: float) -> None:
            reports.append(seconds)
            emit(ForkWaiting(seconds))

        try:
            wait_until_ready(
                fork.clone_url, cancel=cancel, on_wait=waiting, timeout=self.fork_ready_timeout
            )
        except RemoteNotReady as error:
            raise ForkNotReady(
                f"{label[:1].upper()}{label[1:]} is still creating your fork "
                f"{fork.repo.full_name}; try again in a few minutes. (onboard waited "
                f"{_duration(error.waited)} for it to answer git. Your fork is kept: trying "
                "again only goes on waiting for it.)"
            ) from error
        except WaitCancelled as error:
            if not reports:  # cancelled while forking, before any wait began
                raise WaitCancelled(
                    "Clone cancelled before it started. Nothing was left behind; your fork "
                    f"{fork.repo.full_name} is kept, and Try again goes on from there."
                ) from error
            raise WaitCancelled(
                f"Stopped waiting for your fork {fork.repo.full_name}. It is kept: Try again "
                "goes on waiting for it."
            ) from error

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


def _duration(seconds: float) -> str:
    """``"4 minutes 10 seconds"``: how long a wait took, as a person would say it."""
    whole = max(1, round(seconds))
    minutes, rest = divmod(whole, 60)
    parts = [f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes else []
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)
