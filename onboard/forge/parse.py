"""GitHub REST JSON → domain objects.

Parsing the JSON ourselves (rather than reading PyGithub objects) means a cached response can be
turned back into the same objects, and a field GitHub leaves out never triggers PyGithub's
"complete the object" request behind our back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from onboard.core.models import AssignmentEvent, Comment, Issue, Label, LinkedPull, RepoRef


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _login(user: object) -> str | None:
    return user.get("login") if isinstance(user, dict) else None


def _repo_of(item: dict[str, Any]) -> RepoRef:
    url = str(item.get("repository_url") or item.get("url") or "")
    tail = url.rstrip("/").split("/repos/", 1)[-1]
    return RepoRef.parse("/".join(tail.split("/")[:2]))


def is_pull_request(item: dict[str, Any]) -> bool:
    return isinstance(item.get("pull_request"), dict)


def issue_from_json(item: dict[str, Any]) -> Issue:
    labels = tuple(
        Label(
            str(label.get("name", "")),
            str(label.get("color") or "ededed"),
            label.get("description"),
        )
        for label in item.get("labels") or ()
        if isinstance(label, dict)
    )
    return Issue(
        repo=_repo_of(item),
        number=int(item["number"]),
        title=str(item.get("title") or ""),
        url=str(item.get("html_url") or ""),
        body=item.get("body") if isinstance(item.get("body"), str) else None,
        labels=labels,
        assignees=tuple(
            login for login in (_login(a) for a in item.get("assignees") or ()) if login
        ),
        comments=int(item.get("comments") or 0),
        author=_login(item.get("user")),
        created_at=parse_time(item.get("created_at")),
        updated_at=parse_time(item.get("updated_at")),
        locked=bool(item.get("locked")),
        state=str(item.get("state") or "open"),
    )


def comment_from_json(item: dict[str, Any]) -> Comment:
    return Comment(
        author=_login(item.get("user")) or _login(item.get("actor")),
        body=str(item.get("body") or ""),
        created_at=parse_time(item.get("created_at")),
        association=str(item.get("author_association") or "NONE"),
    )


def assignments_from_json(events: list[dict[str, Any]]) -> list[AssignmentEvent]:
    """Assigned and unassigned events of an issue timeline, oldest first (GitHub's order)."""
    return [
        AssignmentEvent(
            assigned=event.get("event") == "assigned",
            assignee=_login(event.get("assignee")),
            actor=_login(event.get("actor")),
            created_at=parse_time(event.get("created_at")),
        )
        for event in events
        if event.get("event") in ("assigned", "unassigned")
    ]


def timeline_from_json(events: list[dict[str, Any]]) -> tuple[list[Comment], list[LinkedPull]]:
    """Comments and referencing pull requests from an issue timeline."""
    comments: list[Comment] = []
    pulls: dict[int, LinkedPull] = {}
    for event in events:
        kind = event.get("event")
        if kind == "commented":
            comments.append(comment_from_json(event))
        elif kind == "cross-referenced":
            source = event.get("source") or {}
            issue = source.get("issue") if isinstance(source, dict) else None
            if isinstance(issue, dict) and is_pull_request(issue):
                pull = issue["pull_request"]
                pulls[int(issue["number"])] = LinkedPull(
                    number=int(issue["number"]),
                    url=str(issue.get("html_url") or ""),
                    state=str(issue.get("state") or "open"),
                    merged=bool(pull.get("merged_at")),
                    draft=bool(issue.get("draft")),
                    author=_login(issue.get("user")),
                    updated_at=parse_time(issue.get("updated_at")),
                )
    return comments, list(pulls.values())
