"""Readiness signals as text: a mark per verdict, the short summary, and how it was computed.

Shared by the projects screen and the GitHub search screen, so a signal reads the same
wherever a newcomer meets it.
"""

from __future__ import annotations

from rich.text import Text

from onboard.core.readiness import Readiness, Verdict
from onboard.core.timefmt import ago
from onboard.ui.safe import safe_text

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
            when += f" (offline: {readiness.stale_reason})"
        text.append_text(safe_text(when, style="dim italic"))
    return text
