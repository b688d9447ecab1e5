"""``POST /graphql``: the GraphQL queries onboard sends, answered from the store as GitHub would.

onboard asks for claim evidence of many issues in one query (see
:mod:`onboard.forge.claim_evidence`): each issue's assignees, last comments with the author's
association, (un)assignment events and the pull requests that reference or close it, plus
``rateLimit``. This route parses the document (:mod:`..graphql_syntax`), validates it against the
schema subset (:mod:`..graphql_schema`), charges its cost in points to the caller's ``graphql``
window, and runs it over the store, answering in GitHub's shapes: ``{"data": …}``; ``errors``
beside partial ``data`` for a repository or issue that does not exist (``NOT_FOUND`` with its
``path``); ``errors`` alone for a query that does not validate; 401 without a token; and,
when the window is spent, status 200 with a ``RATE_LIMITED`` error, as GitHub documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from onboard.practice import links
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import ApiError, Request, Response, Routes
from onboard.practice.graphql_schema import (
    OBJECTS,
    ROOTS,
    Checked,
    QueryRefused,
    applies,
    check,
)
from onboard.practice.graphql_syntax import (
    Field,
    FragmentSpread,
    GraphQLSyntaxError,
    InlineFragment,
    Selection,
    parse,
    value_of,
)
from onboard.practice.payloads import node_id
from onboard.practice.routes.search import matching_issues
from onboard.practice.search import SearchError
from onboard.practice.search import parse as parse_search
from onboard.practice.store import RateWindow, Record

routes = Routes()

AUTH_DOCS = (
    "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"
)
GRAPHQL_DOCS = "https://docs.github.com/graphql"


def _answer(body: dict[str, Any]) -> Response:
    return Response(200, body)


@routes.post(r"/graphql")
def graphql(forge: ForgeContext, req: Request) -> Response:
    if req.viewer is None:
        raise ApiError(
            401,
            {
                "message": "This endpoint requires you to be authenticated.",
                "documentation_url": AUTH_DOCS,
            },
        )
    try:
        body = req.json()
    except ApiError as error:
        raise ApiError(400, {**error.body, "documentation_url": GRAPHQL_DOCS}) from None
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        return _answer(
            {"errors": [{"message": "A query attribute must be specified and must be a string."}]}
        )
    variables = body.get("variables")
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        return _answer({"errors": [{"message": "Variables must be a JSON object."}]})
    operation_name = body.get("operationName")
    try:
        document = parse(query)
        checked = check(
            document, operation_name if isinstance(operation_name, str) else None, variables
        )
    except GraphQLSyntaxError as error:
        return _answer(
            {
                "errors": [
                    {
                        "message": error.message,
                        "locations": [{"line": error.line, "column": error.column}],
                    }
                ]
            }
        )
    except QueryRefused as refused:
        return _answer({"errors": refused.errors})
    window = forge.spend(req, "graphql", checked.cost)
    if window is None:
        user = forge.store.get_user(req.viewer or "")
        who = user["id"] if user else 0
        return _answer(
            {
                "errors": [
                    {
                        "type": "RATE_LIMITED",
                        "code": "graphql_rate_limit",
                        "message": f"API rate limit already exceeded for user ID {who}.",
                    }
                ]
            }
        )
    with forge.store.locked() as data:
        run = _Run(forge, data, checked, window, req.viewer)
        root = ROOTS[checked.operation.kind]
        result = run.select(checked.operation.selections, root, None, [])
    answer: dict[str, Any] = {"data": result}
    if run.errors:
        answer["errors"] = run.errors
    return _answer(answer)


# ---------------------------------------------------------------------------- execution


@dataclass(frozen=True)
class Obj:
    """A value of an object type, with the type it has at run time (for fragments)."""

    type: str
    value: Any


class _NotFound(Exception):
    pass


class _Invalid(Exception):
    pass


class _Forbidden(Exception):
    pass


@dataclass
class _Page:
    """A connection's answer: the chosen page of items, and how many there are in all."""

    items: list[Obj]
    total: int


Resolver = Callable[["_Run", Any, dict[str, Any]], Any]


class _Run:
    """One validated operation, run over a locked view of the store."""

    def __init__(
        self,
        forge: ForgeContext,
        data: Any,
        checked: Checked,
        window: RateWindow,
        viewer: str | None,
    ) -> None:
        self.forge = forge
        self.data = data
        self.checked = checked
        self.window = window
        self.viewer = viewer
        self.errors: list[dict[str, Any]] = []
        self._references: dict[tuple[str, int], list[tuple[str, Any, str, str]]] | None = None
        self._closing: dict[str, dict[int, set[int]]] = {}

    def select(
        self, selections: tuple[Selection, ...], type_name: str, obj: Any, path: list[Any]
    ) -> dict[str, Any]:
        """The answer object for ``selections`` on ``obj``, whose run-time type is ``type_name``."""
        merged: dict[str, list[Field]] = {}
        self._collect(selections, type_name, merged)
        out: dict[str, Any] = {}
        for key, fields in merged.items():
            first = fields[0]
            here = [*path, key]
            if first.name == "__typename":
                out[key] = type_name
                continue
            args = {
                name: value_of(raw, self.checked.variables) for name, raw in first.arguments.items()
            }
            try:
                value = RESOLVERS[(type_name, first.name)](self, obj, args)
            except _NotFound as missing:
                self.errors.append(self._error("NOT_FOUND", str(missing), first, here))
                out[key] = None
                continue
            except _Invalid as invalid:
                self.errors.append(self._error("INVALID", str(invalid), first, here))
                out[key] = None
                continue
            except _Forbidden as refused:
                self.errors.append(self._error("FORBIDDEN", str(refused), first, here))
                out[key] = None
                continue
            below = tuple(s for f in fields for s in f.selections)
            out[key] = self._complete(value, below, here)
        return out

    def _complete(self, value: Any, selections: tuple[Selection, ...], path: list[Any]) -> Any:
        if isinstance(value, Obj):
            return self.select(selections, value.type, value.value, path)
        if isinstance(value, list):
            return [
                self._complete(item, selections, [*path, index]) for index, item in enumerate(value)
            ]
        return value

    def _collect(
        self, selections: tuple[Selection, ...], type_name: str, into: dict[str, list[Field]]
    ) -> None:
        """The fields that apply to ``type_name``, fragments flattened, same keys merged."""
        for selection in selections:
            if isinstance(selection, Field):
                into.setdefault(selection.key, []).append(selection)
            elif isinstance(selection, InlineFragment):
                if applies(selection.type_condition, type_name):
                    self._collect(selection.selections, type_name, into)
            elif isinstance(selection, FragmentSpread):
                fragment = self.checked.fragments[selection.name]
                if applies(fragment.type_condition, type_name):
                    self._collect(fragment.selections, type_name, into)

    @staticmethod
    def _error(kind: str, message: str, node: Field, path: list[Any]) -> dict[str, Any]:
        return {
            "type": kind,
            "path": path,
            "locations": [{"line": node.line, "column": node.column}],
            "message": message,
        }

    # -- helpers for the resolvers ---------------------------------------------------------

    def actor(self, login: str | None) -> Obj | None:
        """A login as GitHub's ``Actor``: ``User``, ``Bot`` or ``Organization`` by account type."""
        if not login:
            return None
        record = self.data["users"].get(login)
        kind = record["type"] if record else "User"
        return Obj(kind if kind in ("Bot", "Organization") else "User", login)

    def references(self, full: str, number: int) -> list[tuple[str, Any, str, str]]:
        """Who mentions ``full#number`` (see :func:`links.cross_references`), indexed once."""
        if self._references is None:
            self._references = links.cross_reference_index(self.data)
        return self._references.get((full.casefold(), number), [])

    def closing(self, full: str) -> dict[int, set[int]]:
        """:func:`links.closing_links` of ``full``, computed once per query."""
        if full not in self._closing:
            self._closing[full] = links.closing_links(self.data, full)
        return self._closing[full]

    def subject(self, full: str, record: Any) -> Obj:
        return Obj("PullRequest" if record["pull"] else "Issue", (full, record))


def _page(items: list[Obj], args: dict[str, Any]) -> _Page:
    """GitHub's paging of a connection: ``first`` from the start, then ``last`` from the end."""
    chosen = list(items)
    if isinstance(args.get("first"), int):
        chosen = chosen[: max(0, args["first"])]
    if isinstance(args.get("last"), int):
        chosen = chosen[-args["last"] :] if args["last"] > 0 else []
    return _Page(chosen, len(items))


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------- resolvers


def _repository(run: _Run, _obj: Any, args: dict[str, Any]) -> Any:
    full = f"{args.get('owner')}/{args.get('name')}"
    record = run.forge.store.get_repo(full)
    if record is None or run.forge.fork_pending(record["full_name"]):
        raise _NotFound(f"Could not resolve to a Repository with the name '{full}'.")
    return Obj("Repository", record)


def _rate_limit(run: _Run, _obj: Any, _args: dict[str, Any]) -> Any:
    window = run.window
    return Obj(
        "RateLimit",
        {
            "cost": run.checked.cost,
            "limit": window.limit,
            "remaining": window.remaining,
            "used": window.used,
            "resetAt": _iso(window.reset),
            "nodeCount": run.checked.node_count,
        },
    )


def _search(run: _Run, _obj: Any, args: dict[str, Any]) -> Any:
    if args.get("type") != "ISSUE":
        raise _Invalid("The practice forge searches issues only (type: ISSUE).")
    try:
        query = parse_search(str(args.get("query") or ""), viewer=run.viewer)
    except SearchError as error:
        raise _Invalid(error.message) from None
    known = {full.lower() for full in run.data["repos"]}
    if any(name.lower() not in known for name in query.repos):
        raise _Invalid(
            "The listed users and repositories cannot be searched either because the resources "
            "do not exist or you do not have permission to view them."
        )
    found = matching_issues(run.data, query, query.sort, (query.order or "desc").lower())
    items = [run.subject(ctx.repo_full_name, ctx.issue) for ctx in found]
    return Obj("SearchResultItemConnection", _page(items, args))


def _issue(run: _Run, repo: Record, args: dict[str, Any]) -> Any:
    full = repo["full_name"]
    number = args.get("number")
    record = run.data["issues"].get(full, {}).get(str(number))
    if record is None or record["pull"] is not None:
        raise _NotFound(f"Could not resolve to an Issue with the number of {number}.")
    return Obj("Issue", (full, record))


def _html(run: _Run, full: str, record: Record) -> str:
    kind = "pull" if record["pull"] else "issues"
    return f"{run.forge.urls.repo_html(full)}/{kind}/{record['number']}"


def _assignees(run: _Run, issue: tuple[str, Record], args: dict[str, Any]) -> Any:
    return Obj("UserConnection", _page([Obj("User", a) for a in issue[1]["assignees"]], args))


def _comments(run: _Run, issue: tuple[str, Record], args: dict[str, Any]) -> Any:
    full, record = issue
    comments = run.data["comments"].get(full, {}).get(str(record["number"]), [])
    items = [Obj("IssueComment", (full, c)) for c in comments]
    return Obj("IssueCommentConnection", _page(items, args))


def _timeline(run: _Run, issue: tuple[str, Record], args: dict[str, Any]) -> Any:
    """(Un)assignments and cross-references, oldest first; ``itemTypes`` filters them."""
    full, record = issue
    number = record["number"]
    found: list[tuple[str, int, Obj]] = []
    for event in run.data["events"].get(full, {}).get(str(number), []):
        if event["event"] in ("assigned", "unassigned"):
            kind = "AssignedEvent" if event["event"] == "assigned" else "UnassignedEvent"
            found.append((event["created_at"], len(found), Obj(kind, event)))
    closing = run.closing(full).get(number, set())
    for source_full, source, actor, stamp in run.references(full, number):
        will_close = source_full == full and source["number"] in closing
        event = {
            "created_at": stamp,
            "actor": actor,
            "source": (source_full, source),
            "will_close": will_close,
            "cross": source_full != full,
        }
        found.append((stamp, len(found), Obj("CrossReferencedEvent", event)))
    wanted = args.get("itemTypes")
    names = {
        "AssignedEvent": "ASSIGNED_EVENT",
        "UnassignedEvent": "UNASSIGNED_EVENT",
        "CrossReferencedEvent": "CROSS_REFERENCED_EVENT",
    }
    found.sort(key=lambda item: (item[0], item[1]))
    items = [obj for _s, _i, obj in found if wanted is None or names[obj.type] in wanted]
    return Obj("IssueTimelineItemsConnection", _page(items, args))


def _closed_by(run: _Run, issue: tuple[str, Record], args: dict[str, Any]) -> Any:
    """Pulls of the same repository that close the issue with a keyword (open ones unless
    ``includeClosedPrs``); the practice forge has no manual links (``userLinkedOnly``)."""
    full, record = issue
    if args.get("userLinkedOnly"):
        return Obj("PullRequestConnection", _page([], args))
    numbers = sorted(run.closing(full).get(record["number"], set()))
    pulls = [run.data["issues"][full][str(n)] for n in numbers]
    if not args.get("includeClosedPrs"):
        pulls = [p for p in pulls if p["state"] == "open"]
    return Obj("PullRequestConnection", _page([Obj("PullRequest", (full, p)) for p in pulls], args))


def _ready_for_review(run: _Run, _obj: Any, args: dict[str, Any]) -> Any:
    """``markPullRequestReadyForReview``: the author or a maintainer turns a draft into a pull
    request ready for review; an already ready one stays as it is, as on GitHub."""
    given = args.get("input") or {}
    ident = given.get("pullRequestId") if isinstance(given, dict) else None
    found = next(
        (
            (full, issue)
            for full, issues in run.data["issues"].items()
            for issue in issues.values()
            if issue["pull"] is not None and node_id("PullRequest", issue["pull"]["id"]) == ident
        ),
        None,
    )
    if found is None:
        raise _NotFound(f"Could not resolve to a node with the global id of '{ident}'")
    full, issue = found
    viewer = run.viewer or ""
    if issue["user"] != viewer and run.forge.store.association(full, viewer) not in (
        "OWNER",
        "MEMBER",
    ):
        raise _Forbidden(
            f"{viewer} does not have the correct permissions to execute "
            "`MarkPullRequestReadyForReview`"
        )
    if issue["state"] != "open":
        raise _Invalid("Pull request is closed and cannot be marked ready for review.")
    run.forge.store.mark_ready(full, issue["number"], by=viewer)
    return Obj(
        "MarkPullRequestReadyForReviewPayload",
        {"clientMutationId": given.get("clientMutationId"), "pull": (full, issue)},
    )


def _pull_state(record: Record) -> str:
    if record["pull"] and record["pull"]["merged_at"]:
        return "MERGED"
    return str(record["state"]).upper()


def _issue_like(kind: str) -> dict[tuple[str, str], Resolver]:
    """Fields Issue and PullRequest share, over ``(repository, record)``."""
    return {
        (kind, "number"): lambda run, o, a: o[1]["number"],
        (kind, "title"): lambda run, o, a: o[1]["title"],
        (kind, "url"): lambda run, o, a: _html(run, *o),
        (kind, "updatedAt"): lambda run, o, a: o[1]["updated_at"],
        (kind, "author"): lambda run, o, a: run.actor(o[1]["user"]),
        (kind, "repository"): lambda run, o, a: Obj("Repository", run.data["repos"][o[0]]),
    }


def _connection(kind: str) -> dict[tuple[str, str], Resolver]:
    return {
        (kind, "totalCount"): lambda run, page, a: page.total,
        (kind, "nodes"): lambda run, page, a: list(page.items),
    }


def _event(kind: str) -> dict[tuple[str, str], Resolver]:
    return {
        (kind, "createdAt"): lambda run, e, a: e["created_at"],
        (kind, "actor"): lambda run, e, a: run.actor(e["actor"]),
    }


RESOLVERS: dict[tuple[str, str], Resolver] = {
    ("Query", "repository"): _repository,
    ("Query", "rateLimit"): _rate_limit,
    ("Query", "search"): _search,
    ("Mutation", "markPullRequestReadyForReview"): _ready_for_review,
    ("MarkPullRequestReadyForReviewPayload", "clientMutationId"): (
        lambda run, o, a: o["clientMutationId"]
    ),
    ("MarkPullRequestReadyForReviewPayload", "pullRequest"): (
        lambda run, o, a: Obj("PullRequest", o["pull"])
    ),
    **{
        ("RateLimit", name): (lambda n: lambda run, o, a: o[n])(name)
        for name in OBJECTS["RateLimit"]
    },
    ("Repository", "nameWithOwner"): lambda run, r, a: r["full_name"],
    ("Repository", "url"): lambda run, r, a: run.forge.urls.repo_html(r["full_name"]),
    ("Repository", "issue"): _issue,
    **_issue_like("Issue"),
    ("Issue", "state"): lambda run, o, a: str(o[1]["state"]).upper(),
    ("Issue", "createdAt"): lambda run, o, a: o[1]["created_at"],
    ("Issue", "assignees"): _assignees,
    ("Issue", "comments"): _comments,
    ("Issue", "timelineItems"): _timeline,
    ("Issue", "closedByPullRequestsReferences"): _closed_by,
    **_issue_like("PullRequest"),
    ("PullRequest", "state"): lambda run, o, a: _pull_state(o[1]),
    ("PullRequest", "id"): lambda run, o, a: node_id("PullRequest", o[1]["pull"]["id"]),
    ("PullRequest", "merged"): lambda run, o, a: bool(o[1]["pull"]["merged_at"]),
    ("PullRequest", "isDraft"): lambda run, o, a: bool(o[1]["pull"]["draft"]),
    ("IssueComment", "author"): lambda run, o, a: run.actor(o[1]["user"]),
    ("IssueComment", "body"): lambda run, o, a: o[1]["body"],
    ("IssueComment", "createdAt"): lambda run, o, a: o[1]["created_at"],
    ("IssueComment", "authorAssociation"): lambda run, o, a: o[1]["author_association"],
    **_connection("UserConnection"),
    **_connection("IssueCommentConnection"),
    **_connection("IssueTimelineItemsConnection"),
    **_connection("PullRequestConnection"),
    ("SearchResultItemConnection", "issueCount"): lambda run, page, a: page.total,
    ("SearchResultItemConnection", "nodes"): lambda run, page, a: list(page.items),
    **{
        (kind, "login"): lambda run, login, a: login
        for kind in ("User", "Bot", "Organization", "Mannequin")
    },
    **_event("AssignedEvent"),
    **_event("UnassignedEvent"),
    ("AssignedEvent", "assignee"): lambda run, e, a: run.actor(e.get("assignee")),
    ("UnassignedEvent", "assignee"): lambda run, e, a: run.actor(e.get("assignee")),
    **_event("CrossReferencedEvent"),
    ("CrossReferencedEvent", "referencedAt"): lambda run, e, a: e["created_at"],
    ("CrossReferencedEvent", "source"): lambda run, e, a: run.subject(*e["source"]),
    ("CrossReferencedEvent", "willCloseTarget"): lambda run, e, a: e["will_close"],
    ("CrossReferencedEvent", "isCrossRepository"): lambda run, e, a: e["cross"],
    # The store records no manual links, so no ConnectedEvent is ever listed; its fields are
    # answered anyway, so the table covers the whole schema subset.
    **_event("ConnectedEvent"),
    ("ConnectedEvent", "source"): lambda run, e, a: run.subject(*e["source"]),
    ("ConnectedEvent", "subject"): lambda run, e, a: run.subject(*e["subject"]),
    ("ConnectedEvent", "isCrossRepository"): lambda run, e, a: e["cross"],
}
