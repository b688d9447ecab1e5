"""A learner counted twice skews every number: each learner's report counts once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from onboard.core.sessions import progress as sessions
from onboard.core.sessions.cohort import load_reports, summarise
from onboard.core.sessions.progress import SessionProgress
from tests.cohort_reports import ADA, BO, write_report


def _with_id(file: Path, learner_id: str, generated_at: str | None = None) -> Path:
    data = json.loads(file.read_text(encoding="utf-8"))
    data["learner"]["id"] = learner_id
    if generated_at:
        data["generated_at"] = generated_at
    file.write_text(json.dumps(data), encoding="utf-8")
    return file


def test_an_identical_copy_of_a_report_counts_once(tmp_path: Path) -> None:
    ada = write_report(ADA, tmp_path)
    copy = tmp_path / "shared" / "ada-again.json"
    copy.parent.mkdir()
    shutil.copy(ada, copy)
    reports, problems = load_reports([ada, copy, write_report(BO, tmp_path)])
    assert summarise(reports)["learners"] == 2
    assert [p.file for p in problems] == [ada]  # the later file of two equals is kept
    assert "counted once" in problems[0].reason


def test_the_same_learner_re_exported_counts_once_with_the_newest_report(tmp_path: Path) -> None:
    learner_id = "a" * 32
    older = _with_id(write_report(ADA, tmp_path / "1"), learner_id, "2025-06-12T13:00:00Z")
    newer = _with_id(write_report(BO, tmp_path / "2"), learner_id, "2025-06-12T13:30:00Z")
    reports, problems = load_reports([newer, older])
    assert [r.file for r in reports] == [newer]
    assert [p.file for p in problems] == [older]
    assert str(newer) in problems[0].reason


def test_two_learners_with_the_same_name_are_two_learners(tmp_path: Path) -> None:
    one = _with_id(write_report(ADA, tmp_path / "1"), "1" * 32)
    two = _with_id(write_report(ADA, tmp_path / "2"), "2" * 32)
    reports, problems = load_reports([one, two])
    assert (len(reports), problems) == (2, [])


def test_joining_a_session_gives_the_learner_a_random_id_once() -> None:
    data: dict[str, object] = {}
    sessions.join(data, "workshop")
    first = SessionProgress.from_dict("workshop", data["sessions"]["workshop"]).learner_id  # type: ignore[index]
    sessions.join(data, "workshop")
    again = SessionProgress.from_dict("workshop", data["sessions"]["workshop"]).learner_id  # type: ignore[index]
    other: dict[str, object] = {}
    sessions.join(other, "workshop")
    elsewhere = SessionProgress.from_dict("workshop", other["sessions"]["workshop"]).learner_id  # type: ignore[index]
    assert first is not None and sessions.is_learner_id(first)
    assert first == again
    assert elsewhere != first
