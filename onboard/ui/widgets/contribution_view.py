"""How one contribution looks: its table cells and its detail, as inert text.

Kept apart from the screen (:mod:`onboard.ui.screens.contributions`), which only decides what
to show when: everything here comes from strangers (titles, review comments, check summaries,
the forge's messages), so every piece goes through :func:`safe_text`.
"""

from __future__ import annotations

from rich.text import Text

from onboard.core.contributions.guidance import WHEN_NOBODY_ANSWERS
from onboard.core.contributions.live import ChecksState, ReviewDecision, comments_by_place
from onboard.core.contributions.record import ContributionKind
from onboard.core.contributions.rows import ContributionRow
from onboard.core.text.timefmt import ago
from onboard.ui.columns import ColumnSpec
from onboard.ui.safe import safe_text

COLUMNS = (
    ColumnSpec("kind", "What"),
    ColumnSpec("where", "Where", flex=2, min_width=14),
    ColumnSpec("title", "Title", flex=3, min_width=10, optional=True),
    ColumnSpec("state", "State"),
    ColumnSpec("checks", "Checks"),
    ColumnSpec("review", "Review", flex=1, min_width=6),
    ColumnSpec("new", "New"),
)

_STATE_STYLE = {"merged": "bold magenta", "closed": "dim", "open": "green", "unknown": "yellow"}
_CHECK_STYLE = {
    ChecksState.PASSING: "green",
    ChecksState.FAILING: "bold red",
    ChecksState.PENDING: "yellow",
    ChecksState.NONE: "dim",
}
_REVIEW_STYLE = {
    ReviewDecision.APPROVED: "green",
    ReviewDecision.CHANGES_REQUESTED: "bold yellow",
    ReviewDecision.COMMENTED: "",
    ReviewDecision.NONE: "dim",
}


def row_cells(row: ContributionRow) -> tuple[Text, ...]:
    pull = row.kind is ContributionKind.PULL
    kind = "PR" + (" draft" if row.draft else "") if pull else "claim"
    new = Text(str(row.replies_since), style="bold") if row.replies_since else Text("-", "dim")
    state = row.state + ("*" if row.error else "")
    return (
        Text(kind),
        safe_text(row.where, style="bold"),
        safe_text(row.record.title, max_length=200),
        Text(state, style=_STATE_STYLE.get(row.state, "")),
        Text(row.checks.state.value, style=_CHECK_STYLE[row.checks.state]) if pull else Text("-"),
        Text(row.review.value, style=_REVIEW_STYLE[row.review]) if pull else Text("-"),
        new,
    )


def detail_text(row: ContributionRow) -> Text:
    """Everything about one row, as inert text: the next step, checks, review comments."""
    text = Text(end="")
    text.append_text(safe_text(row.record.title, style="bold", max_length=300))
    text.append("\n")
    text.append_text(safe_text(row.record.url, style="dim", max_length=300))
    text.append("\n\nNext: ", style="bold")
    text.append_text(safe_text(row.next_step, one_line=False, max_length=500))
    if row.error:
        when = f" (showing the answer from {ago(row.fetched_at)})" if row.fetched_at else ""
        text.append(f"\nNot refreshed{when}: ", style="yellow")
        text.append_text(safe_text(row.error, max_length=300))
    if row.checks.failing:
        text.append("\n\nFailing check: ", style="bold red")
        text.append_text(safe_text(", ".join(row.checks.failing), max_length=200))
        if row.checks.failing_summary:
            text.append("\n  ")
            text.append_text(safe_text(row.checks.failing_summary, one_line=False, max_length=800))
    if row.review_comments:
        text.append("\n\nReview comments", style="bold")
        for path, line, comments in comments_by_place(row.review_comments):
            where = f"{path}:{line}" if line is not None else f"{path} (outdated line)"
            text.append("\n")
            text.append_text(safe_text(where, style="bold cyan", max_length=200))
            for comment in comments:
                text.append("\n  ")
                text.append_text(safe_text(comment.author or "someone", style="bold"))
                text.append(": ")
                text.append_text(safe_text(comment.body, one_line=False, max_length=1500))
    if row.replies_since:
        text.append(f"\n\n{row.replies_since} new since you last looked (Enter marks it seen).")
    if row.kind is ContributionKind.CLAIM and row.assigned:
        text.append("\n\nAssigned to you.", style="green")
    if row.quiet_days is not None:
        text.append(
            f"\n\nQuiet for {row.quiet_days} days. g: what to do when nobody answers · "
            "p: a polite ping you edit first.",
            style="yellow",
        )
    if row.review is ReviewDecision.CHANGES_REQUESTED:
        text.append("\n\nc: back to the change on the same branch.", style="bold")
    if row.draft:
        text.append("\n\ny: mark it ready for review (asks first).", style="bold")
    if row.merged:
        text.append("\n\nn: a next issue of the same project.", style="bold magenta")
    return text


def guide_text(row: ContributionRow) -> Text:
    text = Text(WHEN_NOBODY_ANSWERS, end="")
    if row.quiet_days is not None:
        text.append(f"\n\n{row.where} has been quiet for {row.quiet_days} days: ")
        text.append("p writes a polite ping you edit before it is posted.", style="bold")
    text.append("\n\ng again: back to the details.", style="dim")
    return text
