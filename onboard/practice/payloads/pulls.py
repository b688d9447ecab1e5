"""Pull requests (``GET /pulls``, ``GET /pulls/{n}``) and their reviews."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from onboard.practice.payloads.common import JSON, Data, Urls, node_id
from onboard.practice.payloads.repos import labels_of, repo
from onboard.practice.payloads.users import user_ref


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
        "merge_commit_sha": pr.get("merge_commit_sha"),
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": labels_of(urls, data, full_name, record["labels"]),
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
                "merged_by": user_ref(
                    urls,
                    data,
                    pr.get("merged_by") or (record["closed_by"] if pr["merged_at"] else None),
                ),
                "comments": len(data["comments"].get(full_name, {}).get(str(number), [])),
                "review_comments": len(
                    data.get("review_comments", {}).get(full_name, {}).get(str(number), [])
                ),
                "maintainer_can_modify": pr["maintainer_can_modify"],
                "commits": pr["commits"],
                "additions": pr["additions"],
                "deletions": pr["deletions"],
                "changed_files": pr["changed_files"],
            }
        )
    return payload


# ---------------------------------------------------------------------------- reviews


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


def review_comment(
    urls: Urls, data: Data, full_name: str, record: Mapping[str, Any], *, line: int | None
) -> JSON:
    """A review comment (``GET /pulls/{n}/comments``); ``line`` is where it is in the current
    diff, None when outdated (``original_line`` stays where it was written)."""
    number = record["pull_number"]
    api = f"{urls.repo_api(full_name)}/pulls/comments/{record['id']}"
    pull_api = f"{urls.repo_api(full_name)}/pulls/{number}"
    web = f"{urls.repo_html(full_name)}/pull/{number}#discussion_r{record['id']}"
    return {
        "url": api,
        "pull_request_review_id": record["review_id"],
        "id": record["id"],
        "node_id": node_id("PullRequestReviewComment", record["id"]),
        "diff_hunk": record.get("diff_hunk", ""),
        "path": record["path"],
        "commit_id": record["commit_id"],
        "original_commit_id": record["commit_id"],
        "user": user_ref(urls, data, record["user"]),
        "body": record["body"],
        "created_at": record["created_at"],
        "updated_at": record["created_at"],
        "html_url": web,
        "pull_request_url": pull_api,
        "author_association": record["author_association"],
        "_links": {
            "self": {"href": api},
            "html": {"href": web},
            "pull_request": {"href": pull_api},
        },
        "start_line": None,
        "original_start_line": None,
        "start_side": None,
        "line": line,
        "original_line": record["line"],
        "side": record["side"],
        "subject_type": "line",
    }
