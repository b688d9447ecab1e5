"""Checkpoints a project cannot offer (no tests to run) are skipped, never waited for, and the
mentor hears of it at ``session validate`` time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from onboard.core.journey import Journey, Status
from onboard.core.packs.loading import load_all_packs
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.checkpoints import Facts, WorkFacts, current_checkpoint, evaluate
from onboard.core.sessions.guided import guided_view
from onboard.core.sessions.progress import SessionEvent
from onboard.core.sessions.reachability import ProjectOffer, skip_reason
from onboard.core.sessions.report_render import render_markdown
from onboard.core.sessions.session import Session, load_session
from onboard.core.sessions.validation import validate_session_file, validate_session_source
from onboard.flows.session_facts import project_offer

EXAMPLE = Path(__file__).parents[2] / "guides" / "sessions" / "workshop-example.toml"
NOW = datetime(2025, 6, 12, 12, 45, tzinfo=UTC)
NO_TESTS = ProjectOffer("practice/hello-docs", False, "no test command")


@pytest.fixture(scope="module")
def session() -> Session:
    return load_session(EXAMPLE)


def cloned(project: str, clone: Path | None = None) -> WorkFacts:
    journey = Journey(project=project, fork="learner/x", clone_path=str(clone) if clone else None)
    return WorkFacts("practice", journey, clone_exists=clone is not None, origin_slug="learner/x")


def facts(offer: ProjectOffer | None, *events: SessionEvent) -> Facts:
    work = (cloned("practice/hello-docs", Path("/clone")),)
    return Facts(NOW, work=work, events=events, current_offer=offer)


def test_only_a_project_known_to_have_no_tests_skips_the_test_run() -> None:
    assert skip_reason(CheckpointKind.TESTS_RAN, NO_TESTS) == (
        "skipped: practice/hello-docs has no tests to run (no test command)"
    )
    assert skip_reason(CheckpointKind.TESTS_RAN, ProjectOffer("p/q", True)) is None
    assert skip_reason(CheckpointKind.TESTS_RAN, ProjectOffer("p/q", None)) is None
    assert skip_reason(CheckpointKind.TESTS_RAN, None) is None
    assert skip_reason(CheckpointKind.BRANCH_PUSHED, NO_TESTS) is None


def test_the_agenda_moves_past_a_test_run_the_project_cannot_have(session: Session) -> None:
    statuses = evaluate(session, facts(NO_TESTS))
    tests = next(s for s in statuses if s.kind is CheckpointKind.TESTS_RAN)
    assert (tests.done, tests.skipped, tests.done_at) == (False, True, None)
    current = current_checkpoint(statuses)
    assert current is not None and current.kind is CheckpointKind.ISSUE_CLAIMED
    view = guided_view(session, statuses, joined_at=None, now=NOW)
    row = next(r for r in view.rows if r.checkpoint is not None and r.checkpoint.id == tests.id)
    assert row.status is Status.DONE  # not the step the room waits on
    assert view.reached == 2  # chosen and cloned: a skipped checkpoint is not "reached"
    # Unknown (no clone yet, nothing in the pack): the learner is asked to run the tests.
    unknown = evaluate(session, facts(None))
    assert not next(s for s in unknown if s.kind is CheckpointKind.TESTS_RAN).skipped


def test_a_test_run_that_does_happen_counts_even_on_a_project_without_tests(
    session: Session,
) -> None:
    ran = replace(SessionEvent.tests_ran(0), at=NOW)
    tests = next(
        s for s in evaluate(session, facts(NO_TESTS, ran)) if s.kind is CheckpointKind.TESTS_RAN
    )
    assert (tests.done, tests.skipped) == (True, False)


def test_whether_a_project_has_tests_comes_from_its_pack_else_its_files(tmp_path: Path) -> None:
    packs, _errors = load_all_packs()
    by_pack = project_offer(cloned("practice/tiny-calc"), packs)
    assert by_pack is not None and by_pack.tests is True
    assert project_offer(cloned("practice/hello-docs"), packs) is None  # no clone: cannot tell
    (tmp_path / "README.md").write_text("docs only\n")
    bare = project_offer(cloned("practice/hello-docs", tmp_path), packs)
    assert bare is not None and bare.tests is False
    (tmp_path / "package.json").write_text('{"scripts": {"test": "node --test"}}')
    found = project_offer(cloned("practice/hello-docs", tmp_path), packs)
    assert found is not None and found.tests is True


def test_validate_warns_about_a_test_checkpoint_an_offered_project_skips() -> None:
    untested = {"practice/hello-docs": "practice", "practice/kind-words": "practice"}
    validation = validate_session_file(EXAMPLE, known_packs={"practice"}, untested=untested)
    assert validation.valid
    [warning] = [p for p in validation.problems if p.severity == "warning"]
    assert warning.key == "checkpoints[2].kind"
    assert warning.message.startswith(
        "practice/hello-docs, practice/kind-words have no test_command in their guide packs: "
        "learners who choose one skip this checkpoint"
    )
    # A session offering only projects with tests, or with no test checkpoint, is quiet.
    text = EXAMPLE.read_text()
    only_calc = text.replace(
        'projects = ["practice/hello-docs", "practice/tiny-calc", "practice/kind-words"]',
        'projects = ["practice/tiny-calc"]',
    ).split("[[issues]]")[0]
    quiet = validate_session_source(only_calc, EXAMPLE, known_packs={"practice"}, untested=untested)
    assert quiet.valid and quiet.problems == []


def test_the_report_says_a_checkpoint_was_skipped(session: Session) -> None:
    from onboard.core.sessions.progress import SessionProgress
    from onboard.core.sessions.report import Learner, build_report

    report = build_report(
        session,
        SessionProgress(session.id),
        facts(NO_TESTS),
        learner=Learner(None, None),
        workspace_root=Path("/nowhere"),
        generated_at=NOW,
    )
    [tests] = [c for c in report["checkpoints"] if c["kind"] == "tests_ran"]
    assert (tests["done"], tests["skipped"]) == (False, True)
    assert "➖ skipped" in render_markdown(report)
