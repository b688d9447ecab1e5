"""Pilot helpers: build the app against the practice forge and wait for its workers."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.ui.app import OnboardApp

SIZE = (120, 36)


def make_app(
    config: ForgeConfig, store: StateStore, workspace: Path, **options: object
) -> OnboardApp:
    return OnboardApp(
        config,
        store=store,
        workspace_root=workspace,
        check_connection=bool(options.pop("check_connection", False)),
        **options,  # type: ignore[arg-type]
    )


async def settle(pilot: Pilot[None], rounds: int = 50) -> None:
    """Wait until no worker is running and every message they posted was handled."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if any(worker.is_running for worker in app.workers):
            continue
        screen = app.screen
        # A worker's last message may push a screen, whose footer and bindings refresh on a
        # timer of their own: settled means nothing changed across one such beat.
        await pilot.pause(0.05)
        if app.screen is screen and not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            return
    raise AssertionError("workers kept running")


async def confirm_fork(pilot: Pilot[None], *, wait: bool = True) -> None:
    """Agree to the fork: the set-up screen asks before anything public happens.

    ``wait=False`` returns as soon as set-up has started, for tests that act during it.
    """
    from onboard.ui.screens.confirm import PublicActionDialog

    await settle(pilot)
    assert isinstance(pilot.app.screen, PublicActionDialog), pilot.app.screen
    await pilot.click("#confirm")
    if wait:
        await settle(pilot)
    else:
        await pilot.pause()
