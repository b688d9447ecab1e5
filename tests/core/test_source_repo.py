"""Every spelling of "the source is on GitHub" package metadata uses, and what is not a repo."""

from __future__ import annotations

import pytest

from onboard.core.dependencies.source_repo import choose_repo, foreign_source, github_repo, host_of
from onboard.core.models import RepoRef


@pytest.mark.parametrize(
    "text",
    [
        "https://github.com/psf/requests",
        "https://github.com/psf/requests/",
        "https://github.com/psf/requests.git",
        "http://github.com/psf/requests",
        "https://www.github.com/psf/requests",
        "https://github.com/psf/requests/tree/main/src/requests",
        "https://github.com/psf/requests/blob/main/README.md#install",
        "https://github.com/psf/requests/issues",
        "https://github.com/psf/requests#readme",
        "https://github.com/psf/requests?tab=readme-ov-file",
        "git+https://github.com/psf/requests.git",
        "git+https://github.com/psf/requests.git@v2.31.0#egg=requests",
        "git+ssh://git@github.com/psf/requests.git",
        "ssh://git@github.com/psf/requests.git",
        "git://github.com/psf/requests.git",
        "git@github.com:psf/requests.git",
        "git@github.com:psf/requests",
        "github:psf/requests",
        "psf/requests",
        "github.com/psf/requests",
        "github.com/psf/requests/v2",
        "  https://GitHub.com/psf/requests  ",
    ],
)
def test_github_spellings_resolve_to_the_repository(text: str) -> None:
    repo = github_repo(text)
    assert repo is not None
    assert repo.full_name.casefold() == "psf/requests"


@pytest.mark.parametrize(
    "text",
    [
        "https://github.com/sponsors/psf",
        "https://github.com/orgs/psf/people",
        "https://github.com/marketplace/actions/checkout",
        "https://github.com/topics/python",
        "https://github.com/psf",
        "https://github.com/",
        "https://gist.github.com/someone/0123456789abcdef",
        "gist:11081aaa281",
        "https://gitlab.com/psf/requests",
        "gitlab:psf/requests",
        "bitbucket:psf/requests",
        "git@gitlab.com:psf/requests.git",
        "https://requests.readthedocs.io",
        "https://psf.github.io/requests",
        "https://github.com.evil.example/psf/requests",
        "https://evil.example/github.com/psf/requests",
        "https://github.com/psf/..",
        "ftp://github.com/psf/requests",
        "javascript:alert(1)",
        "",
        "UNKNOWN",
        "https://github.com/psf/requests extra words",
    ],
)
def test_other_pages_and_hosts_are_not_repositories(text: str) -> None:
    assert github_repo(text) is None


def test_case_is_kept_as_written() -> None:
    assert github_repo("https://github.com/Textualize/textual") == RepoRef("Textualize", "textual")


def test_hosts_are_named_without_www() -> None:
    assert host_of("https://www.gitlab.com/a/b") == "gitlab.com"
    assert host_of("git@codeberg.org:a/b.git") == "codeberg.org"
    assert host_of("gitlab:a/b") == "gitlab.com"
    assert host_of("not a url") is None


def test_project_urls_are_chosen_by_label_preference() -> None:
    urls = [
        ("Homepage", "https://github.com/someone/fork-of-docs"),
        ("Documentation", "https://example.readthedocs.io"),
        ("Source Code", "https://github.com/pallets/flask"),
        ("Bug Tracker", "https://github.com/pallets/flask/issues"),
    ]
    assert choose_repo(urls) == (RepoRef("pallets", "flask"), "Source Code")


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["Repository", "Code", "GitHub", "Homepage"], "Repository"),
        (["Code", "GitHub", "Homepage"], "Code"),
        (["GitHub", "Homepage"], "GitHub"),
        (["homepage", "Changelog"], "homepage"),
        (["Changelog", "Funding"], "Changelog"),
    ],
)
def test_label_order(labels: list[str], expected: str) -> None:
    urls = [(label, f"https://github.com/owner/{label.casefold()}") for label in labels]
    chosen = choose_repo(urls)
    assert chosen is not None
    assert chosen[1] == expected


def test_labels_are_compared_the_pep_753_way() -> None:
    urls = [("Home", "https://github.com/a/home"), ("source_code", "https://github.com/a/src")]
    assert choose_repo(urls) == (RepoRef("a", "src"), "source_code")


def test_a_sponsor_link_never_wins_over_nothing() -> None:
    assert choose_repo([("Funding", "https://github.com/sponsors/someone")]) is None
    assert choose_repo([]) is None


def test_foreign_source_names_the_host_only_for_source_links() -> None:
    assert foreign_source([("Source", "https://gitlab.com/a/b")]) == "gitlab.com"
    assert foreign_source([("Homepage", "https://codeberg.org/a/b")]) == "codeberg.org"
    assert foreign_source([("vcs", "https://gitbox.apache.org/repos/asf?p=x.git")]) == (
        "gitbox.apache.org"
    )
    assert foreign_source([("repository", "git+https://git.example.org/a/b.git")]) == (
        "git.example.org"
    )
    # A documentation home page on another host says nothing about where the code is.
    assert foreign_source([("Homepage", "https://b.readthedocs.io")]) is None
    assert foreign_source([("Source", "https://github.com/a/b")]) is None
