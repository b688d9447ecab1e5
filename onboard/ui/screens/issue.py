"""Reading one issue and acting on it.

Shows the rendered body, labels, replies, pull requests that reference it, and its claim status
with the evidence. Actions: work on it (a branch from the up-to-date upstream), claim it with an
editable comment, open a draft pull request. Anything public is confirmed first.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Markdown, Static

from onboard.core.discovery.claims import assess_claim
from onboard.core.discovery.roles import is_maintainer
from onboard.core.models import Claim, ClaimStatus, Comment, Issue, LinkedPull
from onboard.core.public_actions import ActionKind, PublicAction
from onboard.core.text.excerpt import Limits, excerpt
from onboard.core.text.timefmt import ago
from onboard.flows import act
from onboard.forge.base import ForgeError, Freshness, Timeline
from onboard.ui.safe import safe_markdown, safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.ui.screens.draft_pull import propose_draft_pull
from onboard.ui.threads import deliver
from onboard.workspace.changes import pull_template
from onboard.workspace.gitenv import WorkspaceError

_HEX_COLOUR = re.compile(r"^[0-9a-fA-F]{6}$")

#: How much of a description (and of each reply) the screen shows, in characters and blocks.
#: Textual's Markdown widget builds a widget per block: beyond these the screen would stop
#: answering for seconds (a pasted log, an emoji storm).
BODY_LIMITS = Limits(max_chars=12_000, max_blocks=80)
COMMENT_LIMITS = Limits(max_chars=4_000, max_blocks=25)
NO_DESCRIPTION = "*No description was given.*"


def readable(markdown: str, limits: Limits) -> str:
    """Inert Markdown, cut to what the screen can show, saying where the rest is."""
    shown = excerpt(safe_markdown(markdown, max_length=limits.max_chars + 1), limits)
    if not shown.cut:
        return shown.text
    rest = len(markdown) - len(shown.text)
    return (
        f"{shown.text}\n\n---\n\n*This text goes on for about {rest:,} more characters: "
        "press **o** to read the rest on GitHub.*"
    )


CLAIM_STYLE = {
    ClaimStatus.FREE: "green",
    ClaimStatus.UNKNOWN: "yellow",
    ClaimStatus.TAKEN: "red",
    ClaimStatus.YOURS: "cyan",
}


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


def claim_text(claim: Claim, pulls: list[LinkedPull], freshness: Freshness | None = None) -> Text:
    text = Text(end="")
    text.append(f"Status: {claim.status.value}\n", style=f"bold {CLAIM_STYLE[claim.status]}")
    if freshness is not None:
        age = ago(freshness.fetched_at)
        if freshness.stale_reason:
            text.append(f"saved answer from {age}: ", style="yellow")
            text.append_text(safe_text(freshness.stale_reason, style="yellow", max_length=200))
            text.append("\n")
        else:
            text.append(f"checked {age}\n", style="dim")
    for line in claim.evidence:
        text.append("• ")
        text.append_text(safe_text(line, max_length=200))
        text.append("\n")
    for pull in pulls:
        state = "merged" if pull.merged else pull.state
        text.append(f"↳ pull request #{pull.number} ({state}) by ")
        text.append_text(safe_text(pull.author or "someone"))
        text.append("\n")
    return text


def is_web_link(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


class IssueScreen(JourneyScreen):
    CSS_PATH = "issue.tcss"
    KEYS_TITLE = "An issue"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="To the issue list"),
        Binding("w", "work_on_it", "Work on it", tooltip="A branch of its own from upstream"),
        Binding("c", "claim", "Claim", tooltip="Say you are on it, in a comment you edit first"),
        Binding("m", "make_change", "Change", tooltip="Make the change: edit, diff, commit"),
        Binding("p", "draft_pull", "Draft PR", tooltip="Push your branch, open a draft PR"),
        Binding("o", "open_in_browser", "Browser", tooltip="Open the issue in your browser"),
        Binding("y", "copy_link", "Copy link", show=False, tooltip="The issue's address"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.issue: Issue | None = None
        self.claim: Claim | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="issue-body"):
            with VerticalScroll(id="issue-main"):
                yield Static(f"{self.repo}#{self.number}", id="issue-title", classes="heading")
                yield Static("", id="issue-meta", classes="muted")
                yield Static("", id="issue-labels")
                yield Markdown("", id="issue-text", open_links=False)
                yield Vertical(id="issue-comments")
            with VerticalScroll(id="next-panel", classes="panel") as panel:
                panel.border_title = "What's next"
                yield Static("", id="claim-status")
                yield Static("", id="next-hint")
                yield Button("Work on this one", id="work-on-it", variant="success")
                yield Button("Claim it (comment)", id="claim")
                yield Button("Make the change", id="make-change", variant="success")
                yield Button("Open a draft pull request", id="draft-pull", variant="primary")
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
        except ForgeError as error:
            deliver(self, self._show_error, str(error))
            return
        try:
            timeline: Timeline | None = forge.timeline(self.repo, self.number)
        except ForgeError:
            timeline = None  # the issue still shows; its claim status becomes "unknown"
        # Cleaning and cutting a long body happens here, off the UI thread.
        body = readable(issue.body, BODY_LIMITS) if issue.body else NO_DESCRIPTION
        comments = (
            [readable(c.body, COMMENT_LIMITS) for c in timeline.comments[-10:]]
            if (timeline)
            else []
        )
        deliver(self, self._show_issue, issue, timeline, body, comments)

    def _show_error(self, message: str) -> None:
        self.query_one("#issue-main").loading = False
        self.query_one("#issue-meta", Static).update(
            safe_text(f"Could not load this issue: {message}")
        )

    def _show_issue(
        self, issue: Issue, timeline: Timeline | None, body: str, shown_comments: list[str]
    ) -> None:
        self.issue = issue
        comments = timeline.comments if timeline else []
        pulls = timeline.pulls if timeline else []
        self.claim = assess_claim(
            issue,
            now=datetime.now(UTC),
            comments=timeline.comments if timeline else None,
            pulls=timeline.pulls if timeline else None,
            assignments=timeline.assignments if timeline else (),
            me=self.onboard.journey.login,
        )
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
        self.query_one("#issue-text", Markdown).update(body)
        self._show_comments(comments, shown_comments)
        freshness = timeline.freshness if timeline else None
        self.query_one("#claim-status", Static).update(claim_text(self.claim, pulls, freshness))
        self._update_next()

    def _show_comments(self, comments: list[Comment], shown: list[str]) -> None:
        container = self.query_one("#issue-comments", Vertical)
        container.remove_children()
        for comment, text in zip(comments[-10:], shown, strict=True):
            header = Text("💬 ", end="")
            header.append_text(safe_text(comment.author or "someone", style="bold"))
            if is_maintainer(comment):
                header.append(" (maintainer)", style="green")
            header.append(f" · {ago(comment.created_at)}", style="dim")
            container.mount(Static(header, classes="comment-header"))
            container.mount(Markdown(text, classes="comment", open_links=False))
        if len(comments) > 10:
            container.mount(
                Static(
                    f"({len(comments) - 10} earlier replies: open in browser with o)",
                    classes="muted",
                )
            )

    def _update_next(self) -> None:
        journey = self.onboard.journey
        chosen = journey.issue == self.number
        text = Text(end="")
        if chosen and journey.pull_url:
            text.append("Your draft pull request is open:\n", style="bold green")
            text.append_text(safe_text(journey.pull_url))
            text.append("\n\nWatch for review comments and reply kindly; push more commits to ")
            text.append("the same branch to update it.")
        elif chosen:
            text.append("You are working on this issue.\n\n", style="bold green")
            text.append_text(safe_text(journey.next_hint(), one_line=False))
            if journey.claim_url:
                text.append("\n\nYour claim comment is posted.", style="green")
        else:
            text.append("Read the issue and its replies. If it fits you, choose ")
            text.append("Work on this one", style="bold")
            text.append(": onboard creates a branch for it. You can always change your mind.")
        self.query_one("#next-hint", Static).update(text)
        self.query_one("#work-on-it", Button).display = not chosen
        self.query_one("#make-change", Button).display = chosen and bool(journey.work_branch)
        self.query_one("#claim", Button).display = not journey.claim_url or not chosen
        self.query_one("#draft-pull", Button).display = chosen and not journey.pull_url

    # -- actions --------------------------------------------------------------------------------

    @on(Button.Pressed, "#work-on-it")
    def action_work_on_it(self) -> None:
        if self.issue is not None:
            self._start_work(self.issue)

    @work(thread=True, exclusive=True, group="act")
    def _start_work(self, issue: Issue) -> None:
        app = self.onboard
        try:
            branch = act.start_work(app.forge, app.store, app.journey, issue)
        except (ForgeError, WorkspaceError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=15)
            return
        done = f"Created branch {branch} from the latest upstream."
        deliver(self, self._acted, done, news=done)

    def _acted(self, message: str) -> None:
        self.notify(message, title="Done")
        self.onboard.refresh_journey_bars()
        self._update_next()
        self.fetch_issue()  # the status panel: your claim or pull request makes it yours

    @on(Button.Pressed, "#make-change")
    def action_make_change(self) -> None:
        journey = self.onboard.journey
        if self.issue is None or journey.issue != self.number or not journey.work_branch:
            self.notify("Choose 'Work on this one' first: it creates your branch.")
            return
        from onboard.ui.screens.change import ChangeScreen

        self.app.push_screen(ChangeScreen(self.issue))

    @on(Button.Pressed, "#claim")
    def action_claim(self) -> None:
        if self.issue is None:
            return
        if self.claim is not None and self.claim.status is ClaimStatus.TAKEN:
            self.notify(
                "Someone seems to be working on this already (see the evidence). "
                "Claiming it anyway is possible, but ask first.",
                severity="warning",
            )
        from onboard.ui.screens.confirm import Confirmed, PublicActionDialog

        issue = self.issue
        key = f"claim:{issue.repo}#{issue.number}"

        def posted(confirmed: Confirmed | None) -> None:
            if confirmed and confirmed.text:
                self.onboard.drafts[key] = confirmed.text  # kept until the post succeeds
                self._post_claim(issue, confirmed.text, key)

        dialog = PublicActionDialog(
            PublicAction(ActionKind.CLAIM, f"{issue.repo}#{issue.number}"),
            heading="Claim this issue",
            button="Post comment",
            text=self.onboard.drafts.get(key, act.claim_template()),
        )
        self.app.push_screen(dialog, posted)

    @work(thread=True, exclusive=True, group="act")
    def _post_claim(self, issue: Issue, text: str, key: str) -> None:
        app = self.onboard
        try:
            act.post_claim(app.forge, app.store, app.journey, issue, text)
        except (ForgeError, ValueError) as error:
            self.app.call_from_thread(
                self.notify,
                f"{error}\nYour comment is kept: press c to try again.",
                severity="error",
                timeout=15,
            )
            return
        app.drafts.pop(key, None)
        done = "Your comment is posted. Be patient for a reply."
        deliver(self, self._acted, done, news=done)

    @on(Button.Pressed, "#draft-pull")
    def action_draft_pull(self) -> None:
        journey = self.onboard.journey
        if self.issue is None or journey.issue != self.number or not journey.work_branch:
            self.notify("Choose 'Work on this one' first: it creates your branch.")
            return
        template = pull_template(Path(journey.clone_path)) if journey.clone_path else None
        title, body = act.default_pull_text(self.issue, template.text if template else None)
        retry = "press p to try again."
        propose_draft_pull(self, self.issue, title=title, body=body, done=self._acted, retry=retry)

    def action_open_in_browser(self) -> None:
        url = self.issue.url if self.issue else ""
        if is_web_link(url):
            self.app.open_url(url)
            self.notify("Opened in your browser.")
        else:
            self.notify("This issue has no web address to open.", severity="warning")

    def action_copy_link(self) -> None:
        if self.issue and is_web_link(self.issue.url):
            self.app.copy_to_clipboard(self.issue.url)
            self.notify("Link copied.")

    @on(Markdown.LinkClicked)
    def link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Links are shown, never opened by a click: the address may not be what it looks like."""
        note = Text("Link: ", end="")
        note.append_text(safe_text(event.href, max_length=300))
        self.query_one("#link-note", Static).update(note)

    def action_back(self) -> None:
        self.app.pop_screen()
