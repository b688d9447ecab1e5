"""Stage 1: choose a project: from the guide packs (filtered by language, topic or kind of
contribution), from a GitHub search, from your own dependencies, or by typing ``OWNER/REPO``.

The highlighted project's readiness signals (does anyone answer newcomers?) are shown by a
:class:`~onboard.ui.widgets.readiness.ReadinessView`, which loads them in a worker and keeps them
for the session, so moving through the list stays instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from onboard.core.models import Project, RepoRef
from onboard.core.packs.filter import matches, project_facts
from onboard.ui.keys import Keys
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen

if TYPE_CHECKING:  # packs arrive from a worker after the first frame; so do their modules
    from onboard.core.discovery.readiness import Readiness
    from onboard.core.packs.catalog import Listing
    from onboard.core.packs.loading import Pack
    from onboard.ui.widgets.readiness import ReadinessSource, ReadinessView


def project_card(pack: Pack, project: Project, also_in: Sequence[Pack] = ()) -> Text:
    """Facts a newcomer weighs before choosing: what kinds of help, where to talk, set-up.

    ``also_in``: other packs naming the same repository; their entries are not used (see
    :mod:`onboard.core.packs.catalog`), so the card says whose details these are.
    """
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
    if also_in:
        rows.append(("Also listed by", ", ".join(other.title for other in also_in)))
    text = Text(end="")
    for index, (name, value) in enumerate(rows):
        if index:
            text.append("\n")
        text.append(f"{name:<18}", style="bold")
        text.append_text(safe_text(value, max_length=300))
    return text


class ProjectPanes(Horizontal):
    """The list of projects (with its filter and the OWNER/REPO field) and the detail pane."""

    def __init__(self, readiness_of: ReadinessSource) -> None:
        super().__init__(id="projects-body")
        self._readiness_of = readiness_of

    def compose(self) -> ComposeResult:
        with Vertical(id="projects-pane", classes="panel") as pane:
            pane.border_title = "Projects"
            yield Input(placeholder="Filter: language, topic, docs, translation…", id="filter")
            yield OptionList(id="projects")
            yield Input(placeholder="…or type OWNER/REPO", id="repo-input")
            yield Static("", id="repo-error", classes="muted")
        with VerticalScroll(id="project-detail", classes="panel") as detail:
            detail.border_title = "About this project"
            yield Static(id="project-title", classes="heading")
            yield Static(id="project-summary")
            yield Static(id="project-meta", classes="muted")
            with Vertical(id="readiness-panel") as panel:
                panel.border_title = "Is it ready for newcomers?"
                from onboard.ui.widgets.readiness import ReadinessView  # not in the first frame

                yield ReadinessView(self._readiness_of, id="readiness")
            yield Static(id="project-hint")


class ProjectsScreen(JourneyScreen):
    CSS_PATH = "projects.tcss"
    KEYS_TITLE = "Choose a project"
    BINDINGS = [
        Binding("slash", "focus_repo_input", "Type a repo", tooltip="Any OWNER/REPO"),
        Binding("f", "focus_filter", "Filter", tooltip="By language, topic or kind of work"),
        Binding("g", "search_github", "Search", tooltip="Search GitHub by topic and language"),
        Binding("d", "dependencies", "Dependencies", tooltip="Projects your own code uses"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: What each option stands for: option ids come from pack data and are never parsed.
        self._listed: Keys[Listing] = Keys()

    def compose_body(self) -> ComposeResult:
        if self.onboard.packs_ready:
            yield ProjectPanes(self._readiness_of)
        else:
            # The first frame does not wait for the list's widgets: packs are still being read
            # (in a worker), and the panes come with them (see packs_loaded).
            yield Static("Loading guide packs…", id="projects-loading", classes="muted")

    def _readiness_of(self, repo: RepoRef, labels: tuple[str, ...]) -> Readiness:
        return self.onboard.forge.readiness(repo, labels)

    def _options(self, query: str = "") -> list[Option | None]:
        """The list's options, each project once (under the first pack naming it)."""
        self._listed.clear()
        options: list[Option | None] = []
        packs = self.onboard.visible_packs
        from onboard.core.packs.catalog import listed_projects

        listings = listed_projects(packs)
        for pack in packs:
            shown = [
                listing
                for listing in listings
                if listing.pack is pack and matches(self._facts(pack, listing.project), query)
            ]
            if not shown:
                continue
            if options:
                options.append(None)
            options.append(Option(safe_text(pack.title, style="bold italic"), disabled=True))
            for listing in shown:
                project = listing.project
                label = Text.assemble("  ", safe_text(project.title, style="bold", max_length=40))
                if project.languages:
                    label.append("  ")
                    label.append_text(
                        safe_text(", ".join(project.languages), style="dim", max_length=30)
                    )
                options.append(Option(label, id=self._listed.add(project.repo.full_name, listing)))
        return options

    @staticmethod
    def _facts(pack: Pack, project: Project) -> tuple[str, ...]:
        task_lanes = tuple(task.lane.title for task in pack.tasks_for(project.repo))
        return project_facts(project, task_lanes)

    def on_mount(self) -> None:
        self.packs_loaded()

    def packs_loaded(self) -> None:
        """(Re)fill the list: packs are read in a worker and may arrive after the first frame."""
        if not self.onboard.packs_ready:
            return
        if not self.query("#projects"):
            self.call_next(self._build_panes)
            return
        self._fill()

    async def _build_panes(self) -> None:
        """Swap the first frame's placeholder for the list and the detail pane."""
        if not self.is_attached:
            return  # replaced meanwhile (a journey restarted, practice mode began)
        found = self.query("#projects-loading")
        placeholder = found.first() if found else None
        if placeholder is None or placeholder.parent is None or not placeholder.is_attached:
            return  # already built
        await placeholder.parent.mount(ProjectPanes(self._readiness_of), before=placeholder)
        await placeholder.remove()
        self._fill()

    def _readiness(self) -> ReadinessView:
        from onboard.ui.widgets.readiness import ReadinessView

        return self.query_one("#readiness", ReadinessView)

    def _fill(self) -> None:
        option_list = self.query_one("#projects", OptionList)
        option_list.clear_options()
        option_list.add_options(self._options(self.query_one("#filter", Input).value))
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
        query = self.query_one("#filter", Input).value.strip()
        title = "Nothing matches this filter" if query else "No guide pack lists projects here yet"
        self.query_one("#project-title", Static).update(title)
        self.query_one("#project-summary", Static).update(
            "Press g to search GitHub by topic or language, d to start from the projects you "
            "already depend on, or type any repository on the left, for example pallets/flask."
        )
        for selector in ("#project-meta", "#project-hint"):
            self.query_one(selector, Static).update("")
        self._readiness().show_nothing()
        self.query_one("#readiness-panel").display = False

    @on(Input.Changed, "#filter")
    def filter_projects(self) -> None:
        option_list = self.query_one("#projects", OptionList)
        option_list.clear_options()
        option_list.add_options(self._options(self.query_one("#filter", Input).value))
        first = self._first_enabled(option_list)
        if first is None:
            self._show_empty()
        else:
            option_list.highlighted = first

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one("#projects", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#projects")
    def show_project(self, event: OptionList.OptionHighlighted) -> None:
        listing = self._listed.get(event.option.id)
        if listing is None:
            return
        pack, project = listing.pack, listing.project
        self.query_one("#project-title", Static).update(safe_text(project.title))
        self.query_one("#project-summary", Static).update(
            safe_text(project.summary, one_line=False)
        )
        self.query_one("#project-meta", Static).update(project_card(pack, project, listing.also_in))
        current = self.onboard.journey.project == project.repo.full_name
        hint = (
            "This is your current project. Press Enter to continue."
            if current
            else "Press Enter to choose this project."
        )
        self.query_one("#project-hint", Static).update(hint)
        self.query_one("#readiness-panel").display = True
        self._readiness().show_repo(project.repo, project.beginner_labels)

    @on(OptionList.OptionSelected, "#projects")
    def choose_listed(self, event: OptionList.OptionSelected) -> None:
        listing = self._listed.get(event.option.id)
        if listing is not None:
            self.onboard.choose_project(listing.project.repo)

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
        for field in self.query("#repo-input"):  # none until the packs (and panes) are there
            field.focus()

    def action_focus_filter(self) -> None:
        for field in self.query("#filter"):
            field.focus()

    def action_search_github(self) -> None:
        from onboard.ui.screens.repo_search import RepoSearchScreen

        self.app.push_screen(RepoSearchScreen())

    def action_dependencies(self) -> None:
        self.onboard.action_dependencies()
