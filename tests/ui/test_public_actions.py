"""One rule for public actions, on screen: preview where and as whom, confirm, keep the text."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TextArea

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.ui.screens.confirm import PublicActionDialog
from onboard.ui.screens.issue import IssueScreen
from onboard.ui.screens.projects import ProjectsScreen
from onboard.ui.screens.setup import SetupScreen

from .helpers import SIZE, make_app, settle


def _chosen(store: StateStore, config: ForgeConfig, project: str) -> None:
    journey = Journey()
    journey.choose(project)
    store.save_journey(config.key, journey)


async def test_nothing_is_forked_until_the_learner_agrees(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    _chosen(state_store, forge_config, "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PublicActionDialog)
        summary = str(app.screen.query_one("#dialog-summary", Static).render())
        assert "practice/hello-docs on the practice forge as learner" in summary
        assert "public copy" in summary
        assert practice_forge.store.get_repo("learner/hello-docs") is None
        await pilot.click("#cancel")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
    assert practice_forge.store.get_repo("learner/hello-docs") is None
    assert not [r for r in practice_forge.requests if r.method == "POST"]


async def test_a_mistyped_repository_is_never_forked(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    _chosen(state_store, forge_config, "practice/helo-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        error = str(app.screen.query_one("#setup-error", Static).render())
        assert "no such repository" in error
        assert app.screen.query_one("#retry").display
    assert not [r for r in practice_forge.requests if r.method == "POST"]


async def test_a_claim_that_fails_to_post_keeps_its_text(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    journey = Journey()
    journey.choose("practice/hello-docs")
    journey = SetupFlow(GitHubForge(forge_config), state_store, tmp_path / "ws").run(
        journey, lambda _event: None
    )
    journey.issue = 1
    state_store.save_journey(forge_config.key, journey)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    written = "Hi! I'd like to fix this typo. I'll open a PR today."
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_issue(1)
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        practice_forge.faults.add("error", path="/comments", method="POST", times=1, status=500)
        await pilot.press("c")
        app.screen.query_one("#dialog-text", TextArea).text = written
        await pilot.click("#confirm")
        await settle(pilot)
        assert any("Your comment is kept" in n.message for n in app._notifications)
        await pilot.press("c")  # try again: the text is the one written, not the template
        assert app.screen.query_one("#dialog-text", TextArea).text == written
        await pilot.click("#confirm")
        await settle(pilot)
    bodies = [c["body"] for c in practice_forge.store.comments("practice/hello-docs", 1)]
    assert bodies[-1] == written
