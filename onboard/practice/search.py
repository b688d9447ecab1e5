"""Parser and evaluator for ``/search/issues`` ``q=`` strings, with GitHub's rules.

onboard builds its good-first-issue queries as search strings, so the practice forge must accept
and reject exactly what GitHub does (``is:issue``/``is:pr`` required, 256 characters, at most five
AND/OR/NOT operators) and interpret the qualifiers onboard uses the same way: several ``repo:``
qualifiers are OR-ed, several ``label:`` qualifiers are AND-ed while commas inside one are OR-ed,
everything is case-insensitive.

The model: scope qualifiers (``repo:``, ``user:``/``org:``, ``is:issue``/``is:pr``) apply to the
whole query; every other term is a predicate; terms are AND-ed, ``OR`` between two terms joins
them, ``NOT``/``-`` negates the next one. That covers GitHub's documented flat syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from onboard.practice.links import review_decision
from onboard.practice.store import parse_iso

MAX_LENGTH = 256
MAX_OPERATORS = 5
RESULT_CAP = 1000


class SearchError(ValueError):
    """The query breaks one of GitHub's rules; ``message`` is GitHub's wording."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Context:
    """Everything a predicate may look at for one candidate issue."""

    repo_full_name: str
    repo: Mapping[str, Any]
    issue: Mapping[str, Any]
    comment_bodies: tuple[str, ...]
    commenters: frozenset[str]
    #: For an issue, the pulls that close it; for a pull, the issues it closes.
    linked: frozenset[int] = frozenset()
    #: Submitted reviews of a pull (store records).
    reviews: tuple[Mapping[str, Any], ...] = ()


Predicate = Callable[[Context], bool]


@dataclass
class Query:
    """A parsed search: global scope plus a conjunction of (possibly OR-ed) predicates."""

    repos: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)  # {"issue", "pr"}
    clauses: list[list[Predicate]] = field(default_factory=list)  # AND of ORs
    text_fields: set[str] = field(default_factory=set)  # from in:
    sort: str | None = None
    order: str | None = None
    viewer: str | None = None

    def matches(self, ctx: Context) -> bool:
        if self.repos and ctx.repo_full_name.lower() not in self.repos:
            return False
        if self.owners and ctx.repo["owner"].lower() not in self.owners:
            return False
        is_pr = ctx.issue["pull"] is not None
        if self.kinds and ("pr" if is_pr else "issue") not in self.kinds:
            return False
        return all(any(pred(ctx) for pred in clause) for clause in self.clauses)


# ---------------------------------------------------------------------------- tokenising

_TOKEN = re.compile(
    r"""
    \s*(
        -?[A-Za-z_-]+:(?:"[^"]*"|[^\s",]+)(?:,(?:"[^"]*"|[^\s",]+))*   # qualifier, maybe a list
      | -?"[^"]*"?                                                    # quoted phrase
      | \S+                                                           # bare word
    )
    """,
    re.VERBOSE,
)


def tokenize(q: str) -> list[str]:
    return [m.group(1) for m in _TOKEN.finditer(q) if m.group(1).strip()]


def _split_values(raw: str) -> list[str]:
    """``"a b","c"`` or ``a,b`` -> ``["a b", "c"]``."""
    values = re.findall(r'"([^"]*)"|([^,]+)', raw)
    return [(quoted or bare).strip() for quoted, bare in values if (quoted or bare).strip()]


# ---------------------------------------------------------------------------- predicates


def _ci(value: str) -> str:
    return value.casefold()


def _number_test(spec: str) -> Callable[[int], bool] | None:
    spec = spec.strip()
    match = re.fullmatch(r"(\d+)\.\.(\d+)", spec)
    if match:
        low, high = int(match.group(1)), int(match.group(2))
        return lambda n: low <= n <= high
    match = re.fullmatch(r"(>=|<=|>|<)?(\d+)", spec)
    if not match:
        return None
    op, value = match.group(1) or "=", int(match.group(2))
    return {
        ">": lambda n: n > value,
        "<": lambda n: n < value,
        ">=": lambda n: n >= value,
        "<=": lambda n: n <= value,
        "=": lambda n: n == value,
    }[op]


def _date_test(spec: str) -> Callable[[str], bool] | None:
    """``>2024-01-01``, ``<=2024-01-01T10:00:00Z``, ``2024-01-01``, ``a..b`` against ISO stamps."""

    def bounds(text: str) -> tuple[datetime, datetime]:
        moment = parse_iso(text)
        span = timedelta(days=1) if len(text.strip()) == 10 else timedelta(seconds=1)
        return moment, moment + span

    try:
        if ".." in spec:
            start_text, end_text = spec.split("..", 1)
            start = bounds(start_text)[0] if start_text not in ("", "*") else None
            end = bounds(end_text)[1] if end_text not in ("", "*") else None
            return lambda s: (
                (start is None or parse_iso(s) >= start) and (end is None or parse_iso(s) < end)
            )
        match = re.fullmatch(r"(>=|<=|>|<)?(.+)", spec.strip())
        if not match:
            return None
        op = match.group(1) or "="
        low, high = bounds(match.group(2))
    except ValueError:
        return None
    return {
        ">": lambda s: parse_iso(s) >= high,
        ">=": lambda s: parse_iso(s) >= low,
        "<": lambda s: parse_iso(s) < low,
        "<=": lambda s: parse_iso(s) < high,
        "=": lambda s: low <= parse_iso(s) < high,
    }[op]


def _text_predicate(phrase: str, fields: set[str]) -> Predicate:
    needle = _ci(phrase)

    def pred(ctx: Context) -> bool:
        wanted = fields or {"title", "body"}
        haystacks: list[str] = []
        if "title" in wanted:
            haystacks.append(ctx.issue["title"] or "")
        if "body" in wanted:
            haystacks.append(ctx.issue["body"] or "")
        if "comments" in wanted:
            haystacks.extend(ctx.comment_bodies)
        return any(needle in _ci(h) for h in haystacks)

    return pred


def _user_is(key: str, login: str) -> Predicate:
    wanted = _ci(login)
    if key == "author":
        return lambda ctx: _ci(ctx.issue["user"]) == wanted
    if key == "assignee":
        return lambda ctx: wanted in {_ci(a) for a in ctx.issue["assignees"]}
    if key == "commenter":
        return lambda ctx: wanted in {_ci(c) for c in ctx.commenters}
    if key == "mentions":
        return lambda ctx: f"@{wanted}" in _ci(ctx.issue["body"] or "")
    # involves
    return lambda ctx: (
        _ci(ctx.issue["user"]) == wanted
        or wanted in {_ci(a) for a in ctx.issue["assignees"]}
        or wanted in {_ci(c) for c in ctx.commenters}
        or f"@{wanted}" in _ci(ctx.issue["body"] or "")
    )


def _qualifier(query: Query, key: str, raw: str) -> Predicate | None:
    """Turn ``key:raw`` into a predicate, or update ``query``'s scope and return ``None``.

    Raises ``KeyError`` when the qualifier is unknown, so the caller treats it as text (GitHub
    does the same with ``foo:bar``).
    """
    key = key.lower()
    value = raw.strip('"')
    low = value.lower()
    if key == "repo":
        query.repos.extend(_ci(v) for v in _split_values(raw))
        return None
    if key in ("user", "org"):
        query.owners.extend(_ci(v) for v in _split_values(raw))
        return None
    if key in ("is", "type", "state"):
        if low in ("issue", "pr", "pull-request") and key != "state":
            query.kinds.add("issue" if low == "issue" else "pr")
            return None
        if low in ("open", "closed"):
            return lambda ctx: ctx.issue["state"] == low
        if key == "is" and low in ("locked", "unlocked"):
            return lambda ctx: bool(ctx.issue["locked"]) == (low == "locked")
        if key == "is" and low in ("merged", "unmerged"):
            return lambda ctx: (
                ctx.issue["pull"] is not None
                and (ctx.issue["pull"]["merged_at"] is not None) == (low == "merged")
            )
        if key == "is" and low == "draft":
            return lambda ctx: ctx.issue["pull"] is not None and bool(ctx.issue["pull"]["draft"])
        if key == "is" and low in ("public", "private"):
            return lambda ctx: low == "public"
        return lambda ctx: False
    if key == "label":
        names = {_ci(v) for v in _split_values(raw)}
        return lambda ctx: any(_ci(name) in names for name in ctx.issue["labels"])
    if key == "no":
        if low == "assignee":
            return lambda ctx: not ctx.issue["assignees"]
        if low == "label":
            return lambda ctx: not ctx.issue["labels"]
        if low == "milestone":
            return lambda ctx: True
        return lambda ctx: False
    if key in ("author", "assignee", "commenter", "mentions", "involves"):
        login = query.viewer if value == "@me" and query.viewer else value
        return _user_is(key, login)
    if key == "comments":
        test = _number_test(value)
        if test is None:
            return lambda ctx: False
        return lambda ctx: test(len(ctx.comment_bodies))
    if key in ("created", "updated", "closed"):
        stamp_test = _date_test(value)
        if stamp_test is None:
            return lambda ctx: False
        field_name = f"{key}_at"
        return lambda ctx: ctx.issue[field_name] is not None and stamp_test(ctx.issue[field_name])
    if key == "merged":  # pull requests merged in the range; issues never match
        merged_test = _date_test(value)
        if merged_test is None:
            return lambda ctx: False
        return lambda ctx: (
            ctx.issue["pull"] is not None
            and ctx.issue["pull"]["merged_at"] is not None
            and merged_test(ctx.issue["pull"]["merged_at"])
        )
    if key == "linked":
        # linked:pr = issues a pull request will close; linked:issue = pulls that close one.
        if low not in ("pr", "issue"):
            return lambda ctx: False
        wants_pull = low == "issue"
        return lambda ctx: (ctx.issue["pull"] is not None) == wants_pull and bool(ctx.linked)
    if key == "review":
        if low == "none":
            return lambda ctx: ctx.issue["pull"] is not None and not ctx.reviews
        decisions = {
            "required": "REVIEW_REQUIRED",
            "approved": "APPROVED",
            "changes_requested": "CHANGES_REQUESTED",
        }
        if low not in decisions:
            return lambda ctx: False
        wanted_decision = decisions[low]
        return lambda ctx: (
            ctx.issue["pull"] is not None and review_decision(ctx.reviews) == wanted_decision
        )
    if key == "reviewed-by":
        login = _ci(query.viewer if value == "@me" and query.viewer else value)
        return lambda ctx: (
            ctx.issue["pull"] is not None and any(_ci(r["user"]) == login for r in ctx.reviews)
        )
    if key == "archived":
        return lambda ctx: bool(ctx.repo["archived"]) == (low == "true")
    if key == "draft":  # pull requests only, as on GitHub
        return lambda ctx: (
            ctx.issue["pull"] is not None and bool(ctx.issue["pull"]["draft"]) == (low == "true")
        )
    if key == "language":
        return lambda ctx: _ci(ctx.repo["language"] or "") == _ci(value)
    if key == "in":
        query.text_fields.update(v.lower() for v in _split_values(raw))
        return None
    if key == "sort":
        field_name, _, order = low.partition("-")
        query.sort = {"created": "created", "updated": "updated", "comments": "comments"}.get(
            field_name
        )
        query.order = order or "desc"
        return None
    raise KeyError(key)


# ---------------------------------------------------------------------------- parsing


def parse(q: str, *, viewer: str | None = None) -> Query:
    """Parse ``q`` or raise :class:`SearchError` with GitHub's message."""
    if len(q) > MAX_LENGTH:
        raise SearchError(f"The search is longer than {MAX_LENGTH} characters.")
    tokens = tokenize(q)
    operators = sum(1 for t in tokens if t in ("AND", "OR", "NOT"))
    if operators > MAX_OPERATORS:
        raise SearchError(
            f"The search contains more than {MAX_OPERATORS} AND / OR / NOT operators."
        )
    query = Query(viewer=viewer)
    # Text terms become predicates only at the end, once every in: qualifier is known.
    pending: list[tuple[Predicate | tuple[str, bool], bool]] = []
    join_next = False
    negate_next = False
    for word in tokens:
        if word == "AND":
            continue
        if word == "OR":
            join_next = bool(pending)
            continue
        if word == "NOT":
            negate_next = True
            continue
        negate = negate_next or (word.startswith("-") and len(word) > 1)
        negate_next = False
        body = word[1:] if word.startswith("-") and len(word) > 1 else word
        term: Predicate | tuple[str, bool] | None
        match = re.fullmatch(r"([A-Za-z_-]+):(.+)", body)
        if match and not body.startswith('"'):
            try:
                term = _qualifier(query, match.group(1), match.group(2))
            except KeyError:
                term = (body, negate)
        else:
            term = (body.strip('"'), negate)
        if term is None:
            continue
        if join_next and pending:
            pending.append((term, True))
        else:
            pending.append((term, False))
        join_next = False
        if not isinstance(term, tuple) and negate:
            pending[-1] = (_negate(term), pending[-1][1])
    if not query.kinds:
        raise SearchError("Query must include 'is:issue' or 'is:pull-request'")
    for term, joins_previous in pending:
        if isinstance(term, tuple):
            text, negated = term
            pred = _text_predicate(text, query.text_fields)
            term_pred = _negate(pred) if negated else pred
        else:
            term_pred = term
        if joins_previous and query.clauses:
            query.clauses[-1].append(term_pred)
        else:
            query.clauses.append([term_pred])
    return query


def _negate(pred: Predicate) -> Predicate:
    return lambda ctx: not pred(ctx)


# ---------------------------------------------------------------------------- ordering


def sort_key(sort: str | None) -> Callable[[Context], Any]:
    """``created``/``updated``/``comments``; "best match" (no sort) orders by updated."""
    if sort == "created":
        return lambda ctx: (ctx.issue["created_at"], ctx.issue["number"])
    if sort == "comments":
        return lambda ctx: (len(ctx.comment_bodies), ctx.issue["updated_at"])
    return lambda ctx: (ctx.issue["updated_at"], ctx.issue["number"])
