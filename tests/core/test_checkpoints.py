"""Checkpoints tick from real state: a real fork, clone, claim, push and draft pull request on the
practice forge (real HTTP, real git), then evaluated; times are the first time each was seen."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from onboard.core.journey import Journey
from onboard.core.models import RepoRef, SetupStep
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.checkpoints import (
    CheckpointStatus,
    Facts,
    WorkFacts,
    current_checkpoint,
    evaluate,
)
from onboard.core.sessions.progress import SessionEvent
from onboard.core.sessions.session import self_guided_session
from onboard.core.storage.state import StateStore
from onboard.flows import act
from onboard.flows.session_events import record_test_run
from onboard.flows.session_facts import gather_facts, refresh_checkpoints, work_facts
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.workspace.commands import StepResult, run_step
from onboard.workspace.remote_branches import branch_on_remote

PROJECT = "practice/hello-docs"
SESSION = self_guided_session("test-workshop", "Test workshop")
T0 = datetime(2025, 6, 12, 12, 0, tzinfo=UTC)


def git(clone: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(clone), *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout.strip()


def done(statuses: list[CheckpointStatus]) -> dict[str, bool]:
    return {status.kind.value: status.done for status in statuses}


@pytest.fixture
def forge(forge_config: ForgeConfig) -> GitHubForge:
    return GitHubForge(forge_config)


def set_up(forge: GitHubForge, store: StateStore, workspace: Path) -> Journey:
    journey = Journey()
    journey.choose(PROJECT)
    return SetupFlow(forge, store, workspace).run(journey, lambda _event: None)


def test_the_whole_journey_ticks_every_checkpoint_from_real_state(
    forge: GitHubForge, state_store: StateStore, tmp_path: Path
) -> None:
    state_store.join_session(SESSION.id, SESSION.title)
    statuses = evaluate(SESSION, gather_facts(state_store, SESSION.id))
    assert not any(status.done for status in statuses)
    assert current_checkpoint(statuses) == statuses[0]
    assert statuses[0].evidence == "no project chosen yet"

    journey = set_up(forge, state_store, tmp_path / "ws")
    _, statuses = refresh_checkpoints(state_store, SESSION)
    assert done(statuses) == {
        "project_chosen": True,
        "fork_created": True,
        "fork_cloned": True,
        "tests_ran": False,
        "issue_chosen": False,
        "issue_claimed": False,
        "branch_pushed": False,
        "draft_pr_opened": False,
        "review_given": False,
        "noncode_done": False,
        "first_pr_merged": False,
    }
    by_kind = {status.kind: status for status in statuses}
    assert by_kind[CheckpointKind.FORK_CLONED].evidence == (
        "learner/hello-docs is cloned on this computer, and 'origin' points at it"
    )
    first_clone_time = by_kind[CheckpointKind.FORK_CLONED].done_at
    assert first_clone_time is not None
    # hello-docs has no tests (no test command in its files): the agenda does not wait for a
    # test run it can never see, and says why; a run that does happen still counts (below).
    tests = by_kind[CheckpointKind.TESTS_RAN]
    assert (tests.done, tests.skipped, tests.settled) == (False, True, True)
    assert tests.evidence == (
        "skipped: practice/hello-docs has no tests to run "
        "(no test command in its guide pack or its files)"
    )
    assert current_checkpoint(statuses) == by_kind[CheckpointKind.ISSUE_CHOSEN]

    # The project-setup screen records the test run; a run stopped half way does not count.
    state_store.record_event(SessionEvent.tests_ran(None))
    assert not done(evaluate(SESSION, gather_facts(state_store, SESSION.id)))["tests_ran"]
    state_store.record_event(SessionEvent.tests_ran(1))
    tests = next(
        s
        for s in evaluate(SESSION, gather_facts(state_store, SESSION.id))
        if s.kind is CheckpointKind.TESTS_RAN
    )
    assert tests.done and "exit code 1" in tests.evidence

    ref = RepoRef.parse(PROJECT)
    issue = forge.issue(ref, 1)
    branch = act.start_work(forge, state_store, journey, issue)
    act.post_claim(forge, state_store, journey, issue, "I'd like to work on this.")
    clone = Path(journey.clone_path or "")
    guide = clone / "docs" / "getting-started.md"
    guide.write_text(guide.read_text().replace("recieve", "receive"))
    git(clone, "commit", "-qam", "Fix the typo")
    # Committed but not pushed: the branch is not on the fork, and the fork itself says so.
    local_only = work_facts("practice", state_store.journey("practice"))
    assert (local_only.work_branch_on_origin, local_only.remote_checked_live) == (False, True)
    assert not done(evaluate(SESSION, gather_facts(state_store, SESSION.id)))["branch_pushed"]

    act.open_draft_pull(forge, state_store, journey, issue, title="Fix the typo", body="Fixes #1")
    facts, statuses = refresh_checkpoints(state_store, SESSION)
    # hello-docs#1 is a documentation issue: its pull request is a non-code contribution.
    assert done(statuses) == {
        **{kind.value: True for kind in CheckpointKind},
        "review_given": False,
        "first_pr_merged": False,  # opened, not merged: My contributions would say when
    }
    by_kind = {status.kind: status for status in statuses}
    assert by_kind[CheckpointKind.NONCODE_DONE].evidence.startswith(
        "recorded a non-code contribution (doc): http"
    )
    assert by_kind[CheckpointKind.BRANCH_PUSHED].evidence == (
        f"branch {branch} is on your fork learner/hello-docs (checked just now)"
    )
    assert by_kind[CheckpointKind.ISSUE_CLAIMED].evidence.startswith("claim comment: http")
    assert (
        "pull request #11 on practice/hello-docs"
        in by_kind[CheckpointKind.DRAFT_PR_OPENED].evidence
    )
    # First seen wins: the clone checkpoint keeps the time it was first observed.
    assert by_kind[CheckpointKind.FORK_CLONED].done_at == first_clone_time
    assert state_store.session_progress(SESSION.id).checkpoints["fork-cloned"] == first_clone_time
    assert facts.work[0].journey.pull_request == 11


def test_offline_the_clone_remembers_its_push(
    forge: GitHubForge, state_store: StateStore, tmp_path: Path
) -> None:
    journey = set_up(forge, state_store, tmp_path / "ws")
    clone = Path(journey.clone_path or "")
    git(clone, "switch", "-q", "-c", "my-work")
    git(clone, "push", "-q", "--set-upstream", "origin", "my-work")
    assert branch_on_remote(clone, "my-work").live

    git(clone, "remote", "set-url", "origin", "git://127.0.0.1:9/learner/hello-docs.git")
    offline = branch_on_remote(clone, "my-work")
    assert (offline.found, offline.live) == (True, False)
    never_pushed = branch_on_remote(clone, "other")
    assert (never_pushed.found, never_pushed.live) == (None, False)  # cannot say: not "no"


def test_a_clone_whose_origin_is_not_the_fork_is_not_cloned(
    forge: GitHubForge, practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path
) -> None:
    journey = set_up(forge, state_store, tmp_path / "ws")
    clone = Path(journey.clone_path or "")
    git(clone, "remote", "set-url", "origin", f"{practice_forge.git_url}practice/hello-docs.git")
    facts = gather_facts(state_store, "fresh-session")
    statuses = {s.kind: s for s in evaluate(SESSION, facts)}
    assert statuses[CheckpointKind.FORK_CREATED].done
    assert not statuses[CheckpointKind.FORK_CLONED].done


def test_a_checkpoint_once_seen_stays_reached_when_its_evidence_goes(
    forge: GitHubForge, state_store: StateStore, tmp_path: Path
) -> None:
    journey = set_up(forge, state_store, tmp_path / "ws")
    _, before = refresh_checkpoints(state_store, SESSION)
    seen_at = next(s.done_at for s in before if s.kind is CheckpointKind.FORK_CLONED)
    subprocess.run(["rm", "-rf", journey.clone_path or "/nonexistent"], check=True)

    facts = gather_facts(state_store, SESSION.id)
    assert not facts.work[0].clone_exists
    cloned = next(s for s in evaluate(SESSION, facts) if s.kind is CheckpointKind.FORK_CLONED)
    assert cloned.done and cloned.done_at == seen_at
    assert "not visible now" in cloned.evidence


# --- the rules, on hand-made facts --------------------------------------------------------------


def facts(**changes: object) -> Facts:
    return replace(Facts(observed_at=T0 + timedelta(hours=1)), **changes)  # type: ignore[arg-type]


def test_first_seen_time_wins_over_now() -> None:
    journey = Journey(project=PROJECT)
    seen = {"project-chosen": T0}
    status = evaluate(SESSION, facts(work=(WorkFacts("practice", journey),), first_seen=seen))[0]
    assert (status.done, status.done_at) == (True, T0)
    fresh = evaluate(SESSION, facts(work=(WorkFacts("practice", journey),)))[0]
    assert fresh.done_at == T0 + timedelta(hours=1)  # never seen before: seen now


def test_events_give_their_own_time_and_the_earliest_counts() -> None:
    later = SessionEvent(
        "review_given", at=T0 + timedelta(minutes=30), extra={"url": "https://x/1"}
    )
    earlier = SessionEvent("review_given", at=T0 + timedelta(minutes=10))
    statuses = {s.kind: s for s in evaluate(SESSION, facts(events=(later, earlier)))}
    review = statuses[CheckpointKind.REVIEW_GIVEN]
    assert (review.done, review.done_at) == (True, T0 + timedelta(minutes=10))
    assert not statuses[CheckpointKind.NONCODE_DONE].done
    noncode = SessionEvent.noncode_done(lane="translation", url="https://x/2")
    status = {s.kind: s for s in evaluate(SESSION, facts(events=(noncode,)))}[
        CheckpointKind.NONCODE_DONE
    ]
    assert status.evidence == "recorded a non-code contribution (translation): https://x/2"


def test_a_pushed_branch_needs_a_yes_not_a_cannot_say() -> None:
    journey = Journey(project=PROJECT, fork="learner/hello-docs", work_branch="issue-1-fix")
    unknown = WorkFacts("practice", journey, clone_exists=True, work_branch_on_origin=None)
    remembered = replace(unknown, work_branch_on_origin=True)

    def pushed(work: WorkFacts) -> CheckpointStatus:
        return next(s for s in evaluate(SESSION, facts(work=(work,))) if s.id == "branch-pushed")

    assert not pushed(unknown).done
    assert pushed(remembered).done
    assert "as of your last push or fetch" in pushed(remembered).evidence


def test_any_saved_journey_can_satisfy_a_checkpoint() -> None:
    github = WorkFacts("api.github.com", Journey(project="pallets/flask"))
    practice = WorkFacts("practice", Journey(project=PROJECT, fork="learner/hello-docs"))
    statuses = {s.kind: s for s in evaluate(SESSION, facts(work=(github, practice)))}
    assert statuses[CheckpointKind.PROJECT_CHOSEN].evidence == "chose pallets/flask"
    assert statuses[CheckpointKind.FORK_CREATED].evidence == "your fork learner/hello-docs exists"


# --- a real test run, recorded from its result --------------------------------------------------


def run(argv: tuple[str, ...], tmp_path: Path, *, timeout: float | None = 30) -> StepResult:
    step = SetupStep(argv, "run the tests")
    return run_step(
        step, tmp_path, on_output=lambda _line: None, cancel=threading.Event(), timeout=timeout
    )


def test_a_real_test_run_ticks_tests_ran_with_its_exit_code(
    state_store: StateStore, tmp_path: Path
) -> None:
    failing = run((sys.executable, "-c", "import sys; sys.exit(3)"), tmp_path)
    assert record_test_run(state_store, failing) is False  # no session joined: nothing kept
    state_store.join_session(SESSION.id)
    hung = run((sys.executable, "-c", "import time; time.sleep(30)"), tmp_path, timeout=0.5)
    assert hung.timed_out
    assert record_test_run(state_store, hung)
    statuses = {s.kind: s for s in evaluate(SESSION, gather_facts(state_store, SESSION.id))}
    assert not statuses[CheckpointKind.TESTS_RAN].done  # a stopped run judged nothing

    assert record_test_run(state_store, failing)
    statuses = {s.kind: s for s in evaluate(SESSION, gather_facts(state_store, SESSION.id))}
    assert statuses[CheckpointKind.TESTS_RAN].done
    assert statuses[CheckpointKind.TESTS_RAN].evidence == "the tests ran (exit code 3: some failed)"


def test_first_pr_merged_is_judged_from_the_recorded_merge(tmp_path: Path) -> None:
    from onboard.core.contributions.record import ContributionKind, ContributionRecord
    from onboard.core.sessions.checkpoints import MergeFact

    def merged(merges: tuple[MergeFact, ...]) -> CheckpointStatus:
        statuses = evaluate(SESSION, facts(merges=merges))
        return next(s for s in statuses if s.kind is CheckpointKind.FIRST_PR_MERGED)

    assert CheckpointKind.FIRST_PR_MERGED.default_title == "First pull request merged"
    assert not merged(()).done
    assert merged(()).evidence == "no pull request of yours seen merged yet"
    later = MergeFact("practice", PROJECT, 9, "https://x/9", T0 + timedelta(days=2))
    first = MergeFact("practice", PROJECT, 4, "https://x/4", T0)
    status = merged((later, first))
    assert (status.done, status.done_at) == (True, T0)
    assert status.evidence == f"pull request {PROJECT}#4 was merged: https://x/4"

    # From the state file: a pull request is merged once My contributions saw it merged.
    store = StateStore(tmp_path / "state.json")
    record = ContributionRecord(ContributionKind.PULL, PROJECT, 4, "https://x/4", "Fix", T0)
    store.record_contribution("practice", record)
    gathered = gather_facts(store, SESSION.id, check_remote=False)
    assert not gathered.merges
    store.observe_contributions("practice", {record.key: "merged"}, T0 + timedelta(hours=5))
    gathered = gather_facts(store, SESSION.id, check_remote=False)
    assert [(m.number, m.merged_at) for m in gathered.merges] == [(4, T0 + timedelta(hours=5))]
