"""Routes about one repository: the repository itself, its community profile, labels, branches
and forks (creating a fork included, with GitHub's asynchronous "slow fork" behaviour)."""

from __future__ import annotations

import re
from typing import Any

from onboard.practice import community, payloads, plumbing
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import (
    REPO,
    Request,
    Response,
    Routes,
    invalid,
    not_found,
    paginate,
    require_auth,
)
from onboard.practice.store import Record

routes = Routes()


@routes.get(REPO)
def get_repo(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    doc = "https://docs.github.com/rest/repos/repos#get-a-repository"
    moved = forge.store.redirect_of(f"{owner}/{repo}")
    if moved is not None and forge.store.get_repo(f"{owner}/{repo}") is None:
        location = f"{forge.urls.api}/repositories/{moved['id']}"
        body = {"message": "Moved Permanently", "url": location, "documentation_url": doc}
        return Response(301, body, {"Location": location})
    record = forge.repo(owner, repo, doc)
    with forge.store.locked() as data:
        body = payloads.repo(forge.urls, data, record["full_name"], viewer=req.viewer)
    return Response(200, body)


@routes.get(REPO + r"/community/profile")
def get_community_profile(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    doc = "https://docs.github.com/rest/metrics/community#get-community-profile-metrics"
    record = forge.repo(owner, repo, doc)
    if record["fork"]:  # "The repository cannot be a fork."
        raise not_found(doc)
    full = record["full_name"]
    bare = forge.bare(full)
    files: dict[str, str | None] = dict.fromkeys(community.KINDS)
    conduct_text = ""
    commit = plumbing.resolve_commit(bare, record["default_branch"])
    if commit is not None:
        files = community.find_files(bare, commit)
        conduct = files.get("code_of_conduct_file")
        if conduct is not None:
            conduct_text = community.read_file(bare, commit, conduct)
    with forge.store.locked() as data:
        body = payloads.community_profile(forge.urls, data, full, files, conduct_text)
    return Response(200, body)


# ---------------------------------------------------------------------------- labels & branches


@routes.get(REPO + r"/labels")
def list_labels(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    record = forge.repo(owner, repo)
    labels = forge.store.labels(record["full_name"])
    page, headers = paginate(req, labels, forge.list_link(record, "labels"))
    body = [payloads.label(forge.urls, record["full_name"], lbl) for lbl in page]
    return Response(200, body, headers)


@routes.get(REPO + r"/labels/(?P<name>[^/]+)")
def get_label(forge: ForgeContext, req: Request, owner: str, repo: str, name: str) -> Response:
    record = forge.repo(owner, repo)
    for lbl in forge.store.labels(record["full_name"]):
        if lbl["name"].lower() == name.lower():
            return Response(200, payloads.label(forge.urls, record["full_name"], lbl))
    raise not_found("https://docs.github.com/rest/issues/labels#get-a-label")


@routes.get(REPO + r"/branches")
def list_branches(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    record = forge.repo(owner, repo)
    full = record["full_name"]
    branches = plumbing.branches(forge.bare(full))
    page, headers = paginate(req, branches, forge.list_link(record, "branches"))
    body = [
        {
            "name": name,
            "commit": {"sha": sha, "url": f"{forge.urls.repo_api(full)}/commits/{sha}"},
            "protected": False,
        }
        for name, sha in page
    ]
    return Response(200, body, headers)


# ---------------------------------------------------------------------------- forks


@routes.get(REPO + r"/forks")
def list_forks(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    record = forge.repo(owner, repo)
    with forge.store.locked() as data:
        forks = [r for r in data["repos"].values() if r["parent"] == record["full_name"]]
        forks.sort(key=lambda r: r["created_at"], reverse=True)
        page, headers = paginate(req, forks, forge.list_link(record, "forks"))
        body = [
            payloads.repo(forge.urls, data, r["full_name"], viewer=req.viewer, detail=False)
            for r in page
        ]
    return Response(200, body, headers)


@routes.post(REPO + r"/forks")
def create_fork(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    doc = "https://docs.github.com/rest/repos/forks#create-a-fork"
    viewer = require_auth(req, doc)
    params = req.json(optional=True)
    parent = forge.repo(owner, repo, doc)
    with forge.fork_lock:
        existing = forge.store.find_fork(viewer, parent["full_name"])
        if existing is None and parent["owner"] == viewer:
            existing = parent  # GitHub hands back the repository itself
        if existing is None:
            existing = _make_fork(forge, viewer, parent, params)
    with forge.store.locked() as data:
        body = payloads.repo(forge.urls, data, existing["full_name"], viewer=viewer)
    return Response(202, body)


def _make_fork(forge: ForgeContext, viewer: str, parent: Record, params: dict[str, Any]) -> Record:
    wanted = params.get("name") if isinstance(params.get("name"), str) else None
    base_name = wanted or parent["name"]
    if not re.fullmatch(r"[A-Za-z0-9._-]+", base_name) or base_name in (".", ".."):
        raise invalid([{"resource": "Repository", "field": "name", "code": "invalid"}])
    name, suffix = base_name, 0
    while forge.store.get_repo(f"{viewer}/{name}") is not None:
        suffix += 1
        name = f"{base_name}-{suffix}"
    source, target = forge.bare(parent["full_name"]), forge.bare(f"{viewer}/{name}")
    delay = forge.fork_delay
    # A slow fork is built outside the served tree, so neither the API nor git daemon
    # can see it until it is moved into place.
    building = forge.forking_root / f"{viewer}/{name}.git" if delay > 0 else target
    only_branch = parent["default_branch"] if params.get("default_branch_only") else None
    plumbing.clone_fork(source, building, only_branch=only_branch)
    if delay > 0:
        forge.hold_fork(f"{viewer}/{name}", building, target, delay)
    record = forge.store.add_repo(
        viewer,
        name,
        description=parent["description"],
        homepage=parent["homepage"],
        language=parent["language"],
        license=parent["license"],
        default_branch=parent["default_branch"],
        fork_of=parent["full_name"],
        created_days_ago=0,
        pushed_at=parent["pushed_at"],
        size=parent["size"],
    )
    return record
