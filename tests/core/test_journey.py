"""The journey state machine: the current step is derived from recorded facts."""

from __future__ import annotations

import pytest

from onboard.core.journey import (
    DEFAULT_BRANCH_NAME,
    STAGE_OF,
    STEP_TITLES,
    Journey,
    Stage,
    Status,
    Step,
)

# Each row adds one fact to the previous one.
PROGRESS: list[tuple[dict[str, object], Step, Stage]] = [
    ({}, Step.CHOOSE_PROJECT, Stage.CHOOSE),
    ({"project": "practice/tiny-calc"}, Step.FORK, Stage.SETUP),
    ({"fork": "learner/tiny-calc"}, Step.CLONE, Stage.SETUP),
    ({"clone_path": "/home/l/onboard-projects/practice/tiny-calc"}, Step.UPSTREAM, Stage.SETUP),
    ({"upstream_added": True}, Step.BRANCH, Stage.SETUP),
    ({"branch": "first-contribution"}, Step.FIND_ISSUE, Stage.FIND),
    ({"issue": 7}, Step.WORK, Stage.WORK),
    ({"pull_request": 8}, Step.OPEN_PR, Stage.SHARE),
]


def journey_at(index: int) -> Journey:
    facts: dict[str, object] = {}
    for added, _, _ in PROGRESS[: index + 1]:
        facts.update(added)
    return Journey(**facts)  # type: ignore[arg-type]


@pytest.mark.parametrize("index", range(len(PROGRESS)))
def test_current_step_and_stage_follow_the_facts(index: int) -> None:
    journey = journey_at(index)
    _, step, stage = PROGRESS[index]
    assert journey.current_step is step
    assert journey.stage is stage
    assert journey.is_set_up == (index >= 5)


def test_step_tables_cover_every_step() -> None:
    assert set(STAGE_OF) == set(Step)
    assert set(STEP_TITLES) == set(Step)


def test_a_missing_earlier_fact_wins_over_later_ones() -> None:
    # A branch recorded without a clone still means "clone" is what is left to do.
    journey = Journey(project="a/b", fork="me/b", branch="x", issue=3)
    assert journey.current_step is Step.CLONE


def test_issue_number_zero_counts_as_chosen() -> None:
    journey = journey_at(5)
    journey.issue = 0
    assert journey.current_step is Step.WORK


def statuses(journey: Journey) -> list[Status]:
    pairs = journey.stage_statuses()
    assert [stage for stage, _ in pairs] == list(Stage)
    return [status for _, status in pairs]


D, C, T = Status.DONE, Status.CURRENT, Status.TODO


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, [C, T, T, T, T]),
        (1, [D, C, T, T, T]),
        (4, [D, C, T, T, T]),
        (5, [D, D, C, T, T]),
        (6, [D, D, D, C, T]),
        (7, [D, D, D, D, D]),
    ],
)
def test_stage_statuses(index: int, expected: list[Status]) -> None:
    assert statuses(journey_at(index)) == expected


def test_choosing_another_project_drops_progress() -> None:
    journey = journey_at(6)
    journey.updated_at = "2024-01-01T00:00:00Z"
    journey.choose("practice/hello-docs")
    assert journey == Journey(project="practice/hello-docs")
    assert journey.current_step is Step.FORK


def test_choosing_the_same_project_keeps_progress() -> None:
    journey = journey_at(6)
    before = journey.to_dict()
    journey.choose("practice/tiny-calc")
    assert journey.to_dict() == before
    assert journey.current_step is Step.WORK


def test_first_choice() -> None:
    journey = Journey()
    journey.choose("a/b")
    assert journey.project == "a/b"
    assert journey.current_step is Step.FORK


def test_dict_round_trip() -> None:
    journey = journey_at(7)
    journey.updated_at = "2024-05-06T07:08:09Z"
    assert Journey.from_dict(journey.to_dict()) == journey
    assert set(journey.to_dict()) == {
        "project",
        "fork",
        "clone_path",
        "clone_target",
        "upstream_added",
        "branch",
        "issue",
        "claim_url",
        "work_branch",
        "pull_request",
        "pull_url",
        "updated_at",
    }


def test_from_dict_ignores_unknown_keys_and_defaults_missing_ones() -> None:
    journey = Journey.from_dict({"project": "a/b", "fork": "me/b", "from_the_future": [1, 2]})
    assert journey == Journey(project="a/b", fork="me/b")
    assert Journey.from_dict({}) == Journey()


def test_hints_name_the_branch_and_the_clone() -> None:
    at_branch = journey_at(4)
    assert f"'{DEFAULT_BRANCH_NAME}'" in at_branch.next_hint()

    working = journey_at(6)
    working.branch = "fix-typo"
    hint = working.next_hint()
    assert "/home/l/onboard-projects/practice/tiny-calc" in hint
    assert "'fix-typo'" in hint


def test_every_step_has_a_one_sentence_hint() -> None:
    hints = [journey_at(index).next_hint() for index in range(len(PROGRESS))]
    assert len(set(hints)) == len(hints)
    assert all(hint and "\n" not in hint for hint in hints)


def test_issue_branch_names_are_safe_and_say_which_issue() -> None:
    from onboard.core.journey import issue_branch_name

    assert (
        issue_branch_name(12, "Fix a typo: 'recieve' → receive")
        == "issue-12-fix-a-typo-recieve-receive"
    )
    assert issue_branch_name(3, "🌱 Ünïcödé [/] \x1b]0;x -- --force") == "issue-3-unicode-0-x-force"
    assert issue_branch_name(7, "") == "issue-7"
    long = issue_branch_name(1, "word " * 50)
    assert len(long) <= 60 and long.startswith("issue-1-word")
