"""Key flows of each screen beyond the main journey: typing a repo, the guide, going offline."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, MarkdownViewer, OptionList, Static

from onboard.core.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.forge.connect import PracticeSession
from onboard.forge.practice import PracticeForge
from onboard.ui.screens.guide import GuideScreen
from onboard.ui.screens.offline import OfflineScreen
from onboard.ui.screens.projects import ProjectsScreen
from onboard.ui.screens.setup import SetupScreen
from tests.ui.helpers import SIZE, make_app, settle


async def test_typed_repository_is_validated_then_chosen(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"not a repo", "enter")
        error = str(app.screen.query_one("#repo-error", Static).render())
        assert "OWNER/REPO" in error
        assert isinstance(app.screen, ProjectsScreen)

        app.focused.value = "practice/kind-words"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.journey.project == "practice/kind-words"
        assert app.journey.branch == "first-contribution"


async def test_setup_failure_shows_reason_and_retry(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "ws"
    blocker = workspace / "practice" / "hello-docs"
    blocker.mkdir(parents=True)
    (blocker / "notes.txt").write_text("my own files, not a clone")
    app = make_app(forge_config, state_store, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        error = app.screen.query_one("#setup-error", Static)
        assert error.display
        assert "not a git clone" in str(error.render())
        assert app.screen.query_one("#retry").display
        assert (blocker / "notes.txt").read_text() == "my own files, not a clone"

        (blocker / "notes.txt").unlink()
        await pilot.click("#retry")
        await settle(pilot)
        assert not app.screen.query_one("#setup-error", Static).display
        assert app.journey.is_set_up


async def test_guide_opens_from_anywhere_and_closes(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, GuideScreen)
        viewer = app.screen.query_one(MarkdownViewer)
        assert "How a contribution works" in viewer.document.source
        await pilot.press("escape")
        assert isinstance(app.screen, ProjectsScreen)


async def test_offline_offers_practice_mode_and_switches(
    state_store: StateStore, tmp_path: Path
) -> None:
    session = PracticeSession(tmp_path / "practice-data")
    app = make_app(
        ForgeConfig(api_url="http://127.0.0.1:9"),
        state_store,
        tmp_path / "ws",
        check_connection=True,
        practice=session,
    )
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, OfflineScreen)
            assert "Cannot reach" in str(app.screen.query_one("#offline-reason", Static).render())
            await pilot.click("#practice")
            await settle(pilot)
            assert app.config.practice
            assert isinstance(app.screen, ProjectsScreen)
            options = app.screen.query_one("#projects", OptionList)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            assert "practice/hello-docs" in ids
            assert app.forge.whoami() == "learner"
    finally:
        session.stop()
