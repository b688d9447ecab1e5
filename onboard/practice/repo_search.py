"""Parser and evaluator for ``/search/repositories`` ``q=`` strings, with GitHub's rules.

onboard finds projects with queries such as
``good-first-issues:>0 archived:false is:public topic:documentation language:Python words``,
so the practice forge understands the same qualifiers the way GitHub documents them
(https://docs.github.com/search-github/searching-on-github/searching-for-repositories):

* ``topic:`` (one topic, exact), ``topics:N`` (how many), ``language:``, ``license:``;
* ``good-first-issues:>N`` and ``help-wanted-issues:>N``: open issues with those labels;
* ``stars:``, ``forks:``, ``size:`` numbers and ranges; ``created:``, ``pushed:`` dates;
* ``archived:``, ``is:public``/``is:private``, ``fork:true|only`` (forks are left out unless
  asked for), ``mirror:``, ``template:``, ``user:``/``org:``/``repo:``;
* free words, searched in the name, description and topics, or where ``in:`` says.

The same limits as issue search apply (256 characters, five AND/OR/NOT operators), the first
1,000 results only, and an unknown ``key:value`` is searched as text, as GitHub does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from onboard.practice.search import (
    MAX_LENGTH,
    MAX_OPERATORS,
    SearchError,
    _date_test,
    _number_test,
    _split_values,
    tokenize,
)

#: ``sort`` values GitHub accepts for repositories; anything else is "best match".
SORTS = ("stars", "forks", "help-wanted-issues", "updated")


def label_key(name: str) -> str:
    """``🌱 Good-First-Issue`` -> ``good first issue``: how the issue counts recognise labels."""
    words = re.sub(r"[^\w]+", " ", name.casefold().replace("_", " "))
    return " ".join(words.split())


@dataclass(frozen=True)
class RepoContext:
    """Everything a predicate may look at for one candidate repository."""

    repo: Mapping[str, Any]  # the store record
    good_first_issues: int = 0
    help_wanted_issues: int = 0
    forks: int = 0


RepoPredicate = Callable[[RepoContext], bool]


@dataclass
class RepoQuery:
    """A parsed repository search: scope, an AND of OR-ed predicates, and the free words."""

    repos: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    forks: str = "false"  # "false": no forks, "true": forks too, "only": only forks
    clauses: list[list[RepoPredicate]] = field(default_factory=list)
    text_fields: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)

    def matches(self, ctx: RepoContext) -> bool:
        record = ctx.repo
        if self.repos and record["full_name"].lower() not in self.repos:
            return False
        if self.owners and record["owner"].lower() not in self.owners:
            return False
        if self.forks == "false" and record["fork"]:
            return False
        if self.forks == "only" and not record["fork"]:
            return False
        return all(any(pred(ctx) for pred in clause) for clause in self.clauses)

    def score(self, ctx: RepoContext) -> float:
        """A best-match relevance: name hits weigh most, then topics, then the description."""
        score = 1.0
        record = ctx.repo
        for word in self.words:
            needle = word.casefold()
            if needle in record["name"].casefold():
                score += 3.0
            if any(needle == t.casefold() for t in record["topics"]):
                score += 2.0
            if needle in (record["description"] or "").casefold():
                score += 1.0
        return score


def _haystacks(record: Mapping[str, Any], fields: set[str]) -> list[str]:
    wanted = fields or {"name", "description", "topics"}
    out: list[str] = []
    if "name" in wanted:
        out.append(record["name"])
    if "description" in wanted:
        out.append(record["description"] or "")
    if "topics" in wanted:
        out.extend(record["topics"])
    return out  # in:readme is not indexed by the practice forge: nothing matches it


def _text(phrase: str, fields: set[str]) -> RepoPredicate:
    needle = phrase.casefold()
    return lambda ctx: any(needle in h.casefold() for h in _haystacks(ctx.repo, fields))


def _count(spec: str, read: Callable[[RepoContext], int]) -> RepoPredicate:
    test = _number_test(spec)
    if test is None:
        return lambda ctx: False
    return lambda ctx: test(read(ctx))


def _qualifier(query: RepoQuery, key: str, raw: str) -> RepoPredicate | None:
    """``key:raw`` as a predicate, or a scope change (``None``); ``KeyError`` if unknown."""
    key = key.lower()
    value = raw.strip('"')
    low = value.casefold()
    if key == "repo":
        query.repos.extend(v.lower() for v in _split_values(raw))
        return None
    if key in ("user", "org"):
        query.owners.extend(v.lower() for v in _split_values(raw))
        return None
    if key == "fork":
        query.forks = low if low in ("true", "only") else "false"
        return None
    if key == "in":
        query.text_fields.update(v.lower() for v in _split_values(raw))
        return None
    if key == "topic":
        return lambda ctx: low in {t.casefold() for t in ctx.repo["topics"]}
    if key == "topics":
        return _count(value, lambda ctx: len(ctx.repo["topics"]))
    if key == "language":
        return lambda ctx: (ctx.repo["language"] or "").casefold() == low
    if key == "license":
        return lambda ctx: (ctx.repo["license"] or "").casefold() == low
    if key == "good-first-issues":
        return _count(value, lambda ctx: ctx.good_first_issues)
    if key == "help-wanted-issues":
        return _count(value, lambda ctx: ctx.help_wanted_issues)
    if key == "stars":
        return _count(value, lambda ctx: int(ctx.repo["stargazers_count"]))
    if key == "forks":
        return _count(value, lambda ctx: ctx.forks)
    if key == "size":
        return _count(value, lambda ctx: int(ctx.repo["size"]))
    if key in ("created", "pushed"):
        stamp_test = _date_test(value)
        if stamp_test is None:
            return lambda ctx: False
        name = f"{key}_at"
        return lambda ctx: bool(ctx.repo[name]) and stamp_test(ctx.repo[name])
    if key == "archived":
        return lambda ctx: bool(ctx.repo["archived"]) == (low == "true")
    if key == "mirror":
        return lambda ctx: low != "true"  # the practice forge hosts no mirrors
    if key == "template":
        return lambda ctx: bool(ctx.repo["is_template"]) == (low == "true")
    if key == "is":
        if low == "public":
            return lambda ctx: True
        if low in ("archived", "template", "fork"):
            flag = {"archived": "archived", "template": "is_template", "fork": "fork"}[low]
            return lambda ctx: bool(ctx.repo[flag])
        return lambda ctx: False  # is:private, is:sponsorable, ...: nothing here
    raise KeyError(key)


def parse_repo_query(q: str) -> RepoQuery:
    """Parse ``q`` or raise :class:`SearchError` with GitHub's message."""
    if not q.strip():
        raise SearchError("The search query is empty.")
    if len(q) > MAX_LENGTH:
        raise SearchError(f"The search is longer than {MAX_LENGTH} characters.")
    tokens = tokenize(q)
    if sum(1 for t in tokens if t in ("AND", "OR", "NOT")) > MAX_OPERATORS:
        raise SearchError(
            f"The search contains more than {MAX_OPERATORS} AND / OR / NOT operators."
        )
    query = RepoQuery()
    pending: list[tuple[RepoPredicate | str, bool, bool]] = []  # (term, negated, joins previous)
    join_next = negate_next = False
    for word in tokens:
        if word == "AND":
            continue
        if word in ("OR", "NOT"):
            join_next = join_next or (word == "OR" and bool(pending))
            negate_next = negate_next or word == "NOT"
            continue
        negate = negate_next or (word.startswith("-") and len(word) > 1)
        body = word[1:] if word.startswith("-") and len(word) > 1 else word
        negate_next = False
        term: RepoPredicate | str | None
        match = re.fullmatch(r"([A-Za-z_-]+):(.+)", body)
        if match and not body.startswith('"'):
            try:
                term = _qualifier(query, match.group(1), match.group(2))
            except KeyError:
                term = body
        else:
            term = body.strip('"')
        if term is None or term == "":
            join_next = False
            continue
        pending.append((term, negate, join_next))
        join_next = False
    for term, negated, joins in pending:
        if isinstance(term, str):
            if not negated:
                query.words.append(term)
            pred = _text(term, query.text_fields)
        else:
            pred = term
        final = _negate(pred) if negated else pred
        if joins and query.clauses:
            query.clauses[-1].append(final)
        else:
            query.clauses.append([final])
    return query


def _negate(pred: RepoPredicate) -> RepoPredicate:
    return lambda ctx: not pred(ctx)


def repo_sort_key(sort: str | None, query: RepoQuery) -> Callable[[RepoContext], Any]:
    """GitHub's repository sorts; "best match" orders by relevance, then stars."""
    if sort == "stars":
        return lambda ctx: (ctx.repo["stargazers_count"], ctx.repo["full_name"])
    if sort == "forks":
        return lambda ctx: (ctx.forks, ctx.repo["full_name"])
    if sort == "help-wanted-issues":
        return lambda ctx: (ctx.help_wanted_issues, ctx.repo["full_name"])
    if sort == "updated":
        return lambda ctx: (max(ctx.repo["updated_at"], ctx.repo["pushed_at"]), ctx.repo["id"])
    return lambda ctx: (query.score(ctx), ctx.repo["stargazers_count"], ctx.repo["id"])
