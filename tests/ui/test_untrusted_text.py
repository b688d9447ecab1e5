"""Text written by strangers is shown as plain text: no markup, no actions, no escape sequences."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Markdown, Static

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.ui.screens.issue import IssueScreen
from onboard.ui.screens.issues import IssuesScreen
from tests.ui.helpers import SIZE, make_app, settle

HOSTILE_TITLE = "Fix [/] and [@click=app.quit]x[/] \x1b]0;pwned\x07"
HOSTILE_BODY = (
    "Click [@click=app.quit]here[/] or [link=https://evil.example]there[/link].\n\n"
    "\x1b]52;c;cGF5bG9hZA==\x07Clipboard grab, \x1b[2J screen clear, \u202eevil bidi.\n\n"
    "Unclosed [/ tag and [bold]bold[/bold]."
)


def set_up_journey(config: ForgeConfig, store: StateStore, workspace: Path) -> Journey:
    journey = Journey()
    journey.choose("practice/hello-docs")
    return SetupFlow(GitHubForge(config), store, workspace).run(journey, lambda _event: None)


async def test_hostile_issue_renders_as_plain_text_and_does_not_act(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    hostile = practice_forge.store.add_issue(
        "practice/hello-docs",
        HOSTILE_TITLE,
        body=HOSTILE_BODY,
        labels=["good first issue"],
        user="[red]mallory[/red]",
        created_days_ago=0.5,
        updated_days_ago=0.01,
    )
    practice_forge.store.add_comment(
        "practice/hello-docs",
        hostile["number"],
        "[@click=app.quit]reply[/] \x1b[31mred",
        user="eve",
    )
    workspace = tmp_path / "workspace"
    set_up_journey(forge_config, state_store, workspace)

    app = make_app(forge_config, state_store, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)
        table = app.screen.query_one("#issues", DataTable)
        row = table.get_row_index(f"issue-{hostile['number']}")
        shown_title = str(table.get_row_at(row)[2])
        assert shown_title == "Fix [/] and [@click=app.quit]x[/]"

        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        title = str(app.screen.query_one("#issue-title", Static).render())
        assert title == "Fix [/] and [@click=app.quit]x[/]"
        meta = str(app.screen.query_one("#issue-meta", Static).render())
        assert "[red]mallory[/red]" in meta

        body = app.screen.query_one("#issue-text", Markdown).source
        assert "\x1b" not in body
        assert "<U+202E>evil bidi" in body
        comments = [m.source for m in app.screen.query(".comment").results(Markdown)]
        assert comments == ["[@click=app.quit]reply[/] red"]

        # Clicking where the hostile text is drawn must not trigger the embedded quit action.
        for selector in ("#issue-title", "#issue-meta", "#issue-text", ".comment"):
            widget = app.screen.query(selector).first()
            for x in range(0, min(widget.size.width, 60), 6):
                await pilot.click(widget, offset=(x, 0))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        screenshot = app.export_screenshot()
        assert "\x1b" not in screenshot
        assert "pwned" not in screenshot


async def test_notifications_quote_forge_messages_as_plain_text(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hostile = "GitHub said: [/] [@click=app.quit]x[/] \x1b]0;pwned\x07 [b]loud"
        app.screen.notify(hostile, title="[red]Error[/]")
        app.notify(hostile, severity="error")
        await pilot.pause()
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert messages == ["GitHub said: [/] [@click=app.quit]x[/]  [b]loud"] * 2
        assert "pwned" not in app.export_screenshot()
