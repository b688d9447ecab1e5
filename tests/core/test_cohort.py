"""Cohort summaries from several generated learners: each learner's progress is written to a real
state file through StateStore, reported with the real report code, then summarised. Foreign
or broken files are named and left out; hostile text stays inert."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from onboard.core.journey import Journey
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.checkpoints import CheckpointStatus
from onboard.core.sessions.cohort import (
    SUMMARY_FORMAT,
    ReportFileError,
    load_report,
    load_reports,
    render_summary,
    summarise,
)
from onboard.core.sessions.progress import SessionEvent, now_utc, utc_stamp
from onboard.core.sessions.report import Learner, build_report
from onboard.core.sessions.report_render import render
from onboard.core.sessions.session import load_session
from onboard.core.storage.state import StateStore
from onboard.flows.session_facts import gather_facts

REPO_ROOT = Path(__file__).resolve().parents[2]
SESSION = load_session(REPO_ROOT / "guides" / "sessions" / "workshop-example.toml")
HOSTILE = "<img src=x onerror=alert(1)> | `x` [link](javascript:alert(1)) \x1b]0;title\x07"


@dataclass
class GeneratedLearner:
    """A generated learner: checkpoint minutes after joining, and their stuck moments."""

    file: str
    name: str | None
    reached: dict[str, int] = field(default_factory=dict)
    #: (minute, barrier, text, resolved by the learner at minute or None)
    stuck: list[tuple[int, str, str, int | None]] = field(default_factory=list)
    journey: Journey | None = None


LEARNERS = [
    GeneratedLearner(
        "ada.json",
        "Ada",
        {"chosen": 5, "cloned": 20, "claimed": 50, "pushed": 70, "draft-pr": 80},
        [(15, "technical-hurdles", "clone hangs", None)],
        Journey(
            project="practice/hello-docs",
            fork="learner/hello-docs",
            issue=1,
            claim_url="http://127.0.0.1:1/practice/hello-docs/issues/1#issuecomment-1",
            pull_request=11,
            pull_url="http://127.0.0.1:1/practice/hello-docs/pull/11",
        ),
    ),
    GeneratedLearner(
        "bo.json",
        "Bo",
        {"chosen": 10, "cloned": 40},
        [(45, "technical-hurdles", HOSTILE, None)],
        Journey(project="practice/tiny-calc", fork="learner/tiny-calc"),
    ),
    GeneratedLearner(
        "l3.json",
        None,
        {"chosen": 7},
        [(10, "finding-a-task", "too many issues", 12), (30, "social-interaction", "shy", None)],
        Journey(project="practice/kind-words"),
    ),
    GeneratedLearner("l4.json", None),
]


def generate(learner: GeneratedLearner, root: Path) -> Path:
    """One learner's state file, written through StateStore, then their JSON report."""
    store = StateStore(root / learner.file.removesuffix(".json") / "state.json")
    store.join_session(SESSION.id, SESSION.title)
    joined = now_utc() - timedelta(hours=3)  # the workshop started three hours ago
    store.update(lambda data: data["sessions"][SESSION.id].update(joined_at=utc_stamp(joined)))

    def at(minute: int) -> datetime:
        return joined + timedelta(minutes=minute)

    if learner.journey is not None:
        store.save_journey("practice", learner.journey)
    store.mark_checkpoints(
        SESSION.id,
        [
            CheckpointStatus(key, key, CheckpointKind.PROJECT_CHOSEN, True, at(minute), "")
            for key, minute in learner.reached.items()
        ],
    )
    for minute, barrier, text, resolved in learner.stuck:
        event = SessionEvent(
            "stuck",
            at=at(minute),
            step="work",
            barrier=barrier,
            text=text,
            resolved_at=at(resolved) if resolved is not None else None,
        )
        store.record_session_event(SESSION.id, event)
    report = build_report(
        SESSION,
        store.session_progress(SESSION.id),
        gather_facts(store, SESSION.id, check_remote=False),
        learner=Learner(learner.name),
        workspace_root=root / "ws",
        generated_at=now_utc(),
    )
    file = root / "reports" / learner.file
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(render(report, "json"), encoding="utf-8")
    return file


@pytest.fixture
def reports(tmp_path: Path) -> list[Path]:
    return [generate(learner, tmp_path) for learner in LEARNERS]


def test_summary_of_generated_learners(reports: list[Path]) -> None:
    loaded, problems = load_reports(reports)
    assert problems == []
    summary = summarise(loaded)
    assert summary["format"] == SUMMARY_FORMAT
    assert summary["learners"] == 4
    assert summary["sessions"] == ["practice-workshop-example"]
    assert [f["learner"] for f in summary["files"]] == [
        "Ada",
        "Bo",
        "anonymous (l3.json)",
        "anonymous (l4.json)",
    ]
    checkpoints = {row["id"]: row for row in summary["checkpoints"]}
    assert list(checkpoints) == [c.id for c in SESSION.checkpoints]
    assert checkpoints["chosen"] == {
        "id": "chosen",
        "title": "You chose a project",
        "reached": 3,
        "of": 4,
        "skipped": 0,
        "median_minutes_from_join": 7.0,
        "planned_minutes_from_start": 20,  # the agenda's "Choose a project" ends at minute 20
    }
    assert (
        checkpoints["cloned"]["reached"],
        checkpoints["cloned"]["median_minutes_from_join"],
    ) == (
        2,
        30.0,
    )
    assert checkpoints["review"]["reached"] == 0
    assert checkpoints["review"]["median_minutes_from_join"] is None

    steps = {row["checkpoint"]: row for row in summary["time_per_step"]}
    assert (steps["chosen"]["learners"], steps["chosen"]["median_minutes"]) == (3, 7.0)
    assert (steps["cloned"]["median_minutes"], steps["cloned"]["planned_minutes"]) == (22.5, 20)
    assert steps["draft-pr"]["median_minutes"] == 10.0

    barriers = {row["barrier"]: row for row in summary["barriers"]}
    assert barriers["technical-hurdles"] == {
        "barrier": "technical-hurdles",
        "title": "Technical hurdles",
        "stuck": 2,
        "unresolved": 1,  # Ada's was resolved by reaching "cloned" after it
        "learners": 2,
    }
    assert (barriers["finding-a-task"]["stuck"], barriers["finding-a-task"]["unresolved"]) == (1, 0)
    assert barriers["social-interaction"]["unresolved"] == 1
    assert barriers["documentation"]["stuck"] == 0

    stuck = [(row["learner"], row["barrier"]) for row in summary["stuck_now"]]
    assert stuck == [
        ("anonymous (l3.json)", "social-interaction"),
        ("Bo", "technical-hurdles"),
    ]
    assert summary["totals"] == {
        "issues_claimed": 1,
        "pull_requests": 1,
        "reviews": 0,
        "noncode": 0,
        "test_runs": 0,
        "stuck_events": 4,
    }


def test_markdown_summary_is_readable_and_inert(reports: list[Path]) -> None:
    markdown = render_summary(summarise(*load_reports(reports)), "md")
    assert "\x1b" not in markdown
    assert "| You chose a project | 3 of 4 | 7 | 20 |" in markdown
    assert "| Technical hurdles | 2 | 1 | 2 |" in markdown
    assert "| Your fork is on your computer | 2 | 22.5 | 20 |" in markdown
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    stuck_section = html.split("<h2>Stuck right now</h2>")[1]
    assert "<img" not in stuck_section and "<a " not in stuck_section
    assert "<code>" not in stuck_section
    assert "&lt;img src=x onerror=alert(1)&gt; | `x` [link](javascript:alert(1))" in stuck_section
    # The pipe in Bo's text did not add a column: the row still has five cells.
    bo_row = next(row for row in stuck_section.split("<tr>") if "Bo" in row)
    assert bo_row.count("<td>") == 5


def test_json_summary_round_trips(reports: list[Path]) -> None:
    text = render_summary(summarise(*load_reports(reports)), "json")
    parsed = json.loads(text)
    assert "\x1b" not in text
    bo = next(row for row in parsed["stuck_now"] if row["learner"] == "Bo")
    assert bo["text"].startswith("<img src=x onerror=alert(1)>")  # data, not markup


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_foreign_and_broken_files_are_named_and_the_rest_still_summarised(
    reports: list[Path], tmp_path: Path
) -> None:
    good = json.loads(reports[0].read_text())
    bad_time = {**good, "checkpoints": [{**good["checkpoints"][0], "done_at": "yesterday"}]}
    bad = {
        "pack": _write(tmp_path / "bad" / "pack.toml", 'format = 1\nname = "x"\n'),
        "other": _write(tmp_path / "bad" / "other.json", json.dumps({"format": "other/2"})),
        "list": _write(tmp_path / "bad" / "list.json", "[1, 2]"),
        "cut": _write(tmp_path / "bad" / "cut.json", reports[0].read_text()[:200]),
        "time": _write(tmp_path / "bad" / "time.json", json.dumps(bad_time)),
        "deep": _write(tmp_path / "bad" / "deep.json", "[" * 100_000 + "]" * 100_000),
        "latin1": _write(tmp_path / "bad" / "latin1.json", b'{"format": "caf\xe9"}'),
        "missing": tmp_path / "bad" / "missing.json",
        "folder": tmp_path / "bad",
    }
    loaded, problems = load_reports([*reports, *bad.values()])
    assert len(loaded) == 4
    reasons = {problem.file: problem.reason for problem in problems}
    assert set(reasons) == set(bad.values())
    assert "not JSON" in reasons[bad["pack"]]
    assert "its format is 'other/2'" in reasons[bad["other"]]
    assert "no format" in reasons[bad["list"]]
    assert "not JSON" in reasons[bad["cut"]]
    assert reasons[bad["time"]] == (
        "checkpoints[0].done_at: expected a UTC time such as 2025-06-12T14:03:00Z or null, "
        "got 'yesterday'"
    )
    assert "not JSON" in reasons[bad["deep"]]
    assert "not UTF-8" in reasons[bad["latin1"]]
    assert "does not exist" in reasons[bad["missing"]]
    assert "is a folder" in reasons[bad["folder"]]
    summary = summarise(loaded, problems)
    assert summary["learners"] == 4
    assert {p["file"] for p in summary["problems"]} == {str(path) for path in bad.values()}
    markdown = render_summary(summary, "md")
    assert "## Files left out" in markdown


def test_a_huge_report_is_refused_without_parsing_it(tmp_path: Path) -> None:
    huge = _write(tmp_path / "huge.json", '{"format": "onboard-report/1", "x": "' + "a" * 6_000_000)
    with pytest.raises(ReportFileError) as refused:
        load_report(huge)
    assert "too large" in str(refused.value)
    assert str(refused.value).startswith(str(huge))


def test_reports_from_several_sessions_are_flagged(reports: list[Path], tmp_path: Path) -> None:
    other: dict[str, Any] = json.loads(reports[0].read_text())
    other["session"]["id"] = "another-session"
    moved = _write(tmp_path / "other.json", json.dumps(other))
    summary = summarise(load_reports([*reports, moved])[0])
    assert summary["sessions"] == ["another-session", "practice-workshop-example"]
    assert "different sessions" in render_summary(summary, "md")
