"""What every journey screen shares: the app accessor, the current project, the frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from onboard.core.models import RepoRef
from onboard.ui.widgets.journey_bar import JourneyBar

if TYPE_CHECKING:
    from onboard.ui.app import OnboardApp


class JourneyScreen(Screen[None]):
    """A screen framed by the header, the journey bar and the footer."""

    @property
    def onboard(self) -> OnboardApp:
        return cast("OnboardApp", self.app)

    @property
    def repo(self) -> RepoRef:
        """The project of the current journey (screens past the first one always have one)."""
        return RepoRef.parse(self.onboard.journey.project or "")

    def compose(self) -> ComposeResult:
        yield Header()
        yield JourneyBar()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
