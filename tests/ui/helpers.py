"""Pilot helpers: build the app against the practice forge and wait for its workers."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

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
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one: wait for that
            await pilot.pause()
            continue
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


async def until(
    pilot: Pilot[None],
    condition: Callable[[], object],
    *,
    timeout: float = 10.0,
    interval: float = 0.02,
    what: str = "the app",
) -> None:
    """Poll ``condition`` between short pauses until it holds; fail after ``timeout`` seconds.

    For what no worker signals: a document loading, a timer's redraw, a child process's output.
    The deadline is generous for a busy machine; a quick machine returns at the first pass.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never got there within {timeout} s")
        await pilot.pause(interval)


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
