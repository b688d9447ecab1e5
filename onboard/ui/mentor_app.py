"""A small app for mentors: the cohort dashboard, without a forge, a token or a journey.

``onboard session dashboard`` runs this rather than :class:`onboard.ui.app.OnboardApp`: a mentor
watching a room needs none of the learner's machinery (no forge connection, no state file, no
guide packs), so nothing can fail for want of them and it opens at once.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from onboard import __version__
from onboard.ui.screens.mentor_dashboard import MentorDashboardScreen


class MentorApp(App[None]):
    """Hosts one mentor dashboard (built by the caller, who knows its files and clock)."""

    #: Textual loads a screen's own CSS when it is pushed, not for the default screen: the
    #: dashboard is the default screen here, so the app loads its stylesheet too.
    CSS_PATH = ["app.tcss", "screens/mentor_dashboard.tcss"]
    TITLE = "onboard"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, dashboard: MentorDashboardScreen) -> None:
        super().__init__()
        self.dashboard = dashboard
        self.sub_title = f"mentor dashboard · v{__version__}"

    def get_default_screen(self) -> Screen[None]:
        """The dashboard is the app's only screen: nothing lies beneath it to go back to."""
        return self.dashboard
