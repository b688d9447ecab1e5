"""After a real journey (fork, clone, upstream, branch, issue list) the token is nowhere: not in
any file onboard or git wrote (state, cache, .git/config, clone URLs), not in a log record, not
on any screen. Searched byte for byte, so a new place that leaks it is caught without anyone
having to think of it first."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.issues import IssuesScreen
from onboard.ui.screens.setup import SetupScreen
from tests.ui.helpers import SIZE, confirm_fork, make_app, settle


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def all_logs() -> Iterator[_Everything]:
    """Every log record at every level, including PyGithub's own request log."""
    handler = _Everything()
    loggers = [logging.getLogger(), logging.getLogger("github"), logging.getLogger("git")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def files_containing(root: Path, secret: bytes) -> list[Path]:
    return [
        path
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and secret in path.read_bytes()
    ]


async def test_a_whole_journey_leaves_the_token_nowhere(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    isolated_home: Path,
    tmp_path: Path,
    all_logs: _Everything,
) -> None:
    token = practice_forge.token
    assert forge_config.token == token
    workspace = tmp_path / "workspace"
    screens: list[str] = []
    app = make_app(forge_config, state_store, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screens.append(app.export_screenshot())
        await pilot.press("enter")
        await confirm_fork(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert not app.screen.query_one("#continue", Button).disabled
        screens.append(app.export_screenshot())
        await pilot.click("#continue")
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)
        screens.append(app.export_screenshot())

    clone = workspace / "practice" / "hello-docs"
    assert (clone / ".git" / "config").is_file()
    assert "learner/hello-docs" in (clone / ".git" / "config").read_text()
    assert state_store.path.is_file()
    assert list((isolated_home / ".cache" / "onboard").rglob("*.json")), "nothing was cached"
    assert any("GET" in line for line in all_logs.lines), "PyGithub's request log was not seen"

    secret = token.encode()
    assert files_containing(workspace, secret) == []
    assert files_containing(isolated_home, secret) == []
    assert [line for line in all_logs.lines if token in line] == []
    assert [svg for svg in screens if token in svg] == []
