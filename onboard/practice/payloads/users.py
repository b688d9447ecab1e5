"""Users and organizations: the nested "simple user" and ``GET /user(s/{login})``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from onboard.practice.payloads.common import JSON, Data, Urls, node_id


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
