"""What every payload builder shares: where the forge lives, node ids, and GitHub's envelopes.

:class:`Urls` is the one place a payload's URLs come from; :func:`error` and
:func:`validation_failed` are GitHub's error bodies, :func:`search_result` its search envelope and
:func:`rate_limit` the ``/rate_limit`` document.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]
Data = Mapping[str, Any]

DOCS = "https://docs.github.com/rest"


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


def search_result(items: list[JSON], total_count: int, *, incomplete: bool = False) -> JSON:
    return {"total_count": total_count, "incomplete_results": incomplete, "items": items}


def rate_limit(
    core: Mapping[str, int], search: Mapping[str, int], graphql: Mapping[str, int] | None = None
) -> JSON:
    """``GET /rate_limit``: live core/search (and graphql) buckets, the rest static as on a
    quiet account."""
    core_reset = core["reset"]

    def static(limit: int, reset: int) -> JSON:
        return {"limit": limit, "used": 0, "remaining": limit, "reset": reset}

    resources = {
        "core": dict(core),
        "search": dict(search),
        "graphql": dict(graphql) if graphql else static(core["limit"], core_reset),
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
