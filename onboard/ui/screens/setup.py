"""Stage 2: fork, clone (with a progress bar), add upstream, create the branch.

The work runs in a thread worker through :class:`onboard.flows.setup.SetupFlow`; this screen only
turns the flow's events into a checklist, a progress bar and a log.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Log, ProgressBar, Static

from onboard.core.journey import STEP_TITLES, Step
from onboard.flows.setup import SetupEvent, SetupFlow, StepDone, StepStarted
from onboard.forge.base import ForgeError
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.workspace.gitenv import WorkspaceError
from onboard.workspace.setup import CloneProgress

SETUP_STEPS = (Step.FORK, Step.CLONE, Step.UPSTREAM, Step.BRANCH)


class SetupScreen(JourneyScreen):
    CSS_PATH = "setup.tcss"
    BINDINGS = [
        Binding("escape", "back", "Projects"),
        Binding("r", "retry", "Try again", show=False),
    ]

    class Progress(Message):
        """A setup event, posted from the worker thread."""

        def __init__(self, event: SetupEvent) -> None:
            super().__init__()
            self.event = event

    class Finished(Message):
        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self._last_fraction = -1.0

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
            yield Static("", id="setup-error", classes="error-box")
            with Horizontal(id="setup-actions"):
                yield Button(
                    "Find a first contribution →", id="continue", variant="success", disabled=True
                )
                yield Button("Try again", id="retry", variant="warning")
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
        self.query_one("#setup-error").display = False
        self.query_one("#retry").display = False
        self.run_setup()

    @work(thread=True, exclusive=True, group="setup")
    def run_setup(self) -> None:
        app = self.onboard
        flow = SetupFlow(app.forge, app.store, app.workspace_root)
        error: str | None = None
        try:
            flow.run(app.journey, lambda event: self.post_message(self.Progress(event)))
        except (ForgeError, WorkspaceError, ValueError) as problem:
            error = str(problem)
        self.post_message(self.Finished(error))

    @on(Progress)
    def show_progress(self, message: Progress) -> None:
        event = message.event
        log = self.query_one("#setup-log", Log)
        if isinstance(event, StepStarted):
            self.query_one(f"#step-{event.step.value}", Static).update(
                self._line(event.step, "running")
            )
            log.write_line(f"{STEP_TITLES[event.step]}…")
        elif isinstance(event, StepDone):
            self.query_one(f"#step-{event.step.value}", Static).update(
                self._line(event.step, "done", event.detail)
            )
            log.write_line(f"  done: {event.detail}")
            self.onboard.refresh_journey_bars()
        elif isinstance(event, CloneProgress) and self._worth_drawing(event):
            self._last_fraction = event.fraction or 0.0
            self.query_one("#clone-progress", ProgressBar).update(
                progress=self._last_fraction * 100
            )
            self.query_one("#clone-phase", Static).update(safe_text(event.phase))

    def _worth_drawing(self, event: CloneProgress) -> bool:
        """Skip updates under 1 %: git reports progress far more often than a screen needs."""
        if event.fraction is None:
            return False
        return event.fraction - self._last_fraction >= 0.01 or event.fraction >= 1.0

    @on(Finished)
    def finished(self, message: Finished) -> None:
        self.onboard.refresh_journey_bars()
        error_box = self.query_one("#setup-error", Static)
        if message.error:
            error_box.update(safe_text(message.error, one_line=False))
            error_box.display = True
            self.query_one("#retry").display = True
            self.query_one("#setup-log", Log).write_line(f"  failed: {message.error}")
            return
        error_box.display = False
        self.query_one("#retry").display = False
        self.query_one("#clone-progress", ProgressBar).update(progress=100)
        button = self.query_one("#continue", Button)
        button.disabled = False
        button.focus()

    @on(Button.Pressed, "#continue")
    def go_on(self) -> None:
        self.onboard.open_issues(replace=True)

    @on(Button.Pressed, "#retry")
    def action_retry(self) -> None:
        self.query_one("#setup-error").display = False
        self.query_one("#retry").display = False
        self.run_setup()

    def action_back(self) -> None:
        self.app.pop_screen()
