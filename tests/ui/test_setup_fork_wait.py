"""Pilot tests: the set-up screen while GitHub is still creating the learner's fork.

The practice forge's ``fork_delay`` answers the fork at once and serves its git repository only
later, as GitHub does; the screen must say it is waiting, count the time, offer Cancel, and
finish the clone once git answers, with a single fork request.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Log, Static

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.app import OnboardApp
from onboard.ui.screens.confirm import PublicActionDialog
from onboard.ui.screens.setup import SetupScreen
from onboard.workspace.setup import inspect

from .helpers import SIZE, confirm_fork, make_app, settle

PROJECT = "practice/kind-words"


def chosen(state_store: StateStore, config: ForgeConfig) -> None:
    journey = Journey()
    journey.choose(PROJECT)
    state_store.save_journey(config.key, journey)


def text_of(app: OnboardApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def fork_posts(forge: PracticeForge) -> int:
    return sum(r.method == "POST" and r.path == f"/repos/{PROJECT}/forks" for r in forge.requests)


async def until_waiting(pilot: Pilot[None], app: OnboardApp) -> list[str]:
    """The fork step's lines, sampled until the screen says it is waiting for the fork."""
    seen: list[str] = []
    for _ in range(200):
        await pilot.pause(0.05)
        seen.append(text_of(app, "#step-fork"))
        if "is still creating your fork" in seen[-1]:
            return seen
    raise AssertionError(f"never said it was waiting: {seen[-3:]}")


async def test_the_screen_counts_the_wait_then_clones(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    chosen(state_store, forge_config)
    practice_forge.fork_delay = 2.0  # long enough to see the wait on a loaded machine
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot, wait=False)
        seen = await until_waiting(pilot, app)
        assert seen[-1].startswith("◐ ") and seen[-1].endswith(" s")
        assert app.screen.query_one("#cancel-clone").display  # the wait can be stopped
        log = app.screen.query_one("#setup-log", Log).lines
        assert "  waiting for the practice forge to finish creating your fork" in "\n".join(log)
        await settle(pilot)
        assert text_of(app, "#step-fork").startswith("✓")
        assert "learner/kind-words" in text_of(app, "#step-fork")
        assert not app.screen.query_one("#continue", Button).disabled
        assert not app.screen.query_one("#setup-error").display
        assert inspect(tmp_path / "ws" / "practice" / "kind-words").exists
    assert fork_posts(practice_forge) == 1


async def test_cancelling_the_wait_keeps_the_fork_and_try_again_goes_on_waiting(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    chosen(state_store, forge_config)
    practice_forge.fork_delay = 4.0  # Cancel must land during the wait, even on a loaded machine
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot, wait=False)
        await until_waiting(pilot, app)
        await pilot.pause()
        await pilot.click("#cancel-clone")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert text_of(app, "#setup-error").startswith(
            "Stopped waiting for your fork learner/kind-words. It is kept"
        )
        assert app.journey.fork == "learner/kind-words"
        assert app.screen.query_one("#retry").display

        await pilot.click("#retry")
        await pilot.pause()
        assert not isinstance(app.screen, PublicActionDialog)  # the fork exists: nothing to ask
        await settle(pilot)
        assert not app.screen.query_one("#continue", Button).disabled
        assert inspect(tmp_path / "ws" / "practice" / "kind-words").branch == "first-contribution"
    assert fork_posts(practice_forge) == 1
