"""Claim evidence of many issues in one GraphQL query: the query, and its answer as Timelines.

REST needs one timeline request per issue, so onboard could afford claim checks for a few dozen
issues per refresh and every other issue said "unknown". GitHub's GraphQL API answers the same
evidence for up to 100 issues in a single request (one ``repository { issue(number:) }`` alias
pair per issue, or a whole ``search(type: ISSUE)``), for about 4 points of the 5,000-point
hourly allowance: every issue asks for four connections, each costing one "request" in GitHub's
formula (``assignees``, ``comments``, ``timelineItems``, ``closedByPullRequestsReferences``), and
100 issues make 400 of them, which GitHub divides by 100.

This module is pure: it writes the query (:func:`build_plan`) and reads the answer
(:func:`read_answer`, :func:`timeline_from_node`) without touching the network, so the adapter
owns the transport and its checks, and tests can read answers directly. What it asks for, per
issue, mirrors what the REST timeline gave the claim rules: the last comments with their
author's association, the pull requests that cross-reference, are connected to, or would close
the issue (with state, merged, draft, author, updated), and (un)assignment events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from onboard.core.models import AssignmentEvent, Comment, LinkedPull, RepoRef
from onboard.forge.base import ForgeError, ForgeNotFound, ForgeUnexpected, Freshness, Timeline
from onboard.forge.parse import parse_time

#: GitHub's limit for one connection, and onboard's for issues in one query.
ISSUES_PER_QUERY = 100
#: The most recent comments and events read per issue: claims that matter are recent, and a
#: beginner issue with more than 30 comments is rare (and then the latest ones tell the story).
COMMENTS = 30
EVENTS = 30
CLOSING_PULLS = 10
ASSIGNEES = 10
ITEM_TYPES = ("CROSS_REFERENCED_EVENT", "CONNECTED_EVENT", "ASSIGNED_EVENT", "UNASSIGNED_EVENT")
#: GitHub's error types for a spent GraphQL allowance (both spellings have been seen).
RATE_LIMIT_TYPES = frozenset({"RATE_LIMITED", "RATE_LIMIT"})

Key = tuple[RepoRef, int]

FRAGMENTS = f"""
fragment claimEvidence on Issue {{
  number
  updatedAt
  assignees(first: {ASSIGNEES}) {{ nodes {{ login }} }}
  comments(last: {COMMENTS}) {{
    totalCount
    nodes {{ author {{ login }} body createdAt authorAssociation }}
  }}
  timelineItems(last: {EVENTS}, itemTypes: [{", ".join(ITEM_TYPES)}]) {{
    totalCount
    nodes {{
      __typename
      ... on CrossReferencedEvent {{
        createdAt actor {{ login }}
        source {{ __typename ...linkedPull }}
      }}
      ... on ConnectedEvent {{
        createdAt actor {{ login }}
        source {{ __typename ...linkedPull }}
        subject {{ __typename ...linkedPull }}
      }}
      ... on AssignedEvent {{ createdAt actor {{ login }} assignee {{ ...assignee }} }}
      ... on UnassignedEvent {{ createdAt actor {{ login }} assignee {{ ...assignee }} }}
    }}
  }}
  closedByPullRequestsReferences(first: {CLOSING_PULLS}, includeClosedPrs: true) {{
    nodes {{ ...linkedPull }}
  }}
}}

fragment assignee on Assignee {{
  ... on Actor {{ login }}
}}

fragment linkedPull on PullRequest {{
  number url state merged isDraft updatedAt author {{ login }}
}}
"""


def graphql_url(api_url: str) -> str:
    """Where GitHub's GraphQL API lives for a REST API address, by GitHub's documented rules.

    ``https://api.github.com`` → ``https://api.github.com/graphql`` (GitHub.com, and GHE.com's
    ``api.<name>.ghe.com``); GitHub Enterprise Server's ``https://HOST/api/v3`` →
    ``https://HOST/api/graphql``; anything else gets ``/graphql`` after its path (the practice
    forge answers at ``/graphql``).
    """
    parts = urlsplit(api_url.rstrip("/"))
    path = parts.path.rstrip("/")
    path = path.removesuffix("/v3")
    return urlunsplit((parts.scheme, parts.netloc, f"{path}/graphql", "", ""))


@dataclass(frozen=True)
class Plan:
    """One GraphQL query and how to read its answer back into issues."""

    query: str
    variables: dict[str, Any]
    #: ``(repository alias, issue alias)`` → the issue asked by number.
    issues: dict[tuple[str, str], Key] = field(default_factory=dict)
    #: repository alias → the repository it names.
    repos: dict[str, RepoRef] = field(default_factory=dict)
    #: search alias → the search text.
    searches: dict[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> list[Key]:
        return list(self.issues.values())


def build_plan(keys: Sequence[Key], searches: Sequence[str] = ()) -> Plan:
    """The query for ``keys`` (issues by number, grouped per repository) and ``searches``.

    Every value travels as a variable, never spliced into the query text, so no repository
    name or search text can change the query's meaning.
    """
    definitions: list[str] = []
    variables: dict[str, Any] = {}
    lines = ["  rateLimit { cost remaining resetAt }"]
    groups: dict[str, list[Key]] = {}
    names: dict[str, RepoRef] = {}
    for key in dict.fromkeys(keys):
        lowered = key[0].full_name.lower()
        groups.setdefault(lowered, []).append(key)
        names.setdefault(lowered, key[0])
    issues: dict[tuple[str, str], Key] = {}
    repos: dict[str, RepoRef] = {}
    counter = 0
    for index, (lowered, members) in enumerate(groups.items()):
        repo_alias = f"r{index}"
        repo = names[lowered]
        repos[repo_alias] = repo
        definitions += [f"$o{index}: String!", f"$n{index}: String!"]
        variables[f"o{index}"], variables[f"n{index}"] = repo.owner, repo.name
        inner = []
        for key in members:
            issue_alias = f"i{counter}"
            definitions.append(f"$k{counter}: Int!")
            variables[f"k{counter}"] = key[1]
            inner.append(f"    {issue_alias}: issue(number: $k{counter}) {{ ...claimEvidence }}")
            issues[(repo_alias, issue_alias)] = key
            counter += 1
        lines.append(f"  {repo_alias}: repository(owner: $o{index}, name: $n{index}) {{")
        lines += [*inner, "  }"]
    found: dict[str, str] = {}
    for index, text in enumerate(searches):
        alias = f"s{index}"
        found[alias] = text
        definitions.append(f"$q{index}: String!")
        variables[f"q{index}"] = text
        lines.append(
            f"  {alias}: search(query: $q{index}, type: ISSUE, first: {ISSUES_PER_QUERY}) {{"
            " nodes { ... on Issue { repository { nameWithOwner } ...claimEvidence } } }"
        )
    head = (
        f"query ClaimEvidence({', '.join(definitions)})" if definitions else "query ClaimEvidence"
    )
    query = "\n".join([f"{head} {{", *lines, "}", FRAGMENTS])
    return Plan(query, variables, issues, repos, found)


@dataclass
class Answer:
    """What one query brought back: evidence per issue, per-issue errors, and its cost."""

    nodes: dict[Key, dict[str, Any]] = field(default_factory=dict)
    errors: dict[Key, ForgeError] = field(default_factory=dict)
    cost: int | None = None


def rate_limit_kind(body: Any) -> str | None:
    """``"primary"`` or ``"secondary"`` when GitHub refused the query for its rate limits.

    GitHub answers a spent GraphQL allowance with status 200 and an error (type
    ``RATE_LIMITED``, code ``graphql_rate_limit``), and may answer a secondary limit with 200 too.
    """
    for error in _errors(body):
        message = str(error.get("message") or "").lower()
        if "secondary rate limit" in message:
            return "secondary"
        if error.get("type") in RATE_LIMIT_TYPES or error.get("code") == "graphql_rate_limit":
            return "primary"
    return None


def read_answer(body: Any, plan: Plan, where: str) -> Answer:
    """The answer to ``plan``: what arrived is kept, each issue that did not gets its error.

    GitHub answers a query with ``data`` (parts of it null where something failed) and
    ``errors`` naming the ``path`` of each failure. A repository or issue that does not exist
    (renamed, deleted, private, transferred) is null with a ``NOT_FOUND`` error: that issue gets
    :class:`ForgeNotFound`, the others their evidence. An answer without any ``data`` fails as a
    whole (raised), as does data of the wrong shape.
    """
    data = body.get("data") if isinstance(body, dict) else None
    problems = _errors(body)
    if not isinstance(data, dict):
        if problems:
            raise ForgeError(f"{where} refused the query: {_message(problems[0])}")
        raise ForgeUnexpected(_unexpected(where, "an answer without data"))
    answer = Answer()
    rate = data.get("rateLimit")
    if isinstance(rate, dict) and _is_int(rate.get("cost")):
        answer.cost = int(rate["cost"])
    by_path = {tuple(e.get("path") or ()): e for e in problems}
    for (repo_alias, issue_alias), key in plan.issues.items():
        repository = data.get(repo_alias)
        if repository is None:
            answer.errors[key] = _missing(where, key, by_path.get((repo_alias,)))
            continue
        if not isinstance(repository, dict):
            answer.errors[key] = ForgeUnexpected(
                _unexpected(where, "a repository of another shape")
            )
            continue
        node = repository.get(issue_alias)
        if node is None:
            answer.errors[key] = _missing(where, key, by_path.get((repo_alias, issue_alias)))
        elif not _looks_like_evidence(node):
            answer.errors[key] = ForgeUnexpected(_unexpected(where, "evidence of another shape"))
        else:
            answer.nodes[key] = node
    for alias in plan.searches:
        found = data.get(alias)
        nodes = found.get("nodes") if isinstance(found, dict) else None
        for node in nodes if isinstance(nodes, list) else ():
            key = _searched_key(node)
            if key is not None and _looks_like_evidence(node):
                answer.nodes[key] = {k: v for k, v in node.items() if k != "repository"}
    return answer


def timeline_from_node(node: dict[str, Any], freshness: Freshness) -> Timeline:
    """One issue's evidence as the :class:`Timeline` the claim rules read, oldest first.

    Pull requests come from cross-references, connections and closing references alike, once
    each (by URL); GraphQL's ``MERGED`` state is REST's ``closed`` with ``merged``.
    """
    comments = [
        Comment(
            author=_login(item.get("author")),
            body=str(item.get("body") or ""),
            created_at=parse_time(item.get("createdAt")),
            association=str(item.get("authorAssociation") or "NONE"),
        )
        for item in _nodes(node.get("comments"))
    ]
    pulls: dict[str, LinkedPull] = {}
    assignments: list[AssignmentEvent] = []
    for item in _nodes(node.get("timelineItems")):
        kind = item.get("__typename")
        if kind in ("AssignedEvent", "UnassignedEvent"):
            assignments.append(
                AssignmentEvent(
                    assigned=kind == "AssignedEvent",
                    assignee=_login(item.get("assignee")),
                    actor=_login(item.get("actor")),
                    created_at=parse_time(item.get("createdAt")),
                )
            )
        for subject in (item.get("source"), item.get("subject")):
            _add_pull(pulls, subject, node)
    for pull in _nodes(node.get("closedByPullRequestsReferences")):
        _add_pull(pulls, {"__typename": "PullRequest", **pull}, node)
    assignees = tuple(
        login for login in (_login(a) for a in _nodes(node.get("assignees"))) if login
    )
    return Timeline(comments, list(pulls.values()), freshness, assignments, assignees)


def evidence_updated_at(node: dict[str, Any]) -> datetime | None:
    """When the issue last changed, as the evidence itself says (``updatedAt``)."""
    return parse_time(node.get("updatedAt"))


# ---------------------------------------------------------------------------- helpers


def _add_pull(pulls: dict[str, LinkedPull], subject: Any, issue: dict[str, Any]) -> None:
    if not isinstance(subject, dict) or subject.get("__typename") != "PullRequest":
        return
    number = subject.get("number")
    if not _is_int(number):
        return
    url = str(subject.get("url") or "")
    state = str(subject.get("state") or "OPEN").upper()
    merged = bool(subject.get("merged")) or state == "MERGED"
    pull = LinkedPull(
        number=int(number),
        url=url,
        state="open" if state == "OPEN" else "closed",
        merged=merged,
        draft=bool(subject.get("isDraft")),
        author=_login(subject.get("author")),
        updated_at=parse_time(subject.get("updatedAt")),
    )
    pulls.setdefault(url or f"#{number}", pull)


def _errors(body: Any) -> list[dict[str, Any]]:
    errors = body.get("errors") if isinstance(body, dict) else None
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def _message(error: dict[str, Any] | None) -> str:
    text = str((error or {}).get("message") or "no reason given")
    return text if len(text) <= 300 else text[:299] + "…"


def _missing(where: str, key: Key, error: dict[str, Any] | None) -> ForgeError:
    """The error of one issue GitHub answered with null."""
    what = f"{key[0].full_name}#{key[1]}"
    if error is None or error.get("type") == "NOT_FOUND":
        return ForgeNotFound(
            f"{where} could not find issue {what} (moved, deleted or private): {_message(error)}"
        )
    return ForgeError(f"{where} could not answer for issue {what}: {_message(error)}")


def _searched_key(node: Any) -> Key | None:
    if not isinstance(node, dict):
        return None
    repository = node.get("repository")
    name = repository.get("nameWithOwner") if isinstance(repository, dict) else None
    number = node.get("number")
    if not isinstance(name, str) or not _is_int(number):
        return None
    try:
        return RepoRef.parse(name), int(number)
    except ValueError:
        return None


def _looks_like_evidence(node: Any) -> bool:
    """An issue object with the connections asked for (lists where lists were promised)."""
    if not isinstance(node, dict) or not _is_int(node.get("number")):
        return False
    for name in ("comments", "timelineItems", "assignees"):
        part = node.get(name)
        if not isinstance(part, dict) or not isinstance(part.get("nodes"), list):
            return False
    closing = node.get("closedByPullRequestsReferences")
    return closing is None or (isinstance(closing, dict) and isinstance(closing.get("nodes"), list))


def _nodes(connection: Any) -> list[dict[str, Any]]:
    nodes = connection.get("nodes") if isinstance(connection, dict) else None
    return [n for n in nodes if isinstance(n, dict)] if isinstance(nodes, list) else []


def _login(actor: Any) -> str | None:
    login = actor.get("login") if isinstance(actor, dict) else None
    return login if isinstance(login, str) and login else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unexpected(where: str, what: str) -> str:
    return (
        f"{where} answered something unexpected ({what}), so onboard did not use it. "
        "Try again in a moment."
    )
