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
from onboard.core.packs import Pack
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen


def project_card(pack: Pack, project: Project) -> Text:
    """Facts a newcomer weighs before choosing: what kinds of help, where to talk, set-up."""
    rows: list[tuple[str, str]] = [("Repository", project.repo.full_name)]
    if project.languages:
        rows.append(("Languages", ", ".join(project.languages)))
    lanes = dict.fromkeys([*project.lanes, *(task.lane for task in pack.tasks_for(project.repo))])
    if lanes:
        rows.append(("You can help with", ", ".join(lane.title for lane in lanes)))
    if project.chat:
        rows.append(("Where to talk", ", ".join(f"{c.name} ({c.url})" for c in project.chat)))
    if project.mentor:
        contact = f" ({project.mentor.contact})" if project.mentor.contact else ""
        rows.append(("Mentor", f"{project.mentor.name}{contact}"))
    if project.contributing:
        rows.append(("How to contribute", project.contributing))
    if project.setup:
        count = len(project.setup)
        rows.append(
            ("Setup", f"{count} step{'s' if count != 1 else ''}, shown before anything runs")
        )
    rows.append(("From the pack", pack.title))
    text = Text(end="")
    for index, (name, value) in enumerate(rows):
        if index:
            text.append("\n")
        text.append(f"{name:<18}", style="bold")
        text.append_text(safe_text(value, max_length=300))
    return text


class ProjectsScreen(JourneyScreen):
    CSS_PATH = "projects.tcss"
    BINDINGS = [Binding("slash", "focus_repo_input", "Type a repo")]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="projects-body"):
            with Vertical(id="projects-pane", classes="panel") as pane:
                pane.border_title = "Projects"
                yield OptionList(id="projects")
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
                label = Text.assemble("  ", safe_text(project.title, style="bold", max_length=40))
                options.append(Option(label, id=project.repo.full_name))
        return options

    def on_mount(self) -> None:
        self.packs_loaded()

    def packs_loaded(self) -> None:
        """(Re)fill the list: packs are read in a worker and may arrive after the first frame."""
        option_list = self.query_one("#projects", OptionList)
        option_list.clear_options()
        if not self.onboard.packs_ready:
            option_list.add_option(Option("Loading guide packs…", disabled=True))
            return
        option_list.add_options(self._options())
        if self._first_enabled(option_list) is not None:
            option_list.focus()
            option_list.highlighted = self._first_enabled(option_list)
        else:
            self.query_one("#repo-input", Input).focus()
            self._show_empty()

    @staticmethod
    def _first_enabled(option_list: OptionList) -> int | None:
        for index in range(option_list.option_count):
            if not option_list.get_option_at_index(index).disabled:
                return index
        return None

    def _show_empty(self) -> None:
        self.query_one("#project-title", Static).update("No guide pack lists projects here yet")
        self.query_one("#project-summary", Static).update(
            "Type the name of any repository on the left, for example pallets/flask."
        )

    @on(OptionList.OptionHighlighted, "#projects")
    def show_project(self, event: OptionList.OptionHighlighted) -> None:
        found = self.onboard.project_for(event.option.id)
        if found is None:
            return
        pack, project = found
        self.query_one("#project-title", Static).update(safe_text(project.title))
        self.query_one("#project-summary", Static).update(
            safe_text(project.summary, one_line=False)
        )
        self.query_one("#project-meta", Static).update(project_card(pack, project))
        current = self.onboard.journey.project == project.repo.full_name
        hint = (
            "This is your current project. Press Enter to continue."
            if current
            else "Press Enter to choose this project."
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
