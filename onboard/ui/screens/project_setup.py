"""Build the project on your computer: its own setup steps, then its test suite, with consent.

Every command is shown exactly as it will run (each argument visible, quoted for reading) with
what it does, where it runs and where it came from, and nothing runs before "Run these steps".
The agreement is remembered, bound to the pack's content, so a changed pack asks again. For a
Python project the commands shown are already the ones for the clone's own ``.venv`` (see
:mod:`onboard.core.setup.python_env`), each change explained under its step. Work runs
in a thread worker; output reaches the log in batches (see :mod:`onboard.ui.batching`), cleaned of
escape sequences, since a project's output is as untrusted as its issues.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Log, Static

from onboard.core.models import Project, SetupStep
from onboard.core.packs.loading import Pack
from onboard.core.setup.consent import ConsentCheck, ConsentStatus, consent_check, record_consent
from onboard.core.setup.python_env import Interpreter
from onboard.core.storage.paths import display_path
from onboard.core.storage.state import StateError
from onboard.core.text.sanitize import clean
from onboard.flows.project_setup import (
    DEFAULT_STEP_TIMEOUT,
    ConsentRequired,
    Output,
    ProjectSetupEvent,
    SetupBlocked,
    SetupPlan,
    StepFinished,
    StepStarted,
    display_argv,
    planned_steps,
    run_setup,
    run_tests,
)
from onboard.flows.session_events import record_test_run
from onboard.ui.batching import Batcher
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.workspace.commands import StepResult

MAX_LOG_LINES = 10_000
MAX_LINE_LENGTH = 2_000


def step_status(result: StepResult | None, *, running: bool = False) -> tuple[str, str, str]:
    """``(mark, words, style)`` for a step's row: waiting, running, ok, failed, stopped."""
    if running:
        return "◐", "running…", "bold yellow"
    if result is None:
        return "○", "", "dim"
    if result.ok:
        return "✓", f"ok (exit 0, {result.duration:.1f} s)", "green"
    if result.cancelled:
        return "■", "cancelled", "yellow"
    if result.timed_out:
        return "⏱", f"timed out: {result.reason}", "red"
    if result.exit_code is None:
        return "✗", f"not run: {result.reason}", "red"
    return "✗", f"failed (exit {result.exit_code})", "red"


class ProjectSetupScreen(JourneyScreen):
    """Shows a project's setup steps, asks before running them, then offers the test suite."""

    CSS_PATH = "project_setup.tcss"
    KEYS_TITLE = "Build and test"
    BINDINGS = [
        Binding("escape", "stop", "Stop", tooltip="Stop the running command"),
        Binding("x", "stop", "Stop", show=False),
        Binding("escape", "leave", "Back"),
        Binding("t", "run_tests", "Run tests", tooltip="Run the test suite (again)"),
    ]

    class Planned(Message):
        def __init__(self, plan: SetupPlan | None, check: ConsentCheck, error: str) -> None:
            super().__init__()
            self.plan, self.check, self.error = plan, check, error

    class Events(Message):
        """A batch of step events from the worker, in order."""

        def __init__(self, events: list[ProjectSetupEvent]) -> None:
            super().__init__()
            self.events = events

    class Finished(Message):
        def __init__(self, part: str, results: list[StepResult], error: str | None) -> None:
            super().__init__()
            self.part, self.results, self.error = part, results, error

    def __init__(
        self,
        clone_path: Path,
        project: Project | None,
        pack: Pack | None,
        *,
        os_name: str | None = None,
        timeout: float | None = DEFAULT_STEP_TIMEOUT,
        pythons: Callable[[], Sequence[Interpreter]] | None = None,
        tests_first: bool = False,
    ) -> None:
        super().__init__()
        #: Opened to run the tests again: once the steps were agreed to, their button comes first.
        self.tests_first = tests_first
        #: Lists this computer's Pythons (default: the real probe); tests pass made-up ones.
        self.pythons = pythons
        self.clone_path = clone_path
        self.project = project
        self.pack = pack
        self.os_name = os_name
        self.timeout = timeout
        self.plan: SetupPlan | None = None
        self.check = ConsentCheck(ConsentStatus.NEVER_ASKED)
        self.results: dict[int, StepResult] = {}
        self.running_index: int | None = None
        self.running = False
        #: None until the tests ran; then whether they passed. For whoever pushed this screen.
        self.tests_passed: bool | None = None
        self.setup_done = False
        #: Whether "Run the test suite" is offered now (so is its key, t).
        self.tests_offered = False
        #: How many batches of output reached the screen (a chatty command must not flood it).
        self.batches_shown = 0
        self._cancel = threading.Event()

    # -- layout ---------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(id="ps-body"):
            with VerticalScroll(id="ps-plan"):
                yield Static(self._heading(), id="ps-heading", classes="heading")
                yield Static("Looking at the project…", id="ps-source", classes="muted")
                yield Static(self._where(), id="ps-where", classes="muted")
                yield Static("", id="ps-env", classes="muted")
                yield Static("", id="ps-changed", classes="warning-box")
                with Vertical(id="ps-steps", classes="panel") as steps:
                    steps.border_title = "Steps"
                yield Static("", id="ps-consent")
            with Horizontal(id="ps-actions"):
                yield Button("Run these steps", id="run", variant="success", disabled=True)
                yield Button("Not now", id="not-now")
                yield Button("Stop (x)", id="stop", variant="error")
                yield Button("Run the test suite", id="run-tests", variant="success")
                yield Button("Continue →", id="done", variant="primary")
            yield Static("", id="ps-outcome")
            yield Log(id="ps-log", highlight=False, max_lines=MAX_LOG_LINES)

    def _heading(self) -> Text:
        name = self.project.repo.full_name if self.project else self.clone_path.name
        text = Text("Build and test ", end="")
        text.append_text(safe_text(name, style="bold"))
        text.append(" on your computer")
        return text

    def _where(self) -> Text:
        text = Text("They run one after the other in ", end="")
        text.append_text(safe_text(display_path(self.clone_path), style="bold"))
        text.append(", as you, with access to your files: like typing them in a terminal.")
        return text

    def on_mount(self) -> None:
        hidden = (
            "#ps-changed",
            "#ps-env",
            "#stop",
            "#run-tests",
            "#done",
            "#ps-outcome",
            "#ps-log",
        )
        for selector in hidden:
            self.query_one(selector).display = False
        self.make_plan()

    def on_unmount(self) -> None:
        self._cancel.set()  # leaving the screen must never leave a command running

    # -- planning ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="project-setup")
    def make_plan(self) -> None:
        """Detection reads the clone and consent reads the state file: both off the UI thread."""
        try:
            plan = planned_steps(
                self.project, self.pack, self.clone_path, self.os_name, pythons=self.pythons
            )
        except (OSError, ValueError) as error:
            never = ConsentCheck(ConsentStatus.NEVER_ASKED)
            self.post_message(self.Planned(None, never, str(error)))
            return
        try:
            check = consent_check(self.onboard.store, plan.consent)
        except StateError:  # progress unreadable: ask, the safe direction; saving will say why
            check = ConsentCheck(ConsentStatus.NEVER_ASKED)
        self.post_message(self.Planned(plan, check, ""))

    @on(Planned)
    async def show_plan(self, message: Planned) -> None:
        if message.plan is None:
            self._show_outcome(f"onboard could not read the project: {message.error}", "red")
            self._show_buttons("not-now")
            return
        self.plan, self.check = message.plan, message.check
        plan = message.plan
        panel = self.query_one("#ps-steps", Vertical)
        await panel.mount_all(
            Static(self._step_line(index, step), id=f"step-{index}", classes="ps-step")
            for index, step in enumerate(plan.all_steps)
        )
        self.query_one("#ps-source", Static).update(self._source_text(plan))
        if plan.notes:
            env = self.query_one("#ps-env", Static)
            env.update(safe_text(" ".join(plan.notes), one_line=False))
            env.display = True
        if plan.empty:
            self._show_nothing_to_do()
            return
        if plan.blocked:
            self._show_outcome(
                f"These steps cannot run on this computer yet. {plan.blocked}", "red"
            )
            self._show_buttons("not-now")
            return
        changed = self.query_one("#ps-changed", Static)
        if self.check.status is ConsentStatus.CHANGED:
            changed.update(self._changed_text(plan))
            changed.display = True
        self.query_one("#ps-consent", Static).update(self._consent_text(plan))
        run = self.query_one("#run", Button)
        run.disabled = False
        run.label = "Run these steps" if plan.steps else "Continue to the tests"
        run.focus()
        if self.tests_first and plan.test is not None:
            if self.check.status is ConsentStatus.GIVEN:
                if plan.steps:
                    run.label = "Run the setup again"
                    self._show_buttons("run-tests", "run", "not-now")
                else:
                    self._show_buttons("run-tests", "not-now")
            else:
                self._show_outcome(
                    "The test suite runs once you agreed to these steps and they have run.",
                    "yellow",
                )
        self.refresh_bindings()

    def _source_text(self, plan: SetupPlan) -> Text:
        if plan.empty:
            return Text("")
        parts: list[str] = []
        if plan.steps:
            parts.append(f"Setup steps {plan.source}.")
        if plan.test is not None and (plan.test_source != plan.source or not plan.steps):
            parts.append(f"Test command {plan.test_source}.")
        elif plan.test is not None:
            parts[-1] = parts[-1].removesuffix(".") + ", and the test command too."
        if not plan.from_pack:
            parts.append("Check them before you agree: onboard guessed them from the files.")
        return safe_text(" ".join(parts), one_line=False)

    def _changed_text(self, plan: SetupPlan) -> Text:
        when = f" on {self.check.agreed_at[:10]}" if self.check.agreed_at else ""
        what = "This pack changed" if plan.from_pack else "The suggested steps changed"
        return safe_text(
            f"{what} since you agreed{when}: here are the steps again. "
            "Steps marked “new” were not among those you agreed to.",
            one_line=False,
        )

    def _consent_text(self, plan: SetupPlan) -> Text:
        text = Text(end="")
        if self.check.status is ConsentStatus.GIVEN and self.check.agreed_at:
            text.append(f"You agreed to these exact steps on {self.check.agreed_at[:10]}. ")
        button = "Run these steps" if plan.steps else "Continue to the tests"
        text.append(f"Nothing runs until you press “{button}”. ", style="bold")
        text.append("onboard keeps your GitHub token from these commands")
        if self.timeout is not None:
            text.append(f" and stops a step that runs longer than {_minutes(self.timeout)}")
        text.append(". Stop them at any time with x or Escape.")
        return text

    def _show_nothing_to_do(self) -> None:
        text = Text("onboard found no setup steps for this project. ", end="")
        contributing = self.project.contributing if self.project else None
        if contributing:
            text.append("Its contributing guide explains how to build it: ")
            text.append_text(safe_text(contributing, style="underline"))
        else:
            text.append("Its README or CONTRIBUTING file usually explains how to build it.")
        self.query_one("#ps-consent", Static).update(text)
        self._show_buttons("done")

    # -- step rows --------------------------------------------------------------------------

    def _step_line(self, index: int, step: SetupStep) -> Text:
        plan = self.plan
        is_test = plan is not None and plan.test is not None and index == len(plan.steps)
        mark, words, style = step_status(
            self.results.get(index), running=index == self.running_index
        )
        text = Text(f"{mark} ", style=style, end="")
        if is_test:
            text.append("Then, once setup has worked: ", style="bold")
            text.append("run the test suite once before you change anything\n  ")
        text.append("$ ", style="dim")
        text.append_text(safe_text(display_argv(step.argv), style="bold", one_line=False))
        if self.check.is_new(step):
            text.append("  new", style="bold reverse yellow")
        text.append("\n    ")
        text.append_text(safe_text(step.description, style="dim", one_line=True))
        for note in plan.notes_for(index) if plan is not None else ():
            text.append("\n    ")
            text.append_text(safe_text(f"› {note}", style="yellow", one_line=True))
        if words:
            text.append("\n    ")
            text.append_text(safe_text(words, style=style, one_line=True))
        return text

    def _refresh_step(self, index: int) -> None:
        if self.plan is None or index >= len(self.plan.all_steps):
            return
        line = self._step_line(index, self.plan.all_steps[index])
        self.query_one(f"#step-{index}", Static).update(line)

    # -- running ----------------------------------------------------------------------------

    @on(Button.Pressed, "#run")
    def agree_and_run(self) -> None:
        if self.plan is None or self.running:
            return
        self._start("setup")

    @on(Button.Pressed, "#run-tests")
    def run_the_tests(self) -> None:
        if self.plan is None or self.plan.test is None or self.running:
            return
        self._start("test")

    def _start(self, part: str) -> None:
        assert self.plan is not None
        self.running = True
        self._cancel = threading.Event()
        indexes = range(len(self.plan.steps)) if part == "setup" else [len(self.plan.steps)]
        for index in indexes:
            self.results.pop(index, None)
            self._refresh_step(index)
        self.query_one("#ps-consent", Static).display = False
        self.query_one("#ps-changed", Static).display = False
        self.query_one("#ps-outcome", Static).display = False
        self.query_one("#ps-log", Log).display = True
        self.query_one("#ps-body").add_class("with-log")
        self._show_buttons("stop")
        self.query_one("#stop", Button).focus()
        self.refresh_bindings()
        self.run_part(part, self.plan, self._cancel)

    @work(thread=True, exclusive=True, group="project-setup")
    def run_part(self, part: str, plan: SetupPlan, cancel: threading.Event) -> None:
        store = self.onboard.store
        results: list[StepResult] = []
        error: str | None = None
        with Batcher[ProjectSetupEvent](lambda batch: self.post_message(self.Events(batch))) as b:
            try:
                if part == "setup":
                    record_consent(store, plan.consent)  # the press of "Run" is the agreement
                    results = run_setup(plan, store, b.add, cancel=cancel, timeout=self.timeout)
                else:
                    result = run_tests(plan, store, b.add, cancel=cancel, timeout=self.timeout)
                    results = [result] if result else []
            except StateError as problem:
                error = f"Nothing was run: {problem}"
            except SetupBlocked as problem:  # the Run button is not offered then; belt and braces
                error = str(problem)
            except ConsentRequired as problem:
                # Recording the agreement failed quietly (the app reports failed saves itself).
                error = (
                    "Nothing was run: onboard could not save that you agreed to these steps. "
                    "Check that your progress folder is writable, then try again."
                    if part == "setup"
                    else f"Nothing was run: {problem}"
                )
        self.post_message(self.Finished(part, results, error))

    @on(Events)
    def show_events(self, message: Events) -> None:
        self.batches_shown += 1
        log = self.query_one("#ps-log", Log)
        # Follow the output unless the newcomer scrolled up to read; the slack absorbs the row
        # a horizontal scrollbar takes when a long line arrives.
        follow = log.scroll_y >= log.max_scroll_y - 2
        lines: list[str] = []
        for event in message.events:
            if isinstance(event, Output):
                lines.append(clean(event.line, max_length=MAX_LINE_LENGTH))
                continue
            if isinstance(event, StepStarted):
                self.running_index = event.index
                lines.append(clean(f"$ {display_argv(event.step.argv)}", one_line=True))
            elif isinstance(event, StepFinished):
                self.running_index = None
                self.results[event.index] = event.result
                mark, words, _ = step_status(event.result)
                lines.append(clean(f"{mark} {words}", one_line=True))
            self._refresh_step(event.index)
        log.write_lines(lines, scroll_end=False)
        if follow:
            log.scroll_end(animate=False, immediate=True, x_axis=False)

    @on(Finished)
    def finished(self, message: Finished) -> None:
        self._keep_following()  # the outcome below takes rows from the log
        self.running = False
        self.running_index = None
        self.refresh_bindings()
        if message.error:
            self._show_outcome(message.error, "red")
            self._show_buttons("run", "not-now")
            return
        if message.part == "setup":
            self._setup_finished(message.results)
        else:
            self._tests_finished(message.results[0] if message.results else None)

    def _setup_finished(self, results: list[StepResult]) -> None:
        assert self.plan is not None
        failed = next((r for r in results if not r.ok), None)
        if failed is None:
            self.setup_done = True
            self.query_one("#run", Button).label = "Run the setup again"
            if self.plan.test is None:
                self._show_outcome("Setup finished: the project is ready.", "green")
                self._show_buttons("done", "run")
                return
            self._show_outcome(
                ("Setup finished. " if self.plan.steps else "")
                + "Now run the test suite once, before you change anything: if a test fails "
                "later, you will know it is about your change.",
                "green",
            )
            self._show_buttons("run-tests", "done")
            return
        step_number = len(results)
        if failed.cancelled:
            self._show_outcome("Stopped. Nothing else was run.", "yellow")
        else:
            self._show_outcome(
                f"Step {step_number} did not work ({failed.reason}). The log above says why. "
                "Fix what it says (for a missing program, `onboard doctor` helps), or ask the "
                "project for help: setup trouble is common and worth reporting.",
                "red",
            )
        self.query_one("#run", Button).label = "Try again"
        self._show_buttons("run", "done")

    def _tests_finished(self, result: StepResult | None) -> None:
        self.query_one("#run-tests", Button).label = "Run the tests again"
        if result is None:
            return
        if record_test_run(self.onboard.store, result):
            self.onboard.poll_session()  # the mentor session's "tests ran" checkpoint
        self.tests_passed = result.ok
        if result.ok:
            self._show_outcome("The tests pass. You are ready to change things.", "green")
        elif result.cancelled:
            self._show_outcome("Stopped the tests.", "yellow")
        else:
            self._show_outcome(
                f"The tests did not pass ({result.reason}), before you changed anything. "
                "That is worth knowing, not your fault: mention it when you ask for help.",
                "red",
            )
        self._show_buttons("run-tests", "done")

    def _keep_following(self) -> None:
        """If the log shows its end, keep it there once the layout around it has changed."""
        log = self.query_one("#ps-log", Log)
        if log.scroll_y >= log.max_scroll_y - 2:
            self.call_after_refresh(log.scroll_end, animate=False, x_axis=False)

    # -- buttons and keys -------------------------------------------------------------------

    def _show_buttons(self, *ids: str) -> None:
        for button in self.query("#ps-actions Button"):
            button.display = button.id in ids
        self.tests_offered = "run-tests" in ids
        first = self.query_one(f"#{ids[0]}", Button)
        first.disabled = False
        first.focus()
        self.refresh_bindings()

    def _show_outcome(self, message: str, style: str) -> None:
        outcome = self.query_one("#ps-outcome", Static)
        outcome.update(safe_text(message, style=style, one_line=False))
        outcome.display = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.running
        if action == "leave":
            return not self.running
        if action == "run_tests":  # while its button is offered
            return not self.running and self.tests_offered
        return True

    def action_run_tests(self) -> None:
        self.run_the_tests()

    @on(Button.Pressed, "#stop")
    def action_stop(self) -> None:
        """Stops the running command and everything it started (see run_step)."""
        self._cancel.set()
        self.query_one("#stop", Button).disabled = True

    @on(Button.Pressed, "#not-now")
    @on(Button.Pressed, "#done")
    def action_leave(self) -> None:
        self.dismiss(None)


def _minutes(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:g} seconds"
