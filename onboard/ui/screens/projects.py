"""Stage 1: choose a project, from the guide packs or by typing ``OWNER/REPO``."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from onboard.core.models import Project, RepoRef
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen


class ProjectsScreen(JourneyScreen):
    CSS_PATH = "projects.tcss"
    BINDINGS = [Binding("slash", "focus_repo_input", "Type a repo")]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="projects-body"):
            with Vertical(id="projects-pane", classes="panel") as pane:
                pane.border_title = "Projects"
                yield OptionList(*self._options(), id="projects")
                yield Input(placeholder="…or type OWNER/REPO", id="repo-input")
                yield Static("", id="repo-error", classes="muted")
            with VerticalScroll(id="project-detail", classes="panel") as detail:
                detail.border_title = "About this project"
                yield Static(id="project-title", classes="heading")
                yield Static(id="project-summary")
                yield Static(id="project-meta", classes="muted")
                yield Static(id="project-hint")

    def _options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for pack in self.onboard.visible_packs:
            if not pack.projects:
                continue
            if options:
                options.append(None)
            options.append(Option(safe_text(pack.title, style="bold italic"), disabled=True))
            for project in pack.projects:
                label = Text.assemble(
                    "  ",
                    safe_text(project.title, style="bold"),
                    "  ",
                    safe_text(project.repo, style="dim"),
                )
                options.append(Option(label, id=project.repo.full_name))
        return options

    def on_mount(self) -> None:
        option_list = self.query_one("#projects", OptionList)
        if option_list.option_count:
            option_list.focus()
            first = next(
                (
                    i
                    for i in range(option_list.option_count)
                    if not option_list.get_option_at_index(i).disabled
                ),
                None,
            )
            if first is not None:
                option_list.highlighted = first
        else:
            self.query_one("#repo-input", Input).focus()
            self._show_empty()

    def _project(self, repo_name: str) -> Project | None:
        for pack in self.onboard.visible_packs:
            for project in pack.projects:
                if project.repo.full_name == repo_name:
                    return project
        return None

    def _show_empty(self) -> None:
        self.query_one("#project-title", Static).update("No guide pack lists projects here yet")
        self.query_one("#project-summary", Static).update(
            "Type the name of any repository on the left, for example pallets/flask."
        )

    @on(OptionList.OptionHighlighted, "#projects")
    def show_project(self, event: OptionList.OptionHighlighted) -> None:
        project = self._project(event.option.id or "")
        if project is None:
            return
        self.query_one("#project-title", Static).update(safe_text(project.title))
        self.query_one("#project-summary", Static).update(
            safe_text(project.summary, one_line=False)
        )
        meta = Text(end="")
        meta.append("Repository  ")
        meta.append_text(safe_text(project.repo))
        if project.languages:
            meta.append("\nLanguages   ")
            meta.append_text(safe_text(", ".join(project.languages)))
        if project.lanes:
            meta.append("\nYou can help with  ")
            meta.append_text(safe_text(", ".join(lane.title for lane in project.lanes)))
        self.query_one("#project-meta", Static).update(meta)
        current = self.onboard.journey.project == project.repo.full_name
        hint = (
            "This is your current project. Press Enter to continue."
            if current
            else ("Press Enter to choose this project.")
        )
        self.query_one("#project-hint", Static).update(hint)

    @on(OptionList.OptionSelected, "#projects")
    def choose_listed(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.onboard.choose_project(RepoRef.parse(event.option.id))

    @on(Input.Submitted, "#repo-input")
    def choose_typed(self, event: Input.Submitted) -> None:
        error = self.query_one("#repo-error", Static)
        try:
            repo = RepoRef.parse(event.value)
        except ValueError as problem:
            error.update(safe_text(problem))
            return
        error.update("")
        self.onboard.choose_project(repo)

    def action_focus_repo_input(self) -> None:
        self.query_one("#repo-input", Input).focus()
