"""A repository's history as GitHub shapes it: commits (``GET /repos/{o}/{r}/commits``) and
releases (``GET /repos/{o}/{r}/releases/latest``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from onboard.practice.payloads.common import JSON, Data, Urls, node_id
from onboard.practice.payloads.users import user_ref


def _utc(stamp: str) -> str:
    """git's ``2024-05-13T08:00:00+00:00`` as GitHub writes it, ``2024-05-13T08:00:00Z``."""
    moment = datetime.fromisoformat(stamp).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def commit(urls: Urls, full_name: str, record: Mapping[str, Any]) -> JSON:
    """One item of the commits list. ``author``/``committer`` (GitHub users) are null: the
    practice forge does not map commit emails to accounts, as GitHub does for unknown emails."""
    api, web, sha = urls.repo_api(full_name), urls.repo_html(full_name), record["sha"]
    person = {
        key: {**record[key], "date": _utc(record[key]["date"])} for key in ("author", "committer")
    }
    return {
        "sha": sha,
        "node_id": node_id("Commit", int(sha[:8], 16)),
        "commit": {
            "author": person["author"],
            "committer": person["committer"],
            "message": record["message"],
            "tree": {"sha": record["tree"], "url": f"{api}/git/trees/{record['tree']}"},
            "url": f"{api}/git/commits/{sha}",
            "comment_count": 0,
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        },
        "url": f"{api}/commits/{sha}",
        "html_url": f"{web}/commit/{sha}",
        "comments_url": f"{api}/commits/{sha}/comments",
        "author": None,
        "committer": None,
        "parents": [
            {"sha": p, "url": f"{api}/commits/{p}", "html_url": f"{web}/commit/{p}"}
            for p in record["parents"]
        ],
    }


def release(urls: Urls, data: Data, full_name: str, record: Mapping[str, Any]) -> JSON:
    api, web = urls.repo_api(full_name), urls.repo_html(full_name)
    ident, tag = record["id"], record["tag_name"]
    return {
        "url": f"{api}/releases/{ident}",
        "assets_url": f"{api}/releases/{ident}/assets",
        "upload_url": f"{api}/releases/{ident}/assets{{?name,label}}",
        "html_url": f"{web}/releases/tag/{tag}",
        "id": ident,
        "author": user_ref(urls, data, record["author"]),
        "node_id": node_id("Release", ident),
        "tag_name": tag,
        "target_commitish": "main",
        "name": record["name"],
        "draft": False,
        "immutable": False,
        "prerelease": False,
        "created_at": record["published_at"],
        "updated_at": record["published_at"],
        "published_at": record["published_at"],
        "assets": [],
        "tarball_url": f"{api}/tarball/{tag}",
        "zipball_url": f"{api}/zipball/{tag}",
        "body": record["body"],
    }
