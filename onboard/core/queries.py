"""Building GitHub search queries for beginner issues.

GitHub's issue search accepts at most 256 characters and requires ``is:issue``; several ``repo:``
qualifiers are OR-ed and a comma inside ``label:`` means "any of", neither of which counts as a
boolean operator. So many repositories fit in one request, split only where the length limit
forces it.
"""

from __future__ import annotations

from collections.abc import Sequence

from onboard.core.labels import COMMON_BEGINNER_SPELLINGS
from onboard.core.models import RepoRef

MAX_QUERY_LENGTH = 256


def _quote(label: str) -> str:
    return '"' + label.replace('"', "") + '"'


def beginner_label_qualifier(labels: Sequence[str] = COMMON_BEGINNER_SPELLINGS) -> str:
    return "label:" + ",".join(_quote(label) for label in labels)


def beginner_issue_queries(repos: Sequence[RepoRef]) -> list[str]:
    """Queries for open, unassigned beginner issues, packing as many repos into each as fit."""
    base = f"is:issue is:open no:assignee archived:false {beginner_label_qualifier()}"
    queries: list[str] = []
    current = base
    for repo in dict.fromkeys(repos):
        term = f" repo:{repo.full_name}"
        if len(base) + len(term) > MAX_QUERY_LENGTH:
            raise ValueError(f"repository name too long for a search query: {repo.full_name}")
        if current != base and len(current) + len(term) > MAX_QUERY_LENGTH:
            queries.append(current)
            current = base
        current += term
    if current != base:
        queries.append(current)
    return queries
