"""``/search/issues`` and ``/search/repositories``: GitHub's search endpoints over the store.

The query languages live in :mod:`onboard.practice.search` and :mod:`onboard.practice.repo_search`;
these routes check the query the way GitHub does, build each candidate's search context, and page
through at most the first 1,000 results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from onboard.practice import links, payloads
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import (
    ApiError,
    Request,
    Response,
    Routes,
    invalid,
    page_window,
    paginate,
)
from onboard.practice.repo_search import SORTS as REPO_SORTS
from onboard.practice.repo_search import (
    RepoContext,
    label_key,
    parse_repo_query,
    repo_sort_key,
)
from onboard.practice.search import RESULT_CAP, Context, Query, SearchError, parse, sort_key
from onboard.practice.store import Record

SEARCH_DOCS = "https://docs.github.com/v3/search/"
#: A parsed search query, issues' or repositories'.
_Query = TypeVar("_Query")
_GOOD_FIRST = "good first issue"
_HELP_WANTED = "help wanted"

routes = Routes()


def _search_query(req: Request, parse_q: Callable[[str], _Query]) -> _Query:
    """What both search endpoints check first, in GitHub's order and words: ``q`` is
    there, it parses, and the page asked for lies within the first 1,000 results."""
    q = req.param("q")
    if q is None or not q.strip():
        raise invalid([{"resource": "Search", "field": "q", "code": "missing"}], SEARCH_DOCS)
    try:
        query = parse_q(q)
    except SearchError as err:
        raise invalid(
            [{"message": err.message, "resource": "Search", "field": "q", "code": "invalid"}],
            SEARCH_DOCS,
        ) from err
    page, per_page = page_window(req)
    if (page - 1) * per_page >= RESULT_CAP:
        raise ApiError(
            422,
            payloads.error(
                "Cannot access beyond the first 1000 results, or the search may be invalid.",
                SEARCH_DOCS,
                422,
            ),
        )
    return query


#: GitHub's words when a ``repo:`` of a search does not exist (or is private): the whole search
#: is refused, not only that repository.
UNSEARCHABLE = (
    "The listed users and repositories cannot be searched either because the resources do not "
    "exist or you do not have permission to view them."
)


def _listed_repos_exist(forge: ForgeContext, req: Request) -> None:
    """A search naming a repository that does not exist is refused as a whole (422), as on
    GitHub: callers must cope with one bad name costing the rest of its batch."""
    names = [
        term.split(":", 1)[1]
        for term in (req.param("q") or "").split()
        if term.lower().startswith("repo:")
    ]
    if not names:
        return
    with forge.store.locked() as data:
        known = {full.lower() for full in data["repos"]}
    if any(name.lower() not in known for name in names):
        raise invalid(
            [{"message": UNSEARCHABLE, "resource": "Search", "field": "q", "code": "invalid"}],
            SEARCH_DOCS,
        )


@routes.get(r"/search/issues")
def search_issues(forge: ForgeContext, req: Request) -> Response:
    query = _search_query(req, lambda q: parse(q, viewer=req.viewer))
    _listed_repos_exist(forge, req)
    sort = req.param("sort") or query.sort
    order = (req.param("order") or query.order or "desc").lower()
    with forge.store.locked() as data:
        found = matching_issues(data, query, sort, order)
        chunk, headers = paginate(req, found, f"{forge.urls.api}/search/issues", cap=RESULT_CAP)
        items = [
            payloads.issue(forge.urls, data, c.repo_full_name, c.issue, variant="search")
            for c in chunk
        ]
    return Response(200, payloads.search_result(items, len(found)), headers)


def matching_issues(
    data: dict[str, Any], query: Query, sort: str | None, order: str
) -> list[Context]:
    """Every issue and pull of the store (locked: ``data``) that ``query`` finds, in its order.

    Shared by ``/search/issues`` and GraphQL's ``search(type: ISSUE)``, which GitHub answers
    from the same index.
    """
    found: list[Context] = []
    for full, issues in data["issues"].items():
        repo_record = data["repos"][full]
        linked = links.closing_links(data, full)
        reviews = data["reviews"].get(full, {})
        for issue in issues.values():
            comments = data["comments"][full].get(str(issue["number"]), [])
            ctx = Context(
                repo_full_name=full,
                repo=repo_record,
                issue=issue,
                comment_bodies=tuple(c["body"] for c in comments),
                commenters=frozenset(c["user"] for c in comments),
                linked=frozenset(linked.get(issue["number"], ())),
                reviews=tuple(links.submitted(reviews.get(str(issue["number"]), []))),
            )
            if query.matches(ctx):
                found.append(ctx)
    found.sort(key=sort_key(sort), reverse=order != "asc")
    return found


@routes.get(r"/search/repositories")
def search_repositories(forge: ForgeContext, req: Request) -> Response:
    """``/search/repositories``: qualifiers as in :mod:`onboard.practice.repo_search`."""
    query = _search_query(req, parse_repo_query)
    sort = req.param("sort")
    order = (req.param("order") or "desc").lower()
    with forge.store.locked() as data:
        found = [
            ctx
            for ctx in (_repo_context(data, r) for r in data["repos"].values())
            if not forge.fork_pending(ctx.repo["full_name"]) and query.matches(ctx)
        ]
        key = repo_sort_key(sort if sort in REPO_SORTS else None, query)
        best_match = sort not in REPO_SORTS
        found.sort(key=key, reverse=best_match or order != "asc")
        chunk, headers = paginate(
            req, found, f"{forge.urls.api}/search/repositories", cap=RESULT_CAP
        )
        items = [
            payloads.repo_search_item(
                forge.urls, data, c.repo["full_name"], round(query.score(c), 6)
            )
            for c in chunk
        ]
    return Response(200, payloads.search_result(items, len(found)), headers)


def _repo_context(data: dict[str, Any], record: Record) -> RepoContext:
    """A repository with its open good-first and help-wanted issue counts (pulls excluded)."""
    full = record["full_name"]
    good = wanted = 0
    for issue in data["issues"].get(full, {}).values():
        if issue["state"] != "open" or issue["pull"] is not None:
            continue
        keys = {label_key(name) for name in issue["labels"]}
        good += _GOOD_FIRST in keys
        wanted += _HELP_WANTED in keys
    forks = sum(1 for r in data["repos"].values() if r["parent"] == full)
    return RepoContext(record, good, wanted, forks)
