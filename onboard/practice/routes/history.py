"""A repository's history: its commits, its latest release, and the way to it under an old name.

The OSPO view asks when an upstream last had a commit and a release; GitHub answers
``GET /repos/{o}/{r}/commits`` newest first, and ``/releases/latest`` with 404 when nothing was
ever published. A renamed repository is answered under its old name with
``301 Moved Permanently`` to ``/repositories/{id}`` (see :func:`get_repository_by_id`).
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
    not_found,
    paginate,
)

routes = Routes()
COMMITS_DOC = "https://docs.github.com/rest/commits/commits#list-commits"
RELEASE_DOC = "https://docs.github.com/rest/releases/releases#get-the-latest-release"
#: Enough for every page a client may ask of a practice repository's history.
MAX_COMMITS = 1000


@routes.get(REPO + r"/commits")
def list_commits(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    record = forge.repo(owner, repo, COMMITS_DOC)
    full = record["full_name"]
    ref = req.param("sha") or record["default_branch"]
    commits = plumbing.log(forge.bare(full), ref, MAX_COMMITS)
    if not commits and req.param("sha") is None:  # GitHub's answer for an empty repository
        raise ApiError(409, payloads.error("Git Repository is empty.", COMMITS_DOC, 409))
    if not commits:  # an unknown sha or branch
        raise not_found(COMMITS_DOC)
    page, headers = paginate(req, commits, forge.list_link(record, "commits"))
    return Response(200, [payloads.commit(forge.urls, full, c) for c in page], headers)


@routes.get(REPO + r"/commits/(?P<ref>[^/]+)")
def get_commit(forge: ForgeContext, req: Request, owner: str, repo: str, ref: str) -> Response:
    """One commit by sha, branch or tag (the list's item shape; no ``files`` or ``stats``)."""
    doc = "https://docs.github.com/rest/commits/commits#get-a-commit"
    full = forge.repo(owner, repo, doc)["full_name"]
    found = plumbing.log(forge.bare(full), ref, 1)
    if not found:
        raise ApiError(422, payloads.error(f"No commit found for SHA: {ref}", doc, 422))
    return Response(200, payloads.commit(forge.urls, full, found[0]))


@routes.get(REPO + r"/releases/latest")
def latest_release(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    record = forge.repo(owner, repo, RELEASE_DOC)
    full = record["full_name"]
    releases = forge.store.releases(full)
    if not releases:
        raise not_found(RELEASE_DOC)
    newest = max(releases, key=lambda r: (r["published_at"], r["id"]))
    with forge.store.locked() as data:
        body = payloads.release(forge.urls, data, full, newest)
    return Response(200, body)


@routes.get(r"/repositories/(?P<ident>\d+)")
def get_repository_by_id(forge: ForgeContext, req: Request, ident: str) -> Response:
    """Where a renamed repository's 301 leads: the repository under its current name."""
    record = forge.store.get_repo_by_id(int(ident))
    if record is None:
        raise not_found()
    with forge.store.locked() as data:
        body = payloads.repo(forge.urls, data, record["full_name"], viewer=req.viewer)
    return Response(200, body)
