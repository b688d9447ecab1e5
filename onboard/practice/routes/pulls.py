"""Routes about pull requests: listing, reading, opening one (with GitHub's checks on head and
base, and the head's commits fetched into the base repository), and reviews."""

from __future__ import annotations

from onboard.practice import payloads, plumbing
from onboard.practice.context import ForgeContext, issue_in, require_writable
from onboard.practice.exchange import (
    REPO,
    ApiError,
    Request,
    Response,
    Routes,
    invalid,
    not_found,
    paginate,
    require_auth,
)
from onboard.practice.store import Record

REVIEW_DOCS = "https://docs.github.com/rest/pulls/reviews"

routes = Routes()
PULL = REPO + r"/pulls/(?P<number>\d+)"


@routes.get(REPO + r"/pulls")
def list_pulls(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    doc = "https://docs.github.com/rest/pulls/pulls#list-pull-requests"
    record = forge.repo(owner, repo, doc)
    full = record["full_name"]
    state = (req.param("state") or "open").lower()
    head = req.param("head")
    base = req.param("base")
    sort = req.param("sort") or "created"
    direction = (req.param("direction") or "desc").lower()

    def keep(issue: Record) -> bool:
        pr = issue["pull"]
        if pr is None:
            return False
        if state in ("open", "closed") and issue["state"] != state:
            return False
        if head:
            head_owner, _, head_ref = head.rpartition(":")
            if head_owner and pr["head_owner"].lower() != head_owner.lower():
                return False
            if pr["head_ref"] != head_ref:
                return False
        return not (base and pr["base_ref"] != base)

    with forge.store.locked() as data:
        chosen = [i for i in forge.store.issues(full) if keep(i)]
        field_name = "updated_at" if sort in ("updated", "popularity") else "created_at"
        chosen.sort(key=lambda i: (i[field_name], i["number"]), reverse=direction != "asc")
        page, headers = paginate(req, chosen, forge.list_link(record, "pulls"))
        body = [payloads.pull(forge.urls, data, full, i, detail=False) for i in page]
    return Response(200, body, headers)


@routes.post(REPO + r"/pulls")
def create_pull(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    doc = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"
    viewer = require_auth(req, doc)
    base_repo = forge.repo(owner, repo, doc)
    params = req.json()
    full = base_repo["full_name"]
    require_writable(base_repo)
    missing = [
        {"resource": "PullRequest", "code": "missing_field", "field": name}
        for name in ("title", "head", "base")
        if not isinstance(params.get(name), str) or not params[name].strip()
    ]
    if missing:
        raise invalid(missing, doc)
    title: str = params["title"]
    head: str = params["head"].strip()
    base: str = params["base"].strip()
    head_owner, _, head_ref = head.rpartition(":")
    head_owner = head_owner or base_repo["owner"]
    head_repo = None
    if isinstance(params.get("head_repo"), str):
        head_repo = forge.store.get_repo(f"{head_owner}/{params['head_repo']}")
    if head_repo is None:
        head_repo = forge.store.network_repo(head_owner, full)
    head_invalid = invalid([{"resource": "PullRequest", "field": "head", "code": "invalid"}], doc)
    bare = forge.bare(full)
    base_sha = plumbing.branch_sha(bare, base)
    if base_sha is None:
        raise invalid([{"resource": "PullRequest", "field": "base", "code": "invalid"}], doc)
    if head_repo is None:
        raise head_invalid
    head_sha = plumbing.branch_sha(forge.bare(head_repo["full_name"]), head_ref)
    if head_sha is None:
        raise head_invalid
    with forge.pull_lock:
        for issue in forge.store.issues(full):
            pr = issue["pull"]
            if (
                pr is not None
                and issue["state"] == "open"
                and pr["head_owner"].lower() == head_owner.lower()
                and pr["head_ref"] == head_ref
                and pr["base_ref"] == base
            ):
                message = f"A pull request already exists for {head_owner}:{head_ref}."
                raise invalid(
                    [{"resource": "PullRequest", "code": "custom", "message": message}], doc
                )
        if head_repo["full_name"] != full:  # GitHub has the head's commits in the base too
            plumbing.fetch_commit(bare, forge.bare(head_repo["full_name"]), head_sha)
        if head_sha == base_sha or plumbing.is_ancestor(bare, head_sha, base_sha):
            message = f"No commits between {base} and {head_ref}"
            raise invalid([{"resource": "PullRequest", "code": "custom", "message": message}], doc)
        body = params.get("body") if isinstance(params.get("body"), str) else None
        issue = forge.store.add_issue(
            full,
            title,
            body,
            user=viewer,
            created_days_ago=0,
            is_pull=True,
            head=f"{head_owner}:{head_ref}",
            base=base,
            head_sha=head_sha,
            base_sha=base_sha,
            draft=bool(params.get("draft", False)),
        )
        number = issue["number"]
        plumbing.update_ref(bare, f"refs/pull/{number}/head", head_sha)
    stats = plumbing.diff_stats(bare, base_sha, head_sha)
    forge.store.update_pull(
        full,
        number,
        maintainer_can_modify=bool(params.get("maintainer_can_modify", True)),
        **stats,
    )
    if head_repo["full_name"] != full:
        forge.store.touch_pushed(head_repo["full_name"])
    forge.maintainer.opened(full, forge.store.get_issue(full, number) or issue)
    with forge.store.locked() as data:
        payload = payloads.pull(forge.urls, data, full, data["issues"][full][str(number)])
    return Response(201, payload, {"Location": payload["url"]})


@routes.get(PULL)
def get_pull(forge: ForgeContext, req: Request, owner: str, repo: str, number: str) -> Response:
    doc = "https://docs.github.com/rest/pulls/pulls#get-a-pull-request"
    record = forge.repo(owner, repo, doc)
    full = record["full_name"]
    with forge.store.locked() as data:
        issue = issue_in(data, full, number, doc)
        if issue["pull"] is None:
            raise not_found(doc)
        return Response(200, payloads.pull(forge.urls, data, full, issue))


# ---------------------------------------------------------------------------- reviews


def _pull_record(
    forge: ForgeContext, owner: str, repo: str, number: str, doc: str
) -> tuple[Record, Record]:
    record = forge.repo(owner, repo, doc)
    issue = forge.store.get_issue(record["full_name"], int(number))
    if issue is None or issue["pull"] is None:
        raise not_found(doc)
    return record, issue


@routes.get(PULL + r"/reviews")
def list_reviews(forge: ForgeContext, req: Request, owner: str, repo: str, number: str) -> Response:
    doc = f"{REVIEW_DOCS}#list-reviews-for-a-pull-request"
    record, _issue = _pull_record(forge, owner, repo, number, doc)
    full = record["full_name"]
    with forge.store.locked() as data:
        visible = [
            r
            for r in data["reviews"][full].get(number, [])
            if r["state"] != "PENDING" or r["user"] == req.viewer
        ]
        page, headers = paginate(req, visible, forge.list_link(record, f"pulls/{number}/reviews"))
        body = [payloads.review(forge.urls, data, full, r) for r in page]
    return Response(200, body, headers)


@routes.post(PULL + r"/reviews")
def create_review(
    forge: ForgeContext, req: Request, owner: str, repo: str, number: str
) -> Response:
    doc = f"{REVIEW_DOCS}#create-a-review-for-a-pull-request"
    viewer = require_auth(req, doc)
    record, issue = _pull_record(forge, owner, repo, number, doc)
    params = req.json(optional=True)
    require_writable(record)
    full = record["full_name"]
    event = params.get("event")
    text = params.get("body") if isinstance(params.get("body"), str) else ""
    states = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}
    states["COMMENT"] = "COMMENTED"
    if event in (None, ""):
        state = "PENDING"
    elif isinstance(event, str) and event.upper() in states:
        state = states[event.upper()]
    else:
        raise invalid([{"resource": "PullRequestReview", "field": "event", "code": "invalid"}], doc)
    comments = _line_comments(forge, full, issue, params.get("comments"), doc)
    problem = None
    if state == "COMMENTED" and comments and not text.strip():
        pass  # line comments are the review
    elif state in ("CHANGES_REQUESTED", "COMMENTED") and not text.strip():
        kind = "REQUEST_CHANGES" if state == "CHANGES_REQUESTED" else "COMMENT"
        problem = f"Review body is required when using {kind}"
    elif state == "APPROVED" and issue["user"] == viewer:
        problem = "Can not approve your own pull request"
    elif state == "CHANGES_REQUESTED" and issue["user"] == viewer:
        problem = "Can not request changes on your own pull request"
    elif state == "PENDING" and any(
        r["state"] == "PENDING" and r["user"] == viewer
        for r in forge.store.reviews(full, int(number))
    ):
        problem = "User can only have one pending review per pull request"
    if problem is not None:
        raise ApiError(422, payloads.error("Unprocessable Entity", doc, 422, [problem]))
    commit_id = params.get("commit_id") if isinstance(params.get("commit_id"), str) else None
    review = forge.store.add_review(full, int(number), viewer, state, text, commit_id=commit_id)
    for path, line, body in comments:
        forge.store.add_review_comment(
            full,
            int(number),
            viewer,
            path=path,
            line=line,
            body=body,
            commit_id=review["commit_id"],
            review_id=review["id"],
        )
    with forge.store.locked() as data:
        return Response(200, payloads.review(forge.urls, data, full, review))


def _line_comments(
    forge: ForgeContext, full: str, issue: Record, raw: object, doc: str
) -> list[tuple[str, int, str]]:
    """A review's ``comments: [{path, line, body}]``, each on a line of the pull's diff (the
    new side, ``side: RIGHT``), or GitHub's 422 naming what is wrong."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        field = {"resource": "PullRequestReview", "field": "comments", "code": "invalid"}
        raise invalid([field], doc)
    pull, bare = issue["pull"], forge.bare(full)
    base = plumbing.pull_base(bare, pull["base_ref"], pull["base_sha"])
    on_diff = {
        (path, line)
        for path, line, _text, _added in plumbing.diff_lines(bare, base, pull["head_sha"])
    }
    found = []
    for item in raw:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), t) and not isinstance(item.get(k), bool)
            for k, t in (("path", str), ("line", int), ("body", str))
        ):
            reason = "Each comment needs a path, a line and a body"
            raise ApiError(422, payloads.error("Unprocessable Entity", doc, 422, [reason]))
        if (item["path"], item["line"]) not in on_diff:
            reason = "Pull request review thread line must be part of the diff"
            raise ApiError(422, payloads.error("Unprocessable Entity", doc, 422, [reason]))
        found.append((item["path"], item["line"], item["body"]))
    return found
