"""A huge issue body or reply is shown as an excerpt with a pointer to the rest, not all at once."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.issue import BODY_LIMITS, COMMENT_LIMITS, IssueScreen
from tests.ui.helpers import SIZE, make_app, settle
from tests.ui.test_untrusted_text import set_up_journey

PASTED_LOG = "\n\n".join(f"line {n}: 🎉 something happened" for n in range(30_000))  # ~1 MB


async def test_a_megabyte_body_is_cut_with_a_pointer_to_github(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    issue = practice_forge.store.add_issue(
        "practice/hello-docs", "Crash on start", body=PASTED_LOG, labels=["good first issue"]
    )
    practice_forge.store.add_comment("practice/hello-docs", issue["number"], PASTED_LOG[:300_000])
    workspace = tmp_path / "workspace"
    set_up_journey(forge_config, state_store, workspace)
    app = make_app(forge_config, state_store, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(IssueScreen(issue["number"]))
        await settle(pilot)
        body = app.screen.query_one("#issue-text", Markdown).source
        assert body.startswith("line 0: 🎉 something happened")
        assert len(body) < BODY_LIMITS.max_chars + 200
        assert body.endswith("press **o** to read the rest on GitHub.*")
        # A block per paragraph is what makes Textual's Markdown slow: they are bounded too.
        assert body.count("\n\n") <= BODY_LIMITS.max_blocks + 2
        (reply,) = [m.source for m in app.screen.query(".comment").results(Markdown)]
        assert reply.count("\n\n") <= COMMENT_LIMITS.max_blocks + 2
        assert "read the rest on GitHub" in reply


async def test_a_short_body_is_shown_whole(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    text = "Fix the typo in `README.md`.\n\nIt says *teh*."
    issue = practice_forge.store.add_issue("practice/hello-docs", "Typo", body=text)
    workspace = tmp_path / "workspace"
    set_up_journey(forge_config, state_store, workspace)
    app = make_app(forge_config, state_store, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(IssueScreen(issue["number"]))
        await settle(pilot)
        assert app.screen.query_one("#issue-text", Markdown).source == text
