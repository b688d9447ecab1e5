"""Routes about issues (pulls included, as GitHub lists them): listing with GitHub's filters,
reading and opening issues, their comments, and the timeline."""

from __future__ import annotations

from typing import Any

from onboard.practice import links, payloads
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
from onboard.practice.store import Record, iso, parse_iso

routes = Routes()
ISSUE = REPO + r"/issues/(?P<number>\d+)"


def _issues_enabled(record: Record) -> None:
    if not record["has_issues"]:
        raise ApiError(
            410,
            payloads.error(
                "Issues are disabled for this repo", "https://docs.github.com/v3/issues/", 410
            ),
        )


def _normalise_stamp(text: str) -> str:
    try:
        return iso(parse_iso(text))
    except ValueError:
        return text


@routes.get(REPO + r"/issues")
def list_issues(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    doc = "https://docs.github.com/rest/issues/issues#list-repository-issues"
    record = forge.repo(owner, repo, doc)
    _issues_enabled(record)
    full = record["full_name"]
    state = (req.param("state") or "open").lower()
    wanted_labels = [
        s.strip().casefold() for s in (req.param("labels") or "").split(",") if s.strip()
    ]
    assignee = req.param("assignee")
    creator = req.param("creator")
    mentioned = req.param("mentioned")
    milestone = req.param("milestone")
    since = req.param("since")
    sort = req.param("sort") or "created"
    direction = (req.param("direction") or "desc").lower()

    def keep(issue: Record) -> bool:
        if state in ("open", "closed") and issue["state"] != state:
            return False
        names = {n.casefold() for n in issue["labels"]}
        if any(lbl not in names for lbl in wanted_labels):
            return False
        people = {a.lower() for a in issue["assignees"]}
        if assignee is not None:
            if assignee.lower() == "none" and people:
                return False
            if assignee == "*" and not people:
                return False
            if assignee.lower() not in ("none", "*") and assignee.lower() not in people:
                return False
        if creator and issue["user"].lower() != creator.lower():
            return False
        if mentioned and f"@{mentioned.lower()}" not in (issue["body"] or "").lower():
            return False
        if milestone not in (None, "none"):
            return False  # the practice forge has no milestones
        return not (since and issue["updated_at"] < _normalise_stamp(since))

    with forge.store.locked() as data:
        comments = data["comments"][full]
        chosen = [i for i in forge.store.issues(full) if keep(i)]

        def key(issue: Record) -> Any:
            if sort == "updated":
                return (issue["updated_at"], issue["number"])
            if sort == "comments":
                return (len(comments.get(str(issue["number"]), [])), issue["number"])
            return (issue["created_at"], issue["number"])

        chosen.sort(key=key, reverse=direction != "asc")
        page, headers = paginate(req, chosen, forge.list_link(record, "issues"))
        body = [payloads.issue(forge.urls, data, full, i) for i in page]
    return Response(200, body, headers)


@routes.post(REPO + r"/issues")
def create_issue(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    doc = "https://docs.github.com/rest/issues/issues#create-an-issue"
    viewer = require_auth(req, doc)
    record = forge.repo(owner, repo, doc)
    params = req.json()
    _issues_enabled(record)
    require_writable(record)
    title = params.get("title")
    if not isinstance(title, str) or not title.strip():
        raise invalid([{"resource": "Issue", "code": "missing_field", "field": "title"}], doc)
    body = params.get("body") if isinstance(params.get("body"), str) else None
    raw_labels = params.get("labels")
    labels = [x for x in raw_labels if isinstance(x, str)] if isinstance(raw_labels, list) else []
    issue = forge.store.add_issue(
        record["full_name"], title, body, labels=labels, user=viewer, created_days_ago=0
    )
    with forge.store.locked() as data:
        payload = payloads.issue(forge.urls, data, record["full_name"], issue, variant="single")
    return Response(201, payload, {"Location": payload["url"]})


@routes.get(ISSUE)
def get_issue(forge: ForgeContext, req: Request, owner: str, repo: str, number: str) -> Response:
    doc = "https://docs.github.com/rest/issues/issues#get-an-issue"
    record = forge.repo(owner, repo, doc)
    full = record["full_name"]
    with forge.store.locked() as data:
        issue = issue_in(data, full, number, doc)
        return Response(200, payloads.issue(forge.urls, data, full, issue, variant="single"))


# ---------------------------------------------------------------------------- comments


@routes.get(ISSUE + r"/comments")
def list_comments(
    forge: ForgeContext, req: Request, owner: str, repo: str, number: str
) -> Response:
    doc = "https://docs.github.com/rest/issues/comments#list-issue-comments"
    record = forge.repo(owner, repo, doc)
    full = record["full_name"]
    since = req.param("since")
    with forge.store.locked() as data:
        issue_in(data, full, number, doc)
        chosen = [
            c
            for c in data["comments"][full][number]
            if not since or c["updated_at"] >= _normalise_stamp(since)
        ]
        page, headers = paginate(req, chosen, forge.list_link(record, f"issues/{number}/comments"))
        body = [payloads.comment(forge.urls, data, full, c) for c in page]
    return Response(200, body, headers)


@routes.post(ISSUE + r"/comments")
def create_comment(
    forge: ForgeContext, req: Request, owner: str, repo: str, number: str
) -> Response:
    doc = "https://docs.github.com/rest/issues/comments#create-an-issue-comment"
    viewer = require_auth(req, doc)
    record = forge.repo(owner, repo, doc)
    params = req.json()
    full = record["full_name"]
    issue = forge.store.get_issue(full, int(number))
    if issue is None:
        raise not_found(doc)
    require_writable(record)
    text = params.get("body")
    if not isinstance(text, str) or not text.strip():
        raise invalid([{"resource": "IssueComment", "code": "missing_field", "field": "body"}], doc)
    if issue["locked"] and forge.store.association(full, viewer) not in ("OWNER", "MEMBER"):
        raise ApiError(
            403,
            payloads.error("Unable to create comment because issue is locked.", doc, 403),
        )
    comment = forge.store.add_comment(full, int(number), text, user=viewer)
    with forge.store.locked() as data:
        payload = payloads.comment(forge.urls, data, full, comment)
    return Response(201, payload, {"Location": payload["url"]})


@routes.get(REPO + r"/issues/comments/(?P<id>\d+)")
def get_comment(forge: ForgeContext, req: Request, owner: str, repo: str, id: str) -> Response:
    doc = "https://docs.github.com/rest/issues/comments#get-an-issue-comment"
    record = forge.repo(owner, repo, doc)
    full = record["full_name"]
    with forge.store.locked() as data:
        for comments in data["comments"][full].values():
            for c in comments:
                if str(c["id"]) == id:
                    return Response(200, payloads.comment(forge.urls, data, full, c))
    raise not_found(doc)


# ---------------------------------------------------------------------------- timeline


@routes.get(ISSUE + r"/timeline")
def list_timeline(
    forge: ForgeContext, req: Request, owner: str, repo: str, number: str
) -> Response:
    """Events, comments, cross-references and reviews of an issue or pull, oldest first."""
    doc = "https://docs.github.com/rest/issues/timeline#list-timeline-events-for-an-issue"
    record = forge.repo(owner, repo, doc)
    full = record["full_name"]
    urls = forge.urls
    with forge.store.locked() as data:
        issue_in(data, full, number, doc)
        items: list[tuple[str, int, dict[str, Any]]] = []

        def add(stamp: str, payload: dict[str, Any]) -> None:
            items.append((stamp, len(items), payload))

        for event in data["events"][full].get(number, []):
            add(event["created_at"], payloads.timeline_event(urls, data, full, event))
        for comment in data["comments"][full].get(number, []):
            add(comment["created_at"], payloads.timeline_comment(urls, data, full, comment))
        for source_full, source, actor, stamp in links.cross_references(data, full, int(number)):
            add(
                stamp,
                payloads.timeline_cross_reference(urls, data, source_full, source, actor, stamp),
            )
        for review in links.submitted(data["reviews"][full].get(number, [])):
            add(review["submitted_at"], payloads.timeline_review(urls, data, full, review))
        items.sort(key=lambda item: (item[0], item[1]))
        page, headers = paginate(
            req,
            [item[2] for item in items],
            forge.list_link(record, f"issues/{number}/timeline"),
        )
    return Response(200, page, headers)
