"""Readiness signals: a mark per verdict, the short summary, and how it was computed.

:class:`ReadinessView` is shared by the projects screen and the GitHub search screen: a screen
only says which repository to show, and the view asks the forge in a worker, keeps each answer
for as long as the screen lives (moving back through a list stays instant and costs no request)
and waits a moment before asking, so scrolling with the arrow keys fires no burst of requests.
A signal reads the same wherever a newcomer meets it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from onboard.core.discovery.readiness import Readiness, Verdict
from onboard.core.models import RepoRef
from onboard.core.text.timefmt import ago
from onboard.forge.base import ForgeError
from onboard.ui.safe import safe_text

#: Wait this long on a highlighted repository before asking the forge about it (arrow-key
#: scrolling through a list should not fire a dozen requests).
READINESS_DELAY_SECONDS = 0.3

#: Blocking call that reads a repository's signals, given its beginner labels; runs in a worker.
ReadinessSource = Callable[[RepoRef, tuple[str, ...]], Readiness]

_MARKS: dict[Verdict, tuple[str, str]] = {
    Verdict.GOOD: ("●", "green"),
    Verdict.OK: ("◐", "yellow"),
    Verdict.POOR: ("○", "red"),
    Verdict.UNKNOWN: ("·", "dim"),
}


def readiness_text(readiness: Readiness) -> Text:
    text = Text(end="")
    for index, signal in enumerate(readiness.signals):
        if index:
            text.append("\n")
        mark, style = _MARKS[signal.verdict]
        text.append(f"{mark} ", style=style)
        text.append(f"{signal.title:<24}", style="bold")
        text.append_text(safe_text(signal.summary, max_length=120))
        text.append("\n  ")
        text.append_text(safe_text(signal.how, style="dim", max_length=300))
    if readiness.fetched_at is not None:
        text.append("\n")
        when = f"fetched {ago(readiness.fetched_at)}"
        if readiness.stale_reason:
            when += f" (a saved answer: {readiness.stale_reason})"
        text.append_text(safe_text(when, style="dim italic"))
    return text


class ReadinessView(Static):
    """The signals of one repository at a time, fetched, cached and shown by the view itself."""

    class Fetched(Message, bubble=False):
        """A worker's answer for ``repo``: its signals, or why they could not be read."""

        def __init__(self, repo: RepoRef, result: Readiness | str) -> None:
            super().__init__()
            self.repo = repo
            self.result = result

    def __init__(
        self,
        source: ReadinessSource,
        *,
        delay: float = READINESS_DELAY_SECONDS,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes)
        self._source = source
        self._delay = delay
        self._known: dict[RepoRef, Readiness | str] = {}
        self._timer: Timer | None = None
        self._shown: RepoRef | None = None

    def show_repo(self, repo: RepoRef, labels: tuple[str, ...] = ()) -> None:
        """Show ``repo``'s signals: at once when known, else after the delay, from the forge.

        A fetch still waiting for its delay is dropped; one already running is let finish
        and its answer kept, but only the repository asked for last is shown.
        """
        self._shown = repo
        self._cancel_pending()
        known = self._known.get(repo)
        if known is not None:
            self._show_result(known)
            return
        self.update(Text("Asking the forge…", style="dim"))
        if self._delay <= 0:
            self._fetch(repo, labels)
        else:
            self._timer = self.set_timer(self._delay, lambda: self._fetch(repo, labels))

    def show_nothing(self) -> None:
        """Blank the view and drop a fetch still waiting for its delay."""
        self._shown = None
        self._cancel_pending()
        self.update("")

    def _cancel_pending(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @work(thread=True, group="readiness")
    def _fetch(self, repo: RepoRef, labels: tuple[str, ...]) -> None:
        try:
            result: Readiness | str = self._source(repo, labels)
        except ForgeError as error:
            result = f"Could not read the signals: {error}"
        self.post_message(self.Fetched(repo, result))

    @on(Fetched)
    def _fetched(self, message: Fetched) -> None:
        self._known[message.repo] = message.result
        if message.repo == self._shown:
            self._show_result(message.result)

    def _show_result(self, result: Readiness | str) -> None:
        self.update(
            safe_text(result, one_line=False) if isinstance(result, str) else readiness_text(result)
        )
