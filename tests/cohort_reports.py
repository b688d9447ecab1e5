"""Learners' JSON reports made by the real report code, at fixed moments, for mentor-side tests.

Each sample learner's progress (checkpoints first seen at given minutes after joining, "I'm
stuck" moments, test runs, reviews, non-code work) goes through :func:`build_report` and the
JSON renderer, exactly as ``onboard report --format json`` writes it. Fixed times (not "now")
keep the dashboard's snapshot the same on every run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from onboard.core.journey import Journey
from onboard.core.sessions.checkpoints import Facts, WorkFacts
from onboard.core.sessions.progress import SessionEvent, SessionProgress
from onboard.core.sessions.report import Learner, build_report
from onboard.core.sessions.report_render import render
from onboard.core.sessions.session import load_session

REPO_ROOT = Path(__file__).resolve().parents[1]
SESSION = load_session(REPO_ROOT / "guides" / "sessions" / "workshop-example.toml")
#: When every sample learner joined: the example workshop's start (14:05 in Paris).
JOINED = datetime(2025, 6, 12, 12, 5, tzinfo=UTC)


def minute(offset: float) -> datetime:
    return JOINED + timedelta(minutes=offset)


@dataclass(frozen=True)
class Stuck:
    minute: int
    barrier: str | None
    text: str
    step: str = "work"
    resolved: int | None = None


@dataclass(frozen=True)
class SampleLearner:
    file: str
    name: str | None
    #: Checkpoint id -> minute after joining it was first seen done.
    reached: Mapping[str, int] = field(default_factory=dict)
    stuck: Sequence[Stuck] = ()
    journey: Journey | None = None
    tests: Sequence[int] = ()
    reviews: Sequence[int] = ()
    noncode: Sequence[tuple[int, str]] = ()
    #: Minute after joining the report was written.
    written: int = 90


def _events(learner: SampleLearner) -> tuple[SessionEvent, ...]:
    events = [
        SessionEvent(
            "stuck",
            at=minute(s.minute),
            step=s.step,
            barrier=s.barrier,
            text=s.text,
            resolved_at=minute(s.resolved) if s.resolved is not None else None,
        )
        for s in learner.stuck
    ]
    events += [
        SessionEvent("tests_ran", at=minute(m), extra={"exit_code": 0}) for m in learner.tests
    ]
    events += [
        SessionEvent("review_given", at=minute(m), text="Looks good") for m in learner.reviews
    ]
    events += [
        SessionEvent("noncode_done", at=minute(m), extra={"lane": lane})
        for m, lane in learner.noncode
    ]
    return tuple(sorted(events, key=lambda event: event.at))


def write_report(learner: SampleLearner, folder: Path) -> Path:
    """``learner``'s report as ``folder/<file>``, as ``onboard report --format json`` writes it."""
    progress = SessionProgress(
        SESSION.id,
        joined_at=JOINED,
        title=SESSION.title,
        checkpoints={key: minute(m) for key, m in learner.reached.items()},
        events=_events(learner),
    )
    facts = Facts(
        observed_at=minute(learner.written),
        work=(WorkFacts("practice", learner.journey),) if learner.journey else (),
        events=progress.events,
        first_seen=progress.checkpoints,
    )
    report = build_report(
        SESSION,
        progress,
        facts,
        learner=Learner(learner.name),
        workspace_root=folder / "workspace",
        generated_at=minute(learner.written),
    )
    file = folder / learner.file
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(render(report, "json"), encoding="utf-8")
    return file


ADA = SampleLearner(
    "ada.json",
    "Ada",
    {"chosen": 5, "cloned": 20, "tests": 28, "claimed": 40, "pushed": 70, "draft-pr": 80},
    [Stuck(15, "technical-hurdles", "the clone hangs", step="setup", resolved=18)],
    Journey(
        project="practice/hello-docs",
        fork="ada/hello-docs",
        issue=1,
        claim_url="http://127.0.0.1:1/practice/hello-docs/issues/1#issuecomment-1",
        pull_request=11,
        pull_url="http://127.0.0.1:1/practice/hello-docs/pull/11",
    ),
    tests=[28],
    reviews=[88],
)
BO = SampleLearner(
    "bo.json",
    "Bo",
    {"chosen": 10, "cloned": 40},
    [Stuck(45, "technical-hurdles", "pytest: command not found [red]?[/]", step="setup")],
    Journey(project="practice/tiny-calc", fork="bo/tiny-calc"),
)
CHEN = SampleLearner(
    "chen.json",
    "Chen",
    {"chosen": 7, "cloned": 25, "tests": 35},
    [
        Stuck(50, "finding-a-task", "so many issues", step="issues", resolved=55),
        Stuck(80, "social-interaction", "May I really comment on a stranger's issue?", "issue"),
    ],
    Journey(project="practice/kind-words", fork="chen/kind-words"),
    tests=[35],
    noncode=[(60, "translation")],
)
DEE = SampleLearner("dee.json", None, {"chosen": 12}, written=30)
COHORT = (ADA, BO, CHEN, DEE)
