"""A contribution without an issue (a review, a pack's non-code task): what to do, then do it.

A review task can be done from here: the learner writes a kind, specific review and onboard
posts it (a comment review, never an approval) and records it for their mentor session. A pack's
non-code task often happens elsewhere (a translation platform, a forum), so the learner records
it with a link their mentor can follow: onboard cannot observe it, and says so in the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Markdown, Static

from onboard.core.models import Issue
from onboard.core.packs.loading import Task
from onboard.core.sessions.progress import MAX_EXTRA_TEXT, SessionEvent
from onboard.forge.base import ForgeError
from onboard.ui.safe import safe_markdown, safe_text
from onboard.ui.threads import deliver

if TYPE_CHECKING:
    from onboard.ui.app import OnboardApp


class TaskScreen(ModalScreen[None]):
    CSS_PATH = "task.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    @property
    def onboard(self) -> OnboardApp:
        return cast("OnboardApp", self.app)

    def __init__(self, task: Task, *, pull: Issue | None = None) -> None:
        super().__init__()
        self.contribution_task = task
        #: For a review task: the pull request to review.
        self.pull = pull

    def compose(self) -> ComposeResult:
        task = self.contribution_task
        with Vertical(id="task-dialog"):
            heading = Text(f"{task.lane.title} · ", style="italic", end="")
            heading.append_text(safe_text(task.title, style="bold"))
            yield Static(heading, classes="heading")
            yield Markdown(safe_markdown(task.description), open_links=False, id="task-text")
            if task.link:
                link = Text("Start here: ", end="")
                link.append_text(safe_text(task.link, max_length=300))
                yield Static(link, id="task-link")
            if self.pull is None and not task.lane.is_code:
                yield Static(
                    "Done it? Record it for your mentor, with a link to what you did "
                    "(a page, a comment, a pull request) if there is one.",
                    classes="muted",
                )
                yield Input(placeholder="https://… (optional)", id="task-url")
            with Horizontal(id="task-actions"):
                if self.pull is not None:
                    yield Button("Write a review…", id="review", variant="primary")
                elif not task.lane.is_code:
                    yield Button("I did this: record it", id="record", variant="primary")
                yield Button("Close", id="close")

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#review")
    def write_review(self) -> None:
        from onboard.core.public_actions import ActionKind, PublicAction
        from onboard.flows.act import review_template
        from onboard.ui.screens.confirm import Confirmed, PublicActionDialog

        pull = self.pull
        assert pull is not None
        where = f"{pull.repo}#{pull.number}"
        key = f"review:{where}"

        def written(confirmed: Confirmed | None) -> None:
            if confirmed and confirmed.text:
                self.onboard.drafts[key] = confirmed.text  # kept until the post succeeds
                self._post_review(pull, confirmed.text, key)

        dialog = PublicActionDialog(
            PublicAction(ActionKind.REVIEW, where),
            heading=f"Review {where}",
            button="Post review",
            text=self.onboard.drafts.get(key, review_template()),
            what="review",
        )
        self.app.push_screen(dialog, written)

    @work(thread=True, exclusive=True, group="review")
    def _post_review(self, pull: Issue, text: str, key: str) -> None:
        from onboard.flows.act import post_review

        app = self.onboard
        try:
            post_review(app.forge, app.store, pull, text)  # records it in the active session
        except (ForgeError, ValueError) as error:
            app.call_from_thread(
                self.notify,
                f"{error}\nYour review is kept: press the button to try again.",
                severity="error",
                timeout=15,
            )
            return
        app.drafts.pop(key, None)
        deliver(self, self._reviewed, news="Your review is posted.")

    def _reviewed(self) -> None:
        self.onboard.poll_session()  # the session's "review given" checkpoint
        self._done("Your review is posted. Thank you: reviews count too.")

    @on(Button.Pressed, "#record")
    @on(Input.Submitted, "#task-url")
    def record(self) -> None:
        url = self.query_one("#task-url", Input).value.strip()[:MAX_EXTRA_TEXT]
        if url and not url.startswith(("https://", "http://")):
            self.notify("A link starts with https:// (or leave it empty).", severity="warning")
            return
        task = self.contribution_task
        event = SessionEvent.noncode_done(task.lane.value, url or None, task.title)
        if not self.onboard.record_session_event(event):
            self.notify(
                "Nice work! (Nothing is recorded outside a mentor session.)", title="Thank you"
            )
            self.dismiss()
            return
        self._done("Recorded for your mentor. Non-code work counts as much as code.")

    def _done(self, message: str) -> None:
        self.notify(message, title="Thank you")
        self.dismiss()
