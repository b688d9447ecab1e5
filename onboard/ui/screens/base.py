"""What every journey screen shares: the app accessor, the current project, the frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header

from onboard.core.models import RepoRef
from onboard.ui.widgets.compact_footer import CompactFooter
from onboard.ui.widgets.journey_bar import JourneyBar

if TYPE_CHECKING:
    from onboard.ui.app import OnboardApp


class JourneyScreen(Screen[None]):
    """A screen framed by the header, the journey bar and the footer.

    In guided mode (a mentor session) the session panel joins the frame: a column on the right
    when the terminal is wide, a strip below the screen's own widgets when it is not (see
    ``app.tcss``).
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    #: A short terminal (24 rows) gets the ``-short`` class: screens drop their spare margins.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    #: What the ``?`` list calls this screen ("Keys · First contributions").
    KEYS_TITLE: ClassVar[str] = ""

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
        if self.onboard.session is None:
            yield from self.compose_body()
        else:
            from onboard.ui.widgets.session_panel import SessionPanel

            with Horizontal(id="guided-frame"):
                with Vertical(id="guided-body"):
                    yield from self.compose_body()
                yield SessionPanel()
        yield CompactFooter()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
