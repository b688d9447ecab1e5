"""Building GitHub search queries for beginner issues.

GitHub's issue search accepts at most 256 characters and requires ``is:issue``; several ``repo:``
qualifiers are OR-ed and a comma inside ``label:`` means "any of", neither of which counts as a
boolean operator. So many repositories fit in one request, split only where the length limit
forces it.
"""

from __future__ import annotations

from collections.abc import Sequence

from onboard.core.models import RepoRef

MAX_QUERY_LENGTH = 256

# GitHub's label search ignores case, so "Good First Issue" needs no term of its own: every byte
# saved leaves room for another repository in the same request.
SEARCH_SPELLINGS = ("good first issue", "good-first-issue", "🌱 good first issue")
# For the rare repository whose name is too long to fit beside even that list.
_SHORTEST_SPELLINGS = ("good first issue",)


def _quote(label: str) -> str:
    return '"' + label.replace('"', "") + '"'


def beginner_label_qualifier(labels: Sequence[str] = SEARCH_SPELLINGS) -> str:
    return "label:" + ",".join(_quote(label) for label in labels)


def beginner_issue_queries(
    repos: Sequence[RepoRef], labels: Sequence[str] = SEARCH_SPELLINGS
) -> list[str]:
    """Queries for open, unassigned beginner issues, packing as many repos into each as fit.

    ``labels`` are the beginner labels to look for (a pack can name a project's own, such as
    ``E-easy``); any one of them is enough.
    """
    prefix = "is:issue is:open no:assignee"
    fallback = f"{prefix} {beginner_label_qualifier(_SHORTEST_SPELLINGS)}"
    return pack_repos(f"{prefix} {beginner_label_qualifier(labels)}", repos, fallback=fallback)


def review_queries(repos: Sequence[RepoRef]) -> list[str]:
    """Open, ready pull requests nobody has reviewed yet: the "review" lane's live tasks."""
    return pack_repos("is:pr is:open draft:false review:none", repos)


def pack_repos(base: str, repos: Sequence[RepoRef], *, fallback: str | None = None) -> list[str]:
    """``base`` plus as many ``repo:`` terms per query as the length limit allows.

    A repository too long to fit beside ``base`` gets a query of its own with ``fallback``.
    """
    queries: list[str] = []
    current = base
    for repo in dict.fromkeys(repos):
        term = f" repo:{repo.full_name}"
        if len(base) + len(term) > MAX_QUERY_LENGTH:
            if fallback is None or len(fallback) + len(term) > MAX_QUERY_LENGTH:
                raise ValueError(f"repository name too long for a search: {repo.full_name}")
            queries.append(fallback + term)
            continue
        if current != base and len(current) + len(term) > MAX_QUERY_LENGTH:
            queries.append(current)
            current = base
        current += term
    if current != base:
        queries.append(current)
    return queries
