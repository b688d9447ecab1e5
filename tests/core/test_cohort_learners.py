"""One row per learner for the mentor dashboard, from reports made by the real report code.

Sample learners (tests/cohort_reports.py) reach checkpoints, get stuck and contribute at fixed
minutes after joining, so every number on a row can be checked exactly. Also: the orders a
mentor sorts learners in, and turning files and folders into the reports to read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onboard.core.sessions.cohort import LearnerRow, learner_rows, load_reports, summarise
from onboard.core.sessions.learner_order import MAIN_ORDERS, next_order, ordered
from onboard.core.sessions.report_folder import MAX_FOLDER_FILES, fingerprint, report_files
from tests.cohort_reports import COHORT, JOINED, SampleLearner, Stuck, minute, write_report

NOW = minute(95)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for learner in COHORT:
        write_report(learner, tmp_path / "reports")
    return tmp_path / "reports"


def rows_of(files: list[Path]) -> dict[str, LearnerRow]:
    loaded, problems = load_reports(files)
    assert problems == []
    return {row.label: row for row in learner_rows(loaded, now=NOW)}


def test_a_row_per_learner_says_where_they_are_and_whether_they_wait(folder: Path) -> None:
    rows = rows_of(report_files([folder])[0])
    assert list(rows) == ["Ada", "Bo", "Chen", "anonymous"]  # the files' order, by name

    ada = rows["Ada"]
    assert (ada.reached, ada.of, ada.current_id, ada.current_title) == (7, 7, None, None)
    assert ada.progress_at == minute(88)  # her review, the last checkpoint she reached
    assert ada.minutes_since_progress == 7.0
    assert ada.stuck is None and ada.minutes_stuck is None  # she said she was unstuck
    assert (ada.pull_requests, ada.reviews, ada.noncode) == (1, 1, 0)
    assert ada.session == "practice-workshop-example"
    assert ada.file == str(folder / "ada.json")

    bo = rows["Bo"]
    assert (bo.reached, bo.of) == (2, 7)
    assert (bo.current_id, bo.current_title) == ("tests", "The tests ran")
    assert (bo.progress_at, bo.minutes_since_progress) == (minute(40), 55.0)
    assert bo.stuck is not None
    assert (bo.stuck.step, bo.stuck.barrier, bo.stuck.barrier_title) == (
        "setup",
        "technical-hurdles",
        "Technical hurdles",
    )
    assert bo.stuck.text == "pytest: command not found [red]?[/]"  # data, as typed
    assert bo.minutes_stuck == 50.0
    assert (bo.pull_requests, bo.reviews, bo.noncode) == (0, 0, 0)

    chen = rows["Chen"]
    assert chen.stuck is not None and chen.stuck.barrier == "social-interaction"  # the open one
    assert chen.minutes_stuck == 15.0
    assert (chen.reached, chen.current_id, chen.noncode) == (3, "claimed", 1)

    dee = rows["anonymous"]
    assert (dee.reached, dee.minutes_since_progress, dee.stuck) == (1, 83.0, None)
    assert dee.generated_at == minute(30)  # an old report: the dashboard says how old


def test_rows_agree_with_the_summary(folder: Path) -> None:
    loaded, problems = load_reports(report_files([folder])[0])
    summary = summarise(loaded, problems)
    rows = learner_rows(loaded, now=NOW)
    assert [row.label for row in rows] == [entry["learner"] for entry in summary["files"]]
    assert {row.label for row in rows if row.stuck} == {s["learner"] for s in summary["stuck_now"]}
    assert sum(row.pull_requests for row in rows) == summary["totals"]["pull_requests"]
    assert sum(row.reviews for row in rows) == summary["totals"]["reviews"]
    assert sum(row.noncode for row in rows) == summary["totals"]["noncode"]
    reached = {c["id"]: c["reached"] for c in summary["checkpoints"]}
    assert sum(row.reached for row in rows) == sum(reached.values())


def test_a_learner_who_reached_nothing_is_counted_from_joining(tmp_path: Path) -> None:
    file = write_report(SampleLearner("new.json", "Eve", written=10), tmp_path)
    (row,) = rows_of([file]).values()
    assert (row.reached, row.of, row.current_id) == (0, 7, "chosen")
    assert (row.progress_at, row.minutes_since_progress) == (JOINED, 95.0)


def test_two_anonymous_learners_are_told_apart_by_file(tmp_path: Path) -> None:
    files = [
        write_report(SampleLearner("one.json", None), tmp_path),
        write_report(SampleLearner("two.json", None, stuck=[Stuck(5, None, "hm")]), tmp_path),
    ]
    rows = rows_of(files)
    assert list(rows) == ["anonymous (one.json)", "anonymous (two.json)"]
    stuck = rows["anonymous (two.json)"].stuck
    assert stuck is not None
    assert (stuck.barrier, stuck.barrier_title, stuck.text) == (None, None, "hm")


def test_a_minimal_report_gives_a_row_of_unknowns(tmp_path: Path) -> None:
    """Only the keys the schema requires: nothing to count, no time known, still a row."""
    file = tmp_path / "minimal.json"
    file.write_text(
        json.dumps(
            {
                "format": "onboard-report/1",
                "learner": {"name": "Min\x1b]0;x\x07"},
                "session": {"id": "s", "title": "t"},
                "checkpoints": [{"id": "a", "title": "A", "done": False}],
            }
        )
    )
    (row,) = rows_of([file]).values()
    assert row.label == "Min"  # the whole terminal escape sequence removed
    assert (row.reached, row.of, row.current_id) == (0, 1, "a")
    assert (row.progress_at, row.minutes_since_progress, row.generated_at) == (None, None, None)
    assert (row.pull_requests, row.reviews, row.noncode, row.stuck) == (0, 0, 0, None)


def test_orders(folder: Path) -> None:
    rows = list(rows_of(report_files([folder])[0]).values())

    def labels(order: str, reverse: bool = False) -> list[str]:
        return [row.label for row in ordered(rows, order, reverse=reverse)]

    assert labels("stuck") == ["Bo", "Chen", "anonymous", "Ada"]  # longest stuck first
    assert labels("progress") == ["anonymous", "Bo", "Chen", "Ada"]
    assert labels("progress", reverse=True) == ["Ada", "Chen", "Bo", "anonymous"]
    assert labels("name") == ["Ada", "anonymous", "Bo", "Chen"]
    assert labels("quiet") == ["anonymous", "Chen", "Bo", "Ada"]
    assert labels("report")[0] == "anonymous"  # the oldest report
    assert labels("noncode")[0] == "Chen"
    assert [next_order(o) for o in MAIN_ORDERS] == ["name", "stuck", "progress"]
    assert next_order("reviews") == "progress"


def test_report_files_from_folders_and_files(folder: Path, tmp_path: Path) -> None:
    (folder / ".ada.json.part").write_text("{")
    (folder / ".hidden.json").write_text("{")
    (folder / "notes.txt").write_text("not a report")
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.json").write_text("{}")
    missing = tmp_path / "missing.json"
    files, problems = report_files([folder, folder / "bo.json", missing])
    assert problems == []
    assert files == [
        folder / "ada.json",
        folder / "bo.json",  # named twice, read once
        folder / "chen.json",
        folder / "dee.json",
        missing,  # named explicitly: kept, so the dashboard can say it does not exist
    ]


def test_an_absurd_folder_is_read_in_part_and_says_so(tmp_path: Path) -> None:
    for index in range(MAX_FOLDER_FILES + 2):
        (tmp_path / f"{index:05}.json").touch()
    files, problems = report_files([tmp_path])
    assert len(files) == MAX_FOLDER_FILES
    (problem,) = problems
    assert f"only the first {MAX_FOLDER_FILES:,}" in problem.reason


def test_fingerprint_changes_when_a_report_is_added_rewritten_or_removed(folder: Path) -> None:
    def mark() -> tuple[tuple[str, int, int], ...]:
        return fingerprint(report_files([folder])[0])

    before = mark()
    assert mark() == before  # nothing changed: nothing to read again
    write_report(SampleLearner("eve.json", "Eve"), folder)
    added = mark()
    assert added != before
    (folder / "bo.json").write_text((folder / "bo.json").read_text() + " ")
    rewritten = mark()
    assert rewritten != added
    (folder / "eve.json").unlink()
    assert mark() not in (before, added, rewritten)
