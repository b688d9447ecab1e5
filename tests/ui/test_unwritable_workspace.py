"""A workspace folder onboard cannot write in is a message on the set-up screen, not a crash."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.ui.screens.setup import SetupScreen

from .helpers import SIZE, confirm_fork, make_app

#: Refused even to root (the tests may run as root, for whom file modes mean nothing).
UNWRITABLE = Path("/sys/onboard-projects")


async def test_an_unwritable_workspace_is_explained_and_the_app_keeps_running(
    forge_config: ForgeConfig, state_store: StateStore
) -> None:
    journey = Journey()
    journey.choose("practice/hello-docs")
    state_store.save_journey(forge_config.key, journey)
    app = make_app(forge_config, state_store, UNWRITABLE)
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot)
        assert app.is_running and isinstance(app.screen, SetupScreen)
        error = str(app.screen.query_one("#setup-error", Static).render())
        assert "onboard cannot write in /sys" in error
        assert "Choose another folder" in error
