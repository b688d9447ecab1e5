"""Repositories and what hangs off them: licences, permissions, labels, the community profile.

:func:`repo` is the big one: listed copies (``detail=False``) are nested in forks, search results
and pull requests; the detailed form answers ``GET /repos/{o}/{r}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from onboard.practice.payloads.common import JSON, Data, Urls, node_id
from onboard.practice.payloads.users import user_ref

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


def labels_of(urls: Urls, data: Data, full_name: str, names: list[str]) -> list[JSON]:
    """The labels named ``names`` as nested in issues and pulls (unknown names left out)."""
    by_name = {lbl["name"]: lbl for lbl in data["labels"].get(full_name, [])}
    return [label(urls, full_name, by_name[n]) for n in names if n in by_name]


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
