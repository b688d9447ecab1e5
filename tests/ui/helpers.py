"""Pilot helpers: build the app against the practice forge and wait for its workers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button
from textual.worker import Worker, WorkerCancelled

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.ui.app import OnboardApp

SIZE = (120, 36)
#: Seconds nothing may change for the app to count as settled (a footer's refresh timer).
BEAT = 0.05


def make_app(
    config: ForgeConfig, store: StateStore, workspace: Path, **options: object
) -> OnboardApp:
    app = OnboardApp(
        config,
        store=store,
        workspace_root=workspace,
        check_connection=bool(options.pop("check_connection", False)),
        **options,  # type: ignore[arg-type]
    )
    # Scrolls and fades would repaint many frames each; what the tests check is where they end.
    app.animation_level = "none"
    return app


def _running(app: App[object]) -> list[Worker[object]]:
    """Running workers, but for DirectoryTree's loader, which waits for folders all its life."""
    return [worker for worker in app.workers if worker.is_running and worker.group != "_loader"]


async def drained(app: App[object]) -> None:
    """Return once every message queued so far on the app and its current screen is handled.

    What :meth:`Pilot.pause` does first, without its wait for an idle processor (up to a
    second while anything animates) and without the full repaint it forces each time, which
    made most of a Pilot test's time; the screen still repaints on its own timer.
    """
    nodes = [app, *app.screen.walk_children(with_self=True)]
    handled = asyncio.Event()
    waiting = 0

    def one_more() -> None:
        nonlocal waiting
        waiting -= 1
        if not waiting:
            handled.set()

    for node in nodes:
        if node.call_later(one_more):
            waiting += 1
    if waiting:
        await handled.wait()


async def settle(pilot: Pilot[None], rounds: int = 50) -> None:
    """Wait until no worker is running and every message they posted was handled."""
    app = pilot.app
    for _ in range(rounds):
        try:
            if busy := _running(app):  # (an empty list would mean "every worker")
                await app.workers.wait_for_complete(busy)
        except WorkerCancelled:  # an exclusive worker replaced by a newer one: wait for that
            await drained(app)
            continue
        await drained(app)
        if _running(app):
            continue
        screen = app.screen
        # A worker's last message may push a screen, whose footer and bindings refresh on a
        # timer of their own: settled means nothing changed across one such beat.
        await asyncio.sleep(BEAT)
        await drained(app)
        if app.screen is screen and not _running(app):
            await pilot.pause(0)  # one repaint, and what waits for it
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
        await asyncio.sleep(interval)
        await drained(pilot.app)


async def click_again(pilot: Pilot[None], selector: str) -> None:
    """Click a button a test clicked a moment ago: a Button ignores clicks while it still shows
    its last press (a double click), so this waits for that effect to end first."""
    button = pilot.app.screen.query_one(selector, Button)
    await until(pilot, lambda: not button.has_class("-active"), what=f"{selector}'s press effect")
    await pilot.click(selector)


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
