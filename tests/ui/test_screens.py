"""Key flows of each screen beyond the main journey: typing a repo, the guide, going offline."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from textual.widgets import Input, MarkdownViewer, OptionList, Static
from textual.widgets.markdown import MarkdownTableOfContents

from onboard.core.models import RepoRef
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.forge.connect import PracticeSession
from onboard.practice import PracticeForge
from onboard.ui.screens.guide import GuideScreen
from onboard.ui.screens.offline import OfflineScreen
from onboard.ui.screens.projects import ProjectsScreen
from onboard.ui.screens.setup import SetupScreen
from tests.threads import all_ended, started_since
from tests.ui.helpers import SIZE, confirm_fork, make_app, settle, until


async def test_typed_repository_is_validated_then_chosen(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"not a repo", "enter")
        error = str(app.screen.query_one("#repo-error", Static).render())
        assert "OWNER/REPO" in error
        assert isinstance(app.screen, ProjectsScreen)

        app.focused.value = "practice/kind-words"
        await pilot.press("enter")
        await confirm_fork(pilot)
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
        await settle(pilot)
        await pilot.press("enter")
        await confirm_fork(pilot)
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


async def test_guide_reader_lists_guides_and_keeps_reading_progress(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")  # before the packs have even loaded
        await settle(pilot)
        assert isinstance(app.screen, GuideScreen)
        listed = app.screen.query_one("#guide-list", OptionList)
        ids = [listed.get_option_at_index(i).id for i in range(listed.option_count)]
        assert ids[1] == "general/how-a-contribution-works"
        assert "practice/practising-with-onboard" in ids
        viewer = app.screen.query_one(MarkdownViewer)
        await until(pilot, lambda: viewer.document.source, what="the guide")  # loads async
        assert "How a contribution works" in viewer.document.source
        key = "general/how-a-contribution-works"
        assert state_store.guide_progress().get(key, 0.0) < 0.5  # opening is not reading

        viewer.scroll_end(animate=False)
        await settle(pilot)
        # scroll events and the save that follows them
        await until(pilot, lambda: state_store.guide_progress().get(key, 0.0) >= 0.95)
        assert state_store.guide_progress()[key] >= 0.95
        assert str(listed.get_option_at_index(1).prompt).startswith("✓")

        listed.focus()
        await pilot.press("down")  # highlighting the next guide opens it
        await settle(pilot)
        assert app.screen.current is not None
        assert app.screen.current[1].id == "non-code-contributions"
        assert viewer.document.source.startswith("# Contributions that are not code")
        await pilot.press("t")  # the table of contents of the open guide
        await settle(pilot)
        assert viewer.show_table_of_contents
        contents = viewer.query_one(MarkdownTableOfContents).table_of_contents or []
        assert [title for _level, title, _id in contents][:2] == [
            "Contributions that are not code",
            "The kinds of contribution",
        ]
        await pilot.press("escape")
        assert isinstance(app.screen, ProjectsScreen)

    again = make_app(forge_config, state_store, tmp_path / "ws")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        listed = again.screen.query_one("#guide-list", OptionList)
        assert str(listed.get_option_at_index(1).prompt).startswith("✓")


async def test_packs_arriving_while_the_guide_screen_mounts_still_open_the_first_guide(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    """The pack loader can finish between F1 and the screen being ready; the screen's own mount
    then shows the guide (the loader must not reach into widgets that are not there yet)."""
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        packs = app.packs
        app.packs_ready = False
        app.push_screen(GuideScreen())
        app._packs_loaded(packs, [])  # the loader's callback, in the same moment
        await settle(pilot)
        viewer = app.screen.query_one(MarkdownViewer)
        await until(pilot, lambda: viewer.document.source, what="the guide")
        assert "How a contribution works" in viewer.document.source


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


async def test_the_forge_threads_end_when_the_app_closes(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    before = set(threading.enumerate())
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        repos = [RepoRef.parse("practice/hello-docs")]
        await asyncio.to_thread(app.forge.good_first_issues, repos)
        threads = started_since(before, "forge_")
        assert threads
    assert all_ended(threads)
