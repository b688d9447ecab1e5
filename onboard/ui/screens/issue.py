"""Reading one issue: its Markdown body, labels and comments, and what to do next."""

from __future__ import annotations

import re

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Markdown, Static

from onboard.core.models import Comment, Issue
from onboard.core.timefmt import ago
from onboard.forge.base import ForgeError
from onboard.ui.safe import safe_markdown, safe_text
from onboard.ui.screens.base import JourneyScreen

_HEX_COLOUR = re.compile(r"^[0-9a-fA-F]{6}$")


def label_chips(issue: Issue) -> Text:
    """Labels drawn in their own colours (colours validated: they come from strangers too)."""
    text = Text(end="")
    for label in issue.labels:
        colour = label.color if _HEX_COLOUR.match(label.color or "") else "808080"
        red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
        ink = "black" if (red * 299 + green * 587 + blue * 114) / 1000 > 140 else "white"
        text.append_text(safe_text(f" {label.name} ", style=f"{ink} on #{colour}", max_length=60))
        text.append(" ")
    return text


class IssueScreen(JourneyScreen):
    CSS_PATH = "issue.tcss"
    BINDINGS = [
        Binding("escape", "back", "Issues"),
        Binding("w", "work_on_it", "Work on this"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.issue: Issue | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="issue-body"):
            with VerticalScroll(id="issue-main"):
                yield Static(f"{self.repo}#{self.number}", id="issue-title", classes="heading")
                yield Static("", id="issue-meta", classes="muted")
                yield Static("", id="issue-labels")
                yield Markdown("", id="issue-text", open_links=False)
                yield Vertical(id="issue-comments")
            with Vertical(id="next-panel", classes="panel") as panel:
                panel.border_title = "What's next"
                yield Static("", id="next-hint")
                yield Button("Work on this one", id="work-on-it", variant="success")
                yield Static("", id="link-note", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#issue-main").loading = True
        self._update_next()
        self.fetch_issue()

    @work(thread=True, exclusive=True, group="issue")
    def fetch_issue(self) -> None:
        forge = self.onboard.forge
        try:
            issue = forge.issue(self.repo, self.number)
            comments = forge.comments(self.repo, self.number) if issue.comments else []
        except ForgeError as error:
            self.app.call_from_thread(self._show_error, str(error))
            return
        self.app.call_from_thread(self._show_issue, issue, comments)

    def _show_error(self, message: str) -> None:
        self.query_one("#issue-main").loading = False
        self.query_one("#issue-meta", Static).update(
            safe_text(f"Could not load this issue: {message}")
        )

    def _show_issue(self, issue: Issue, comments: list[Comment]) -> None:
        self.issue = issue
        self.query_one("#issue-main").loading = False
        self.query_one("#issue-title", Static).update(safe_text(issue.title, style="bold"))
        meta = Text(f"{issue.repo}#{issue.number} · opened by ", end="")
        meta.append_text(safe_text(issue.author or "someone"))
        meta.append(f" {ago(issue.created_at)} · {issue.comments} repl")
        meta.append("y" if issue.comments == 1 else "ies")
        if issue.assignees:
            meta.append(" · assigned to ")
            meta.append_text(safe_text(", ".join(issue.assignees)))
        self.query_one("#issue-meta", Static).update(meta)
        self.query_one("#issue-labels", Static).update(label_chips(issue))
        body = safe_markdown(issue.body) if issue.body else "*No description was given.*"
        self.query_one("#issue-text", Markdown).update(body)
        container = self.query_one("#issue-comments", Vertical)
        for comment in comments:
            header = Text("💬 ", end="")
            header.append_text(safe_text(comment.author or "someone", style="bold"))
            if comment.association in ("OWNER", "MEMBER", "COLLABORATOR"):
                header.append(" (maintainer)", style="green")
            header.append(f" · {ago(comment.created_at)}", style="dim")
            container.mount(Static(header, classes="comment-header"))
            container.mount(
                Markdown(safe_markdown(comment.body), classes="comment", open_links=False)
            )

    def _update_next(self) -> None:
        journey = self.onboard.journey
        chosen = journey.issue == self.number
        text = Text(end="")
        if chosen:
            text.append("You chose this issue.\n\n", style="bold green")
            text.append_text(safe_text(journey.next_hint(), one_line=False))
        else:
            text.append("Read the issue and its replies. If it fits you, choose it: ")
            text.append("you can always change your mind.\n\n")
            text.append("Then: ", style="bold")
            text.append("make your change on your branch, commit it and push it to your fork.")
        self.query_one("#next-hint", Static).update(text)
        self.query_one("#work-on-it", Button).display = not chosen

    @on(Markdown.LinkClicked)
    def link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Links are shown, never opened by a click: the address may not be what it looks like."""
        note = Text("Link: ", end="")
        note.append_text(safe_text(event.href, max_length=300))
        self.query_one("#link-note", Static).update(note)

    @on(Button.Pressed, "#work-on-it")
    def action_work_on_it(self) -> None:
        self.onboard.journey.issue = self.number
        self.onboard.save_journey()
        self._update_next()

    def action_back(self) -> None:
        self.app.pop_screen()
