"""The onboard Textual application: holds the forge, the saved journey and the screen stack.

Screens stay thin: they ask the app for the forge, the state store and the journey, run blocking
work in thread workers, and render results through :func:`onboard.ui.safe.safe_text`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from onboard import __version__
from onboard.core.journey import Journey, Step
from onboard.core.models import Project, RepoRef
from onboard.core.storage import paths
from onboard.core.storage.state import StateError, StateStore
from onboard.core.text.sanitize import clean
from onboard.forge.base import Forge, ForgeConfig, ForgeError, ForgeUnreachable
from onboard.ui.widgets.journey_bar import JourneyBar

if TYPE_CHECKING:
    # Packs, sessions and the practice forge are read in workers after the first frame: their
    # modules (validation, claim rules, file locks) are imported there, not before it.
    from onboard.core.packs.loading import Guide, Pack, PackError
    from onboard.core.sessions.progress import SessionEvent
    from onboard.core.sessions.session import Session
    from onboard.flows.room import LiveReport
    from onboard.flows.session_poll import SessionPoll, SessionSnapshot
    from onboard.forge.connect import PracticeSession


class OnboardApp(App[None]):
    """From "I want to contribute" to a first contribution in hand."""

    CSS_PATH = "app.tcss"
    TITLE = "onboard"
    ENABLE_COMMAND_PALETTE = True
    # The footer shows ``?`` and Quit; ``?`` lists every key, these included (see KeysScreen).
    BINDINGS = [
        Binding("question_mark", "keys", "Keys", key_display="?", tooltip="Every key, here"),
        Binding("f3", "keys", "Keys", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "guide", "Guides", show=False, tooltip="How contributing works"),
        Binding("f2", "doctor", "Doctor", show=False, tooltip="Is this computer ready?"),
        Binding("f4", "stuck", "I'm stuck", show=False, tooltip="Tell your mentor"),
        Binding(
            "f5",
            "contributions",
            "My contributions",
            show=False,
            tooltip="Your claims and pull requests: checks, reviews, merges",
        ),
    ]
    #: How often guided mode re-judges the checkpoints from local state (clones, journeys).
    SESSION_POLL_SECONDS = 5.0
    #: How often it also asks the fork (``git ls-remote``) whether the work branch is there.
    REMOTE_CHECK_SECONDS = 60.0

    def __init__(
        self,
        config: ForgeConfig,
        *,
        practice: PracticeSession | None = None,
        store: StateStore | None = None,
        workspace_root: Path | None = None,
        packs: list[Pack] | None = None,
        check_connection: bool = True,
        session: Session | None = None,
    ) -> None:
        super().__init__()
        self.practice = practice
        #: The mentor session of guided mode (``onboard --session FILE``), if any.
        self.session = session
        #: What the session panels show; replaced after every checkpoint poll.
        self.session_snapshot: SessionSnapshot | None = None
        self._reached: set[str] | None = None
        self._session_poll: SessionPoll | None = None
        #: The mentor's live copy of the report in a workshop room; False outside one.
        self._room_report: LiveReport | bool | None = None
        #: Texts written for public actions, by "kind:repo#number": kept when a post fails.
        self.drafts: dict[str, str] = {}
        self._session_timer: Timer | None = None
        self.store = store or StateStore(paths.state_path())
        self.store.on_save_failed = self._save_failed
        #: The theme the state file holds: a change of theme is saved, the same one is not.
        self._saved_theme: str | None = None
        self._saved_theme = self._restore_theme()
        #: Why progress could not be saved (the last reason shown), for the CLI to repeat on exit.
        self.save_problem: str | None = None
        self.workspace_root = workspace_root or paths.workspace_dir()
        self.check_connection = check_connection
        self.journey = Journey()
        self.packs: list[Pack] = packs or []
        self.packs_ready = packs is not None
        self._forge_lock = threading.Lock()
        self._forge: Forge | None = None
        self._use_forge(config)

    def _restore_theme(self) -> str:
        """Put back the theme chosen last time, before the first frame is drawn."""
        try:
            saved = self.store.theme()
        except StateError:  # load_journey says why, once the screen is there
            saved = None
        if saved is not None and saved in self.available_themes:
            self.theme = saved
        return self.theme

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen in the command palette ("Theme") for the next start."""
        if self._saved_theme is not None and theme != self._saved_theme:
            self._saved_theme = theme
            self.store.save_theme(theme)  # a failure is reported by the store's callback

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: messages often quote what a forge or git said."""
        super().notify(
            clean(message, max_length=2000),
            title=clean(title, one_line=True, max_length=100),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- forge and journey ------------------------------------------------------------------

    def _use_forge(self, config: ForgeConfig) -> None:
        self.config = config
        self._close_forge()
        mode = "practice forge · nobody is watching" if config.practice else config.label
        self.sub_title = f"{mode} · v{__version__}"

    def _close_forge(self) -> None:
        """Let go of the current forge client's threads; the next use makes a new client."""
        with self._forge_lock:
            forge, self._forge = self._forge, None
        if forge is not None:
            forge.close()

    def on_unmount(self) -> None:
        """Workers are cancelled by now; the forge's request threads go with them."""
        self._close_forge()

    @property
    def forge(self) -> Forge:
        """The forge client, created on first use.

        PyGithub takes longer to import than the rest of the app together, so it is imported
        here, from the first worker that needs it, never before the first frame.
        """
        with self._forge_lock:
            if self._forge is None:
                from onboard.forge.github import GitHubForge

                self._forge = GitHubForge(self.config)
            return self._forge

    @property
    def visible_packs(self) -> list[Pack]:
        """Packs whose projects live on the forge we are talking to."""
        wanted = "practice" if self.config.practice else "github"
        packs = [pack for pack in self.packs if pack.forge == wanted]
        if self.session is None:
            return packs
        from onboard.core.sessions.guided import packs_for_session

        return packs_for_session(self.session, packs)

    @property
    def guides(self) -> list[tuple[Pack, Guide]]:
        """Every guide, general ones first, then those of packs for the current forge.

        Each pack once: a general pack for this forge is in both lists (see ``guide_packs``).
        """
        general = [p for p in self.packs if not p.projects]
        from onboard.core.packs.catalog import guide_packs

        shown = guide_packs(general, self.visible_packs)
        return [(pack, guide) for pack in shown for guide in pack.guides]

    def project_for(self, repo_name: str | None) -> tuple[Pack, Project] | None:
        """The pack entry used for ``repo_name``: the first visible pack naming it."""
        from onboard.core.packs.catalog import find_listing

        found = find_listing(self.visible_packs, repo_name)
        return (found.pack, found.project) if found else None

    @work(thread=True, group="packs")
    def load_packs(self) -> None:
        """Read and validate every pack off the UI thread (validation imports jsonschema)."""
        from onboard.core.packs.loading import load_all_packs

        packs, errors = load_all_packs()
        self.call_from_thread(self._packs_loaded, packs, errors)

    def _packs_loaded(self, packs: list[Pack], errors: list[PackError]) -> None:
        self.packs = packs
        self.packs_ready = True
        for error in errors:
            self.notify(str(error), title="A guide pack was skipped", severity="error", timeout=20)
        # A screen still mounting is skipped: its own on_mount reads the packs, and its widgets
        # may not be ready (a viewer's first empty update would overwrite the guide shown).
        for screen in self.screen_stack:
            if screen.is_mounted and hasattr(screen, "packs_loaded"):
                screen.packs_loaded()

    def load_journey(self) -> None:
        try:
            self.journey = self.store.journey(self.config.key)
        except StateError as error:
            self.journey = Journey()
            self.save_problem = str(error)
            self.notify(
                f"{error}\nProgress will not be saved this time.", severity="error", timeout=15
            )
            return
        try:
            self.store.check_writable()
        except StateError as error:  # readable but not writable: keep the journey, say so
            self._report_save_problem(str(error))
        if self.store.recovered_backup is not None:
            self.notify(
                f"Your progress file was damaged and has been set aside as "
                f"{self.store.recovered_backup}. Starting fresh.",
                severity="warning",
                timeout=15,
            )

    def save_journey(self) -> None:
        """Persist :attr:`journey` and refresh every visible journey bar."""
        try:
            self.store.save_journey(self.config.key, self.journey)
        except StateError as error:
            self.notify(str(error), severity="error", timeout=15)
        self.refresh_journey_bars()
        self.poll_session()

    def _save_failed(self, error: StateError) -> None:
        """The store could not save; called from whichever thread was saving, so post it."""
        self.call_later(self._report_save_problem, str(error))

    def _report_save_problem(self, message: str) -> None:
        """Say it once per reason: a read-only folder would otherwise repeat it at every step."""
        if message == self.save_problem:
            return
        self.save_problem = message
        self.notify(
            f"{message}\nonboard keeps working, but this progress is not saved.",
            severity="error",
            timeout=15,
        )

    def refresh_journey_bars(self) -> None:
        for screen in self.screen_stack:
            for bar in screen.query(JourneyBar):
                bar.refresh_journey()

    # -- lifecycle ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.session is not None:
            self._begin_session(self.session)
        self.start_journey()
        # Background work starts once the first frame is drawn: worker threads share the GIL,
        # and reading packs or importing PyGithub would otherwise delay that frame.
        self.call_after_refresh(self._start_background_work)

    def _start_background_work(self) -> None:
        # The connection check first: "no network" is the answer a newcomer needs soonest.
        if self.check_connection and not self.config.practice:
            self.check_forge()
        else:
            self.warm_up_forge()
        self.poll_session(check_remote=True)
        if not self.packs_ready:
            self.load_packs()
        self.tidy_workspace()

    @work(thread=True, group="tidy")
    def tidy_workspace(self) -> None:
        """Remove what clones interrupted by a crash left (hidden, possibly large folders)."""
        from onboard.workspace.clone import remove_abandoned_clones

        remove_abandoned_clones(self.workspace_root)

    @work(thread=True, group="connection")
    def warm_up_forge(self) -> None:
        """Import PyGithub in the background so the first real request does not wait for it."""
        _ = self.forge

    def start_journey(self) -> None:
        """Show the screen for the current step, with the earlier screens beneath it."""
        from onboard.ui.screens.projects import ProjectsScreen

        self.load_journey()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(ProjectsScreen())
        step = self.journey.current_step
        if step is Step.CHOOSE_PROJECT:
            return
        if not self.journey.is_set_up:
            self.open_setup()
            return
        self.open_issues()
        if self.journey.issue is not None:
            self.open_issue(self.journey.issue)

    def choose_project(self, repo: RepoRef) -> None:
        session = self.session
        if session is not None and session.projects and repo not in session.projects:
            self.notify(
                f"{repo} is not one of the projects your mentor prepared for "
                f"{session.title!r}. You can go on; ask your mentor if unsure.",
                severity="warning",
                timeout=10,
            )
        self.journey.choose(repo.full_name)
        self.save_journey()
        if self.journey.is_set_up:
            self.open_issues()
        else:
            self.open_setup()

    def open_setup(self) -> None:
        from onboard.ui.screens.setup import SetupScreen

        self.push_screen(SetupScreen())

    def open_project_setup(self, *, tests: bool = False) -> None:
        """The project's own setup steps (from its pack, or detected), shown before any run.

        ``tests``: for running the test suite again; its button comes first once the steps
        were agreed to.
        """
        from onboard.ui.screens.project_setup import ProjectSetupScreen

        found = self.project_for(self.journey.project)
        pack, project = found if found else (None, None)
        clone = Path(self.journey.clone_path or ".")
        self.push_screen(ProjectSetupScreen(clone, project, pack, tests_first=tests))

    @work(thread=True, exclusive=True, group="sync")
    def sync_fork(self) -> None:
        """Bring the clone's main up to date with upstream (fast-forward only), and say how.

        Screens that show the outcome too (the set-up screen's log) have a ``synced`` method.
        """
        from onboard.workspace.gitenv import WorkspaceError
        from onboard.workspace.sync import sync_with_upstream

        journey = self.journey
        try:
            upstream = self.forge.repo(RepoRef.parse(journey.project or ""))
            result = sync_with_upstream(Path(journey.clone_path or ""), upstream.default_branch)
        except (ForgeError, WorkspaceError, ValueError) as problem:
            self.call_from_thread(self._synced, str(problem), True)
            return
        self.call_from_thread(self._synced, result.summary, False)

    def _synced(self, summary: str, failed: bool) -> None:
        self.notify(
            summary, title="Sync with upstream", severity="error" if failed else "information"
        )
        for screen in self.screen_stack:
            if screen.is_mounted and hasattr(screen, "synced"):
                screen.synced(summary, failed)

    @property
    def has_clone(self) -> bool:
        """Set-up is done: the tools that work on the clone (steps, tests, sync) can run."""
        return self.journey.is_set_up and bool(self.journey.clone_path)

    def open_issues(self, *, replace: bool = False) -> None:
        from onboard.ui.screens.issues import IssuesScreen

        if replace:
            self.switch_screen(IssuesScreen())
        else:
            self.push_screen(IssuesScreen())

    def open_issue(self, number: int) -> None:
        from onboard.ui.screens.issue import IssueScreen

        self.push_screen(IssueScreen(number))

    def open_make_change(self, repo: RepoRef, number: int | None) -> None:
        """*Make the change* for the journey's issue (its branch), from anywhere: the journey
        bar, or My contributions after "changes requested" (the issue's own screen when there
        is no branch for it here). Reads the issue off the UI thread."""
        journey = self.journey
        if number is None:
            self.notify("That pull request names no issue: open your clone from its issue.")
        elif journey.issue != number or not journey.work_branch:
            self.open_issue(number)  # no branch for it here yet: its issue offers one
        else:
            self._fetch_for_change(repo, number)

    @work(thread=True, exclusive=True, group="make-change")
    def _fetch_for_change(self, repo: RepoRef, number: int) -> None:
        from onboard.ui.screens.change import ChangeScreen

        try:
            issue = self.forge.issue(repo, number)
        except ForgeError as error:
            self.call_from_thread(self.notify, str(error), severity="error", timeout=15)
            return
        self.call_from_thread(self.push_screen, ChangeScreen(issue))

    def action_guide(self) -> None:
        from onboard.ui.screens.guide import GuideScreen

        if isinstance(self.screen, GuideScreen):
            return
        if self.packs_ready and not self.guides:
            self.notify("No guides are installed.", severity="warning")
            return
        self.push_screen(GuideScreen())

    def action_keys(self) -> None:
        """Every key that works on the current screen now, and the app's (``?`` or F3)."""
        from onboard.ui.screens.keys_help import KeysScreen, key_sections

        screen = self.screen
        if isinstance(screen, KeysScreen):
            return
        self.push_screen(KeysScreen(key_sections(screen, self), getattr(screen, "KEYS_TITLE", "")))

    def action_doctor(self) -> None:
        """Is this computer ready? Checks tools, sign-in and the journey's clone, if any."""
        from onboard.ui.screens.doctor import DoctorScreen

        if not isinstance(self.screen, DoctorScreen):
            self.push_screen(DoctorScreen())

    def action_contributions(self) -> None:
        """*My contributions*: every claim and pull request, with its live state (F5)."""
        from onboard.ui.screens.contributions import ContributionsScreen

        if not isinstance(self.screen, ContributionsScreen):
            self.push_screen(ContributionsScreen())

    def action_ospo(self, upstreams: Path | None = None) -> None:
        """The OSPO view: which upstreams need help, what the team gave back (mentors, leads)."""
        from onboard.ui.screens.ospo import OspoScreen

        if not isinstance(self.screen, OspoScreen):
            self.push_screen(OspoScreen(upstreams))

    def action_dependencies(self) -> None:
        """Choose among the projects behind your own project's dependencies (OSPO use case)."""
        from onboard.ui.screens.dependencies import DependenciesScreen

        if not isinstance(self.screen, DependenciesScreen):
            self.push_screen(DependenciesScreen())

    # -- guided mode (mentor sessions) ---------------------------------------------------------

    def _begin_session(self, session: Session) -> None:
        self.session = session
        self.session_snapshot, self._reached = None, None
        self.store.join_session(session.id, session.title)
        if self._session_timer is None:
            self._session_timer = self.set_interval(self.SESSION_POLL_SECONDS, self.poll_session)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        textual_keys = {self.action_show_help_panel, self.action_hide_help_panel}
        for command in super().get_system_commands(screen):
            if command.callback in textual_keys:  # ours lists the screen's keys: one list only
                yield SystemCommand(
                    "Keys", "Every key on this screen, and the app's", self.action_keys
                )
            else:
                yield command
        yield SystemCommand("Guides", "How contributing works, and more (F1)", self.action_guide)
        yield SystemCommand("Doctor", "Is this computer ready? (F2)", self.action_doctor)
        yield SystemCommand(
            "My contributions",
            "Your claims and pull requests: checks, reviews, replies, merges (F5)",
            self.action_contributions,
        )
        yield SystemCommand(
            "OSPO view",
            "Which upstreams need help, and what your team gave back (for mentors and OSPOs)",
            self.action_ospo,
        )
        if self.has_clone:
            yield SystemCommand(
                "Project setup steps",
                "The project's own steps to build it on your computer, shown before they run",
                self.open_project_setup,
            )
            yield SystemCommand(
                "Run the tests",
                "The project's test suite, once its setup steps were agreed to",
                lambda: self.open_project_setup(tests=True),
            )
            yield SystemCommand(
                "Sync with upstream",
                "Bring your main up to date with the original project (fast-forward only)",
                self.sync_fork,
            )
        if self.session is None:
            yield SystemCommand(
                "Join a mentor session",
                "Follow your mentor's session file: agenda, checkpoints, where to ask for help",
                self.action_join_session,
            )
        else:
            yield SystemCommand(
                "I'm stuck", "Tell your mentor where and why; see where to ask", self.action_stuck
            )
            yield SystemCommand(
                "Export my progress report",
                "Write a report (JSON for your mentor, Markdown to read) in your workspace",
                self.export_report,
            )
            yield SystemCommand(
                "Leave the mentor session",
                "Hide the agenda; your progress in it is kept for your report",
                self.action_leave_session,
            )

    def action_join_session(self) -> None:
        from onboard.ui.screens.join_session import JoinSessionDialog

        def chosen(session: Session | None) -> None:
            if session is not None:
                self.join_session(session)

        self.push_screen(JoinSessionDialog([pack.name for pack in self.packs]), chosen)

    def join_session(self, session: Session) -> None:
        """Enter guided mode now: every journey screen is rebuilt with the session panel."""
        from onboard.core.sessions.guided import needs_practice

        self._begin_session(session)
        self.notify(f"Joined {session.title!r}. F4 when you are stuck.", title="Mentor session")
        if needs_practice(session, self.packs) and not self.config.practice and self.practice:
            self.notify("This session uses the practice forge: starting it.")
            self.switch_to_practice()  # rebuilds the screens once the forge answers
        else:
            self.start_journey()
        self.poll_session(check_remote=True)

    @work(thread=True, exclusive=True, group="report")
    def export_report(self) -> None:
        """Write the session's report as JSON (for the mentor's dashboard) and Markdown."""
        from onboard.flows.progress_report import export_report_files
        from onboard.workspace.gitenv import WorkspaceError

        session = self.session
        if session is None:
            return
        try:
            written = export_report_files(self.store, session, self.workspace_root)
        except (OSError, StateError, WorkspaceError) as error:
            self.call_from_thread(
                self.notify, f"Could not write your report: {error}", severity="error"
            )
            return
        where = session.help.name if session.help else "your mentor"
        self.call_from_thread(
            self.notify,
            f"Wrote {paths.display_path(written[0])} (send this one: {where}) and "
            f"{paths.display_path(written[1])} (to read). No token or private path is in them.",
            title="Your progress report",
            timeout=20,
        )

    def action_leave_session(self) -> None:
        self.session, self.session_snapshot = None, None
        self.store.leave_session()
        self.start_journey()
        self.notify("You left the session. Your progress in it is kept.")

    @work(thread=True, exclusive=True, group="session")
    def poll_session(self, *, check_remote: bool = False) -> None:
        """Re-judge the session's checkpoints from real state and redraw the session panels.

        Runs git (see :class:`~onboard.flows.session_poll.SessionPoll`), so never on the UI
        thread.
        """
        session = self.session
        if session is None:
            return
        if self._session_poll is None:  # imported here: guided mode's rules cost start-up time
            from onboard.flows.session_poll import SessionPoll

            self._session_poll = SessionPoll(self.REMOTE_CHECK_SECONDS)
        snapshot = self._session_poll.poll(
            self.store, session, self.journey.project, check_remote=check_remote
        )
        if snapshot is not None and not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_session, snapshot)
            self._update_room_report(session, snapshot)

    def _update_room_report(self, session: Session, snapshot: SessionSnapshot) -> None:
        """In a workshop room (``onboard serve``), keep the mentor's copy of the report current:
        rewritten as soon as a checkpoint, a stuck flag or an event changes (worker thread)."""
        from onboard.flows.room import LiveReport
        from onboard.workspace.gitenv import WorkspaceError

        if self._room_report is None:
            self._room_report = LiveReport.from_env() or False
        report = self._room_report
        if not isinstance(report, LiveReport):
            return
        try:
            events = self.store.session_progress(session.id).events
            key = (
                tuple((status.id, status.done) for status in snapshot.view.statuses),
                repr(snapshot.open_stuck),
                len(events),
                self.journey.project,
            )
            report.update(self.store, session, key)
        except (OSError, StateError, WorkspaceError) as error:
            self.call_from_thread(self._report_save_problem, f"Your mentor's copy: {error}")

    def _show_session(self, snapshot: SessionSnapshot) -> None:
        if self.session is not snapshot.view.session:  # left (or changed) since the poll began
            return
        reached = {status.id for status in snapshot.view.statuses if status.done}
        if self._reached is not None:
            for status in snapshot.view.statuses:
                if status.id in reached - self._reached:
                    self.notify(status.evidence, title=f"✓ Checkpoint: {status.title}")
        self._reached = reached
        self.session_snapshot = snapshot
        from onboard.ui.widgets.session_panel import SessionPanel

        for screen in self.screen_stack:  # a dialog on top must not leave the panel below stale
            for panel in screen.query(SessionPanel):
                panel.show(snapshot)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stuck":
            return self.session is not None
        return True

    def action_stuck(self) -> None:
        """Say where and why you are stuck (for your mentor), and see where to ask for help."""
        from onboard.ui.screens.stuck import StuckScreen

        session = self.session
        if session is None or isinstance(self.screen, StuckScreen):
            return
        step = self.journey.current_step.value
        where = type(self.screen).__name__
        snapshot = self.session_snapshot
        open_stuck = snapshot.open_stuck if snapshot else None
        self.push_screen(StuckScreen(session, step, where, open_stuck), self._stuck_answered)

    def _stuck_answered(self, answer: SessionEvent | bool | None) -> None:
        session = self.session
        if session is None or answer is None:
            return
        from onboard.core.sessions.progress import SessionEvent

        if isinstance(answer, SessionEvent):
            self.store.record_session_event(session.id, answer)
        elif answer:
            self.store.resolve_stuck(session.id)
            self.notify("Glad you're moving again. It's recorded for your mentor.")
        self.poll_session()

    def record_session_event(self, event: SessionEvent) -> bool:
        """Record something the learner did into their session; False when there is none.

        Guided mode records into its own session; otherwise into the session joined last, if
        any (a cohort's learner does not pass ``--session`` every day).
        """
        if self.session is not None:
            self.store.record_session_event(self.session.id, event)
            recorded = True
        else:
            recorded = self.store.record_event(event)
        self.poll_session()
        return recorded

    # -- connectivity -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="connection")
    def check_forge(self) -> None:
        """Tell a newcomer plainly when GitHub cannot be reached, and offer practice mode."""
        from onboard.forge.reachable import check_reachable

        try:
            check_reachable(self.config)  # milliseconds, where PyGithub's import alone is not
            self.forge.rate_limit()
        except ForgeUnreachable as error:
            self.call_from_thread(self._offer_practice, str(error))
        except ForgeError as error:
            self.call_from_thread(self.notify, str(error), severity="warning", timeout=10)

    def _offer_practice(self, reason: str) -> None:
        from onboard.ui.screens.offline import OfflineScreen

        def decided(choice: str | None) -> None:
            if choice == "practice":
                self.switch_to_practice()
            elif choice == "retry":
                self.check_forge()

        self.push_screen(OfflineScreen(reason, can_practice=self.practice is not None), decided)

    @work(thread=True, exclusive=True, group="connection")
    def switch_to_practice(self) -> None:
        if self.practice is None:
            return
        try:
            config = self.practice.start()
        except Exception as error:  # any failure must reach the user, not kill the app
            self.call_from_thread(
                self.notify, f"The practice forge could not start: {error}", severity="error"
            )
            return
        self.call_from_thread(self._practice_started, config)

    def _practice_started(self, config: ForgeConfig) -> None:
        self._use_forge(config)
        self.start_journey()
        self.notify("Practice mode: everything stays on this computer.", title="Practice forge")
