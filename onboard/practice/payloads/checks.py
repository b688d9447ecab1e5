"""What CI said about a commit: check runs and the combined commit status, in GitHub's shapes
(``GET /commits/{ref}/check-runs``, ``GET /commits/{ref}/status``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from onboard.practice.payloads.common import JSON, Data, Urls, node_id
from onboard.practice.payloads.repos import repo
from onboard.practice.payloads.users import user_ref

#: The practice forge's CI, as GitHub names the app behind a check run.
CI_APP = {"id": 15368, "slug": "practice-ci", "name": "Practice CI"}


def check_run(urls: Urls, full_name: str, record: Mapping[str, Any]) -> JSON:
    api = f"{urls.repo_api(full_name)}/check-runs/{record['id']}"
    web = f"{urls.repo_html(full_name)}/runs/{record['id']}"
    output = record["output"]
    return {
        "id": record["id"],
        "name": record["name"],
        "node_id": node_id("CheckRun", record["id"]),
        "head_sha": record["head_sha"],
        "external_id": "",
        "url": api,
        "html_url": web,
        "details_url": web,
        "status": record["status"],
        "conclusion": record["conclusion"],
        "started_at": record["started_at"],
        "completed_at": record["completed_at"],
        "output": {
            "title": output.get("title"),
            "summary": output.get("summary"),
            "text": output.get("text"),
            "annotations_count": 0,
            "annotations_url": f"{api}/annotations",
        },
        "check_suite": {"id": record["id"]},
        "app": {**CI_APP, "node_id": node_id("App", CI_APP["id"])},
        "pull_requests": [],
    }


def check_runs(urls: Urls, full_name: str, records: Sequence[Mapping[str, Any]]) -> JSON:
    return {
        "total_count": len(records),
        "check_runs": [check_run(urls, full_name, r) for r in records],
    }


def status(urls: Urls, data: Data, full_name: str, record: Mapping[str, Any]) -> JSON:
    return {
        "url": f"{urls.repo_api(full_name)}/statuses/{record['sha']}",
        "avatar_url": None,
        "id": record["id"],
        "node_id": node_id("StatusContext", record["id"]),
        "state": record["state"],
        "description": record["description"],
        "target_url": record["target_url"],
        "context": record["context"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "creator": user_ref(urls, data, record["creator"]),
    }


def combined_status(
    urls: Urls, data: Data, full_name: str, sha: str, records: Sequence[Mapping[str, Any]]
) -> JSON:
    """GitHub's rule: failure if any is error or failure, pending if any is pending (or there
    are none at all), else success."""
    states = {r["state"] for r in records}
    if states & {"error", "failure"}:
        state = "failure"
    elif "pending" in states or not records:
        state = "pending"
    else:
        state = "success"
    return {
        "state": state,
        "statuses": [status(urls, data, full_name, r) for r in records],
        "sha": sha,
        "total_count": len(records),
        "repository": repo(urls, data, full_name, detail=False),
        "commit_url": f"{urls.repo_api(full_name)}/commits/{sha}",
        "url": f"{urls.repo_api(full_name)}/commits/{sha}/status",
    }
