"""Choose a project among those your own project depends on (the OSPO way in).

Type a project folder (or a manifest, or an SBOM); onboard traces each dependency to its GitHub
repository and counts open beginner issues there, in a worker (it reads files, asks registries
and the forge). Enter on a traced row starts the journey on that repository; rows that could not
be traced stay visible, dimmed, with the reason, so the list never silently shrinks.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from onboard.core.dependencies.declared import DependencyError
from onboard.core.storage.paths import display_path
from onboard.flows.dependencies import (
    DependencyExploration,
    DependencyProject,
    explore_dependencies,
)
from onboard.forge.base import ForgeError
from onboard.forge.registries import Registries, RegistryConfig
from onboard.ui.columns import ColumnSpec
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.ui.threads import deliver, deliverer
from onboard.ui.widgets.fitted_table import FittedRow, FittedTable

#: Problems listed under the table; the rest are summarised (the CLI prints them all).
MAX_PROBLEMS_SHOWN = 5
#: The ecosystem and the count are never cut; names and the explanation share the rest.
COLUMNS = (
    ColumnSpec("repo", "Repository", flex=2, min_width=16),
    ColumnSpec("packages", "Package(s)", flex=1, min_width=10),
    ColumnSpec("ecosystem", "Ecosystem"),
    ColumnSpec("issues", "Beginner issues"),
    ColumnSpec("how", "How resolved / why not", flex=2, min_width=14),
)


def summary(exploration: DependencyExploration) -> str:
    """One line: how many dependencies, traced to how many repositories, with how many issues."""
    projects = exploration.projects
    resolved = exploration.resolved
    packages = sum(len(project.names) for project in projects)
    files = len(exploration.files)
    issues = sum(project.beginner_issues or 0 for project in resolved)
    return (
        f"{packages} dependencies in {files} file{'s' if files != 1 else ''} → "
        f"{len(resolved)} GitHub repositories · {len(projects) - len(resolved)} not traced · "
        f"{issues} open beginner issues"
    )


class DependenciesScreen(JourneyScreen):
    CSS_PATH = "dependencies.tcss"
    KEYS_TITLE = "Your dependencies"
    AUTO_FOCUS = "#deps-path"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+r", "refresh", "Look again"),
        Binding(
            "ctrl+o", "ospo", "OSPO view", tooltip="Which of these need help; your team's part"
        ),
    ]

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.start_path = path or Path.cwd()
        self.projects: list[DependencyProject] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="deps-body"):
            yield Static("Help the projects you depend on", id="deps-heading", classes="heading")
            yield Static(
                "onboard reads pyproject.toml, requirements*.txt, package.json and CycloneDX or "
                "SPDX JSON SBOMs, finds each dependency's GitHub repository and counts its open "
                "beginner issues.",
                id="deps-intro",
                classes="muted",
            )
            with Horizontal(id="deps-form"):
                yield Static("Project folder", id="deps-label")
                yield Input(
                    value=str(self.start_path),
                    placeholder="a project folder, a manifest or an SBOM",
                    id="deps-path",
                )
            yield Static("", id="deps-status", classes="status-line")
            yield FittedTable(COLUMNS, id="deps-table")
            yield Static("", id="deps-problems", classes="muted")
            yield Static(
                "Enter on a project chooses it. Dimmed rows could not be traced to GitHub; "
                "they say why.",
                id="deps-hint",
                classes="muted",
            )

    def on_mount(self) -> None:
        self.query_one("#deps-problems", Static).display = False
        self.explore_path(str(self.start_path))

    def _set_status(self, message: str, style: str = "") -> None:
        self.query_one("#deps-status", Static).update(safe_text(message, style=style))

    @on(Input.Submitted, "#deps-path")
    def path_submitted(self, event: Input.Submitted) -> None:
        self.explore_path(event.value)

    def explore_path(self, value: str) -> None:
        if not value.strip():
            self._set_status("Type the folder of a project (or a manifest file).", "yellow")
            return
        self.query_one("#deps-table", FittedTable).loading = True
        self._set_status(f"Reading {display_path(Path(value).expanduser())}…")
        self.explore(value.strip())

    @work(thread=True, exclusive=True, group="dependencies")
    def explore(self, value: str) -> None:
        """Read, resolve and count off the UI thread: files, registries and the forge block."""
        registries = Registries(RegistryConfig.from_env())
        try:
            exploration = explore_dependencies(
                Path(value).expanduser(),
                self.onboard.forge,
                registries=registries,
                progress=deliverer(self, self._set_status),
            )
        except (DependencyError, ForgeError, OSError) as error:
            deliver(self, self._show_error, str(error))
            return
        finally:
            registries.close()
        deliver(self, self._show, exploration)

    def _show_error(self, message: str) -> None:
        table = self.query_one("#deps-table", FittedTable)
        table.loading = False
        table.set_rows([])
        self.projects = []
        self._set_status(message, "red")
        self.query_one("#deps-problems", Static).display = False
        self.query_one("#deps-path", Input).focus()

    def _show(self, exploration: DependencyExploration) -> None:
        self.projects = exploration.projects
        table = self.query_one("#deps-table", FittedTable)
        table.loading = False
        table.set_rows(
            FittedRow(key=str(index), cells=_cells(project))
            for index, project in enumerate(self.projects)
        )
        if exploration.issues_note:
            self._set_status(f"{summary(exploration)} · {exploration.issues_note}", "yellow")
        else:
            self._set_status(summary(exploration))
        self._show_problems(exploration)
        if self.projects:
            table.focus()

    def _show_problems(self, exploration: DependencyExploration) -> None:
        widget = self.query_one("#deps-problems", Static)
        problems = exploration.problems
        widget.display = bool(problems) or exploration.truncated
        text = Text(end="")
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            if text:
                text.append("\n")
            text.append_text(safe_text(str(problem), max_length=300))
        if len(problems) > MAX_PROBLEMS_SHOWN:
            more = len(problems) - MAX_PROBLEMS_SHOWN
            text.append(f"\n…and {more} more (onboard deps lists them all)")
        if exploration.truncated:
            text.append("\nOnly the first dependencies were read: the list is very long.")
        widget.update(text)

    @on(DataTable.RowSelected, "#deps-table")
    def choose_selected(self, event: DataTable.RowSelected) -> None:
        index = int(event.row_key.value or -1)
        if not 0 <= index < len(self.projects):
            return
        project = self.projects[index]
        if project.repo is None:
            self.notify(
                f"{', '.join(project.names)}: {project.reason}",
                title="Not traced to GitHub",
                severity="warning",
            )
            return
        self.onboard.choose_project(project.repo)

    def action_refresh(self) -> None:
        self.explore_path(self.query_one("#deps-path", Input).value)

    def action_ospo(self) -> None:
        """The same upstreams in the OSPO view: their needs, and what your team gave back."""
        self.onboard.action_ospo(Path(self.query_one("#deps-path", Input).value).expanduser())

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


def _cells(project: DependencyProject) -> tuple[Text, ...]:
    """The row of ``project``: all dimmed when it could not be traced, with the reason."""
    names = ", ".join(project.names)
    if project.dev_only:
        names += " (dev)"
    ecosystems = ", ".join(project.ecosystems)
    if project.repo is None:
        return (
            Text("-", style="dim"),
            safe_text(names, style="dim", max_length=200),
            safe_text(ecosystems, style="dim"),
            Text("", style="dim"),
            safe_text(project.reason or "", style="dim italic", max_length=200),
        )
    count = project.beginner_issues
    issues = Text(
        "?" if count is None else str(count),
        style="bold green" if count else "",
        justify="right",
    )
    return (
        safe_text(project.repo.full_name, style="bold"),
        safe_text(names, max_length=200),
        safe_text(ecosystems),
        issues,
        safe_text(project.how, style="dim", max_length=200),
    )
