"""Set-up against a fork GitHub is still creating: the API object exists at once, its git
repository later. The flow forks once, waits for git, says so, and can be stopped or resumed.
Real HTTP to the practice forge, real git over git://."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from onboard.core.journey import Journey, Step
from onboard.core.storage.state import StateStore
from onboard.flows.setup import (
    ForkGone,
    ForkNotReady,
    ForkWaiting,
    SetupEvent,
    SetupFlow,
    StepDone,
    Verified,
)
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.workspace.clone import CloneProgress
from onboard.workspace.remote_ready import WaitCancelled
from onboard.workspace.setup import inspect

PROJECT = "practice/tiny-calc"
FORK = "learner/tiny-calc"


def new_journey() -> Journey:
    journey = Journey()
    journey.choose(PROJECT)
    return journey


def fork_requests(forge: PracticeForge) -> list[str]:
    return [r.path for r in forge.requests if r.method == "POST" and r.path.endswith("/forks")]


def test_a_slow_fork_is_waited_for_then_cloned(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    practice_forge.fork_delay = 2.0
    journey = new_journey()
    events: list[SetupEvent] = []
    SetupFlow(GitHubForge(forge_config), state_store, tmp_path / "ws").run(journey, events.append)

    waits = [event.seconds for event in events if isinstance(event, ForkWaiting)]
    assert waits and waits == sorted(waits) and waits[-1] > 0  # the time waited, counting up
    # The wait comes before the fork step is done, and the clone only starts after it.
    fork_done = next(i for i, e in enumerate(events) if isinstance(e, StepDone))
    first_clone = next(i for i, e in enumerate(events) if isinstance(e, CloneProgress))
    last_wait = max(i for i, e in enumerate(events) if isinstance(e, ForkWaiting))
    assert last_wait < fork_done < first_clone
    assert events[fork_done] == StepDone(Step.FORK, f"Your fork: {FORK}")
    assert next(e for e in events if isinstance(e, Verified)).ok
    assert inspect(tmp_path / "ws" / "practice" / "tiny-calc").branch == "first-contribution"
    assert fork_requests(practice_forge) == [f"/repos/{PROJECT}/forks"]


def test_when_the_time_runs_out_the_fork_is_kept_and_trying_again_only_waits(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    practice_forge.fork_delay = 2.5
    journey = new_journey()
    impatient = SetupFlow(
        GitHubForge(forge_config), state_store, tmp_path / "ws", fork_ready_timeout=0.5
    )
    with pytest.raises(ForkNotReady) as stopped:
        impatient.run(journey, lambda _event: None)
    assert str(stopped.value).startswith(
        f"Practice forge is still creating your fork {FORK}; try again in a few minutes."
    )
    assert "Your fork is kept" in str(stopped.value)
    assert journey.fork == FORK and journey.clone_path is None
    assert state_store.journey(forge_config.key).fork == FORK  # saved, so a restart keeps it
    assert not (tmp_path / "ws" / "practice" / "tiny-calc").exists()

    # Try again (a new flow, as after restarting onboard): it waits for the same fork.
    resumed = state_store.journey(forge_config.key)
    events: list[SetupEvent] = []
    SetupFlow(GitHubForge(forge_config), state_store, tmp_path / "ws").run(resumed, events.append)
    assert any(isinstance(event, ForkWaiting) for event in events)
    assert next(e for e in events if isinstance(e, Verified)).ok
    assert fork_requests(practice_forge) == [f"/repos/{PROJECT}/forks"]  # never a second one


def test_the_wait_stops_promptly_when_cancelled(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    practice_forge.fork_delay = 60.0
    journey = new_journey()
    cancel = threading.Event()
    cancelled_at: list[float] = []

    def on_event(event: SetupEvent) -> None:
        if isinstance(event, ForkWaiting) and not cancel.is_set():
            cancelled_at.append(time.monotonic())
            cancel.set()  # what the screen's Cancel does, from another thread

    flow = SetupFlow(GitHubForge(forge_config), state_store, tmp_path / "ws")
    with pytest.raises(WaitCancelled) as stopped:
        flow.run(journey, on_event, cancel=cancel)
    assert time.monotonic() - cancelled_at[0] < 1.0
    assert str(stopped.value) == (
        f"Stopped waiting for your fork {FORK}. It is kept: Try again goes on waiting for it."
    )
    assert state_store.journey(forge_config.key).fork == FORK


def test_a_recorded_fork_that_is_gone_is_forgotten_not_forked_again_unasked(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    journey = new_journey()
    journey.fork = "learner/deleted-long-ago"
    flow = SetupFlow(GitHubForge(forge_config), state_store, tmp_path / "ws")
    with pytest.raises(ForkGone) as stopped:
        flow.run(journey, lambda _event: None)
    assert "learner/deleted-long-ago is no longer on the practice forge" in str(stopped.value)
    assert journey.fork is None and state_store.journey(forge_config.key).fork is None
    assert fork_requests(practice_forge) == []  # forking is public: the screen asks first
