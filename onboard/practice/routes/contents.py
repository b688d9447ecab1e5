"""``GET /repos/{owner}/{repo}/contents/{path}``: files, directories, symlinks and submodules
of any ref, read straight from the bare repository."""

from __future__ import annotations

from typing import Any

from onboard.practice import payloads, plumbing
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import REPO, ApiError, Request, Response, Routes, not_found

routes = Routes()


@routes.get(REPO + r"/contents/?(?P<path>.*)")
def get_contents(forge: ForgeContext, req: Request, owner: str, repo: str, path: str) -> Response:
    doc = "https://docs.github.com/rest/repos/contents#get-repository-content"
    record = forge.repo(owner, repo, doc)
    full = record["full_name"]
    ref = req.param("ref") or record["default_branch"]
    path = path.strip("/")
    bare = forge.bare(full)
    commit = plumbing.resolve_commit(bare, ref)
    if commit is None:
        raise ApiError(404, payloads.error(f"No commit found for the ref {ref}", doc, 404))
    if not path:
        return Response(200, _listing(forge, full, ref, commit, ""))
    if not plumbing.safe_path(path):
        raise not_found(doc)
    entry = plumbing.tree_entry(bare, commit, path)
    if entry is None:
        raise not_found(doc)
    mode, kind, sha, size, _name = entry
    if kind == "tree":
        return Response(200, _listing(forge, full, ref, sha, path + "/"))
    if kind != "blob" or mode == "120000":
        kind_name = "symlink" if mode == "120000" else "submodule"
        return Response(
            200,
            payloads.content_entry(forge.urls, full, ref, path, sha, int(size or 0), kind_name),
        )
    raw = plumbing.read_blob(bare, sha)
    return Response(200, payloads.content_file(forge.urls, full, ref, path, sha, raw))


def _listing(
    forge: ForgeContext, full: str, ref: str, tree: str, prefix: str
) -> list[dict[str, Any]]:
    listing = []
    for mode, kind, sha, size, name in plumbing.tree(forge.bare(full), tree):
        kind_name = {"blob": "file", "tree": "dir", "commit": "submodule"}[kind]
        if mode == "120000":
            kind_name = "symlink"
        listing.append(
            payloads.content_entry(
                forge.urls,
                full,
                ref,
                prefix + name,
                sha,
                int(size) if size.isdigit() else 0,
                kind_name,
            )
        )
    return listing
