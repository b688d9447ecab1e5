"""Pure builders of GitHub-shaped JSON documents from the store's plain records.

Client code (PyGithub, and onboard's own parsers) is written against GitHub's real payloads, so
every builder reproduces the field set, field order, nulls and nested objects of the reference
payloads in ``shared/reference/github-payloads``. Nothing here touches the network, git or the
store's lock: callers pass the store's data dict, already locked, and get fresh dicts back.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

JSON = dict[str, Any]
Data = Mapping[str, Any]

DOCS = "https://docs.github.com/rest"

#: The licences the seed uses, as GitHub's licence API names them.
LICENSES: dict[str, tuple[str, str, str]] = {
    "mit": ("MIT License", "MIT", "MDc6TGljZW5zZTEz"),
    "apache-2.0": ("Apache License 2.0", "Apache-2.0", "MDc6TGljZW5zZTI="),
    "bsd-3-clause": ('BSD 3-Clause "New" or "Revised" License', "BSD-3-Clause", "MDc6TGljZW5zZTU="),
    "cc-by-4.0": (
        "Creative Commons Attribution 4.0 International",
        "CC-BY-4.0",
        "MDc6TGljZW5zZTI1",
    ),
}

REACTION_KEYS = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")


@dataclass(frozen=True)
class Urls:
    """Where this forge lives; every URL in every payload is derived from these two."""

    api: str  # "http://127.0.0.1:PORT", no trailing slash
    git: str  # "git://127.0.0.1:PORT/", trailing slash

    def repo_api(self, full_name: str) -> str:
        return f"{self.api}/repos/{full_name}"

    def repo_html(self, full_name: str) -> str:
        return f"{self.api}/{full_name}"

    def clone(self, full_name: str) -> str:
        return f"{self.git}{full_name}.git"


def node_id(kind: str, ident: int) -> str:
    """GitHub's legacy global node id: base64 of ``0<len>:<Type><id>``."""
    raw = f"0{len(kind)}:{kind}{ident}"
    return base64.b64encode(raw.encode()).decode()


# ---------------------------------------------------------------------------- users


def user(urls: Urls, record: Mapping[str, Any]) -> JSON:
    """The "simple user" object nested in repos, issues, comments and pulls."""
    login = record["login"]
    base = f"{urls.api}/users/{login}"
    return {
        "login": login,
        "id": record["id"],
        "node_id": node_id(
            record["type"] if record["type"] == "Organization" else "User", record["id"]
        ),
        "avatar_url": f"{urls.api}/_avatars/u/{record['id']}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": f"{urls.api}/{login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": record["type"],
        "user_view_type": "public",
        "site_admin": False,
    }


def user_ref(urls: Urls, data: Data, login: str | None) -> JSON | None:
    """Nested user by login, tolerating logins the store never heard of (as ghosts)."""
    if login is None:
        return None
    record = data["users"].get(login)
    if record is None:
        record = {"login": login, "id": 10137, "type": "User"}
    return user(urls, record)


def user_detail(urls: Urls, data: Data, login: str, *, private: bool = False) -> JSON:
    """``GET /users/{login}`` and, with ``private``, ``GET /user``."""
    record = data["users"][login]
    owned = [r for r in data["repos"].values() if r["owner"] == login]
    payload = user(urls, record)
    payload.update(
        {
            "name": record.get("name"),
            "company": record.get("company"),
            "blog": record.get("blog", ""),
            "location": record.get("location"),
            "email": None,
            "hireable": None,
            "bio": record.get("bio"),
            "twitter_username": None,
            "public_repos": len(owned),
            "public_gists": 0,
            "followers": len(record.get("members", [])),
            "following": 0,
            "created_at": record["created_at"],
            "updated_at": record["updated_at"],
        }
    )
    if record["type"] == "User":
        payload["user_view_type"] = "private" if private else "public"
    if private:
        payload.update(
            {
                "notification_email": None,
                "private_gists": 0,
                "total_private_repos": 0,
                "owned_private_repos": 0,
                "disk_usage": sum(r.get("size", 0) for r in owned),
                "collaborators": 0,
                "two_factor_authentication": False,
                "plan": {
                    "name": "free",
                    "space": 976562499,
                    "collaborators": 0,
                    "private_repos": 10000,
                },
            }
        )
    return payload


# ---------------------------------------------------------------------------- repos


def license_payload(urls: Urls, key: str | None) -> JSON | None:
    if key is None:
        return None
    name, spdx, license_node = LICENSES.get(key, (key, key.upper(), node_id("License", 99)))
    return {
        "key": key,
        "name": name,
        "spdx_id": spdx,
        "url": f"{urls.api}/licenses/{key}",
        "node_id": license_node,
    }


def permissions(data: Data, repo: Mapping[str, Any], viewer: str | None) -> JSON:
    """What ``viewer`` may do: owners administer, org members push, everyone else pulls."""
    owner = data["users"].get(repo["owner"], {})
    is_owner = viewer == repo["owner"]
    is_member = viewer is not None and viewer in owner.get("members", [])
    return {
        "admin": is_owner,
        "maintain": is_owner,
        "push": is_owner or is_member,
        "triage": is_owner or is_member,
        "pull": True,
    }


def _open_issues_count(data: Data, full_name: str) -> int:
    return sum(1 for i in data["issues"].get(full_name, {}).values() if i["state"] == "open")


def repo(
    urls: Urls,
    data: Data,
    full_name: str,
    *,
    viewer: str | None = None,
    detail: bool = True,
) -> JSON:
    """A repository. ``detail`` adds what ``GET /repos/{o}/{r}`` has beyond nested copies
    (organization, parent/source for forks, network/subscriber counts, permissions)."""
    record = data["repos"][full_name]
    api = urls.repo_api(full_name)
    web = urls.repo_html(full_name)
    forks = sum(1 for r in data["repos"].values() if r["parent"] == full_name)
    open_issues = _open_issues_count(data, full_name)
    owner = user_ref(urls, data, record["owner"])
    payload: JSON = {
        "id": record["id"],
        "node_id": node_id("Repository", record["id"]),
        "name": record["name"],
        "full_name": full_name,
        "private": False,
        "owner": owner,
        "html_url": web,
        "description": record["description"],
        "fork": record["fork"],
        "url": api,
        "forks_url": f"{api}/forks",
        "keys_url": f"{api}/keys{{/key_id}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "teams_url": f"{api}/teams",
        "hooks_url": f"{api}/hooks",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "events_url": f"{api}/events",
        "assignees_url": f"{api}/assignees{{/user}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "tags_url": f"{api}/tags",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "trees_url": f"{api}/git/trees{{/sha}}",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "languages_url": f"{api}/languages",
        "stargazers_url": f"{api}/stargazers",
        "contributors_url": f"{api}/contributors",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "commits_url": f"{api}/commits{{/sha}}",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "comments_url": f"{api}/comments{{/number}}",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "merges_url": f"{api}/merges",
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "downloads_url": f"{api}/downloads",
        "issues_url": f"{api}/issues{{/number}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "labels_url": f"{api}/labels{{/name}}",
        "releases_url": f"{api}/releases{{/id}}",
        "deployments_url": f"{api}/deployments",
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "pushed_at": record["pushed_at"],
        "git_url": urls.clone(full_name),
        "ssh_url": urls.clone(full_name),
        "clone_url": urls.clone(full_name),
        "svn_url": web,
        "homepage": record["homepage"],
        "size": record["size"],
        "stargazers_count": record["stargazers_count"],
        "watchers_count": record["stargazers_count"],
        "language": record["language"],
        "has_issues": record["has_issues"],
        "has_projects": record["has_projects"],
        "has_downloads": True,
        "has_wiki": record["has_wiki"],
        "has_pages": False,
        "has_discussions": record["has_discussions"],
        "forks_count": forks,
        "mirror_url": None,
        "archived": record["archived"],
        "disabled": record["disabled"],
        "open_issues_count": open_issues,
        "license": license_payload(urls, record["license"]),
        "allow_forking": True,
        "is_template": record["is_template"],
        "web_commit_signoff_required": False,
        "topics": list(record["topics"]),
        "visibility": "public",
        "forks": forks,
        "open_issues": open_issues,
        "watchers": record["stargazers_count"],
        "default_branch": record["default_branch"],
    }
    if not detail:
        return payload
    if viewer is not None:
        payload["permissions"] = permissions(data, record, viewer)
        payload["temp_clone_token"] = ""
    payload.update(
        {
            "allow_squash_merge": True,
            "allow_merge_commit": True,
            "allow_rebase_merge": True,
            "allow_auto_merge": False,
            "delete_branch_on_merge": False,
            "allow_update_branch": False,
            "use_squash_pr_title_as_default": False,
            "squash_merge_commit_message": "COMMIT_MESSAGES",
            "squash_merge_commit_title": "COMMIT_OR_PR_TITLE",
            "merge_commit_message": "PR_TITLE",
            "merge_commit_title": "MERGE_MESSAGE",
        }
    )
    owner_record = data["users"].get(record["owner"], {})
    if owner_record.get("type") == "Organization":
        payload["organization"] = owner
    if record["fork"]:
        payload["parent"] = repo(urls, data, record["parent"], viewer=viewer, detail=False)
        payload["source"] = repo(urls, data, record["source"], viewer=viewer, detail=False)
    payload["security_and_analysis"] = {
        "secret_scanning": {"status": "enabled"},
        "secret_scanning_push_protection": {"status": "enabled"},
        "dependabot_security_updates": {"status": "disabled"},
        "secret_scanning_non_provider_patterns": {"status": "disabled"},
        "secret_scanning_validity_checks": {"status": "disabled"},
    }
    network = record["source"] or full_name
    payload["network_count"] = sum(
        1 for r in data["repos"].values() if r["source"] == network and r["full_name"] != network
    )
    payload["subscribers_count"] = record["subscribers_count"]
    return payload


# ---------------------------------------------------------------------------- labels


def label(urls: Urls, full_name: str, record: Mapping[str, Any]) -> JSON:
    return {
        "id": record["id"],
        "node_id": node_id("Label", record["id"]),
        "url": f"{urls.repo_api(full_name)}/labels/{quote(record['name'], safe='')}",
        "name": record["name"],
        "color": record["color"],
        "default": record["default"],
        "description": record["description"],
    }


def _labels_of(urls: Urls, data: Data, full_name: str, names: list[str]) -> list[JSON]:
    by_name = {lbl["name"]: lbl for lbl in data["labels"].get(full_name, [])}
    return [label(urls, full_name, by_name[n]) for n in names if n in by_name]


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
        "labels": _labels_of(urls, data, full_name, record["labels"]),
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


# ---------------------------------------------------------------------------- pulls


def _pull_side(
    urls: Urls, data: Data, owner: str, repo_full: str | None, ref: str, sha: str
) -> JSON:
    return {
        "label": f"{owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user_ref(urls, data, owner),
        "repo": repo(urls, data, repo_full, detail=False) if repo_full in data["repos"] else None,
    }


def pull(
    urls: Urls, data: Data, full_name: str, record: Mapping[str, Any], *, detail: bool = True
) -> JSON:
    """A pull request (``GET /pulls/{n}``; ``detail=False`` for list entries)."""
    pr = record["pull"]
    number = record["number"]
    api = f"{urls.repo_api(full_name)}/pulls/{number}"
    issue_api = f"{urls.repo_api(full_name)}/issues/{number}"
    web = f"{urls.repo_html(full_name)}/pull/{number}"
    assignees = [user_ref(urls, data, login) for login in record["assignees"]]
    base_owner = data["repos"][full_name]["owner"]
    payload: JSON = {
        "url": api,
        "id": pr["id"],
        "node_id": node_id("PullRequest", pr["id"]),
        "html_url": web,
        "diff_url": f"{web}.diff",
        "patch_url": f"{web}.patch",
        "issue_url": issue_api,
        "number": number,
        "state": record["state"],
        "locked": record["locked"],
        "title": record["title"],
        "user": user_ref(urls, data, record["user"]),
        "body": record["body"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "closed_at": record["closed_at"],
        "merged_at": pr["merged_at"],
        "merge_commit_sha": None,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": _labels_of(urls, data, full_name, record["labels"]),
        "milestone": None,
        "draft": pr["draft"],
        "commits_url": f"{api}/commits",
        "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{urls.repo_api(full_name)}/pulls/comments{{/number}}",
        "comments_url": f"{issue_api}/comments",
        "statuses_url": f"{urls.repo_api(full_name)}/statuses/{pr['head_sha']}",
        "head": _pull_side(
            urls, data, pr["head_owner"], pr["head_repo"], pr["head_ref"], pr["head_sha"]
        ),
        "base": _pull_side(urls, data, base_owner, full_name, pr["base_ref"], pr["base_sha"]),
        "_links": {
            "self": {"href": api},
            "html": {"href": web},
            "issue": {"href": issue_api},
            "comments": {"href": f"{issue_api}/comments"},
            "review_comments": {"href": f"{api}/comments"},
            "review_comment": {"href": f"{urls.repo_api(full_name)}/pulls/comments{{/number}}"},
            "commits": {"href": f"{api}/commits"},
            "statuses": {"href": f"{urls.repo_api(full_name)}/statuses/{pr['head_sha']}"},
        },
        "author_association": record["author_association"],
        "auto_merge": None,
        "active_lock_reason": record["active_lock_reason"],
    }
    if detail:
        payload.update(
            {
                "merged": pr["merged_at"] is not None,
                "mergeable": None,
                "rebaseable": None,
                "mergeable_state": "unknown",
                "merged_by": None,
                "comments": len(data["comments"].get(full_name, {}).get(str(number), [])),
                "review_comments": 0,
                "maintainer_can_modify": pr["maintainer_can_modify"],
                "commits": pr["commits"],
                "additions": pr["additions"],
                "deletions": pr["deletions"],
                "changed_files": pr["changed_files"],
            }
        )
    return payload


# ---------------------------------------------------------------------------- reviews & timeline

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


def review(urls: Urls, data: Data, full_name: str, record: Mapping[str, Any]) -> JSON:
    """A pull request review (``GET/POST /pulls/{n}/reviews``)."""
    number = record["pull_number"]
    pull_api = f"{urls.repo_api(full_name)}/pulls/{number}"
    web = f"{urls.repo_html(full_name)}/pull/{number}#pullrequestreview-{record['id']}"
    payload: JSON = {
        "id": record["id"],
        "node_id": node_id("PullRequestReview", record["id"]),
        "user": user_ref(urls, data, record["user"]),
        "body": record["body"],
        "state": record["state"],
        "html_url": web,
        "pull_request_url": pull_api,
        "author_association": record["author_association"],
        "_links": {"html": {"href": web}, "pull_request": {"href": pull_api}},
    }
    if record["submitted_at"] is not None:
        payload["submitted_at"] = record["submitted_at"]
    payload["commit_id"] = record["commit_id"]
    return payload


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


# ---------------------------------------------------------------------------- contents


def _wrap_base64(raw: bytes) -> str:
    """GitHub's contents API wraps base64 at 60 characters with a trailing newline."""
    encoded = base64.b64encode(raw).decode("ascii")
    return "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))


def _content_common(
    urls: Urls, full_name: str, ref: str, path: str, sha: str, size: int, kind: str
) -> JSON:
    quoted = quote(path)
    api = f"{urls.repo_api(full_name)}/contents/{quoted}?ref={quote(ref, safe='')}"
    web = f"{urls.repo_html(full_name)}/{'tree' if kind == 'dir' else 'blob'}/{ref}/{quoted}"
    git = f"{urls.repo_api(full_name)}/git/{'trees' if kind == 'dir' else 'blobs'}/{sha}"
    download = f"{urls.repo_html(full_name)}/raw/{ref}/{quoted}" if kind == "file" else None
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": size,
        "url": api,
        "html_url": web,
        "git_url": git,
        "download_url": download,
        "type": kind,
    }


def content_file(urls: Urls, full_name: str, ref: str, path: str, sha: str, raw: bytes) -> JSON:
    payload = _content_common(urls, full_name, ref, path, sha, len(raw), "file")
    payload["content"] = _wrap_base64(raw)
    payload["encoding"] = "base64"
    payload["_links"] = {
        "self": payload["url"],
        "git": payload["git_url"],
        "html": payload["html_url"],
    }
    return payload


def content_entry(
    urls: Urls, full_name: str, ref: str, path: str, sha: str, size: int, kind: str
) -> JSON:
    """One entry of a directory listing (no ``content``)."""
    payload = _content_common(urls, full_name, ref, path, sha, size, kind)
    payload["_links"] = {
        "self": payload["url"],
        "git": payload["git_url"],
        "html": payload["html_url"],
    }
    return payload


# ---------------------------------------------------------------------------- community


#: Codes of conduct GitHub recognises by their text: (phrase, key, name).
KNOWN_CONDUCTS: tuple[tuple[str, str, str], ...] = (
    ("contributor covenant", "contributor_covenant", "Contributor Covenant"),
    ("citizen code of conduct", "citizen_code_of_conduct", "Citizen Code of Conduct"),
)


def _file_link(urls: Urls, full_name: str, ref: str, path: str | None) -> JSON | None:
    if path is None:
        return None
    return {
        "url": f"{urls.repo_api(full_name)}/contents/{quote(path)}",
        "html_url": f"{urls.repo_html(full_name)}/blob/{ref}/{quote(path)}",
    }


def community_profile(
    urls: Urls,
    data: Data,
    full_name: str,
    files: Mapping[str, str | None],
    conduct_text: str = "",
) -> JSON:
    """``GET /repos/{o}/{r}/community/profile`` from the files found in the default branch.

    ``health_percentage`` follows GitHub's documented rule: the share of README, CONTRIBUTING,
    LICENSE and CODE_OF_CONDUCT present. ``code_of_conduct`` is only filled when the text is a
    code of conduct GitHub recognises; ``code_of_conduct_file`` whenever the file exists.
    ``content_reports_enabled`` is only reported for organization-owned repositories.
    """
    record = data["repos"][full_name]
    ref = record["default_branch"]
    conduct_file = _file_link(urls, full_name, ref, files.get("code_of_conduct_file"))
    conduct: JSON | None = None
    lowered = conduct_text.casefold()
    for phrase, key, name in KNOWN_CONDUCTS:
        if conduct_file is not None and phrase in lowered:
            conduct = {
                "key": key,
                "name": name,
                "url": f"{urls.api}/codes_of_conduct/{key}",
                "html_url": conduct_file["html_url"],
            }
            break
    license_path = files.get("license")
    license_link: JSON | None = None
    if license_path is not None:
        known = license_payload(urls, record["license"]) or {
            "key": "other",
            "name": "Other",
            "spdx_id": "NOASSERTION",
            "url": None,
            "node_id": node_id("License", 0),
        }
        link = _file_link(urls, full_name, ref, license_path) or {}
        license_link = {
            "name": known["name"],
            "key": known["key"],
            "spdx_id": known["spdx_id"],
            "url": known["url"],
            "html_url": link.get("html_url"),
            "node_id": known["node_id"],
        }
    counted = ("readme", "contributing", "license", "code_of_conduct_file")
    present = sum(1 for kind in counted if files.get(kind) is not None)
    payload: JSON = {
        "health_percentage": round(100 * present / len(counted)),
        "description": record["description"],
        "documentation": None,
        "files": {
            "code_of_conduct": conduct,
            "code_of_conduct_file": conduct_file,
            "contributing": _file_link(urls, full_name, ref, files.get("contributing")),
            "issue_template": _file_link(urls, full_name, ref, files.get("issue_template")),
            "pull_request_template": _file_link(
                urls, full_name, ref, files.get("pull_request_template")
            ),
            "license": license_link,
            "readme": _file_link(urls, full_name, ref, files.get("readme")),
        },
        "updated_at": record["pushed_at"],
    }
    if data["users"].get(record["owner"], {}).get("type") == "Organization":
        payload["content_reports_enabled"] = False
    return payload


def repo_search_item(urls: Urls, data: Data, full_name: str, score: float) -> JSON:
    """One ``/search/repositories`` item: the listed repository shape plus ``score``."""
    payload = repo(urls, data, full_name, detail=False)
    payload["score"] = score
    return payload


# ---------------------------------------------------------------------------- misc


def search_result(items: list[JSON], total_count: int, *, incomplete: bool = False) -> JSON:
    return {"total_count": total_count, "incomplete_results": incomplete, "items": items}


def rate_limit(core: Mapping[str, int], search: Mapping[str, int]) -> JSON:
    """``GET /rate_limit``: live core/search buckets, the rest static as on a quiet account."""
    core_reset = core["reset"]

    def static(limit: int, reset: int) -> JSON:
        return {"limit": limit, "used": 0, "remaining": limit, "reset": reset}

    resources = {
        "core": dict(core),
        "search": dict(search),
        "graphql": static(core["limit"], core_reset),
        "integration_manifest": static(5000, core_reset),
        "source_import": static(100, core_reset),
        "code_scanning_upload": static(1000, core_reset),
        "actions_runner_registration": static(10000, core_reset),
        "scim": static(15000, core_reset),
        "dependency_snapshots": static(100, core_reset),
        "audit_log": static(1750, core_reset),
        "code_search": static(10, search["reset"]),
    }
    return {"resources": resources, "rate": dict(core)}


def error(
    message: str,
    documentation_url: str = DOCS,
    status: int | None = None,
    errors: list[Any] | None = None,
) -> JSON:
    """GitHub's error body: message, optional errors, documentation_url, status as a string."""
    payload: JSON = {"message": message}
    if errors is not None:
        payload["errors"] = errors
    payload["documentation_url"] = documentation_url
    if status is not None:
        payload["status"] = str(status)
    return payload


def validation_failed(errors: list[JSON], documentation_url: str = DOCS) -> JSON:
    return error("Validation Failed", documentation_url, 422, errors)


# ---------------------------------------------------------------------------- html


def html_page(title: str, sections: list[tuple[str, str]]) -> str:
    """A deliberately plain page so "open in browser" shows something in practice mode.

    ``sections`` are (heading, preformatted text); everything is escaped.
    """
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)} · practice forge</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em}"
        "pre{white-space:pre-wrap;background:#f6f8fa;padding:1em;border-radius:6px}</style>",
        "</head><body>",
        "<p><em>Practice forge: a rehearsal space, nothing here is on GitHub.</em></p>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, text in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(f"<pre>{html.escape(text)}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)
