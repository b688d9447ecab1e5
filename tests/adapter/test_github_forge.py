"""The PyGithub adapter against the practice forge: real HTTP, real PyGithub, no mocks."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from onboard.core.models import RepoRef
from onboard.forge.base import (
    ForgeAuthError,
    ForgeConfig,
    ForgeNotFound,
    ForgeRateLimited,
    ForgeUnreachable,
)
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.threads import all_ended, started_since

PRACTICE_REPOS = [
    RepoRef.parse(name)
    for name in ("practice/hello-docs", "practice/tiny-calc", "practice/kind-words")
]


def _raw_beginner_issues(forge: PracticeForge) -> set[tuple[str, int]]:
    """Open, unassigned beginner issues per the forge's own data, independent of the adapter."""
    wanted = {"good first issue", "good-first-issue", "🌱 good first issue"}
    found = set()
    for repo in PRACTICE_REPOS:
        for issue in forge.store.issues(repo.full_name):
            labels = {name.lower() for name in issue["labels"]}
            if (
                issue["state"] == "open"
                and not issue.get("pull")
                and not issue["assignees"]
                and labels & wanted
            ):
                found.add((repo.full_name, issue["number"]))
    return found


def test_good_first_issues_spans_spellings_excludes_prs_and_assigned(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    practice_forge.clear_requests()
    issues = forge.good_first_issues(PRACTICE_REPOS).issues

    got = {(issue.repo.full_name, issue.number) for issue in issues}
    assert got == _raw_beginner_issues(practice_forge)
    spellings = {name for issue in issues for name in issue.label_names}
    assert {
        "good first issue",
        "Good First Issue",
        "🌱 good first issue",
        "good-first-issue",
    } <= spellings
    assert all(not issue.assignees for issue in issues)
    assert all("/pull/" not in issue.url for issue in issues)
    # Three small repositories fit in one search request, and nothing else is fetched.
    paths = [record.path for record in practice_forge.requests]
    assert paths == ["/search/issues"]


def test_issue_comments_and_contributing(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    repo = PRACTICE_REPOS[2]
    commented = next(i for i in forge.good_first_issues([repo]).issues if i.comments)
    issue = forge.issue(repo, commented.number)
    assert issue.title == commented.title
    comments = forge.timeline(repo, commented.number).comments
    assert len(comments) == commented.comments
    assert all(comment.author for comment in comments)
    contributing = forge.contributing(repo)
    assert contributing is not None
    assert "fork" in contributing.lower()


def test_fork_returns_a_fork_of_the_parent(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    fork = forge.fork(PRACTICE_REPOS[1])
    assert fork.repo.full_name == "learner/tiny-calc"
    assert fork.is_fork
    assert fork.parent == PRACTICE_REPOS[1]
    assert fork.clone_url.startswith("git://127.0.0.1:")
    assert forge.whoami() == "learner"


def test_fork_without_token_explains_signing_in(practice_forge: PracticeForge) -> None:
    anonymous = GitHubForge(ForgeConfig(api_url=practice_forge.api_url, practice=True))
    with pytest.raises(ForgeAuthError, match="sign in"):
        anonymous.fork(PRACTICE_REPOS[0])


def test_bad_token_names_its_source_not_its_value(practice_forge: PracticeForge) -> None:
    config = ForgeConfig(api_url=practice_forge.api_url, token="ghp_wrong", token_source="GH_TOKEN")
    with pytest.raises(ForgeAuthError) as caught:
        GitHubForge(config).good_first_issues(PRACTICE_REPOS)
    assert "GH_TOKEN" in str(caught.value)
    assert "ghp_wrong" not in str(caught.value)


def test_missing_repository(practice_forge: PracticeForge, forge_config: ForgeConfig) -> None:
    with pytest.raises(ForgeNotFound):
        GitHubForge(forge_config).repo(RepoRef.parse("practice/no-such-project"))


def test_unreachable_forge_suggests_practice_mode() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    forge = GitHubForge(ForgeConfig(api_url=f"http://127.0.0.1:{port}"))
    with pytest.raises(ForgeUnreachable, match="Check your internet connection"):
        forge.rate_limit()


def test_rate_limit_is_reported_not_slept_through(tmp_path: Path) -> None:
    with PracticeForge(tmp_path / "forge", core_limit=2) as small:
        config = ForgeConfig(api_url=small.api_url, token=small.token, practice=True)
        forge = GitHubForge(config)
        forge.repo(PRACTICE_REPOS[0])
        forge.repo(PRACTICE_REPOS[1])
        with pytest.raises(ForgeRateLimited) as caught:
            forge.repo(PRACTICE_REPOS[2])
        assert caught.value.reset_at is not None
        assert "too many requests" in str(caught.value)


def test_token_is_hidden_from_repr() -> None:
    config = ForgeConfig(token="ghp_secret_value", token_source="GH_TOKEN")
    assert "ghp_secret_value" not in repr(config)
    assert "GH_TOKEN" in repr(config)


def test_pygithub_cannot_draw_over_the_tui() -> None:
    """``import github`` adds a stderr handler; onboard's adapter removes it."""
    import logging

    handlers = logging.getLogger("github").handlers
    assert not any(
        isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.NullHandler)
        for handler in handlers
    )
    assert logging.getLogger("github").propagate is False


def test_each_thread_gets_its_own_client(forge_config: ForgeConfig) -> None:
    import threading

    forge = GitHubForge(forge_config)
    clients: list[object] = []
    threads = [threading.Thread(target=lambda: clients.append(forge._gh)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clients.append(forge._gh)
    clients.append(forge._gh)
    assert len({id(client) for client in clients}) == 4


def test_timeline_carries_assignments_and_who_made_them(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    repo = RepoRef.parse("practice/hello-docs")
    practice_forge.store.set_assignees(repo.full_name, 1, ["newcomer"], by="maintainer")
    practice_forge.store.set_assignees(repo.full_name, 1, [], by="newcomer")
    events = GitHubForge(forge_config).timeline(repo, 1).assignments
    assert [(e.assigned, e.assignee, e.actor) for e in events][-2:] == [
        (True, "newcomer", "maintainer"),
        (False, "newcomer", "newcomer"),
    ]
    assert all(e.created_at is not None for e in events)


def test_close_ends_the_request_threads_and_a_later_call_still_answers(
    forge_config: ForgeConfig,
) -> None:
    before = set(threading.enumerate())
    forge = GitHubForge(forge_config)
    forge.good_first_issues(PRACTICE_REPOS)  # the searches run on the forge's own threads
    threads = started_since(before, "forge_")
    assert threads

    forge.close()
    assert all_ended(threads)
    assert forge.good_first_issues(PRACTICE_REPOS).issues  # on fresh threads
    forge.close()
