"""Merging a pull request: ``PUT /pulls/{n}/merge`` and ``GET /pulls/{n}/merge``, as GitHub.

GitHub's merge button makes a merge commit on the base branch (its default method); so does
the practice forge, in the base repository's git, so a clone's ``git fetch upstream`` sees it,
and the issues the pull fixes (``Fixes #1``) are closed, as GitHub closes them.
Only the repository's owner and its organization's members may merge (others get GitHub's 403);
a draft, a closed pull or a ``sha`` that is not the head any more are refused with GitHub's
status and words. ``GET`` answers 204 when merged, 404 when not, with no body.
"""

from __future__ import annotations

from onboard.practice import payloads
from onboard.practice.context import ForgeContext, require_writable
from onboard.practice.exchange import REPO, ApiError, Request, Response, Routes, require_auth
from onboard.practice.maintainer import merge

MERGE_DOCS = "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request"
CHECK_DOCS = "https://docs.github.com/rest/pulls/pulls#check-if-a-pull-request-has-been-merged"

routes = Routes()
MERGE = REPO + r"/pulls/(?P<number>\d+)/merge"


def _refused(status: int, message: str) -> ApiError:
    return ApiError(status, payloads.error(message, MERGE_DOCS, status))


@routes.get(MERGE)
def was_merged(forge: ForgeContext, req: Request, owner: str, repo: str, number: str) -> Response:
    full = forge.repo(owner, repo, CHECK_DOCS)["full_name"]
    issue = forge.store.get_issue(full, int(number))
    if issue is None or issue["pull"] is None or not issue["pull"]["merged_at"]:
        return Response(404, None)
    return Response(204, None)


@routes.put(MERGE)
def merge_pull(forge: ForgeContext, req: Request, owner: str, repo: str, number: str) -> Response:
    viewer = require_auth(req, MERGE_DOCS)
    record = forge.repo(owner, repo, MERGE_DOCS)
    full = record["full_name"]
    issue = forge.store.get_issue(full, int(number))
    if issue is None or issue["pull"] is None:
        raise ApiError(404, payloads.error("Not Found", MERGE_DOCS, 404))
    require_writable(record)
    if forge.store.association(full, viewer) not in ("OWNER", "MEMBER"):
        raise _refused(403, "Must have push access to merge this pull request.")
    params = req.json(optional=True)
    pull = issue["pull"]
    if pull["merged_at"] or issue["state"] != "open":
        raise _refused(405, "Pull Request is not mergeable")
    if pull["draft"]:
        raise _refused(405, "Pull Request is still a draft")
    wanted = params.get("sha")
    if isinstance(wanted, str) and wanted and wanted != pull["head_sha"]:
        raise _refused(409, "Head branch was modified. Review and try the merge again.")
    sha = merge(forge, full, issue, viewer)
    if sha is None:
        raise _refused(405, "Pull Request is not mergeable")
    body = {"sha": sha, "merged": True, "message": "Pull Request successfully merged"}
    return Response(200, body)
