"""The adapter reads a pull request's life (reviews, line comments, comments, checks) and marks
a draft ready for review, against the practice forge over real HTTP and real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.core.contributions.facts import CheckRunFact, ReviewFact, StatusFact
from onboard.core.contributions.live import ChecksState, ReviewDecision, fold_checks
from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig, ForgeError, ForgeNotFound
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.practice.learner import LearnerPull, open_learner_pull, replace_in

FIX = replace_in("docs/getting-started.md", "recieve", "receive")


@pytest.fixture
def client(forge_config: ForgeConfig, tmp_path: Path) -> GitHubForge:
    return GitHubForge(forge_config)


@pytest.fixture
def pull(practice_forge: PracticeForge, client: GitHubForge, tmp_path: Path) -> LearnerPull:
    practice_forge.maintainer_delay = None  # nobody answers: this test plays the maintainer
    return open_learner_pull(client, tmp_path, FIX, draft=True)


def test_a_new_draft_has_no_reviews_and_no_checks(
    practice_forge: PracticeForge, client: GitHubForge, pull: LearnerPull
) -> None:
    practice_forge.clear_requests()
    facts = client.pull_facts(pull.repo, pull.number)
    assert (facts.state, facts.merged, facts.draft) == ("open", False, True)
    assert facts.author == practice_forge.user
    assert facts.title == "Fix a typo in the getting-started guide"
    assert facts.url.endswith(f"/practice/hello-docs/pull/{pull.number}")
    assert len(facts.head_sha) == 40 and facts.node_id
    assert facts.reviews == facts.review_comments == facts.comments == ()
    assert facts.statuses == facts.check_runs == ()
    assert fold_checks(facts.statuses, facts.check_runs).state is ChecksState.NONE
    assert facts.requests == len(practice_forge.requests) == 6


def test_reviews_line_comments_comments_and_checks_arrive_in_githubs_words(
    practice_forge: PracticeForge, client: GitHubForge, pull: LearnerPull
) -> None:
    store, full = practice_forge.store, pull.repo.full_name
    head = store.get_issue(full, pull.number)["pull"]["head_sha"]
    guide = (pull.clone / "docs/getting-started.md").read_text().splitlines()
    fixed = next(n for n, text in enumerate(guide, 1) if "receive" in text)
    store.add_comment(full, pull.number, "Welcome, and thank you!", "maintainer-mia")
    store.add_review(full, pull.number, "maintainer-mia", "CHANGES_REQUESTED", "One thing:")
    store.add_review_comment(
        full,
        pull.number,
        "maintainer-mia",
        path="docs/getting-started.md",
        line=fixed,
        body="Could you say *reply* here?",
        commit_id=head,
    )
    run = store.add_check_run(full, head, "practice-ci", status="in_progress")
    store.add_status(full, head, "success", "lint", "All good", creator="maintainer-mia")

    facts = client.pull_facts(pull.repo, pull.number)
    assert [(c.author, c.body) for c in facts.comments] == [
        ("maintainer-mia", "Welcome, and thank you!")
    ]
    assert facts.reviews == (
        ReviewFact(
            "maintainer-mia", "CHANGES_REQUESTED", facts.reviews[0].submitted_at, "One thing:"
        ),
    )
    [comment] = facts.review_comments
    assert (comment.author, comment.path, comment.line) == (
        "maintainer-mia",
        "docs/getting-started.md",
        fixed,
    )
    assert facts.statuses == (StatusFact("lint", "success", "All good"),)
    assert facts.check_runs == (CheckRunFact("practice-ci", "in_progress", None, ""),)
    assert fold_checks(facts.statuses, facts.check_runs).state is ChecksState.PENDING

    store.update_check_run(
        full,
        run["id"],
        status="completed",
        conclusion="failure",
        output={"title": "1 slip", "summary": "docs/getting-started.md:3: trailing whitespace"},
    )
    again = client.pull_facts(pull.repo, pull.number)
    checks = fold_checks(again.statuses, again.check_runs)
    assert checks.state is ChecksState.FAILING
    assert checks.failing_summary == "docs/getting-started.md:3: trailing whitespace"

    # A push that changes the line the comment was on makes it outdated: line is null.
    pull.push(replace_in("docs/getting-started.md", "receive", "get"), "Simpler word")
    later = client.pull_facts(pull.repo, pull.number)
    assert later.head_sha != head
    assert [c.line for c in later.review_comments] == [None]
    assert later.check_runs == later.statuses == ()  # checks belong to the head commit


def test_an_unchanged_pull_is_asked_again_with_etags(
    practice_forge: PracticeForge, client: GitHubForge, pull: LearnerPull
) -> None:
    first = client.pull_facts(pull.repo, pull.number)
    practice_forge.clear_requests()
    second = client.pull_facts(pull.repo, pull.number)
    assert second == first
    assert [r.status for r in practice_forge.requests] == [304] * 6


def test_marking_a_draft_ready_for_review(
    practice_forge: PracticeForge, client: GitHubForge, pull: LearnerPull
) -> None:
    client.mark_ready_for_review(pull.repo, pull.number)
    assert client.pull_facts(pull.repo, pull.number).draft is False
    events = practice_forge.store.events(pull.repo.full_name, pull.number)
    assert [e["event"] for e in events][-1] == "ready_for_review"
    client.mark_ready_for_review(pull.repo, pull.number)  # already ready: nothing to do


def test_marking_someone_elses_pull_ready_is_refused_in_githubs_words(
    practice_forge: PracticeForge, client: GitHubForge, pull: LearnerPull
) -> None:
    other = practice_forge.store.add_issue(
        "practice/hello-docs", "Theirs", user="sam-contrib", is_pull=True, draft=True
    )
    with pytest.raises(ForgeError, match="does not have the correct permissions"):
        client.mark_ready_for_review(pull.repo, other["number"])
    assert practice_forge.store.get_issue("practice/hello-docs", other["number"])["pull"]["draft"]


def test_review_decision_folds_what_the_adapter_read(
    practice_forge: PracticeForge, client: GitHubForge, pull: LearnerPull
) -> None:
    from onboard.core.contributions.live import review_decision

    store, full = practice_forge.store, pull.repo.full_name
    store.add_review(full, pull.number, "maintainer-mia", "APPROVED", "")
    facts = client.pull_facts(pull.repo, pull.number)
    assert review_decision(facts.reviews, practice_forge.user) is ReviewDecision.APPROVED


def test_a_pull_that_does_not_exist_is_not_found_in_one_round_trip(
    practice_forge: PracticeForge, client: GitHubForge
) -> None:
    practice_forge.clear_requests()
    with pytest.raises(ForgeNotFound):
        client.pull_facts(RepoRef.parse("practice/hello-docs"), 999)
    # The pull and its three lists travel together; no checks are asked without a head.
    paths = {r.path.rsplit("/999", 1)[-1] for r in practice_forge.requests}
    assert paths <= {"", "/reviews", "/comments"}
    assert {r.status for r in practice_forge.requests} == {404}


def test_when_one_part_fails_the_saved_answer_stands_in_and_a_refusal_is_raised(
    practice_forge: PracticeForge, client: GitHubForge, pull: LearnerPull
) -> None:
    first = client.pull_facts(pull.repo, pull.number)
    practice_forge.faults.add("error", path=r"/check-runs$", status=500)  # not retried
    try:
        assert client.pull_facts(pull.repo, pull.number) == first  # the cached check runs
        other = practice_forge.store.add_issue(
            "practice/hello-docs",
            "Never read",
            user="sam-contrib",
            is_pull=True,
            head_sha=practice_forge.store.get_issue(pull.repo.full_name, pull.number)["pull"][
                "base_sha"
            ],  # a commit whose checks were never read
        )
        with pytest.raises(ForgeError, match="error 500"):
            client.pull_facts(pull.repo, other["number"])  # nothing saved to stand in
    finally:
        practice_forge.faults.clear()
