"""Review comments: ``GET /pulls/{n}/comments``, the comments on lines of a pull's diff.

A comment is written on a line of the file as it is in one commit (``original_line``,
``commit_id``). GitHub moves it along as the branch changes and, once its line is gone from the
diff or changed, calls it outdated and answers ``line: null``. The practice forge keeps the
comment at its line while the file's text there is unchanged at the current head, and answers
``null`` otherwise: the same answer for the case a learner meets, fixing the line a reviewer
pointed at.
"""

from __future__ import annotations

from onboard.practice import payloads, plumbing
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import REPO, Request, Response, Routes, not_found, paginate
from onboard.practice.store import Record

REVIEW_COMMENT_DOCS = "https://docs.github.com/rest/pulls/comments"

routes = Routes()


def current_line(forge: ForgeContext, full: str, issue: Record, comment: Record) -> int | None:
    """Where ``comment`` is in the pull's current diff, None when outdated."""
    head = issue["pull"]["head_sha"]
    if comment["commit_id"] == head:
        return int(comment["line"])
    bare = forge.bare(full)
    written = plumbing.line_at(bare, comment["commit_id"], comment["path"], comment["line"])
    now = plumbing.line_at(bare, head, comment["path"], comment["line"])
    return int(comment["line"]) if written is not None and written == now else None


@routes.get(REPO + r"/pulls/(?P<number>\d+)/comments")
def list_review_comments(
    forge: ForgeContext, req: Request, owner: str, repo: str, number: str
) -> Response:
    doc = f"{REVIEW_COMMENT_DOCS}#list-review-comments-on-a-pull-request"
    record = forge.repo(owner, repo, doc)
    full = record["full_name"]
    issue = forge.store.get_issue(full, int(number))
    if issue is None or issue["pull"] is None:
        raise not_found(doc)
    comments = forge.store.review_comments(full, int(number))
    page, headers = paginate(req, comments, forge.list_link(record, f"pulls/{number}/comments"))
    lines = [current_line(forge, full, issue, c) for c in page]
    with forge.store.locked() as data:
        body = [
            payloads.review_comment(forge.urls, data, full, c, line=line)
            for c, line in zip(page, lines, strict=True)
        ]
    return Response(200, body, headers)
