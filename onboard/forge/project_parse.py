"""GitHub REST JSON about projects (not single issues) → domain objects.

Readiness and repository search read raw JSON through the ETag cache, like the issue search
does, so a cached answer turns back into the same objects and a field GitHub leaves out never
costs a hidden request. Every reader tolerates missing or mistyped fields: a proxy or an older
GitHub Enterprise may answer with less.
"""

from __future__ import annotations

from typing import Any

from onboard.core.discovery.readiness import BeginnerIssue, ClosedPull
from onboard.core.models import RepoRef
from onboard.forge.base import RepoSearchHit
from onboard.forge.parse import comment_from_json, parse_time


def _login(user: object) -> str | None:
    return user.get("login") if isinstance(user, dict) else None


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def beginner_issue_from_json(item: dict[str, Any], comments: list[Any] | None) -> BeginnerIssue:
    """A search result item; ``comments`` the first page of its comments, ``None`` if unread.

    An issue with no comments needs no request: GitHub's ``comments`` count says so.
    """
    if comments is None and _int(item.get("comments")) == 0:
        comments = []
    return BeginnerIssue(
        number=_int(item.get("number")),
        author=_login(item.get("user")),
        association=str(item.get("author_association") or "NONE"),
        created_at=parse_time(item.get("created_at")),
        comments=(
            None
            if comments is None
            else tuple(comment_from_json(c) for c in comments if isinstance(c, dict))
        ),
    )


def closed_pull_from_json(item: dict[str, Any]) -> ClosedPull:
    return ClosedPull(
        number=_int(item.get("number")),
        author=_login(item.get("user")),
        association=str(item.get("author_association") or "NONE"),
        closed_at=parse_time(item.get("closed_at")),
        merged_at=parse_time(item.get("merged_at")),
        updated_at=parse_time(item.get("updated_at")),
    )


def community_files(profile: Any) -> tuple[bool | None, bool | None]:
    """``(CONTRIBUTING present, code of conduct present)`` from a community profile.

    GitHub reports a code of conduct it recognises in ``code_of_conduct`` and any
    CODE_OF_CONDUCT file in ``code_of_conduct_file``; either one counts.
    """
    files = profile.get("files") if isinstance(profile, dict) else None
    if not isinstance(files, dict):
        return None, None
    contributing = isinstance(files.get("contributing"), dict)
    conduct = isinstance(files.get("code_of_conduct"), dict) or isinstance(
        files.get("code_of_conduct_file"), dict
    )
    return contributing, conduct


def repo_hit_from_json(item: dict[str, Any]) -> RepoSearchHit | None:
    """One ``/search/repositories`` item; ``None`` for an item without a usable name."""
    try:
        repo = RepoRef.parse(str(item.get("full_name") or ""))
    except ValueError:
        return None
    topics = item.get("topics")
    description = item.get("description")
    language = item.get("language")
    return RepoSearchHit(
        repo=repo,
        description=description if isinstance(description, str) else None,
        language=language if isinstance(language, str) else None,
        topics=tuple(t for t in topics if isinstance(t, str)) if isinstance(topics, list) else (),
        stars=_int(item.get("stargazers_count")),
        pushed_at=parse_time(item.get("pushed_at")),
        open_issues=_int(item.get("open_issues_count")),
        html_url=str(item.get("html_url") or ""),
    )
