"""What CI says about a commit: ``GET /commits/{ref}/status`` (the combined status),
``GET /commits/{ref}/check-runs`` and ``POST /statuses/{sha}``, in GitHub's shapes.

``ref`` may be a sha, a branch or a tag, as on GitHub; a ref git cannot resolve is GitHub's 422
"No commit found for SHA". The simulated CI (:mod:`onboard.practice.maintainer`) writes check
runs through the store; anyone with a token may post a status, as a CI bot would.
"""

from __future__ import annotations

from onboard.practice import payloads, plumbing
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import (
    REPO,
    ApiError,
    Request,
    Response,
    Routes,
    invalid,
    require_auth,
)
from onboard.practice.store import STATUS_STATES

STATUS_DOCS = "https://docs.github.com/rest/commits/statuses"
CHECKS_DOCS = "https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference"

routes = Routes()


def _commit(forge: ForgeContext, full: str, ref: str, doc: str) -> str:
    sha = plumbing.resolve_commit(forge.bare(full), ref)
    if sha is None:
        raise ApiError(422, payloads.error(f"No commit found for SHA: {ref}", doc, 422))
    return sha


@routes.get(REPO + r"/commits/(?P<ref>[^/]+)/status")
def combined_status(forge: ForgeContext, req: Request, owner: str, repo: str, ref: str) -> Response:
    doc = f"{STATUS_DOCS}#get-the-combined-status-for-a-specific-reference"
    full = forge.repo(owner, repo, doc)["full_name"]
    sha = _commit(forge, full, ref, doc)
    records = forge.store.statuses(full, sha)
    with forge.store.locked() as data:
        return Response(200, payloads.combined_status(forge.urls, data, full, sha, records))


@routes.get(REPO + r"/commits/(?P<ref>[^/]+)/check-runs")
def check_runs(forge: ForgeContext, req: Request, owner: str, repo: str, ref: str) -> Response:
    full = forge.repo(owner, repo, CHECKS_DOCS)["full_name"]
    sha = _commit(forge, full, ref, CHECKS_DOCS)
    runs = forge.store.check_runs(full, sha)
    name = req.param("check_name")
    if name:
        runs = [r for r in runs if r["name"] == name]
    status = req.param("status")
    if status:
        runs = [r for r in runs if r["status"] == status]
    if (req.param("filter") or "latest") == "latest":  # the newest run of each name
        newest = {r["name"]: r for r in runs}
        runs = list(newest.values())
    runs.sort(key=lambda r: r["id"], reverse=True)
    return Response(200, payloads.check_runs(forge.urls, full, runs))


@routes.post(REPO + r"/statuses/(?P<sha>[0-9a-fA-F]{40})")
def create_status(forge: ForgeContext, req: Request, owner: str, repo: str, sha: str) -> Response:
    doc = f"{STATUS_DOCS}#create-a-commit-status"
    viewer = require_auth(req, doc)
    full = forge.repo(owner, repo, doc)["full_name"]
    params = req.json()
    state = params.get("state")
    if state not in STATUS_STATES:
        raise invalid([{"resource": "Status", "field": "state", "code": "custom"}], doc)
    _commit(forge, full, sha, doc)
    text = {
        k: params.get(k) if isinstance(params.get(k), str) else None
        for k in ("description", "target_url", "context")
    }
    record = forge.store.add_status(
        full,
        sha.lower(),
        state,
        text["context"] or "default",
        text["description"],
        creator=viewer,
        target_url=text["target_url"],
    )
    with forge.store.locked() as data:
        return Response(201, payloads.status(forge.urls, data, full, record))
