"""The part of GitHub's GraphQL schema the practice forge answers, checked as GitHub checks it.

onboard reads claim evidence (assignees, comments, cross-referenced and connected pull requests,
(un)assignments) for many issues in one GraphQL query; the practice forge answers exactly that
subset (the types and fields below, named as in GitHub's public schema) and refuses anything else
with GitHub's validation errors, so a query that passes here is one GitHub accepts too, and a
typo fails in the tests rather than in front of a newcomer.

:func:`check` validates a parsed document before anything runs (as GitHub does: a query with a
validation error gets ``errors`` and no ``data`` at all) and computes its rate-limit cost with
GitHub's documented formula: every connection needs one request per parent object that could
exist (assuming each ``first``/``last`` is reached), the sum divided by 100 and rounded, at least 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from onboard.practice.graphql_syntax import (
    Document,
    Field,
    FragmentSpread,
    InlineFragment,
    Operation,
    Selection,
    value_of,
    variables_in,
)

#: GitHub's cap on ``first``/``last`` of any connection.
MAX_PAGE = 100
#: Paging arguments the forge understands: one page from either end (no cursors: onboard asks
#: for the latest items of each issue, never for a second page).
_PAGING = ("first", "last")


@dataclass(frozen=True)
class FieldType:
    """What a field returns (a named type; ``is_list`` for a list of it) and what it takes."""

    type: str
    args: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    connection: bool = False
    is_list: bool = False


SCALARS = frozenset(
    {
        "Int",
        "ID",
        "String",
        "Boolean",
        "DateTime",
        "URI",
        "CommentAuthorAssociation",
        "IssueState",
        "PullRequestState",
    }
)


def _scalars(**fields: str) -> dict[str, FieldType]:
    return {name: FieldType(kind) for name, kind in fields.items()}


def _connection(kind: str, *extra: str) -> FieldType:
    return FieldType(kind, (*_PAGING, *extra), connection=True)


def _nodes(kind: str) -> dict[str, FieldType]:
    return {"totalCount": FieldType("Int"), "nodes": FieldType(kind, is_list=True)}


_ACTOR = {"login": FieldType("String")}
_ASSIGNMENT = {
    **_scalars(createdAt="DateTime"),
    "actor": FieldType("Actor"),
    "assignee": FieldType("Assignee"),
}

#: The root type of each operation kind the forge runs (GitHub has no subscriptions either).
ROOTS = {"query": "Query", "mutation": "Mutation"}
#: Object and interface types with their fields (unions have none of their own).
OBJECTS: dict[str, dict[str, FieldType]] = {
    "Query": {
        "repository": FieldType(
            "Repository", ("owner", "name", "followRenames"), ("owner", "name")
        ),
        "rateLimit": FieldType("RateLimit"),
        "search": FieldType(
            "SearchResultItemConnection", (*_PAGING, "query", "type"), ("query", "type"), True
        ),
    },
    "Mutation": {
        "markPullRequestReadyForReview": FieldType(
            "MarkPullRequestReadyForReviewPayload", ("input",), ("input",)
        ),
    },
    "MarkPullRequestReadyForReviewPayload": {
        **_scalars(clientMutationId="String"),
        "pullRequest": FieldType("PullRequest"),
    },
    "RateLimit": _scalars(
        cost="Int", limit="Int", remaining="Int", used="Int", resetAt="DateTime", nodeCount="Int"
    ),
    "Repository": {
        **_scalars(nameWithOwner="String", url="URI"),
        "issue": FieldType("Issue", ("number",), ("number",)),
    },
    "Issue": {
        **_scalars(number="Int", title="String", url="URI", state="IssueState"),
        **_scalars(updatedAt="DateTime", createdAt="DateTime"),
        "repository": FieldType("Repository"),
        "author": FieldType("Actor"),
        "assignees": _connection("UserConnection"),
        "comments": _connection("IssueCommentConnection"),
        "timelineItems": _connection("IssueTimelineItemsConnection", "itemTypes", "since"),
        "closedByPullRequestsReferences": _connection(
            "PullRequestConnection", "includeClosedPrs", "userLinkedOnly", "orderByState"
        ),
    },
    "PullRequest": {
        **_scalars(id="ID", number="Int", title="String", url="URI", state="PullRequestState"),
        **_scalars(merged="Boolean", isDraft="Boolean", updatedAt="DateTime"),
        "author": FieldType("Actor"),
        "repository": FieldType("Repository"),
    },
    "IssueComment": {
        **_scalars(
            body="String", createdAt="DateTime", authorAssociation="CommentAuthorAssociation"
        ),
        "author": FieldType("Actor"),
    },
    "UserConnection": _nodes("User"),
    "IssueCommentConnection": _nodes("IssueComment"),
    "IssueTimelineItemsConnection": _nodes("IssueTimelineItems"),
    "PullRequestConnection": _nodes("PullRequest"),
    "SearchResultItemConnection": {
        "issueCount": FieldType("Int"),
        "nodes": FieldType("SearchResultItem", is_list=True),
    },
    "Actor": _ACTOR,
    "User": _ACTOR,
    "Bot": _ACTOR,
    "Organization": _ACTOR,
    "Mannequin": _ACTOR,
    "AssignedEvent": _ASSIGNMENT,
    "UnassignedEvent": _ASSIGNMENT,
    "CrossReferencedEvent": {
        **_scalars(createdAt="DateTime", referencedAt="DateTime"),
        **_scalars(willCloseTarget="Boolean", isCrossRepository="Boolean"),
        "actor": FieldType("Actor"),
        "source": FieldType("ReferencedSubject"),
    },
    "ConnectedEvent": {
        **_scalars(createdAt="DateTime", isCrossRepository="Boolean"),
        "actor": FieldType("Actor"),
        "source": FieldType("ReferencedSubject"),
        "subject": FieldType("ReferencedSubject"),
    },
}
#: Interfaces and unions, with the object types that can stand for them.
ABSTRACT: dict[str, frozenset[str]] = {
    "Actor": frozenset({"User", "Bot", "Organization", "Mannequin"}),
    "Assignee": frozenset({"User", "Bot", "Organization", "Mannequin"}),
    "ReferencedSubject": frozenset({"Issue", "PullRequest"}),
    "IssueTimelineItems": frozenset(
        {"AssignedEvent", "UnassignedEvent", "CrossReferencedEvent", "ConnectedEvent"}
    ),
    "SearchResultItem": frozenset({"Issue", "PullRequest", "Repository", "User", "Organization"}),
}
#: Enum values the practice forge understands, per argument.
ITEM_TYPES = frozenset(
    {"ASSIGNED_EVENT", "UNASSIGNED_EVENT", "CROSS_REFERENCED_EVENT", "CONNECTED_EVENT"}
)


def possible(type_name: str) -> frozenset[str]:
    """The object types a value of ``type_name`` can have at run time."""
    return ABSTRACT.get(type_name, frozenset({type_name}))


def applies(condition: str | None, runtime_type: str) -> bool:
    """Whether a fragment on ``condition`` applies to an object of ``runtime_type``."""
    return condition is None or runtime_type in possible(condition)


class QueryRefused(Exception):
    """The document is not a query the forge will run; ``errors`` are GitHub's error objects."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["message"] if errors else "invalid query")
        self.errors = errors


@dataclass
class Checked:
    """A valid operation with its variables filled in, and what it costs."""

    operation: Operation
    fragments: dict[str, Any]
    variables: dict[str, Any]
    cost: int
    node_count: int


def check(document: Document, operation_name: str | None, variables: dict[str, Any]) -> Checked:
    """Validate ``document`` for running; raises :class:`QueryRefused` with GitHub's errors."""
    operation = _pick(document, operation_name)
    if operation.kind not in ROOTS:
        raise QueryRefused([_error(f"The practice forge answers no {operation.kind}s.", operation)])
    root = ROOTS[operation.kind]
    filled = _variables(operation, variables)
    walker = _Walker(document, filled)
    label = f"{operation.kind} {operation.name}" if operation.name else operation.kind
    walker.walk(operation.selections, root, [label], 1)
    for name, fragment in document.fragments.items():
        walker.walk(fragment.selections, fragment.type_condition, [f"fragment {name}"], 1)
        if fragment.type_condition not in OBJECTS and fragment.type_condition not in ABSTRACT:
            walker.errors.append(
                _error(
                    f"No such type {fragment.type_condition}, so it can't be a fragment condition",
                    fragment,
                    [f"fragment {name}"],
                )
            )
    used = walker.used_variables
    who = operation.name or "anonymous query"
    for definition in operation.variables:
        if definition.name not in used:
            walker.errors.append(
                _error(
                    f"Variable ${definition.name} is declared by {who} but not used",
                    operation,
                    [label],
                )
            )
    for name in used - {d.name for d in operation.variables}:
        walker.errors.append(
            _error(
                f"Variable ${name} is used by {who} but not declared",
                operation,
                [label],
            )
        )
    for name in set(document.fragments) - walker.spread:
        walker.errors.append(
            _error(f"Fragment {name} was defined, but not used", document.fragments[name])
        )
    for name in _cycles(document):
        walker.errors.append(
            _error(f"Fragment {name} contains an infinite loop", document.fragments[name])
        )
    if walker.errors:
        raise QueryRefused(walker.errors)
    requests, nodes = walker.cost_of(operation.selections, root, 1)
    return Checked(
        operation,
        document.fragments,
        filled,
        max(1, math.floor(requests / 100 + 0.5)),
        nodes,
    )


def _cycles(document: Document) -> list[str]:
    """Fragments that spread themselves, directly or through others (never runnable)."""

    def spreads(selections: tuple[Selection, ...]) -> set[str]:
        found: set[str] = set()
        for selection in selections:
            if isinstance(selection, FragmentSpread):
                found.add(selection.name)
            elif isinstance(selection, (Field, InlineFragment)):
                found |= spreads(selection.selections)
        return found

    edges = {name: spreads(f.selections) for name, f in document.fragments.items()}
    looping = []
    for start in edges:
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            name = todo.pop()
            if name == start:
                looping.append(start)
                break
            if name not in seen and name in edges:
                seen.add(name)
                todo.extend(edges[name])
    return looping


def _pick(document: Document, name: str | None) -> Operation:
    operations = document.operations
    if name:
        for operation in operations:
            if operation.name == name:
                return operation
        raise QueryRefused([{"message": f'Unknown operation named "{name}".'}])
    if len(operations) != 1:
        message = (
            "An operation name is required" if operations else "No operations in this document"
        )
        raise QueryRefused([{"message": message}])
    return operations[0]


def _variables(operation: Operation, given: dict[str, Any]) -> dict[str, Any]:
    """The operation's variables: given values, else defaults; wrong or missing ones refused."""
    filled: dict[str, Any] = {}
    errors = []
    for definition in operation.variables:
        value = given.get(definition.name, definition.default)
        problem = None
        if value is None:
            if definition.required:
                problem = "Expected value to not be null"
        elif not _fits(value, definition.type.rstrip("!")):
            problem = f"Could not coerce value {value!r} to {definition.type.rstrip('!')}"
        if problem:
            errors.append(
                {
                    "message": f"Variable ${definition.name} of type {definition.type} was "
                    "provided invalid value",
                    "locations": [{"line": operation.line, "column": operation.column}],
                    "extensions": {
                        "value": value,
                        "problems": [{"path": [], "explanation": problem}],
                    },
                }
            )
        filled[definition.name] = value
    if errors:
        raise QueryRefused(errors)
    return filled


def _fits(value: Any, kind: str) -> bool:
    if kind.startswith("["):
        inner = kind[1:-1].rstrip("!") if kind.endswith("]") else kind
        return isinstance(value, list) and all(_fits(item, inner) for item in value)
    if kind == "Int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind.endswith("Input"):  # an input object: its fields are checked where it is used
        return isinstance(value, dict)
    return isinstance(value, str)  # String, ID, enums and custom scalars arrive as strings


def _error(message: str, where: Any, path: list[Any] | None = None, **more: Any) -> dict[str, Any]:
    error: dict[str, Any] = {}
    if path is not None:
        error["path"] = path
    error.update(more)
    error["locations"] = [{"line": where.line, "column": where.column}]
    error["message"] = message
    return error


@dataclass
class _Walker:
    """Walks selections once to report validation errors, and again to add up the cost."""

    document: Document
    variables: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    used_variables: set[str] = field(default_factory=set)
    spread: set[str] = field(default_factory=set)

    def walk(self, selections: tuple[Selection, ...], parent: str, path: list[Any], depth: int):
        if depth > 20:
            return  # a fragment cycle; reported where it is spread
        for selection in selections:
            if isinstance(selection, Field):
                self._field(selection, parent, path, depth)
            elif isinstance(selection, InlineFragment):
                condition = selection.type_condition or parent
                if self._spreadable(condition, parent, selection, path):
                    self.walk(
                        selection.selections, condition, [*path, f"... on {condition}"], depth + 1
                    )
            else:
                self._spread(selection, parent, path)

    def _spreadable(self, condition: str, parent: str, where: Any, path: list[Any]) -> bool:
        if condition not in OBJECTS and condition not in ABSTRACT:
            self.errors.append(
                _error(
                    f"No such type {condition}, so it can't be a fragment condition", where, path
                )
            )
            return False
        if not possible(condition) & possible(parent):
            self.errors.append(
                _error(f"Fragment on {condition} can't be spread inside {parent}", where, path)
            )
            return False
        return True

    def _spread(self, spread: FragmentSpread, parent: str, path: list[Any]) -> None:
        fragment = self.document.fragments.get(spread.name)
        if fragment is None:
            self.errors.append(
                _error(f"Fragment {spread.name} was used, but not defined", spread, path)
            )
            return
        self.spread.add(spread.name)
        if fragment.type_condition in OBJECTS or fragment.type_condition in ABSTRACT:
            self._spreadable(fragment.type_condition, parent, spread, path)

    def _field(self, node: Field, parent: str, path: list[Any], depth: int) -> None:
        here = [*path, node.key]
        for raw in node.arguments.values():
            self.used_variables.update(variables_in(raw))
        if node.name == "__typename":
            return
        declared = OBJECTS.get(parent, {}).get(node.name)
        if declared is None:
            self.errors.append(
                _error(
                    f"Field '{node.name}' doesn't exist on type '{parent}'",
                    node,
                    here,
                    extensions={
                        "code": "undefinedField",
                        "typeName": parent,
                        "fieldName": node.name,
                    },
                )
            )
            return
        for name in node.arguments:
            if name not in declared.args:
                self.errors.append(
                    _error(
                        f"Field '{node.name}' doesn't accept argument '{name}'",
                        node,
                        here,
                        extensions={
                            "code": "argumentNotAccepted",
                            "name": node.name,
                            "typeName": "Field",
                            "argumentName": name,
                        },
                    )
                )
        missing = [name for name in declared.required if name not in node.arguments]
        if missing:
            self.errors.append(
                _error(
                    f"Field '{node.name}' is missing required arguments: {', '.join(missing)}",
                    node,
                    here,
                    extensions={
                        "code": "missingRequiredArguments",
                        "className": "Field",
                        "name": node.name,
                        "arguments": ", ".join(missing),
                    },
                )
            )
        if declared.connection:
            self._paging(node, here)
        leaf = declared.type in SCALARS
        if leaf and node.selections:
            self.errors.append(
                _error(
                    f"Selections can't be made on scalars (field '{node.name}' returns "
                    f"{declared.type} but has selections)",
                    node,
                    here,
                )
            )
        elif not leaf and not node.selections:
            self.errors.append(
                _error(
                    f"Field '{node.name}' returns {declared.type} but has no selections. Did "
                    f"you mean '{node.name} {{ ... }}'?",
                    node,
                    here,
                )
            )
        elif not leaf:
            self.walk(node.selections, declared.type, here, depth + 1)

    def _paging(self, node: Field, path: list[Any]) -> None:
        """GitHub's rule: every connection says ``first`` or ``last``, at most 100."""
        values = {k: value_of(node.arguments.get(k), self.variables) for k in ("first", "last")}
        if values["first"] is None and values["last"] is None:
            self.errors.append(
                _error(
                    f"You must provide a `first` or `last` value to properly paginate the "
                    f"`{node.name}` connection.",
                    node,
                    path,
                    type="MISSING_PAGINATION_BOUNDARIES",
                )
            )
            return
        for name, value in values.items():
            if isinstance(value, int) and value > MAX_PAGE:
                self.errors.append(
                    _error(
                        f"Requesting {value} records on the `{node.name}` connection exceeds "
                        f"the `{name}` limit of {MAX_PAGE} records.",
                        node,
                        path,
                        type="EXCESSIVE_PAGINATION",
                    )
                )

    def cost_of(
        self, selections: tuple[Selection, ...], parent: str, parents: int, depth: int = 0
    ) -> tuple[int, int]:
        """``(requests, nodes)`` of GitHub's formula below ``parents`` objects of ``parent``."""
        requests = nodes = 0
        if depth > 40:
            return 0, 0
        for selection in selections:
            if isinstance(selection, FragmentSpread):
                fragment = self.document.fragments[selection.name]
                more = self.cost_of(
                    fragment.selections, fragment.type_condition, parents, depth + 1
                )
            elif isinstance(selection, InlineFragment):
                more = self.cost_of(
                    selection.selections, selection.type_condition or parent, parents, depth + 1
                )
            elif selection.name == "__typename":
                continue
            else:
                declared = OBJECTS[parent][selection.name]
                below = parents
                more = (0, 0)
                if declared.connection:
                    page = max(
                        int(value_of(selection.arguments.get(key), self.variables) or 0)
                        for key in ("first", "last")
                    )
                    requests += parents
                    below = parents * page
                    nodes += below
                if selection.selections:
                    more = self.cost_of(selection.selections, declared.type, below, depth + 1)
            requests += more[0]
            nodes += more[1]
        return requests, nodes
