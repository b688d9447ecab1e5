"""The guided commit: which files, the message in the project's style, and the exact commit.

The message starts from the draft (the issue's title, Conventional Commits if the project uses
them). The checklist says what the project asks (a sign-off, a news fragment, a CLA) and the
preview shows the commit as git will store it, sign-off included, before anything is made.
When git does not know the learner's name and email they are asked for here, and saved in
this clone only when the learner ticks the box that says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from onboard.flows.change import ChangeView
from onboard.ui.safe import safe_text
from onboard.workspace.committing import CommitIdentity, identity_problem


@dataclass(frozen=True)
class CommitRequest:
    files: list[str]
    message: str
    #: A name and email to save in the clone first (the learner agreed), or None.
    identity: CommitIdentity | None = None


def conventions_text(view: ChangeView) -> Text:
    """What the project asks of this commit, in one short list."""
    conventions = view.conventions
    text = Text(end="")
    if conventions.style.conventional:
        text.append("• Conventional Commits: ", style="bold")
        text.append(f"type: subject ({conventions.style.evidence()}).\n")
    if conventions.dco is not None:
        text.append("• Sign-off: ", style="bold")
        text.append_text(safe_text(f"{conventions.dco.source} asks for it"))
        text.append("; onboard adds Signed-off-by (git commit -s).\n")
    if conventions.fragment is not None:
        rule = conventions.fragment
        done = rule.satisfied_by([entry.path for entry in view.status])
        text.append("• News fragment: ", style="bold")
        text.append_text(safe_text(rule.path))
        text.append(" ✓ in this commit\n" if done else " — add it to this commit\n")
    if conventions.cla is not None:
        text.append("• CLA: ", style="bold")
        text.append("sign it before the pull request")
        if conventions.cla.link:
            text.append(": ")
            text.append_text(safe_text(conventions.cla.link))
        text.append("\n")
    if not text.plain:
        text.append("This project asks for nothing special of a commit: a clear message will do.")
    return text


class CommitDialog(ModalScreen[CommitRequest | None]):
    CSS_PATH = "commit_dialog.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+g", "commit", "Commit", tooltip="Make the commit shown in the preview"),
    ]

    def __init__(self, view: ChangeView, message: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.message = message or view.message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="commit-dialog"):
            yield Static("Commit your change", classes="heading")
            with Horizontal(id="commit-columns"):
                with VerticalScroll(id="commit-left"):
                    yield from self._compose_choices()
                with VerticalScroll(id="commit-right"):
                    yield Static("Preview: the commit as git will make it", classes="dialog-label")
                    yield Static("", id="commit-preview")
            with Horizontal(classes="dialog-actions"):
                yield Button("Commit", id="do-commit", variant="success")
                yield Button("Cancel", id="cancel-commit")
                yield Static("", id="commit-problem", classes="dialog-problem")

    def _compose_choices(self) -> ComposeResult:
        yield Static(conventions_text(self.view), id="commit-conventions")
        yield Static("Files in this commit", classes="dialog-label")
        yield SelectionList[str](
            *(
                Selection(safe_text(f"{entry.path}  ({entry.description})"), entry.path, True)
                for entry in self.view.status
            ),
            id="commit-files",
        )
        yield Static("Message (first line: what it does, in 72 characters)", classes="dialog-label")
        yield TextArea(self.message, id="commit-message", soft_wrap=True)
        if self.view.identity is None:
            with Vertical(id="identity"):
                yield Static(
                    "git does not know who you are yet. Commits carry a name and an email, "
                    "in public: use the ones you want seen (your forge's noreply address "
                    "keeps your own private).",
                    classes="dialog-note",
                )
                yield Input(placeholder="Your name", id="identity-name")
                yield Input(placeholder="name@example.org", id="identity-email")
                yield Checkbox(
                    "Save them in this clone only (git config --local)", id="identity-consent"
                )

    def on_mount(self) -> None:
        self.query_one("#commit-problem").display = False
        self._update_preview()

    def _typed_identity(self) -> CommitIdentity | None:
        if self.view.identity is not None:
            return None
        name = self.query_one("#identity-name", Input).value.strip()
        email = self.query_one("#identity-email", Input).value.strip()
        return CommitIdentity(name, email) if name and email else None

    def _files(self) -> list[str]:
        return list(self.query_one("#commit-files", SelectionList).selected)

    @on(TextArea.Changed)
    @on(Input.Changed)
    @on(SelectionList.SelectedChanged)
    def _update_preview(self) -> None:
        message = self.query_one("#commit-message", TextArea).text
        preview = self.view.preview(message, self._files(), self._typed_identity())
        self.query_one("#commit-preview", Static).update(safe_text(preview, one_line=False))

    def _problem(self) -> str | None:
        if not self._files():
            return "Choose at least one file for this commit."
        if not self.query_one("#commit-message", TextArea).text.strip():
            return "Write a message: say what the change does."
        if self.view.identity is None:
            name = self.query_one("#identity-name", Input).value
            email = self.query_one("#identity-email", Input).value
            problem = identity_problem(name, email)
            if problem:
                return problem
            if not self.query_one("#identity-consent", Checkbox).value:
                return "Tick the box to let onboard save your name and email in this clone."
        return None

    @on(Button.Pressed, "#do-commit")
    def action_commit(self) -> None:
        problem = self._problem()
        if problem:
            box = self.query_one("#commit-problem", Static)
            box.update(safe_text(problem, one_line=False))
            box.display = True
            return
        message = self.query_one("#commit-message", TextArea).text
        self.dismiss(CommitRequest(self._files(), message, self._typed_identity()))

    @on(Button.Pressed, "#cancel-commit")
    def cancel(self) -> None:
        self.dismiss(None)
