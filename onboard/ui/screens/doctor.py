"""The doctor: "is my machine ready to contribute to this project?", one row per check.

Every row is listed at once, then filled in as its probe answers (a spinner while it runs), so a
slow network check never hides the quick local ones. Fixes appear under what needs one. Probes
run programs and talk to the forge, so all of it happens in a thread worker; ``r`` runs them
again after the newcomer has fixed something.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from onboard.core.setup.doctor import (
    Check,
    CheckStatus,
    DoctorTarget,
    Probes,
    exit_code,
    plan_checks,
)
from onboard.core.setup.project_detect import current_os
from onboard.ui.safe import safe_text

if TYPE_CHECKING:
    from onboard.ui.app import OnboardApp

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
MARKS = {
    CheckStatus.OK: ("✓", "green"),
    CheckStatus.WARN: ("!", "bold yellow"),
    CheckStatus.FAIL: ("✗", "bold red"),
    CheckStatus.SKIP: ("-", "dim"),
}


class CheckRow(Vertical):
    """One check: its line (waiting, running or the verdict) and, when needed, its fix."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="check-row")
        self.title = title
        self.check: Check | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static(self._waiting(), classes="check-line")
        yield Static("", classes="check-fix")

    def on_mount(self) -> None:
        self.query_one(".check-fix").display = False

    def _waiting(self) -> Text:
        text = Text(end="")
        text.append("○ ", style="dim")
        text.append_text(safe_text(self.title, style="dim"))
        return text

    def spin(self, frame: int) -> None:
        self.running = True
        text = Text(end="")
        text.append(f"{SPINNER[frame % len(SPINNER)]} ", style="bold cyan")
        text.append_text(safe_text(self.title))
        text.append(" checking…", style="dim")
        self.query_one(".check-line", Static).update(text)

    def show(self, check: Check) -> None:
        self.running = False
        self.check = check
        mark, style = MARKS[check.status]
        self.set_class(True, f"-{check.status.value}")
        line = Text(end="")
        line.append(f"{mark} ", style=style)
        line.append_text(safe_text(check.title, style="bold"))
        line.append(": ")
        dim = "dim" if check.status is CheckStatus.SKIP else ""
        line.append_text(safe_text(check.detail, style=dim, one_line=False, max_length=1000))
        self.query_one(".check-line", Static).update(line)
        fix = self.query_one(".check-fix", Static)
        if check.fix and check.status in (CheckStatus.FAIL, CheckStatus.WARN):
            fix.update(safe_text(check.fix, one_line=False, max_length=2000))
            fix.display = True


class DoctorScreen(Screen[None]):
    """Pushed over any screen (F2); escape goes back to where the newcomer was."""

    CSS_PATH = "doctor.tcss"
    KEYS_TITLE = "Doctor"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("r", "rerun", "Check again"),
    ]

    class Planned(Message):
        def __init__(self, generation: int, titles: list[str]) -> None:
            super().__init__()
            self.generation = generation
            self.titles = titles

    class Started(Message):
        def __init__(self, generation: int, index: int) -> None:
            super().__init__()
            self.generation = generation
            self.index = index

    class Finished(Message):
        def __init__(self, generation: int, index: int, check: Check) -> None:
            super().__init__()
            self.generation = generation
            self.index = index
            self.check = check

    class AllDone(Message):
        def __init__(self, generation: int, checks: list[Check]) -> None:
            super().__init__()
            self.generation = generation
            self.checks = checks

    def __init__(
        self,
        path: Path | None = None,
        *,
        probes: Probes | None = None,
        target: DoctorTarget | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        self._probes = probes
        self._target = target
        #: Bumped by every run, so answers from a run that was replaced are ignored.
        self.generation = 0
        self.running_index: int | None = None
        self._frame = 0

    @property
    def onboard(self) -> OnboardApp:
        return cast("OnboardApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="doctor-body"):
            yield Static(
                "Is this computer ready to contribute? onboard checks the tools, your git "
                "identity, your sign-in and what the project needs. Nothing of the project "
                "is run.",
                id="doctor-intro",
                classes="muted",
            )
            with VerticalScroll(id="doctor-checks", classes="panel") as checks:
                checks.border_title = "Checks"
            yield Static("", id="doctor-summary")
        yield Footer()

    async def on_mount(self) -> None:
        self.set_interval(0.1, self._spin)
        await self.action_rerun()

    def action_close(self) -> None:
        self.app.pop_screen()

    async def action_rerun(self) -> None:
        self.generation += 1
        self.running_index = None
        await self.query_one("#doctor-checks").remove_children()
        self.query_one("#doctor-summary", Static).update(Text("Checking…", style="dim"))
        self.run_doctor(self.generation)

    @work(thread=True, exclusive=True, group="doctor")
    def run_doctor(self, generation: int) -> None:
        worker = get_current_worker()
        probes, target = self._probes, self._target
        if probes is None or target is None:
            from onboard.flows.doctor import real_probes

            probes = probes or real_probes(self.onboard.forge)
            target = target or self._default_target()
        plan = plan_checks(probes, target, os_name=current_os())
        self.post_message(self.Planned(generation, [planned.title for planned in plan]))
        checks: list[Check] = []
        for index, planned in enumerate(plan):
            if worker.is_cancelled:
                return
            self.post_message(self.Started(generation, index))
            try:
                check = planned.run()
            except Exception as error:  # a broken probe is a finding, not a crash
                check = Check(
                    planned.id,
                    planned.title,
                    CheckStatus.WARN,
                    f"this check could not run: {type(error).__name__}: {error}",
                )
            checks.append(check)
            self.post_message(self.Finished(generation, index, check))
        self.post_message(self.AllDone(generation, checks))

    def _default_target(self) -> DoctorTarget:
        """The given folder, or the journey's clone; with its pack's setup steps if any."""
        from onboard.flows.doctor import doctor_target

        app = self.onboard
        return doctor_target(
            self.path,
            journey=app.journey,
            packs=app.packs,
            forge_kind="practice" if app.config.practice else "github",
            workspace_root=app.workspace_root,
        )

    @on(Planned)
    async def planned(self, message: Planned) -> None:
        if message.generation != self.generation:
            return
        container = self.query_one("#doctor-checks")
        await container.mount_all(
            CheckRow(title, id=f"check-{index}") for index, title in enumerate(message.titles)
        )

    @on(Started)
    def started(self, message: Started) -> None:
        if message.generation == self.generation:
            self.running_index = message.index
            self._spin()

    @on(Finished)
    def finished(self, message: Finished) -> None:
        if message.generation != self.generation:
            return
        if self.running_index == message.index:
            self.running_index = None
        self._row(message.index).show(message.check)

    @on(AllDone)
    def all_done(self, message: AllDone) -> None:
        if message.generation != self.generation:
            return
        failed = sum(check.status is CheckStatus.FAIL for check in message.checks)
        warned = sum(check.status is CheckStatus.WARN for check in message.checks)
        text = Text(end="")
        if exit_code(message.checks):
            text.append(f"✗ Not ready yet: {failed} to fix (see under each ✗).", style="bold red")
        else:
            text.append("✓ Ready to contribute.", style="bold green")
        if warned:
            text.append(f"  {warned} warning{'s' if warned != 1 else ''}.", style="yellow")
        text.append("  Press r to check again.", style="dim")
        self.query_one("#doctor-summary", Static).update(text)

    def _row(self, index: int) -> CheckRow:
        return self.query_one(f"#check-{index}", CheckRow)

    def _spin(self) -> None:
        self._frame += 1
        if self.running_index is None:
            return
        rows = self.query(f"#check-{self.running_index}").results(CheckRow)
        for row in rows:
            if row.check is None:
                row.spin(self._frame)
