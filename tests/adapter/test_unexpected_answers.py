"""An answer that is not the JSON an endpoint promises is never believed.

A maintenance page or a network's sign-in page (a captive portal) answers with status 200 and
HTML; a proxy answers with a redirect. Before, a search read such a page as "no issues", a
timeline as "nobody claimed it", and a repository as a TypeError. Driven by the practice forge's
``html`` and ``redirect`` fault modes over real HTTP.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.cli import main
from onboard.core.models import ClaimStatus, RepoRef
from onboard.flows.discover import discover
from onboard.forge.base import ForgeConfig, ForgeUnexpected
from onboard.forge.cache import ResponseCache
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge

REPO = RepoRef.parse("practice/hello-docs")


def client(forge: PracticeForge, tmp_path: Path) -> GitHubForge:
    config = ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True, timeout=5)
    return GitHubForge(config, cache=ResponseCache(tmp_path / "cache"))


@pytest.mark.parametrize(
    ("kind", "words"),
    [("html", "answered something unexpected"), ("redirect", "redirect to another host")],
)
def test_a_page_instead_of_search_results_is_not_an_empty_list(
    practice_forge: PracticeForge, tmp_path: Path, kind: str, words: str
) -> None:
    practice_forge.faults.add(kind, path="/search/issues")
    with pytest.raises(ForgeUnexpected, match=words):
        client(practice_forge, tmp_path).good_first_issues([REPO])


def test_a_sign_in_page_says_what_it_usually_is(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    practice_forge.faults.add("html", path="/repos/")
    with pytest.raises(ForgeUnexpected) as caught:
        client(practice_forge, tmp_path).repo(REPO)
    assert "a web page instead of data" in str(caught.value)
    assert "sign in" in str(caught.value)


def test_a_page_after_a_good_answer_shows_the_saved_one_with_its_reason(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    forge = client(practice_forge, tmp_path)
    first = forge.good_first_issues([REPO])
    practice_forge.faults.add("html", path="/search/issues")
    again = forge.good_first_issues([REPO])
    assert [i.number for i in again.issues] == [i.number for i in first.issues]
    assert "unexpected" in (again.freshness.stale_reason or "")


def test_a_page_instead_of_a_timeline_never_makes_an_issue_free(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    # Signed in, the evidence comes from GraphQL: a sign-in page there must not read as
    # "nobody claimed it" either.
    practice_forge.faults.add("html", path="/timeline|/graphql")
    found = discover(client(practice_forge, tmp_path), [(REPO, None)])
    assert found.contributions
    assert ClaimStatus.FREE not in {c.claim.status for c in found.contributions}


def test_a_redirect_elsewhere_is_not_followed(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    practice_forge.faults.add("redirect", path="/repos/", status=307)
    with pytest.raises(ForgeUnexpected, match="another host"):
        client(practice_forge, tmp_path).repo(REPO)


def test_json_of_another_shape_is_unexpected(practice_forge: PracticeForge, tmp_path: Path) -> None:
    # A list where an object is promised: the labels route answers the repository route.
    forge = client(practice_forge, tmp_path)
    with pytest.raises(ForgeUnexpected, match="another shape"):
        forge._get(f"/repos/{REPO}/labels", expect=dict)


def test_find_fails_with_one_line_instead_of_finding_nothing(
    practice_forge: PracticeForge,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", practice_forge.api_url)
    monkeypatch.setenv("GH_TOKEN", practice_forge.token)
    practice_forge.faults.add("html", path="/search/issues")
    assert main(["find", str(REPO)]) == 1
    out, err = capsys.readouterr()
    assert "No open, unassigned good first issues found." not in out
    assert "answered something unexpected" in err
    assert err.count("\n") == 1


def test_pack_validate_online_explains_a_sign_in_page(
    practice_forge: PracticeForge,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", practice_forge.api_url)
    monkeypatch.setenv("GH_TOKEN", practice_forge.token)
    practice_forge.faults.add("html", path="/repos/")
    pack = Path(__file__).parents[2] / "guides" / "practice"
    status = main(["pack", "validate", str(pack), "--online"])
    out, err = capsys.readouterr()
    assert "TypeError" not in out + err
    assert "answered something unexpected" in out + err
    assert status == 1
