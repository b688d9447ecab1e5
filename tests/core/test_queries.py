"""GitHub search queries for beginner issues: valid for GitHub, and as few as possible."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onboard.core.discovery.labels import COMMON_BEGINNER_SPELLINGS
from onboard.core.discovery.queries import (
    MAX_QUERY_LENGTH,
    SEARCH_SPELLINGS,
    beginner_issue_queries,
    beginner_label_qualifier,
)
from onboard.core.models import RepoRef

TWENTY_NAMES = [
    "pallets/flask",
    "psf/requests",
    "django/django",
    "numpy/numpy",
    "pandas-dev/pandas",
    "scikit-learn/scikit-learn",
    "python/mypy",
    "pytest-dev/pytest",
    "Textualize/textual",
    "Textualize/rich",
    "astral-sh/ruff",
    "home-assistant/core",
    "microsoft/vscode",
    "facebook/react",
    "rust-lang/rust",
    "golang/go",
    "nodejs/node",
    "vuejs/core",
    "sveltejs/svelte",
    "freeCodeCamp/freeCodeCamp",
]
TWENTY_REPOS = [RepoRef.parse(name) for name in TWENTY_NAMES]

_REPO_TERM = re.compile(r"(?:^| )repo:(\S+)")


def repos_in(query: str) -> list[str]:
    return _REPO_TERM.findall(query)


def operator_count(query: str) -> int:
    # GitHub's boolean operators are whole, upper-case words.
    return sum(1 for token in query.split() if token in ("AND", "OR", "NOT"))


def assert_valid_github_query(query: str) -> None:
    assert len(query) <= MAX_QUERY_LENGTH, (len(query), query)
    assert "is:issue" in query.split()
    assert operator_count(query) <= 5
    assert repos_in(query), query


def test_label_qualifier_covers_every_common_spelling_once_case_folded() -> None:
    # GitHub's label search ignores case, so "Good First Issue" is found by "good first issue".
    qualifier = beginner_label_qualifier()
    assert qualifier.startswith("label:")
    quoted = qualifier.removeprefix("label:").split(",")
    assert quoted == [f'"{label}"' for label in SEARCH_SPELLINGS]
    assert {label.casefold() for label in COMMON_BEGINNER_SPELLINGS} == set(SEARCH_SPELLINGS)


def test_label_qualifier_drops_quotes_inside_labels() -> None:
    assert beginner_label_qualifier(['say "hi"']) == 'label:"say hi"'


def test_twenty_repos_fit_in_three_queries() -> None:
    queries = beginner_issue_queries(TWENTY_REPOS)
    assert len(queries) == 3
    for query in queries:
        assert_valid_github_query(query)
        assert "is:open" in query
        assert "no:assignee" in query
        assert beginner_label_qualifier() in query
    found = [repo for query in queries for repo in repos_in(query)]
    assert found == [repo.full_name for repo in TWENTY_REPOS]  # each once, order kept


def test_packing_is_greedy() -> None:
    # No query is split off while the next repository would still have fitted into it.
    queries = beginner_issue_queries(TWENTY_REPOS)
    for query, following in itertools.pairwise(queries):
        first_of_next = repos_in(following)[0]
        assert len(query) + len(f" repo:{first_of_next}") > MAX_QUERY_LENGTH


def test_duplicates_are_removed() -> None:
    repos = [RepoRef("pallets", "flask"), RepoRef("psf", "requests"), RepoRef("pallets", "flask")]
    queries = beginner_issue_queries(repos)
    assert len(queries) == 1
    assert repos_in(queries[0]) == ["pallets/flask", "psf/requests"]


def test_no_repos_means_no_queries() -> None:
    assert beginner_issue_queries([]) == []


def test_longest_names_github_allows_still_give_valid_queries() -> None:
    # GitHub allows 39-character owners and 100-character repository names.
    longest = RepoRef("o" * 39, "r" * 100)
    queries = beginner_issue_queries([longest, RepoRef("psf", "requests")])
    for query in queries:
        assert_valid_github_query(query)
    assert sorted(repo for query in queries for repo in repos_in(query)) == sorted(
        [longest.full_name, "psf/requests"]
    )


_name = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_-]{0,20}\Z")


# Generating 60 names of up to 21 characters is slow on a busy machine; the property is not.
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.builds(RepoRef, _name, _name), max_size=60))
def test_every_repo_appears_exactly_once_in_valid_queries(repos: list[RepoRef]) -> None:
    queries = beginner_issue_queries(repos)
    for query in queries:
        assert_valid_github_query(query)
    found = [repo for query in queries for repo in repos_in(query)]
    assert found == [repo.full_name for repo in dict.fromkeys(repos)]


@pytest.mark.parametrize("count", [1, 5, 50])
def test_query_count_is_minimal_for_equal_names(count: int) -> None:
    repos = [RepoRef(f"owner{i:03d}", f"repo{i:03d}") for i in range(count)]
    queries = beginner_issue_queries(repos)
    base = len(queries[0]) - sum(len(f" repo:{r}") for r in repos_in(queries[0]))
    per_query = (MAX_QUERY_LENGTH - base) // len(" repo:owner000/repo000")
    assert len(queries) == -(-count // per_query)
