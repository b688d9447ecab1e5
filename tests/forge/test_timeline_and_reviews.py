"""Issue timelines, linked pull requests and reviews, read with PyGithub and raw HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from onboard.practice import PRACTICE_USER, PracticeForge
from onboard.practice.links import closing_refs, mentions, review_decision

from .conftest import make_client

HD, TC, KW = "practice/hello-docs", "practice/tiny-calc", "practice/kind-words"
BEGINNER = 'label:"good first issue","good-first-issue","🌱 good first issue"'
# The seeded history behind the readiness signals: closed beginner issues, the closed pull
# requests that fixed them, and closed pull requests that fixed nothing (all unreviewed).
HISTORY_ISSUES = {f"{HD}#5", f"{HD}#6", f"{KW}#7", f"{KW}#8"}
LINKING_PULLS = {f"{HD}#7", f"{HD}#8", f"{KW}#9", f"{KW}#10"}
OTHER_PULLS = {f"{HD}#9", f"{HD}#10", f"{KW}#11", f"{KW}#12"}


def timeline(forge: PracticeForge, http: requests.Session, repo: str, number: int) -> list[Any]:
    response = http.get(
        f"{forge.api_url}/repos/{repo}/issues/{number}/timeline", params={"per_page": 100}
    )
    assert response.status_code == 200, response.text
    return response.json()


def stamp(event: dict[str, Any]) -> str:
    return event.get("created_at") or event["submitted_at"]


def search(forge: PracticeForge, http: requests.Session, q: str) -> set[str]:
    response = http.get(f"{forge.api_url}/search/issues", params={"q": q, "per_page": 100})
    assert response.status_code == 200, response.text
    return {
        f"{i['repository_url'].split('/repos/')[1]}#{i['number']}" for i in response.json()["items"]
    }


# ---------------------------------------------------------------------------- seed scenarios


def test_beginner_issues_are_unchanged_by_the_claim_scenarios(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    q = f"is:issue is:open no:assignee {BEGINNER}"
    assert search(read_forge, read_session, q) == {
        f"{HD}#1",
        f"{HD}#2",
        f"{HD}#3",
        f"{TC}#1",
        f"{KW}#1",
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("is:issue linked:pr", {f"{TC}#6", f"{KW}#5", *HISTORY_ISSUES}),
        (f"is:issue is:open -linked:pr repo:{TC}", {f"{TC}#{n}" for n in (1, 2, 4, 8, 9)}),
        ("is:pr linked:issue", {f"{TC}#7", f"{KW}#6", *LINKING_PULLS}),
        ("is:pr -linked:issue", {f"{TC}#5", *OTHER_PULLS}),
        ("is:pr review:none", {f"{TC}#5", f"{TC}#7", *LINKING_PULLS, *OTHER_PULLS}),
        ("is:pr review:required", {f"{TC}#5", f"{TC}#7", *LINKING_PULLS, *OTHER_PULLS}),
        ("is:pr review:approved", {f"{KW}#6"}),
        ("is:pr review:changes_requested", set()),
        ("is:pr reviewed-by:jo-maintainer", {f"{KW}#6"}),
        ("is:issue review:none", set()),
        ("is:issue is:locked", {f"{TC}#9"}),
        (f"is:issue assignee:casey-away updated:<{datetime.now(UTC).date()}", {f"{TC}#8"}),
    ],
)
def test_linked_and_review_qualifiers(
    read_forge: PracticeForge, read_session: requests.Session, q: str, expected: set[str]
) -> None:
    assert search(read_forge, read_session, q) == expected


def test_linked_issue_timeline_has_the_pull_request_with_pygithub(
    read_forge: PracticeForge,
) -> None:
    gh = make_client(read_forge)
    try:
        events = list(gh.get_repo(TC).get_issue(6).get_timeline())
    finally:
        gh.close()
    assert [e.event for e in events] == [
        "labeled",
        "labeled",
        "commented",
        "commented",
        "cross-referenced",
    ]
    stamps = [e.created_at for e in events]
    assert stamps == sorted(stamps)
    assert {e.raw_data["label"]["name"] for e in events[:2]} == {"enhancement", "help wanted"}
    assert events[0].actor.login == "maintainer-mia"
    assert events[2].actor.login == "alex-helper"
    assert events[2].raw_data["body"] == "I'd like to work on this one, if that's okay!"
    assert events[2].raw_data["author_association"] == "NONE"
    reference = events[-1]
    assert reference.actor.login == "alex-helper"
    assert reference.source.type == "issue"
    pull = reference.source.issue
    assert pull.number == 7 and pull.title == "Add power() with tests"
    assert pull.state == "open" and pull.user.login == "alex-helper"
    assert pull.pull_request is not None
    assert reference.raw_data["source"]["issue"]["pull_request"]["merged_at"] is None
    assert reference.raw_data["source"]["issue"]["repository"]["full_name"] == TC


def test_timeline_payload_shapes(read_forge: PracticeForge, read_session: requests.Session) -> None:
    labeled, _, comment, _, reference = timeline(read_forge, read_session, TC, 6)
    assert list(labeled) == [
        "id",
        "node_id",
        "url",
        "actor",
        "event",
        "commit_id",
        "commit_url",
        "created_at",
        "label",
        "performed_via_github_app",
    ]
    assert labeled["url"] == f"{read_forge.api_url}/repos/{TC}/issues/events/{labeled['id']}"
    assert set(labeled["label"]) == {"name", "color"}
    assert list(comment)[-2:] == ["event", "actor"]
    assert comment["user"] == comment["actor"]
    for key in ("url", "html_url", "issue_url", "id", "body", "author_association", "reactions"):
        assert key in comment
    assert list(reference) == ["actor", "created_at", "updated_at", "source", "event"]
    source = reference["source"]["issue"]
    assert source["html_url"].endswith(f"/{TC}/pull/7")
    assert source["draft"] is False
    assert set(source["pull_request"]) == {"url", "html_url", "diff_url", "patch_url", "merged_at"}


def test_stale_assignment_and_locked_issue_timelines(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    stale = timeline(read_forge, read_session, TC, 8)
    assigned = [e for e in stale if e["event"] == "assigned"]
    assert len(assigned) == 1
    assert assigned[0]["assignee"]["login"] == "casey-away"
    assert assigned[0]["actor"]["login"] == "maintainer-mia"
    when = datetime.fromisoformat(assigned[0]["created_at"].replace("Z", "+00:00"))
    assert datetime.now(UTC) - when > timedelta(days=150)
    assert [e["event"] for e in stale][-2:] == ["assigned", "commented"]

    locked = timeline(read_forge, read_session, TC, 9)
    assert [e["event"] for e in locked][-2:] == ["commented", "locked"]
    assert locked[-1]["lock_reason"] == "off-topic"
    issue = read_session.get(f"{read_forge.api_url}/repos/{TC}/issues/9").json()
    assert issue["locked"] is True and issue["active_lock_reason"] == "off-topic"

    closed = timeline(read_forge, read_session, TC, 3)
    assert closed[-1]["event"] == "closed"
    assert closed[-1]["actor"]["login"] == "maintainer-mia"
    assert closed[-1]["state_reason"] == "completed"


def test_newcomer_question_then_maintainer_reply(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    comments = [e for e in timeline(read_forge, read_session, KW, 4) if e["event"] == "commented"]
    assert [(c["user"]["login"], c["author_association"]) for c in comments] == [
        ("river-new", "NONE"),
        ("maintainer-mia", "MEMBER"),
    ]
    assert "Could I try this one?" in comments[0]["body"]


def test_pull_request_timeline_lists_reviews(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    events = timeline(read_forge, read_session, KW, 6)
    reviewed = [e for e in events if e["event"] == "reviewed"]
    assert [(r["user"]["login"], r["state"]) for r in reviewed] == [
        ("maintainer-mia", "commented"),
        ("jo-maintainer", "approved"),
    ]
    assert "created_at" not in reviewed[0] and reviewed[0]["submitted_at"]
    assert reviewed[1]["pull_request_url"].endswith(f"/repos/{KW}/pulls/6")
    linked = timeline(read_forge, read_session, KW, 5)
    assert [e["source"]["issue"]["number"] for e in linked if e["event"] == "cross-referenced"] == [
        6
    ]


def test_timeline_paginates_and_404s(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    url = f"{read_forge.api_url}/repos/{TC}/issues/6/timeline"
    first = read_session.get(url, params={"per_page": 2})
    assert len(first.json()) == 2
    repo_id = read_session.get(f"{read_forge.api_url}/repos/{TC}").json()["id"]
    assert f"/repositories/{repo_id}/issues/6/timeline?per_page=2&page=3" in first.headers["Link"]
    last = read_session.get(url, params={"per_page": 2, "page": 3}).json()
    assert [e["event"] for e in last] == ["cross-referenced"]
    assert (
        read_session.get(f"{read_forge.api_url}/repos/{TC}/issues/99/timeline").status_code == 404
    )
    assert read_session.get(f"{read_forge.api_url}/repos/{TC}/issues/99/timeline").json() == {
        "message": "Not Found",
        "documentation_url": (
            "https://docs.github.com/rest/issues/timeline#list-timeline-events-for-an-issue"
        ),
        "status": "404",
    }


# ---------------------------------------------------------------------------- live changes


def test_pull_requests_link_issues_as_they_change(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    store = forge.store
    q = f"is:issue linked:pr repo:{HD}"
    http.headers.update(auth)
    seeded = {f"{HD}#5", f"{HD}#6"}  # closed long ago by the seeded pull requests #7 and #8
    assert search(forge, http, q) == seeded
    # A mention is not a link, but it is a cross-reference.
    overhaul = store.add_issue(
        HD, "Docs overhaul", "Related to #2 and #3", user="jo-maintainer", is_pull=True
    )
    assert search(forge, http, q) == seeded
    refs = [e for e in timeline(forge, http, HD, 2) if e["event"] == "cross-referenced"]
    assert [e["source"]["issue"]["number"] for e in refs] == [overhaul["number"]]
    # Closing keywords in the title or body link, any case, with or without a colon.
    pull = store.add_issue(HD, "FIXES: #1 recieve typo", None, user=PRACTICE_USER, is_pull=True)
    assert search(forge, http, q) == {f"{HD}#1", *seeded}
    assert search(forge, http, f"is:pr linked:issue repo:{HD}") == {
        f"{HD}#7",
        f"{HD}#8",
        f"{HD}#{pull['number']}",
    }
    # Closed and merged pulls still count; the timeline shows the merge.
    store.merge_pull(HD, pull["number"], by="maintainer-mia")
    assert search(forge, http, q) == {f"{HD}#1", *seeded}
    source = timeline(forge, http, HD, 1)[-1]["source"]["issue"]
    assert source["state"] == "closed" and source["pull_request"]["merged_at"]
    merged = [e["event"] for e in timeline(forge, http, HD, pull["number"])]
    assert merged[-2:] == ["merged", "closed"]
    # A reference from another repository's comment is a cross-reference too.
    store.add_comment(KW, 3, f"Same idea as {HD}#3!", user="alex-helper")
    refs = [e for e in timeline(forge, http, HD, 3) if e["event"] == "cross-referenced"]
    assert [
        (e["source"]["issue"]["repository"]["full_name"], e["actor"]["login"]) for e in refs
    ] == [
        (HD, "jo-maintainer"),
        (KW, "alex-helper"),
    ]
    assert "pull_request" not in refs[1]["source"]["issue"]


def test_store_changes_become_timeline_events(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    store = forge.store
    before = len(store.events(HD, 1))
    store.set_assignees(HD, 1, ["river-new"], by="maintainer-mia")
    store.set_assignees(HD, 1, [], by="maintainer-mia")
    store.set_labels(HD, 1, ["documentation"], by="jo-maintainer")
    store.set_locked(HD, 1, True, reason="resolved")
    store.close_issue(HD, 1, by="maintainer-mia")
    store.reopen_issue(HD, 1, by="maintainer-mia")
    store.set_locked(HD, 1, False)
    recorded = store.events(HD, 1)[before:]
    assert [(e["event"], e["actor"]) for e in recorded] == [
        ("assigned", "maintainer-mia"),
        ("unassigned", "maintainer-mia"),
        ("unlabeled", "jo-maintainer"),
        ("locked", "maintainer-mia"),
        ("closed", "maintainer-mia"),
        ("reopened", "maintainer-mia"),
        ("unlocked", "maintainer-mia"),
    ]
    assert recorded[0]["assignee"] == "river-new"
    assert recorded[2]["label"] == "good first issue"  # "documentation" was already there
    http.headers.update(auth)
    events = timeline(forge, http, HD, 1)
    assert [stamp(e) for e in events] == sorted(stamp(e) for e in events)
    listed = {e["id"]: e for e in events if "id" in e}
    assert listed[recorded[0]["id"]]["assignee"]["login"] == "river-new"
    assert listed[recorded[2]["id"]]["label"] == {"name": "good first issue", "color": "7057ff"}
    assert listed[recorded[3]["id"]]["lock_reason"] == "resolved"
    assert listed[recorded[5]["id"]]["state_reason"] is None
    issue = http.get(f"{forge.api_url}/repos/{HD}/issues/1").json()
    assert issue["state"] == "open" and issue["locked"] is False
    assert issue["state_reason"] == "reopened"
    assert [lbl["name"] for lbl in issue["labels"]] == ["documentation"]


def test_events_and_reviews_survive_a_restart_and_old_files_migrate(
    forge_factory: Callable[..., PracticeForge], tmp_path: Any
) -> None:
    directory = tmp_path / "persist"
    forge = forge_factory(directory)
    forge.store.set_assignees(TC, 1, ["river-new"], by="maintainer-mia")
    forge.store.add_review(TC, 7, "jo-maintainer", "CHANGES_REQUESTED", "Please add a docstring.")
    forge.stop()
    again = forge_factory(directory)
    with requests.Session() as http:
        events = [e["event"] for e in timeline(again, http, TC, 1)]
        assert "assigned" in events
        reviews = http.get(f"{again.api_url}/repos/{TC}/pulls/7/reviews").json()
        assert [r["state"] for r in reviews] == ["CHANGES_REQUESTED"]
    again.stop()
    # A forge.json from before events and reviews existed still loads, with a plausible history.
    path = directory / "forge.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("events", "reviews"):
        del data[key]
    for key in ("event", "review"):
        del data["counters"][key]
    path.write_text(json.dumps(data), encoding="utf-8")
    old = forge_factory(directory)
    with requests.Session() as http:
        events = [e["event"] for e in timeline(old, http, TC, 2)]
        assert events.count("labeled") == 2 and "assigned" in events
        assert http.get(f"{old.api_url}/repos/{TC}/pulls/7/reviews").json() == []


# ---------------------------------------------------------------------------- reviews


def test_seeded_reviews_with_pygithub(read_forge: PracticeForge) -> None:
    gh = make_client(read_forge)
    try:
        reviews = list(gh.get_repo(KW).get_pull(6).get_reviews())
        assert [(r.user.login, r.state) for r in reviews] == [
            ("maintainer-mia", "COMMENTED"),
            ("jo-maintainer", "APPROVED"),
        ]
        assert reviews[1].body.startswith("Clear and kind")
        assert reviews[1].submitted_at is not None
        assert reviews[1].commit_id and re.fullmatch(r"[0-9a-f]{40}", reviews[1].commit_id)
        assert list(gh.get_repo(TC).get_pull(7).get_reviews()) == []
    finally:
        gh.close()


def test_review_payload_shape(read_forge: PracticeForge, read_session: requests.Session) -> None:
    review = read_session.get(f"{read_forge.api_url}/repos/{KW}/pulls/6/reviews").json()[1]
    assert list(review) == [
        "id",
        "node_id",
        "user",
        "body",
        "state",
        "html_url",
        "pull_request_url",
        "author_association",
        "_links",
        "submitted_at",
        "commit_id",
    ]
    assert review["author_association"] == "MEMBER"
    assert review["html_url"].endswith(f"/{KW}/pull/6#pullrequestreview-{review['id']}")
    assert read_session.get(f"{read_forge.api_url}/repos/{KW}/pulls/5/reviews").status_code == 404


def test_create_review_with_pygithub_changes_search_and_timeline(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    gh = make_client(forge)
    try:
        pr = gh.get_repo(TC).get_pull(7)
        review = pr.create_review(body="Looks great, thank you!", event="APPROVE")
        assert review.state == "APPROVED"
        assert review.user.login == PRACTICE_USER
        assert [r.state for r in pr.get_reviews()] == ["APPROVED"]
    finally:
        gh.close()
    http.headers.update(auth)
    assert f"{TC}#7" in search(forge, http, "is:pr review:approved")
    assert f"{TC}#7" not in search(forge, http, "is:pr review:none")
    assert search(forge, http, f"is:pr reviewed-by:@me repo:{TC}") == {f"{TC}#7"}
    events = timeline(forge, http, TC, 7)
    assert events[-1]["event"] == "reviewed" and events[-1]["state"] == "approved"
    changes = http.post(
        f"{forge.api_url}/repos/{TC}/pulls/5/reviews",
        json={"event": "REQUEST_CHANGES", "body": "Could you add a test?"},
    )
    assert changes.status_code == 200
    assert changes.json()["state"] == "CHANGES_REQUESTED"
    assert search(forge, http, "is:pr review:changes_requested") == {f"{TC}#5"}
    comment = http.post(
        f"{forge.api_url}/repos/{TC}/pulls/5/reviews", json={"event": "COMMENT", "body": "Also…"}
    )
    assert comment.json()["state"] == "COMMENTED"
    assert search(forge, http, "is:pr review:changes_requested") == {f"{TC}#5"}


def test_create_review_errors(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    url = f"{forge.api_url}/repos/{TC}/pulls/7/reviews"
    anonymous = http.post(url, json={"event": "APPROVE"})
    assert anonymous.status_code == 401
    http.headers.update(auth)
    no_body = http.post(url, json={"event": "REQUEST_CHANGES"})
    assert no_body.status_code == 422
    assert no_body.json()["errors"] == ["Review body is required when using REQUEST_CHANGES"]
    bad = http.post(url, json={"event": "LGTM", "body": "x"})
    assert bad.status_code == 422
    assert http.post(f"{forge.api_url}/repos/{TC}/pulls/1/reviews", json={}).status_code == 404
    mine = forge.store.add_issue(TC, "My change", "Fixes #4", user=PRACTICE_USER, is_pull=True)
    own = http.post(
        f"{forge.api_url}/repos/{TC}/pulls/{mine['number']}/reviews", json={"event": "APPROVE"}
    )
    assert own.status_code == 422
    assert own.json() == {
        "message": "Unprocessable Entity",
        "errors": ["Can not approve your own pull request"],
        "documentation_url": (
            "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request"
        ),
        "status": "422",
    }
    # A review without an event is a pending draft, seen by its author only.
    pending = http.post(url, json={"body": "Draft thoughts"})
    assert pending.status_code == 200
    assert pending.json()["state"] == "PENDING" and "submitted_at" not in pending.json()
    assert [r["state"] for r in http.get(url).json()] == ["PENDING"]
    assert requests.get(url, timeout=10).json() == []
    assert http.post(url, json={}).status_code == 422  # one pending review per person
    assert f"{TC}#7" in search(forge, http, "is:pr review:none")


# ---------------------------------------------------------------------------- pure helpers


def test_closing_keywords_and_mentions() -> None:
    text = (
        "Fixes #6, closes: #7. Resolved practice/tiny-calc#8; fix other/repo#9; "
        "prefix#10; see #11; CLOSE #12; fixing #13"
    )
    assert closing_refs([text], TC) == {6, 7, 8, 12}
    assert closing_refs([None, "nothing here"], TC) == set()
    found = mentions(["#1, a&#2; x#3 Practice/Tiny-Calc#4 (#5) other/repo#6"], TC)
    assert found == {(TC, 1), (TC, 4), (TC, 5), ("other/repo", 6)}


def test_review_decision_uses_each_reviewers_latest_review() -> None:
    def review(user: str, state: str, day: int) -> dict[str, Any]:
        return {"id": day, "user": user, "state": state, "submitted_at": f"2024-01-0{day}"}

    assert review_decision([]) == "REVIEW_REQUIRED"
    assert review_decision([review("a", "COMMENTED", 1)]) == "REVIEW_REQUIRED"
    assert review_decision([review("a", "APPROVED", 1)]) == "APPROVED"
    changed_mind = [review("a", "CHANGES_REQUESTED", 1), review("a", "APPROVED", 2)]
    assert review_decision(changed_mind) == "APPROVED"
    blocked = [review("a", "APPROVED", 1), review("b", "CHANGES_REQUESTED", 2)]
    assert review_decision(blocked) == "CHANGES_REQUESTED"
    dismissed = [review("b", "CHANGES_REQUESTED", 1), review("b", "DISMISSED", 2)]
    assert review_decision(dismissed) == "REVIEW_REQUIRED"
    assert review_decision([review("a", "PENDING", 1)]) == "REVIEW_REQUIRED"
