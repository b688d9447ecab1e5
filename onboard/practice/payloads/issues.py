"""Issues (pulls seen as issues too), their comments and reactions, and timeline items.

The timeline builders turn the store's recorded events, comments, cross-references and submitted
reviews into what ``GET /issues/{n}/timeline`` lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from onboard.practice.payloads.common import JSON, Data, Urls, node_id
from onboard.practice.payloads.repos import labels_of, repo
from onboard.practice.payloads.users import user_ref

REACTION_KEYS = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")


def reactions(url: str, counts: Mapping[str, int]) -> JSON:
    payload: JSON = {"url": url, "total_count": sum(counts.get(k, 0) for k in REACTION_KEYS)}
    for key in REACTION_KEYS:
        payload[key] = counts.get(key, 0)
    return payload


# ---------------------------------------------------------------------------- issues


def issue(
    urls: Urls,
    data: Data,
    full_name: str,
    record: Mapping[str, Any],
    *,
    variant: str = "list",
) -> JSON:
    """An issue as listed (``variant="list"``), fetched alone (``"single"``) or found by
    search (``"search"``: no ``closed_by``, plus ``score``). Pulls carry ``pull_request``."""
    number = record["number"]
    api = f"{urls.repo_api(full_name)}/issues/{number}"
    pull = record["pull"]
    web = f"{urls.repo_html(full_name)}/{'pull' if pull else 'issues'}/{number}"
    assignees = [user_ref(urls, data, login) for login in record["assignees"]]
    comments = len(data["comments"].get(full_name, {}).get(str(number), []))
    payload: JSON = {
        "url": api,
        "repository_url": urls.repo_api(full_name),
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": web,
        "id": pull["id"] if pull else record["id"],
        "node_id": node_id("PullRequest", pull["id"]) if pull else node_id("Issue", record["id"]),
        "number": number,
        "title": record["title"],
        "user": user_ref(urls, data, record["user"]),
        "labels": labels_of(urls, data, full_name, record["labels"]),
        "state": record["state"],
        "locked": record["locked"],
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "comments": comments,
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "closed_at": record["closed_at"],
        "author_association": record["author_association"],
        "type": None,
        "active_lock_reason": record["active_lock_reason"],
    }
    if pull:
        pulls_api = f"{urls.repo_api(full_name)}/pulls/{number}"
        pull_web = f"{urls.repo_html(full_name)}/pull/{number}"
        payload["draft"] = pull["draft"]
        payload["pull_request"] = {
            "url": pulls_api,
            "html_url": pull_web,
            "diff_url": f"{pull_web}.diff",
            "patch_url": f"{pull_web}.patch",
            "merged_at": pull["merged_at"],
        }
    else:
        payload["sub_issues_summary"] = {"total": 0, "completed": 0, "percent_completed": 0}
        payload["issue_dependencies_summary"] = {
            "blocked_by": 0,
            "total_blocked_by": 0,
            "blocking": 0,
            "total_blocking": 0,
        }
    payload["body"] = record["body"]
    if variant != "search":
        payload["closed_by"] = user_ref(urls, data, record["closed_by"])
    payload["reactions"] = reactions(f"{api}/reactions", record["reactions"])
    payload["timeline_url"] = f"{api}/timeline"
    payload["performed_via_github_app"] = None
    payload["state_reason"] = record["state_reason"]
    if variant == "search":
        payload["score"] = 1.0
    return payload


def comment(urls: Urls, data: Data, full_name: str, record: Mapping[str, Any]) -> JSON:
    number = record["issue_number"]
    issue_record = data["issues"][full_name][str(number)]
    kind = "pull" if issue_record["pull"] else "issues"
    api = f"{urls.repo_api(full_name)}/issues/comments/{record['id']}"
    return {
        "url": api,
        "html_url": f"{urls.repo_html(full_name)}/{kind}/{number}#issuecomment-{record['id']}",
        "issue_url": f"{urls.repo_api(full_name)}/issues/{number}",
        "id": record["id"],
        "node_id": node_id("IssueComment", record["id"]),
        "user": user_ref(urls, data, record["user"]),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "author_association": record["author_association"],
        "body": record["body"],
        "reactions": reactions(f"{api}/reactions", record["reactions"]),
        "performed_via_github_app": None,
    }


# ---------------------------------------------------------------------------- timeline

#: GitHub's node-id type name of each issue event kind.
_EVENT_TYPES = {
    "labeled": "LabeledEvent",
    "unlabeled": "UnlabeledEvent",
    "assigned": "AssignedEvent",
    "unassigned": "UnassignedEvent",
    "closed": "ClosedEvent",
    "reopened": "ReopenedEvent",
    "locked": "LockedEvent",
    "unlocked": "UnlockedEvent",
    "merged": "MergedEvent",
}


def timeline_event(urls: Urls, data: Data, full_name: str, record: Mapping[str, Any]) -> JSON:
    """A recorded issue event (labeled, assigned, closed, ...) as the timeline lists it."""
    kind = record["event"]
    payload: JSON = {
        "id": record["id"],
        "node_id": node_id(_EVENT_TYPES.get(kind, "IssueEvent"), record["id"]),
        "url": f"{urls.repo_api(full_name)}/issues/events/{record['id']}",
        "actor": user_ref(urls, data, record["actor"]),
        "event": kind,
        "commit_id": None,
        "commit_url": None,
        "created_at": record["created_at"],
    }
    if kind in ("labeled", "unlabeled"):
        known = {lbl["name"]: lbl for lbl in data["labels"].get(full_name, [])}
        color = known.get(record["label"], {}).get("color", "ededed")
        payload["label"] = {"name": record["label"], "color": color}
    if kind in ("assigned", "unassigned"):
        payload["assignee"] = user_ref(urls, data, record["assignee"])
    if kind == "locked":
        payload["lock_reason"] = record.get("lock_reason")
    if kind in ("closed", "reopened"):
        payload["state_reason"] = record.get("state_reason")
    payload["performed_via_github_app"] = None
    return payload


def timeline_comment(urls: Urls, data: Data, full_name: str, record: Mapping[str, Any]) -> JSON:
    """A comment as a ``commented`` timeline event: the comment plus ``event`` and ``actor``."""
    payload = comment(urls, data, full_name, record)
    payload["event"] = "commented"
    payload["actor"] = payload["user"]
    return payload


def timeline_cross_reference(
    urls: Urls,
    data: Data,
    source_full_name: str,
    source: Mapping[str, Any],
    actor: str,
    created_at: str,
) -> JSON:
    """``cross-referenced``: another issue or pull mentioned this one; ``source.issue`` is the
    referencing issue in full (with ``pull_request`` when it is a pull, and its repository)."""
    referencing = issue(urls, data, source_full_name, source)
    referencing["repository"] = repo(urls, data, source_full_name, detail=False)
    return {
        "actor": user_ref(urls, data, actor),
        "created_at": created_at,
        "updated_at": created_at,
        "source": {"type": "issue", "issue": referencing},
        "event": "cross-referenced",
    }


def timeline_review(urls: Urls, data: Data, full_name: str, record: Mapping[str, Any]) -> JSON:
    """A submitted review as a ``reviewed`` timeline event (GitHub lowercases its state)."""
    number = record["pull_number"]
    pull_api = f"{urls.repo_api(full_name)}/pulls/{number}"
    web = f"{urls.repo_html(full_name)}/pull/{number}#pullrequestreview-{record['id']}"
    return {
        "id": record["id"],
        "node_id": node_id("PullRequestReview", record["id"]),
        "user": user_ref(urls, data, record["user"]),
        "body": record["body"],
        "commit_id": record["commit_id"],
        "submitted_at": record["submitted_at"],
        "state": record["state"].lower(),
        "html_url": web,
        "pull_request_url": pull_api,
        "author_association": record["author_association"],
        "_links": {"html": {"href": web}, "pull_request": {"href": pull_api}},
        "event": "reviewed",
    }
