"""The plain web pages at ``/{owner}/{repo}...``, so "open in browser" works in practice mode.

These are registered as ``web_page`` routes: the pipeline serves them without rate limits or
ETags, and never for an ``owner`` that is an API path word (``/users/...`` is the API's).
"""

from __future__ import annotations

from onboard.practice import payloads, plumbing
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import Request, Response, Routes
from onboard.practice.routes.reviews import current_line
from onboard.practice.store import Record

HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
WEB = r"/(?P<owner>[^/]+)/(?P<repo>[^/]+)"

routes = Routes()


@routes.get(WEB, web_page=True)
def page_repo(forge: ForgeContext, req: Request, owner: str, repo: str) -> Response:
    record = forge.store.get_repo(f"{owner}/{repo}")
    if record is None:
        return Response(404, "Not Found", content_type=TEXT_TYPE)
    full = record["full_name"]
    readme = ""
    commit = plumbing.resolve_commit(forge.bare(full), record["default_branch"])
    if commit is not None:
        raw = plumbing.show(forge.bare(full), commit, "README.md")
        readme = raw.decode("utf-8", "replace") if raw is not None else ""
    lines = [
        f"#{i['number']}  {i['title']}" for i in forge.store.issues(full) if i["state"] == "open"
    ]
    sections = [
        ("About", record["description"] or ""),
        ("Clone", forge.urls.clone(full)),
        ("Open issues and pull requests", "\n".join(lines) or "None yet."),
        ("README.md", readme),
    ]
    return Response(200, payloads.html_page(full, sections), content_type=HTML_TYPE)


@routes.get(WEB + r"/(?P<kind>issues|pull)/(?P<number>\d+)", web_page=True)
def page_issue(
    forge: ForgeContext, req: Request, owner: str, repo: str, kind: str, number: str
) -> Response:
    record = forge.store.get_repo(f"{owner}/{repo}")
    issue = forge.store.get_issue(record["full_name"], int(number)) if record else None
    if record is None or issue is None:
        return Response(404, "Not Found", content_type=TEXT_TYPE)
    labels = ", ".join(issue["labels"]) or "none"
    sections = [
        (
            f"{issue['state']} · opened by {issue['user']} · labels: {labels}",
            issue["body"] or "",
        )
    ]
    for c in forge.store.comments(record["full_name"], int(number)):
        sections.append((f"{c['user']} commented on {c['created_at']}", c["body"]))
    if issue["pull"] is not None:
        sections += _pull_sections(forge, record["full_name"], issue)
    title = f"{issue['title']} · {record['full_name']}#{number}"
    return Response(200, payloads.html_page(title, sections), content_type=HTML_TYPE)


@routes.get(WEB + r"/raw/(?P<ref>[^/]+)/(?P<path>.+)", web_page=True)
def page_raw(
    forge: ForgeContext, req: Request, owner: str, repo: str, ref: str, path: str
) -> Response:
    record = forge.store.get_repo(f"{owner}/{repo}")
    bare = forge.bare(record["full_name"]) if record else None
    commit = plumbing.resolve_commit(bare, ref) if bare is not None else None
    if bare is None or commit is None or not plumbing.safe_path(path):
        return Response(404, b"404: Not Found", content_type=TEXT_TYPE)
    raw = plumbing.show(bare, commit, path)
    if raw is None:
        return Response(404, b"404: Not Found", content_type=TEXT_TYPE)
    return Response(200, raw, content_type=TEXT_TYPE)


def _pull_sections(forge: ForgeContext, full: str, issue: Record) -> list[tuple[str, str]]:
    """What a pull's page adds: reviews, line comments (file and line) and the head's checks."""
    number = issue["number"]
    sections = []
    for review in forge.store.reviews(full, number):
        if review["state"] != "PENDING":
            state = review["state"].replace("_", " ").lower()
            heading = f"{review['user']} reviewed ({state}) on {review['submitted_at']}"
            sections.append((heading, review["body"] or ""))
    for comment in forge.store.review_comments(full, number):
        line = current_line(forge, full, issue, comment)
        where = f"line {line}" if line is not None else "an outdated line"
        sections.append((f"{comment['user']} on {comment['path']}, {where}", comment["body"]))
    for run in forge.store.check_runs(full, issue["pull"]["head_sha"]):
        verdict = run["conclusion"] or run["status"].replace("_", " ")
        sections.append((f"Check {run['name']}: {verdict}", run["output"].get("summary") or ""))
    return sections
