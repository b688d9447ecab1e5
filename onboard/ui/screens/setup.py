"""Stage 2: fork, clone (with a progress bar and Cancel), add upstream, create the branch, verify.

The work runs in a thread worker through :class:`onboard.flows.setup.SetupFlow`; this screen
turns the flow's events into a checklist, a progress bar, a verification list and a log, and
asks the learner when a decision is theirs (reuse an existing clone, choose another folder).
"""

from __future__ import annotations

import threading
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Log, ProgressBar, Static

from onboard.core.journey import STEP_TITLES, Step
from onboard.core.models import RepoInfo, RepoRef
from onboard.core.public_actions import ActionKind, PublicAction
from onboard.core.storage.paths import display_path
from onboard.flows.setup import (
    ForkWaiting,
    ReusableClone,
    SetupEvent,
    SetupFlow,
    StepDone,
    StepStarted,
    Verified,
)
from onboard.forge.base import ForgeError
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.workspace.clone import CloneCancelled, CloneProgress, FolderInUse
from onboard.workspace.gitenv import WorkspaceError

SETUP_STEPS = (Step.FORK, Step.CLONE, Step.UPSTREAM, Step.BRANCH)


class SetupScreen(JourneyScreen):
    CSS_PATH = "setup.tcss"
    KEYS_TITLE = "Set up"
    # Each key is shown (and works) only while it applies: see check_action.
    BINDINGS = [
        Binding("escape", "back", "Projects"),
        Binding("x", "cancel_clone", "Cancel", tooltip="Stop the clone; nothing of it is kept"),
        Binding("r", "retry", "Try again"),
        Binding("p", "project_setup", "Setup steps", tooltip="The project's own setup steps"),
        Binding("t", "run_tests", "Tests", tooltip="Run the project's test suite"),
        Binding("u", "sync", "Sync", tooltip="Update your main from upstream"),
    ]

    class Progress(Message):
        """A setup event, posted from the worker thread."""

        def __init__(self, event: SetupEvent) -> None:
            super().__init__()
            self.event = event

    class ForkAsked(Message):
        """The project exists and the account is known: ask before forking it."""

        def __init__(self, upstream: RepoInfo, who: str | None) -> None:
            super().__init__()
            self.upstream = upstream
            self.who = who

    class Finished(Message):
        def __init__(self, error: WorkspaceError | ForgeError | ValueError | None) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self._last_fraction = -1.0
        self._phase_shown = ""  # what #clone-phase says ("Receiving objects")
        self._cancel = threading.Event()
        self._done = False
        #: Set-up is running: x cancels the clone (at once, or as soon as it starts).
        self._setting_up = False
        #: The error shown, if any: "Try again" (r) is offered only then.
        self._failed = False
        self._fork_waiting = False

    def compose_body(self) -> ComposeResult:
        with Vertical(id="setup-body"):
            yield Static(self._heading(), id="setup-heading", classes="heading")
            with Vertical(id="checklist", classes="panel") as checklist:
                checklist.border_title = "Setting up"
                for step in SETUP_STEPS:
                    yield Static(self._line(step, "todo"), id=f"step-{step.value}", classes="step")
                with Horizontal(id="clone-row"):
                    yield ProgressBar(total=100, show_eta=False, id="clone-progress")
                    yield Static("", id="clone-phase", classes="muted")
                    yield Button("Cancel", id="cancel-clone", variant="error", compact=True)
            with Vertical(id="checks", classes="panel") as checks:
                checks.border_title = "Checked"
                yield Static("", id="checks-list")
            yield Static("", id="setup-error", classes="error-box")
            with Horizontal(id="folder-row"):
                yield Static("Clone into: ", classes="muted")
                yield Input(id="folder-input", placeholder="another folder")
            with Horizontal(id="setup-actions"):
                # The ways out of a failure come first: shown only then, they are what to do.
                yield Button("Use the existing clone", id="reuse", variant="primary")
                yield Button("Try again", id="retry", variant="warning")
                yield Button(
                    "Find a first contribution →", id="continue", variant="success", disabled=True
                )
                yield Button("Project setup steps", id="project-setup", disabled=True)
                yield Button("Sync with upstream", id="sync", disabled=True)
            yield Log(id="setup-log", highlight=False)

    def _heading(self) -> Text:
        text = Text("Setting up ", end="")
        text.append_text(safe_text(self.onboard.journey.project or "", style="bold"))
        text.append(f" on the {self.onboard.config.label}")
        return text

    def _line(self, step: Step, state: str, detail: str = "") -> Text:
        mark, style = {
            "todo": ("○", "dim"),
            "running": ("◐", "bold yellow"),
            "done": ("✓", "green"),
        }[state]
        text = Text(f"{mark} {STEP_TITLES[step]}", style=style, end="")
        if detail:
            text.append("  ")
            text.append_text(safe_text(detail, style="dim"))
        return text

    def on_mount(self) -> None:
        for selector in ("#setup-error", "#retry", "#reuse", "#folder-row", "#checks"):
            self.query_one(selector).display = False
        self.query_one("#cancel-clone").display = False
        self._begin()

    def on_unmount(self) -> None:
        """Leaving the screen (Esc, quitting) stops its clone: nobody would see it finish, it
        would race a clone of the same project started next, and quitting would wait for it."""
        self._cancel.set()

    def _begin(self, *, reuse_existing: bool = False) -> None:
        """Forking is public: a journey without a fork yet asks first, every other step runs."""
        if self.onboard.journey.fork:
            self._run(reuse_existing)
        else:
            self.prepare_fork()

    @work(thread=True, exclusive=True, group="setup")
    def prepare_fork(self) -> None:
        """Look the project up (a mistyped OWNER/REPO stops here) and who is signed in."""
        app = self.onboard
        try:
            upstream = app.forge.repo(RepoRef.parse(app.journey.project or ""))
            who = app.forge.whoami()
        except (ForgeError, ValueError) as problem:
            self.post_message(self.Finished(problem))
            return
        self.post_message(self.ForkAsked(upstream, who))

    @on(ForkAsked)
    def ask_to_fork(self, message: ForkAsked) -> None:
        from onboard.ui.screens.confirm import Confirmed, PublicActionDialog

        upstream = message.upstream
        action = PublicAction(
            ActionKind.FORK, f"{upstream.repo} on the {self.onboard.config.label}", message.who
        )

        def decided(confirmed: Confirmed | None) -> None:
            if confirmed is None:
                self.app.pop_screen()  # back to choosing: nothing was created
            else:
                self._run()

        # A quick answer can come before this screen's footer first learnt its keys; it would
        # stay empty below the dialog. The footer redraws after the next refresh, and so the
        # dialog comes after it.
        self.refresh_bindings()
        self.call_after_refresh(
            self.app.push_screen,
            PublicActionDialog(
                action,
                heading=f"Fork {upstream.repo} into your account?",
                button="Fork and set up",
                detail=upstream.description,
            ),
            decided,
        )

    def _run(self, reuse_existing: bool = False) -> None:
        self._setting_up = True
        self.refresh_bindings()
        self.run_setup(reuse_existing)

    @work(thread=True, exclusive=True, group="setup")
    def run_setup(self, reuse_existing: bool = False) -> None:
        app = self.onboard
        flow = SetupFlow(app.forge, app.store, app.workspace_root)
        error: WorkspaceError | ForgeError | ValueError | None = None
        try:
            flow.run(
                app.journey,
                lambda event: self.post_message(self.Progress(event)),
                cancel=self._cancel,
                reuse_existing=reuse_existing,
            )
        except (ForgeError, WorkspaceError, ValueError) as problem:
            error = problem
        self.post_message(self.Finished(error))

    @on(Progress)
    def show_progress(self, message: Progress) -> None:
        event = message.event
        log = self.query_one("#setup-log", Log)
        if isinstance(event, StepStarted):
            self.query_one(f"#step-{event.step.value}", Static).update(
                self._line(event.step, "running")
            )
            self._show_cancel(event.step is Step.CLONE)
            self._fork_waiting = False
            log.write_line(f"{STEP_TITLES[event.step]}…")
        elif isinstance(event, StepDone):
            self.query_one(f"#step-{event.step.value}", Static).update(
                self._line(event.step, "done", event.detail)
            )
            self._show_cancel(False)
            log.write_line(f"  done: {event.detail}")
            self.onboard.refresh_journey_bars()
        elif isinstance(event, ForkWaiting):
            label = self.onboard.config.label
            waited = f"{label} is still creating your fork… {event.seconds:.0f} s"
            self.query_one("#step-fork", Static).update(self._line(Step.FORK, "running", waited))
            if not self._fork_waiting:  # the first report of this wait: say why, offer Cancel
                self._fork_waiting = True
                self.query_one("#cancel-clone").display = True
                log.write_line(
                    f"  waiting for the {label} to finish creating your fork "
                    "(this can take a few minutes)…"
                )
        elif isinstance(event, Verified):
            self._show_checks(event)
        elif isinstance(event, CloneProgress) and self._worth_drawing(event):
            self._last_fraction = event.fraction or 0.0
            self.query_one("#clone-progress", ProgressBar).update(
                progress=self._last_fraction * 100
            )
            if event.phase != self._phase_shown:  # git reports the same phase many times
                self._phase_shown = event.phase
                self.query_one("#clone-phase", Static).update(safe_text(event.phase))

    def _show_cancel(self, cloning: bool) -> None:
        self.query_one("#cancel-clone").display = cloning

    def _show_checks(self, verified: Verified) -> None:
        text = Text(end="")
        for index, check in enumerate(verified.checks):
            if index:
                text.append("\n")
            text.append("✓ " if check.ok else "✗ ", style="green" if check.ok else "bold red")
            text.append(check.title, style="bold" if not check.ok else "")
            text.append("  ")
            text.append_text(safe_text(check.detail, style="dim", max_length=200))
            if check.fix:
                text.append("\n    fix: ", style="yellow")
                text.append_text(safe_text(check.fix, max_length=300))
        panel = self.query_one("#checks")
        panel.display = True
        panel.set_class(not verified.ok, "failed")
        self.query_one("#checks-list", Static).update(text)
        log = self.query_one("#setup-log", Log)
        for check in verified.checks:
            log.write_line(f"  {'ok' if check.ok else 'FAILED'}: {check.title}")

    def _worth_drawing(self, event: CloneProgress) -> bool:
        """Skip updates under 1 %: git reports progress far more often than a screen needs."""
        if event.fraction is None:
            return False
        return event.fraction - self._last_fraction >= 0.01 or event.fraction >= 1.0

    @on(Finished)
    def finished(self, message: Finished) -> None:
        self.onboard.refresh_journey_bars()
        self._show_cancel(False)
        self._setting_up = False
        self.refresh_bindings()
        error = message.error
        error_box = self.query_one("#setup-error", Static)
        self.query_one("#reuse").display = isinstance(error, ReusableClone)
        self.query_one("#folder-row").display = isinstance(error, FolderInUse)
        if error is not None:
            self._cancel.clear()
            error_box.update(safe_text(str(error), one_line=False))
            error_box.display = True
            self.query_one("#retry").display = True
            self._failed = True
            self.query_one("#setup-log", Log).write_line(f"  stopped: {error}")
            if isinstance(error, FolderInUse):
                self._suggest_folder(error.path)
            if isinstance(error, CloneCancelled):
                self.query_one("#clone-progress", ProgressBar).update(progress=0)
                self._last_fraction = -1.0
            self._focus_way_out(error)
            self.refresh_bindings()
            return
        self._done = True
        error_box.display = False
        self.query_one("#retry").display = False
        self.query_one("#clone-progress", ProgressBar).update(progress=100)
        for selector in ("#continue", "#project-setup", "#sync"):
            self.query_one(selector, Button).disabled = False
        self.query_one("#continue", Button).focus()
        self.refresh_bindings()

    def _focus_way_out(self, error: WorkspaceError | ForgeError | ValueError) -> None:
        """The keyboard lands on what to do next: reuse the clone, another folder, or retry."""
        if isinstance(error, ReusableClone):
            self.query_one("#reuse", Button).focus()
        elif isinstance(error, FolderInUse):
            self.query_one("#folder-input", Input).focus()
        else:
            self.query_one("#retry", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys for what can be done now; the others leave the footer (and do nothing)."""
        if action == "cancel_clone":
            return self._setting_up
        if action == "retry":
            return self._failed and not self._done
        if action in ("project_setup", "run_tests", "sync"):
            return self._done
        return True

    def _suggest_folder(self, taken: Path) -> None:
        suffix = 2
        while taken.with_name(f"{taken.name}-{suffix}").exists():
            suffix += 1
        field = self.query_one("#folder-input", Input)
        field.value = str(taken.with_name(f"{taken.name}-{suffix}"))

    @on(Button.Pressed, "#continue")
    def go_on(self) -> None:
        self.onboard.open_issues(replace=True)

    @on(Button.Pressed, "#retry")
    def action_retry(self) -> None:
        if self._done or not self._failed:  # a second run beside the first would race it
            return
        self._restart()

    @on(Button.Pressed, "#reuse")
    def reuse_existing(self) -> None:
        self._restart(reuse_existing=True)

    @on(Input.Submitted, "#folder-input")
    def use_other_folder(self, event: Input.Submitted) -> None:
        chosen = Path(event.value).expanduser()
        if not event.value.strip() or (chosen.exists() and any(chosen.iterdir())):
            self.notify(f"{chosen} is not empty: choose a new folder.", severity="warning")
            return
        self.onboard.journey.clone_target = str(chosen.absolute())
        self.onboard.store.save_journey(self.onboard.config.key, self.onboard.journey)
        self.query_one("#setup-log", Log).write_line(f"Cloning into {display_path(chosen)}")
        self._restart()

    def _restart(self, *, reuse_existing: bool = False) -> None:
        for selector in ("#setup-error", "#retry", "#reuse", "#folder-row"):
            self.query_one(selector).display = False
        self._failed = False
        self.refresh_bindings()
        self._begin(reuse_existing=reuse_existing)

    @on(Button.Pressed, "#cancel-clone")
    def action_cancel_clone(self) -> None:
        """Stop git for real: the worker's watchdog kills the clone and removes its folder (or
        the wait for a new fork stops; the fork is kept)."""
        self._cancel.set()
        self.query_one("#setup-log", Log).write_line("  cancelling…")

    @on(Button.Pressed, "#sync")
    def action_sync(self) -> None:
        if not self._done:
            return
        self.query_one("#sync", Button).disabled = True
        self.query_one("#setup-log", Log).write_line("Syncing with upstream…")
        self.onboard.sync_fork()

    def synced(self, summary: str, failed: bool) -> None:
        """The app's sync finished (see ``OnboardApp.sync_fork``): say so in the log too."""
        self.query_one("#sync", Button).disabled = False
        self.query_one("#setup-log", Log).write_line(f"  {summary}")

    @on(Button.Pressed, "#project-setup")
    def action_project_setup(self) -> None:
        if self._done:
            self.onboard.open_project_setup()

    def action_run_tests(self) -> None:
        if self._done:
            self.onboard.open_project_setup(tests=True)

    def action_back(self) -> None:
        self.app.pop_screen()
