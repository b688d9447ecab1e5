"""What several practice-server routes share answers the same everywhere: the 404 for an issue
that is not there (with the route's own documentation link), and the search page window, which
is checked against the 1,000-result cap with the page size the results are then cut by."""

from __future__ import annotations

import pytest
import requests

from onboard.practice import PracticeForge

REPO = "practice/hello-docs"


def _numbers(forge: PracticeForge, http: requests.Session) -> tuple[int, int]:
    """An issue that is no pull request, and one that is."""
    listed = http.get(
        f"{forge.api_url}/repos/{REPO}/issues", params={"state": "all", "per_page": 100}
    ).json()
    issue = next(i["number"] for i in listed if "pull_request" not in i)
    pull = next(i["number"] for i in listed if "pull_request" in i)
    return issue, pull


@pytest.mark.parametrize(
    ("route", "doc"),
    [
        ("issues/{n}", "issues/issues#get-an-issue"),
        ("issues/{n}/timeline", "issues/timeline#list-timeline-events-for-an-issue"),
        ("pulls/{n}", "pulls/pulls#get-a-pull-request"),
    ],
)
def test_a_missing_number_is_githubs_404_with_the_routes_docs(
    read_forge: PracticeForge, http: requests.Session, route: str, doc: str
) -> None:
    response = http.get(f"{read_forge.api_url}/repos/{REPO}/{route.format(n=9999)}")
    assert response.status_code == 404
    assert response.json()["documentation_url"] == f"https://docs.github.com/rest/{doc}"


def test_an_issue_is_found_and_is_no_pull(
    read_forge: PracticeForge, http: requests.Session
) -> None:
    issue, pull = _numbers(read_forge, http)
    base = f"{read_forge.api_url}/repos/{REPO}"
    assert http.get(f"{base}/issues/{issue}").json()["number"] == issue
    assert http.get(f"{base}/issues/{issue}/timeline").status_code == 200
    assert http.get(f"{base}/pulls/{issue}").status_code == 404
    assert http.get(f"{base}/pulls/{pull}").json()["number"] == pull


@pytest.mark.parametrize(
    ("endpoint", "q"),
    [("issues", f"is:issue repo:{REPO}"), ("repositories", "user:practice")],
)
def test_a_nonsense_page_size_means_30_for_the_cap_as_for_the_pages(
    read_forge: PracticeForge, http: requests.Session, endpoint: str, q: str
) -> None:
    url = f"{read_forge.api_url}/search/{endpoint}"
    http.headers["Authorization"] = f"token {read_forge.token}"  # 30 searches a minute, not 10
    for per_page in ("0", "-5", "many"):
        last_page = http.get(url, params={"q": q, "per_page": per_page, "page": "34"})
        assert last_page.status_code == 200, per_page  # results 991 to 1,000
        assert last_page.json()["items"] == []
        beyond = http.get(url, params={"q": q, "per_page": per_page, "page": "35"})
        assert beyond.status_code == 422, per_page
        assert "first 1000 results" in beyond.json()["message"]
