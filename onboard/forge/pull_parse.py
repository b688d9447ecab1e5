"""GitHub REST JSON about one pull request → :mod:`onboard.core.contributions.facts`.

Kept apart from the adapter so that a cached answer turns back into the same facts, and so the
shapes (GitHub's documented ones: ``/pulls/{n}``, ``/pulls/{n}/reviews``, ``/pulls/{n}/comments``,
``/commits/{sha}/status``, ``/commits/{sha}/check-runs``) are read in one place. A field GitHub
leaves out or sends as another type becomes its empty value, never an exception: one odd review
must not hide the rest of the pull request.
"""

from __future__ import annotations

from typing import Any

from onboard.core.contributions.facts import (
    CheckRunFact,
    ReviewComment,
    ReviewFact,
    StatusFact,
)
from onboard.forge.parse import parse_time


def _login(user: object) -> str | None:
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _objects(items: object) -> list[dict[str, Any]]:
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def head_sha(pull: dict[str, Any]) -> str:
    head = pull.get("head")
    return _text(head.get("sha")) if isinstance(head, dict) else ""


def reviews_from_json(items: object) -> tuple[ReviewFact, ...]:
    """Reviews oldest first, as GitHub lists them (``state`` upper case, as GitHub sends it)."""
    return tuple(
        ReviewFact(
            author=_login(item.get("user")),
            state=_text(item.get("state")).upper(),
            submitted_at=parse_time(item.get("submitted_at")),
            body=_text(item.get("body")),
        )
        for item in _objects(items)
    )


def review_comments_from_json(items: object) -> tuple[ReviewComment, ...]:
    """Comments on lines of the diff; ``line`` None for an outdated one, as GitHub says."""
    out = []
    for item in _objects(items):
        line = item.get("line")
        out.append(
            ReviewComment(
                author=_login(item.get("user")),
                body=_text(item.get("body")),
                path=_text(item.get("path")),
                line=line if isinstance(line, int) and not isinstance(line, bool) else None,
                created_at=parse_time(item.get("created_at")),
            )
        )
    return tuple(out)


def statuses_from_json(combined: object) -> tuple[StatusFact, ...]:
    """The statuses of a combined status (``GET /commits/{sha}/status``)."""
    statuses = combined.get("statuses") if isinstance(combined, dict) else None
    return tuple(
        StatusFact(
            context=_text(item.get("context")),
            state=_text(item.get("state")),
            description=_text(item.get("description")),
        )
        for item in _objects(statuses)
    )


def check_runs_from_json(answer: object) -> tuple[CheckRunFact, ...]:
    """``{"total_count", "check_runs": [...]}`` → one fact a run, ``output.summary`` kept."""
    runs = answer.get("check_runs") if isinstance(answer, dict) else None
    out = []
    for item in _objects(runs):
        output = item.get("output") if isinstance(item.get("output"), dict) else {}
        conclusion = item.get("conclusion")
        out.append(
            CheckRunFact(
                name=_text(item.get("name")),
                status=_text(item.get("status")),
                conclusion=conclusion if isinstance(conclusion, str) else None,
                summary=_text(output.get("summary")) or _text(output.get("title")),
            )
        )
    return tuple(out)
