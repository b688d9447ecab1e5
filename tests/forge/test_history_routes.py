"""The practice forge's commits, latest release, renamed repositories and ``merged:`` search,
in GitHub's shapes, read with real PyGithub calls."""

from __future__ import annotations

import github
import pytest
import requests

from onboard.practice import PracticeForge
from tests.forge.conftest import make_client

TINY = "practice/tiny-calc"


def test_commits_are_listed_newest_first_in_githubs_shape(read_forge: PracticeForge) -> None:
    commits = make_client(read_forge).get_repo(TINY).get_commits()
    first = commits[0]
    assert len(first.sha) == 40
    assert first.commit.committer.date.tzinfo is not None
    dates = [c.commit.committer.date for c in list(commits)[:5]]
    assert dates == sorted(dates, reverse=True)
    raw = requests.get(
        f"{read_forge.api_url}/repos/{TINY}/commits", params={"per_page": 1}, timeout=5
    ).json()
    assert set(raw[0]) >= {"sha", "node_id", "commit", "url", "html_url", "author", "parents"}
    assert raw[0]["commit"]["committer"]["date"].endswith("Z")


def test_latest_release_is_404_until_one_is_published(practice_forge: PracticeForge) -> None:
    repo = make_client(practice_forge).get_repo(TINY)
    with pytest.raises(github.UnknownObjectException):
        repo.get_latest_release()
    practice_forge.store.add_release(TINY, "v0.9.0", published_days_ago=30)
    practice_forge.store.add_release(TINY, "v1.0.0", published_days_ago=3)
    latest = repo.get_latest_release()
    assert latest.tag_name == "v1.0.0" and latest.published_at is not None


def test_a_renamed_repository_answers_301_to_its_id_and_pygithub_follows(
    practice_forge: PracticeForge,
) -> None:
    practice_forge.store.add_redirect("practice/old-calc", TINY)
    raw = requests.get(
        f"{practice_forge.api_url}/repos/practice/old-calc", timeout=5, allow_redirects=False
    )
    assert raw.status_code == 301
    assert raw.json()["message"] == "Moved Permanently"
    assert "/repositories/" in raw.headers["Location"]
    assert make_client(practice_forge).get_repo("practice/old-calc").full_name == TINY


def test_merged_ranges_find_only_pulls_merged_in_them(practice_forge: PracticeForge) -> None:
    store = practice_forge.store
    old = store.add_issue(
        TINY,
        "Old",
        user="sam-contrib",
        is_pull=True,
        head="sam-contrib:a",
        merged_days_ago=100,
        state="closed",
        closed_days_ago=100,
    )
    new = store.add_issue(
        TINY,
        "New",
        user="sam-contrib",
        is_pull=True,
        head="sam-contrib:b",
        merged_days_ago=2,
        state="closed",
        closed_days_ago=2,
    )
    gh = make_client(practice_forge)
    since = (store.now().date()).fromordinal(store.now().date().toordinal() - 30)
    found = gh.search_issues(f"is:pr author:sam-contrib merged:>={since} repo:{TINY}")
    numbers = {item.number for item in found}
    assert new["number"] in numbers and old["number"] not in numbers
