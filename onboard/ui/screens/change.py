"""*Make the change*: edit the clone, see the diff, commit the project's way, share it.

Reached from the issue screen (``m``) and the journey bar. The learner's own editor is offered
when there is one and the app can step aside for it (``App.suspend``; not in web mode); the
in-app editor always works. The diff and status come from git, off the UI thread, and are shown
cleaned (they hold strangers' text). Committing is local, so its guard is the commit dialog's
exact preview; pushing, opening the pull request and marking it ready are public and go through
the confirmation dialog like every other public action. The project's tests run from the
set-up screen, under the same consent as its set-up steps.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DirectoryTree, Static, TabbedContent, TabPane

from onboard.core.change.editor import editor_command
from onboard.core.models import Issue
from onboard.core.public_actions import ActionKind, PublicAction
from onboard.core.text.sanitize import clean
from onboard.flows import act
from onboard.flows import change as flow
from onboard.flows.change import ChangeView
from onboard.forge.base import ForgeError
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.ui.screens.commit_dialog import CommitDialog, CommitRequest
from onboard.ui.screens.draft_pull import propose_draft_pull
from onboard.ui.screens.new_file import NewFileDialog, create_in_clone
from onboard.ui.threads import deliver
from onboard.ui.widgets.clone_editor import CloneEditor, CloneTree
from onboard.workspace import setup as ws
from onboard.workspace.changes import MAX_DIFF_CHARS
from onboard.workspace.committing import commit_identity
from onboard.workspace.gitenv import WorkspaceError

_MARK = {True: ("✓ ", "green"), False: ("○ ", "yellow")}


def checklist_text(view: ChangeView) -> Text:
    text = Text(end="")
    for item in view.checklist.items:
        mark, style = _MARK[item.done]
        text.append(mark, style=style)
        text.append_text(safe_text(item.text, max_length=200))
        if item.link:
            text.append("\n   ")
            text.append_text(safe_text(item.link, style="underline", max_length=300))
        if item.because and not item.done:
            text.append("\n   ")
            text.append_text(safe_text(item.because, style="dim", max_length=200))
        text.append("\n")
    return text


def status_text(view: ChangeView) -> Text:
    if not view.status:
        return Text("Nothing changed since your last commit.", style="dim", end="")
    text = Text("Changed in your clone (git status):\n", style="bold", end="")
    for entry in view.status:
        text.append(f"  {entry.description:<10} ", style="yellow")
        text.append_text(safe_text(entry.path, max_length=300))
        text.append("\n")
    return text


def diff_renderable(diff: str) -> Syntax | Text:
    """The diff highlighted as one, on cleaned text: no file can send the terminal an escape."""
    if not diff.strip():
        return Text("No difference yet: edit a file, save it, and it shows here.", style="dim")
    return Syntax(clean(diff, max_length=MAX_DIFF_CHARS + 200), "diff", word_wrap=True)


class ChangeScreen(JourneyScreen):
    CSS_PATH = "change.tcss"
    KEYS_TITLE = "Make the change"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="To the issue"),
        Binding("ctrl+s", "save", "Save", tooltip="Save the file in the editor"),
        Binding("ctrl+g", "commit", "Commit", tooltip="Commit your change, the project's way"),
        Binding("ctrl+o", "open_editor", "My editor", tooltip="Open the clone in your editor"),
        Binding("ctrl+r", "refresh_changes", "Refresh", tooltip="Read git status again"),
        Binding("ctrl+n", "new_file", "New file", tooltip="A new file: a page, a news fragment"),
    ]

    def __init__(self, issue: Issue) -> None:
        super().__init__()
        self.issue = issue
        self.view: ChangeView | None = None

    def compose_body(self) -> ComposeResult:
        clone = Path(self.onboard.journey.clone_path or ".")
        with Horizontal(id="change-body"):
            yield CloneTree(clone, id="change-tree")
            with TabbedContent(id="change-tabs", initial="edit-tab"):
                with TabPane("Edit", id="edit-tab"):
                    yield CloneEditor(clone, id="editor")
                with TabPane("Changes", id="changes-tab"), VerticalScroll(id="changes"):
                    yield Static("", id="change-status")
                    yield Static("", id="change-diff")
            with VerticalScroll(id="change-panel", classes="panel") as panel:
                panel.border_title = "Your change"
                yield Static("", id="change-where")
                yield Button("Open in my editor", id="open-editor", compact=True)
                yield Button("Add the news fragment", id="add-fragment", compact=True)
                yield Button("Commit…", id="commit", variant="success", compact=True)
                yield Button("Run the project's tests", id="run-tests", compact=True)
                yield Button("I have signed the CLA", id="cla-signed", compact=True)
                yield Button(
                    "Open a draft pull request", id="open-pull", variant="primary", compact=True
                )
                yield Button("Push my new commits", id="push", compact=True)
                yield Button("Ready for review", id="ready", variant="warning", compact=True)
                yield Static("", id="change-checklist")

    def on_mount(self) -> None:
        where = Text("Issue ", end="")
        where.append(f"#{self.issue.number}: ", style="bold")
        where.append_text(safe_text(self.issue.title, max_length=120))
        where.append("\nBranch ")
        where.append_text(safe_text(self.onboard.journey.work_branch or "?", style="bold"))
        self.query_one("#change-where", Static).update(where)
        self.query_one("#open-editor").display = self._editor() is not None
        for button in ("#add-fragment", "#commit", "#cla-signed", "#open-pull", "#push", "#ready"):
            self.query_one(button).display = False
        self.query_one("#change-panel").loading = True
        self.action_refresh_changes()

    # -- reading ------------------------------------------------------------------------------

    def action_refresh_changes(self) -> None:
        self._look()

    @work(thread=True, exclusive=True, group="look")
    def _look(self) -> None:
        app = self.onboard
        try:
            known = self.view.base_ref.removeprefix("upstream/") if self.view else None
            view = flow.look(app.forge, app.store, app.journey, self.issue, base=known)
        except (ForgeError, WorkspaceError) as error:
            deliver(self, self._look_failed, str(error))
            return
        deliver(self, self._show, view)

    def _look_failed(self, message: str) -> None:
        self.query_one("#change-panel").loading = False
        self.query_one("#change-checklist", Static).update(
            safe_text(f"Could not read your clone: {message}", one_line=False)
        )

    def _show(self, view: ChangeView) -> None:
        self.view = view
        journey = self.onboard.journey
        self.query_one("#change-panel").loading = False
        self.query_one("#change-checklist", Static).update(checklist_text(view))
        self.query_one("#change-status", Static).update(status_text(view))
        self.query_one("#change-diff", Static).update(diff_renderable(view.diff))
        missing = {item.key for item in view.checklist.missing}
        opened = journey.pull_request is not None
        self.query_one("#commit").display = bool(view.status)
        self.query_one("#cla-signed").display = "cla" in missing
        fragment = view.conventions.fragment
        added = fragment is not None and fragment.satisfied_by([e.path for e in view.status])
        self.query_one("#add-fragment").display = "fragment" in missing and not added
        self.query_one("#open-pull").display = not opened and "commit" not in missing
        self.query_one("#push").display = opened
        self.query_one("#ready").display = opened and view.checklist.done

    # -- editing ------------------------------------------------------------------------------

    @on(DirectoryTree.FileSelected, "#change-tree")
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        problem = self.query_one(CloneEditor).open(event.path)
        if problem:
            self.notify(problem, severity="warning")
        else:
            self.query_one(TabbedContent).active = "edit-tab"

    def action_save(self) -> None:
        problem = self.query_one(CloneEditor).save()
        if problem:
            self.notify(problem, severity="error")

    @on(CloneEditor.Saved)
    def _saved(self, event: CloneEditor.Saved) -> None:
        self.notify(f"Saved {event.path.name}.")
        self._look()

    def _editor(self) -> list[str] | None:
        if self.app.is_web:
            return None  # the browser has no terminal to lend an editor
        return editor_command(os.environ, shutil.which)

    @on(Button.Pressed, "#open-editor")
    def action_open_editor(self) -> None:
        command = self._editor()
        clone = self.onboard.journey.clone_path
        if command is None or not clone:
            self.notify("No editor found here: use the editor on this screen.", severity="warning")
            return
        editor = self.query_one(CloneEditor)
        target = str(editor.path) if editor.path is not None else clone
        # The one blocking call on the UI thread, on purpose: the editor owns the terminal while
        # it runs and the app is suspended (Textual's documented pattern for App.suspend).
        try:
            with self.app.suspend():
                subprocess.run([*command, target], cwd=clone, check=False)
        except SuspendNotSupported:
            self.notify("Your editor cannot open from here: use the one on this screen.")
            return
        except OSError as error:
            self.notify(f"Your editor did not start: {error}", severity="error")
            return
        self.query_one(CloneTree).reload()
        self._look()

    @on(Button.Pressed, "#add-fragment")
    def add_fragment(self) -> None:
        rule = self.view.conventions.fragment if self.view else None
        self.action_new_file(rule.path if rule else "")

    def action_new_file(self, suggestion: str = "") -> None:
        clone = Path(self.onboard.journey.clone_path or "")

        def chosen(relative: str | None) -> None:
            if not relative:
                return
            try:
                target = create_in_clone(clone, relative)
            except (ValueError, OSError) as error:
                self.notify(str(error), severity="error")
                return
            self.query_one(CloneTree).reload()
            problem = self.query_one(CloneEditor).open(target)
            if problem:
                self.notify(problem, severity="warning")
            else:
                self.query_one(TabbedContent).active = "edit-tab"
            self._look()

        self.app.push_screen(NewFileDialog(suggestion), chosen)

    @on(Button.Pressed, "#run-tests")
    def run_tests(self) -> None:
        """The project's own tests, through the set-up screen: shown, agreed to, then run."""
        if self.query_one(CloneEditor).dirty:
            self.notify("Save the file first (Ctrl+S): the tests read what is on disk.")
            return
        self.onboard.open_project_setup(tests=True)

    # -- committing ---------------------------------------------------------------------------

    @on(Button.Pressed, "#commit")
    def action_commit(self) -> None:
        if self.view is None or not self.view.status:
            self.notify("Nothing to commit yet: change and save a file first.")
            return
        if self.query_one(CloneEditor).dirty:
            self.notify("Save the file first (Ctrl+S): unsaved text is not committed.")
            return
        key = f"commit:{self.issue.repo}#{self.issue.number}"

        def chosen(request: CommitRequest | None) -> None:
            if request is not None:
                self.onboard.drafts[key] = request.message
                self._commit(request, key)

        self.app.push_screen(CommitDialog(self.view, self.onboard.drafts.get(key)), chosen)

    @work(thread=True, exclusive=True, group="commit")
    def _commit(self, request: CommitRequest, key: str) -> None:
        view = self.view
        assert view is not None
        try:
            if request.identity is not None:
                flow.save_identity(view, request.identity.name, request.identity.email)
                view = replace(view, identity=commit_identity(view.clone))
            sha = flow.commit(view, request.files, request.message)
        except WorkspaceError as error:
            self.app.call_from_thread(
                self.notify,
                f"{error}\nYour message is kept: commit again to retry.",
                severity="error",
                timeout=15,
            )
            return
        self.onboard.drafts.pop(key, None)
        deliver(self, self._committed, sha[:8], news=f"Committed {sha[:8]}.")

    def _committed(self, short: str) -> None:
        self.notify(f"Committed {short} on your branch.", title="Done")
        self._look()

    @on(Button.Pressed, "#cla-signed")
    def cla_signed(self) -> None:
        flow.record_cla_signed(self.onboard.store, self.onboard.forge, str(self.issue.repo))
        self._look()

    # -- sharing ------------------------------------------------------------------------------

    @on(Button.Pressed, "#open-pull")
    def open_pull(self) -> None:
        if self.view is None:
            return
        title, _ = act.default_pull_text(self.issue)
        propose_draft_pull(
            self,
            self.issue,
            title=title,
            body=self.view.pull_body,
            done=self._shared,
            retry="try again.",
        )

    def _shared(self, message: str) -> None:
        self.notify(message, title="Done")
        self.onboard.refresh_journey_bars()
        self._look()

    def _confirm_then(
        self, action: PublicAction, heading: str, button: str, then: Callable[[], object]
    ) -> None:
        """Preview ``action`` (it happens in public) and run ``then`` only once confirmed."""
        from onboard.ui.screens.confirm import Confirmed, PublicActionDialog

        def confirmed(result: Confirmed | None) -> None:
            if result is not None:
                then()

        self.app.push_screen(PublicActionDialog(action, heading=heading, button=button), confirmed)

    @on(Button.Pressed, "#push")
    def push(self) -> None:
        journey = self.onboard.journey
        self._confirm_then(
            PublicAction(ActionKind.PUSH, f"{journey.fork} (branch {journey.work_branch})"),
            "Push your new commits",
            "Push",
            self._push,
        )

    @work(thread=True, exclusive=True, group="share")
    def _push(self) -> None:
        journey = self.onboard.journey
        try:
            ws.push_branch(flow.clone_of(journey), journey.work_branch or "")
        except WorkspaceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=15)
            return
        done = "Pushed: your pull request shows the new commits."
        deliver(self, self._shared, done, news=done)

    @on(Button.Pressed, "#ready")
    def ready(self) -> None:
        journey = self.onboard.journey
        if self.view is None or not self.view.checklist.done or journey.pull_request is None:
            self.notify("Finish the checklist first.", severity="warning")
            return
        self._confirm_then(
            PublicAction(ActionKind.READY, f"{self.issue.repo}#{journey.pull_request}"),
            "Ready for review",
            "Mark ready for review",
            self._ready,
        )

    @work(thread=True, exclusive=True, group="share")
    def _ready(self) -> None:
        app = self.onboard
        try:
            flow.mark_ready(app.forge, app.journey, self.issue)
        except (ForgeError, WorkspaceError, NotImplementedError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=15)
            return
        done = f"Pull request #{app.journey.pull_request} is ready for review."
        deliver(self, self._shared, done, news=done)

    def action_back(self) -> None:
        if self.query_one(CloneEditor).dirty:
            self.notify("Save your changes first (Ctrl+S), or undo them (Ctrl+Z).")
            return
        self.app.pop_screen()
