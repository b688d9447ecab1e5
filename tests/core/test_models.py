"""Domain objects: repository names that are safe in URLs and paths, and the JSON shape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from onboard.core.models import Issue, Label, Lane, RepoRef


@pytest.mark.parametrize(
    ("text", "owner", "name"),
    [
        ("pallets/flask", "pallets", "flask"),
        ("Textualize/textual", "Textualize", "textual"),
        ("home-assistant/core", "home-assistant", "core"),
        ("a/b.git", "a", "b"),
        ("  psf/requests  ", "psf", "requests"),
        ("o_1/repo.name-2", "o_1", "repo.name-2"),
        ("x/" + "y" * 100, "x", "y" * 100),
    ],
)
def test_parse_accepts_valid_names(text: str, owner: str, name: str) -> None:
    ref = RepoRef.parse(text)
    assert (ref.owner, ref.name) == (owner, name)
    assert ref.full_name == f"{owner}/{name}"
    assert str(ref) == ref.full_name


@pytest.mark.parametrize(
    "text",
    [
        "a",
        "",
        "a/",
        "/b",
        "a/b/c",
        "../x",
        "a/..",
        "a/../b",
        "./x",
        "a b/c",
        "a/b c",
        "-a/b",
        "a/-b",
        ".a/b",
        "a/b;rm -rf",
        "a/b?x=1",
        "a/" + "y" * 101,
        "ä/b",
    ],
)
def test_parse_rejects_invalid_names(text: str) -> None:
    with pytest.raises(ValueError, match="OWNER/REPO"):
        RepoRef.parse(text)


@pytest.mark.parametrize("text", ["a\n/b", "a/b\n/c", "o\n/r"])
def test_parse_rejects_newlines_inside_a_name(text: str) -> None:
    # A newline in the owner must never reach a URL or path.
    with pytest.raises(ValueError, match="OWNER/REPO"):
        RepoRef.parse(text)


def test_repo_refs_compare_and_hash_by_value() -> None:
    assert RepoRef.parse("a/b") == RepoRef("a", "b")
    assert len({RepoRef("a", "b"), RepoRef.parse("a/b.git")}) == 1
    assert sorted([RepoRef("b", "a"), RepoRef("a", "z")])[0] == RepoRef("a", "z")


def test_issue_to_json_shape() -> None:
    issue = Issue(
        repo=RepoRef("pallets", "flask"),
        number=42,
        title="Fix the docs",
        url="https://github.com/pallets/flask/issues/42",
        labels=(Label("good first issue"), Label("docs", "0075ca", "Documentation")),
        assignees=("octocat",),
        comments=3,
        author="someone",
        created_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        updated_at=datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC),
    )
    data = issue.to_json()
    assert {"repo", "number", "title", "url", "labels", "assignees", "comments", "updated_at"} <= (
        set(data)
    )
    assert data == {
        "repo": "pallets/flask",
        "number": 42,
        "title": "Fix the docs",
        "url": "https://github.com/pallets/flask/issues/42",
        "labels": ["good first issue", "docs"],
        "assignees": ["octocat"],
        "comments": 3,
        "author": "someone",
        "locked": False,
        "created_at": "2024-01-02T03:04:05Z",
        "updated_at": "2024-02-03T04:05:06Z",
    }


def test_issue_to_json_without_dates() -> None:
    data = Issue(RepoRef("a", "b"), 1, "t", "u").to_json()
    assert data["updated_at"] is None
    assert data["created_at"] is None
    assert data["labels"] == []
    assert data["assignees"] == []


def test_lane_titles_and_code_flag() -> None:
    assert all(lane.title for lane in Lane)
    assert Lane.DOC.title == "Documentation"
    assert {lane for lane in Lane if lane.is_code} == {Lane.CODE, Lane.INFRA}
