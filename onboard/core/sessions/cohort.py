"""A cohort at a glance: many learners' JSON reports summarised for their mentor.

Each file is read defensively (bounded size, UTF-8, JSON, the ``onboard-report/1`` format and
its schema); a file that is not a usable report is named with the reason and left out, and the
others are still summarised. The summary answers a mentor's questions: how many reached each
checkpoint and how long it took them (median), which barriers people hit, who is stuck right now
and where, and how long each step takes compared with the agenda. :func:`learner_rows` gives the
mentor dashboard one row per learner: how far they got, what they are on, and whether they wait.

Every string in a report came from someone else's computer: it is sanitised here and escaped
when rendered as Markdown.
"""

from __future__ import annotations

import json
import os
import stat
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from onboard.core.barriers import BARRIERS
from onboard.core.contributions.counted import cohort_counts
from onboard.core.ospo.queries import METRICS
from onboard.core.schemas.problems import format_key, schema_messages, schema_validator, short
from onboard.core.sessions.progress import parse_stamp
from onboard.core.sessions.report import REPORT_FORMAT
from onboard.core.text.markdown import md_table, md_text
from onboard.core.text.sanitize import clean

SUMMARY_FORMAT = "onboard-cohort-summary/1"
MAX_REPORT_BYTES = 5_000_000
SCHEMA_PATH = Path(__file__).parents[1] / "schemas" / "report-v1.schema.json"
NO_BARRIER = "none-given"


class ReportFileError(Exception):
    """One report file cannot be used; ``str()`` names the file and says why."""

    def __init__(self, file: Path, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


@dataclass(frozen=True)
class LoadedReport:
    file: Path
    data: dict[str, Any]


def load_report(file: Path) -> LoadedReport:
    """Read one JSON report, or raise :class:`ReportFileError` saying what is wrong with it."""
    try:
        with file.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ReportFileError(file, "not a regular file")
            raw = handle.read(MAX_REPORT_BYTES + 1)
    except FileNotFoundError:
        raise ReportFileError(file, "does not exist") from None
    except IsADirectoryError:
        raise ReportFileError(file, "is a folder; expected a JSON report file") from None
    except OSError as error:
        raise ReportFileError(file, f"cannot be read: {error.strerror}") from error
    if len(raw) > MAX_REPORT_BYTES:
        raise ReportFileError(file, f"too large; expected at most {MAX_REPORT_BYTES:,} bytes")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ReportFileError(file, "not UTF-8 text; expected a JSON report") from None
    except (ValueError, RecursionError):
        raise ReportFileError(
            file, "not JSON; expected a report made with: onboard report --format json"
        ) from None
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        what = f"its format is {clean(short(found), one_line=True)}" if found else "no format"
        raise ReportFileError(
            file,
            f"not an onboard report ({what}; expected {REPORT_FORMAT!r}, as written by "
            "onboard report --format json)",
        )
    errors = sorted(
        schema_validator(SCHEMA_PATH).iter_errors(data), key=lambda e: list(e.absolute_path)
    )
    for error in errors[:1]:
        path, message = next(iter(_messages(error)))
        key = clean(format_key(path), one_line=True, max_length=200)
        raise ReportFileError(file, f"{key}: {message}" if key else message)
    return LoadedReport(file, data)


def _no_constant(name: str) -> None:
    """NaN and Infinity are not JSON (Python accepts them): refuse them, never compute on them."""
    raise ValueError(f"{name} is not a JSON number")


def _messages(error: Any) -> Iterable[tuple[tuple[str | int, ...], str]]:
    if error.validator == "anyOf":
        hints = [s.get("description") for s in error.validator_value if isinstance(s, dict)]
        refs = [s.get("$ref", "") for s in error.validator_value if isinstance(s, dict)]
        wanted = "a UTC time such as 2025-06-12T14:03:00Z" if "#/$defs/stamp" in refs else None
        wanted = wanted or next((h for h in hints if h), None) or "a number of minutes"
        found = clean(short(error.instance), one_line=True)
        return [(tuple(error.absolute_path), f"expected {wanted} or null, got {found}")]
    return [(p, clean(m, one_line=True)) for p, m in schema_messages(error)]


def load_reports(files: Sequence[Path]) -> tuple[list[LoadedReport], list[ReportFileError]]:
    """Every usable report, once per learner, and why each other file was not used.

    Learners re-export, copy their report into two folders, or hand it in twice: a learner
    counted twice would skew every number. Reports of the same learner in the same session (the
    learner's random id, or for reports without one an identical content) count once: the one
    generated last, and each other copy is named with the reason.
    """
    loaded: list[LoadedReport] = []
    problems: list[ReportFileError] = []
    for file in files:
        try:
            loaded.append(load_report(file))
        except ReportFileError as error:
            problems.append(error)
    latest: dict[str, LoadedReport] = {}
    for report in loaded:
        key = _learner_key(report)
        kept = latest.get(key)
        if kept is None or _generated(report) >= _generated(kept):
            latest[key] = report
    unique = [report for report in loaded if latest[_learner_key(report)] is report]
    for report in loaded:
        kept = latest[_learner_key(report)]
        if kept is not report:
            problems.append(
                ReportFileError(
                    report.file,
                    f"the same learner's report as {clean(str(kept.file), one_line=True)}, "
                    "which is newer: counted once",
                )
            )
    return unique, problems


def _learner_key(report: LoadedReport) -> str:
    session = report.data["session"]["id"]
    learner_id = report.data["learner"].get("id")
    if learner_id:
        return f"{session}\0{learner_id}"
    return "content\0" + json.dumps(report.data, sort_keys=True)


def _generated(report: LoadedReport) -> str:
    """UTC stamps of one format sort as text; a report without one sorts first."""
    value = report.data.get("generated_at")
    return value if isinstance(value, str) else ""


def _text(value: object, max_length: int = 300) -> str:
    return clean(value, one_line=True, max_length=max_length) if isinstance(value, str) else ""


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _labels(reports: Sequence[LoadedReport]) -> list[str]:
    """Learner names, told apart by file name when two share one (two "anonymous")."""
    names = [_text(r.data["learner"].get("name"), 100) or "anonymous" for r in reports]
    return [
        name if names.count(name) == 1 else f"{name} ({clean(r.file.name, one_line=True)})"
        for name, r in zip(names, reports, strict=True)
    ]


def summarise(
    reports: Sequence[LoadedReport], problems: Sequence[ReportFileError] = ()
) -> dict[str, Any]:
    """The cohort summary as plain data (JSON types)."""
    labels = _labels(reports)
    counts, upstreams = cohort_counts({_learner_key(r): _list(r, "contributions") for r in reports})
    return {
        "format": SUMMARY_FORMAT,
        "learners": len(reports),
        "sessions": sorted({_text(r.data["session"].get("id"), 64) for r in reports}),
        "totals": _totals(reports),
        # The OSPO view's metrics, from the same counting (onboard.core.ospo.counting).
        "counts": counts,
        "upstreams": upstreams,
        "checkpoints": _checkpoints(reports),
        "barriers": _barriers(reports),
        "stuck_now": _stuck_now(reports, labels),
        "time_per_step": _time_per_step(reports),
        "files": [
            {"file": clean(str(r.file), one_line=True), "learner": label}
            for r, label in zip(reports, labels, strict=True)
        ],
        "problems": [
            {"file": clean(str(p.file), one_line=True), "message": clean(p.reason, one_line=True)}
            for p in problems
        ],
    }


def _list(report: LoadedReport, key: str) -> list[dict[str, Any]]:
    value = report.data.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _totals(reports: Sequence[LoadedReport]) -> dict[str, int]:
    def count(key: str, wanted: str | None = None) -> int:
        return sum(
            1 for r in reports for item in _list(r, key) if wanted is None or item.get(wanted)
        )

    return {
        "issues_claimed": count("issues", "claimed"),
        "pull_requests": count("pull_requests"),
        "reviews": count("reviews"),
        "noncode": count("noncode"),
        "test_runs": count("tests"),
        "stuck_events": count("stuck"),
    }


def _by_id(
    reports: Sequence[LoadedReport], list_key: str, id_key: str
) -> dict[str, list[dict[str, Any]]]:
    """Every report's ``list_key`` items grouped by their ``id_key``, in first-seen order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for report in reports:
        for item in _list(report, list_key):
            groups.setdefault(_text(item.get(id_key), 64), []).append(item)
    return groups


def _median_of(items: Iterable[dict[str, Any]], key: str) -> float | None:
    return _median([value for item in items if (value := _number(item.get(key))) is not None])


def _first_number(items: Iterable[dict[str, Any]], key: str) -> Any:
    """The plan as the first report that knows it gives it (every report has the same agenda)."""
    return next((item[key] for item in items if _number(item.get(key)) is not None), None)


def _checkpoints(reports: Sequence[LoadedReport]) -> list[dict[str, Any]]:
    rows = []
    for key, items in _by_id(reports, "checkpoints", "id").items():
        reached = [item for item in items if item.get("done") is True]
        skipped = sum(1 for item in items if item.get("skipped") is True)
        rows.append(
            {
                "id": key,
                "title": _text(items[0].get("title"), 200),
                "reached": len(reached),
                "of": len(items),
                "skipped": skipped,
                "median_minutes_from_join": _median_of(reached, "minutes_from_join"),
                "planned_minutes_from_start": _first_number(items, "planned_minutes_from_start"),
            }
        )
    return rows


def _barriers(reports: Sequence[LoadedReport]) -> list[dict[str, Any]]:
    rows = {
        key: {"barrier": key, "title": title, "stuck": 0, "unresolved": 0, "learners": 0}
        for key, title in [*BARRIERS.items(), (NO_BARRIER, "No barrier given")]
    }
    for report in reports:
        hit: set[str] = set()
        for event in _list(report, "stuck"):
            barrier = event.get("barrier")
            key = barrier if isinstance(barrier, str) and barrier in BARRIERS else NO_BARRIER
            rows[key]["stuck"] += 1
            rows[key]["unresolved"] += event.get("resolved_at") is None
            hit.add(key)
        for key in hit:
            rows[key]["learners"] += 1
    return list(rows.values())


@dataclass(frozen=True)
class StuckMoment:
    """A learner's "I'm stuck" that nothing has resolved since, as their report tells it."""

    at: str
    step: str | None
    #: One of :data:`onboard.core.barriers.BARRIERS`, or None when none (or an unknown
    #: one) was given.
    barrier: str | None
    barrier_title: str | None
    text: str


def _open_stuck(report: LoadedReport) -> StuckMoment | None:
    """The learner's latest "I'm stuck", when nothing has resolved it since."""
    events = sorted(_list(report, "stuck"), key=lambda e: _text(e.get("at"), 32))
    if not events or events[-1].get("resolved_at") is not None:
        return None
    latest = events[-1]
    barrier = latest.get("barrier")
    return StuckMoment(
        at=_text(latest.get("at"), 32),
        step=_text(latest.get("step"), 80) or None,
        barrier=barrier if isinstance(barrier, str) and barrier in BARRIERS else None,
        barrier_title=BARRIERS.get(barrier) if isinstance(barrier, str) else None,
        text=_text(latest.get("text"), 500),
    )


def _stuck_now(reports: Sequence[LoadedReport], labels: Sequence[str]) -> list[dict[str, Any]]:
    """Each learner stuck right now, the longest stuck first."""
    rows = [
        {"learner": label, "file": clean(str(report.file), one_line=True), **asdict(moment)}
        for report, label in zip(reports, labels, strict=True)
        if (moment := _open_stuck(report)) is not None
    ]
    return sorted(rows, key=lambda row: row["at"])


def _time_per_step(reports: Sequence[LoadedReport]) -> list[dict[str, Any]]:
    rows = []
    for key, items in _by_id(reports, "time_per_step", "checkpoint").items():
        timed = [item for item in items if _number(item.get("minutes")) is not None]
        rows.append(
            {
                "checkpoint": key,
                "title": _text(items[0].get("title"), 200),
                "learners": len(timed),
                "median_minutes": _median_of(timed, "minutes"),
                "planned_minutes": _first_number(items, "planned_minutes"),
            }
        )
    return rows


# --------------------------------------------------------------------------------- per learner


@dataclass(frozen=True)
class LearnerRow:
    """One learner at a glance, for the mentor dashboard: where they are and whether they wait.

    Minutes are counted to ``now`` (the mentor's clock), not to when the report was written:
    someone whose last checkpoint was 40 minutes ago needs a look even if their report is fresh.
    """

    label: str
    file: str
    session: str
    reached: int
    of: int
    #: The first checkpoint not reached yet (what they are working on), None when all are done.
    current_id: str | None
    current_title: str | None
    #: The last checkpoint they reached, else when they joined; None when the report knows neither.
    progress_at: datetime | None
    minutes_since_progress: float | None
    stuck: StuckMoment | None
    minutes_stuck: float | None
    pull_requests: int
    reviews: int
    noncode: int
    generated_at: datetime | None


def _minutes_since(moment: datetime | None, now: datetime) -> float | None:
    if moment is None:
        return None
    return round(max(0.0, (now - moment).total_seconds() / 60), 1)


def learner_rows(reports: Sequence[LoadedReport], *, now: datetime) -> list[LearnerRow]:
    """One row per learner, in the reports' order, labelled as in :func:`summarise`."""
    rows = []
    for report, label in zip(reports, _labels(reports), strict=True):
        checkpoints = _list(report, "checkpoints")
        done = [item for item in checkpoints if item.get("done") is True]
        current = next(
            (
                item
                for item in checkpoints
                if item.get("done") is not True and item.get("skipped") is not True
            ),
            None,
        )
        reached_at = [m for item in done if (m := parse_stamp(item.get("done_at"))) is not None]
        progress_at = max(reached_at, default=None) or parse_stamp(
            report.data["session"].get("joined_at")
        )
        stuck = _open_stuck(report)
        rows.append(
            LearnerRow(
                label=label,
                file=clean(str(report.file), one_line=True),
                session=_text(report.data["session"].get("id"), 64),
                reached=len(done),
                of=len(checkpoints),
                current_id=_text(current.get("id"), 64) if current else None,
                current_title=_text(current.get("title"), 200) if current else None,
                progress_at=progress_at,
                minutes_since_progress=_minutes_since(progress_at, now),
                stuck=stuck,
                minutes_stuck=_minutes_since(parse_stamp(stuck.at), now) if stuck else None,
                pull_requests=len(_list(report, "pull_requests")),
                reviews=len(_list(report, "reviews")),
                noncode=len(_list(report, "noncode")),
                generated_at=parse_stamp(report.data.get("generated_at")),
            )
        )
    return rows


# ------------------------------------------------------------------------------------ rendering


def render_summary(summary: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return render_summary_markdown(summary)
    raise ValueError(f"unknown summary format {fmt!r}; expected md or json")


def _cell(value: object) -> str:
    """A table cell: numbers as numbers (12.5, 7), timestamps readable, text escaped."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    moment = parse_stamp(value) if isinstance(value, str) and len(value) == 20 else None
    if moment is not None:
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return md_text(value, max_length=500)


def render_summary_markdown(summary: dict[str, Any]) -> str:
    sessions = ", ".join(md_text(s) for s in summary["sessions"]) or "–"
    lines = [
        "# Cohort summary",
        "",
        f"{summary['learners']} learners · session: {sessions}",
        "",
    ]
    if len(summary["sessions"]) > 1:
        lines += ["These reports come from different sessions; their checkpoints may differ.", ""]
    totals = summary["totals"]
    lines += [
        f"Pull requests: {totals['pull_requests']} · issues claimed: {totals['issues_claimed']} · "
        f"reviews: {totals['reviews']} · non-code contributions: {totals['noncode']} · "
        f"stuck moments: {totals['stuck_events']}",
        "",
        "As the OSPO view counts them: "
        + " · ".join(f"{m.label}: {summary['counts'].get(m.key, 0)}" for m in METRICS),
        "",
        "## Checkpoints",
        "",
        *md_table(
            ["Checkpoint", "Reached", "Median minutes from joining", "Planned by minute"],
            [
                [
                    _cell(row["title"] or row["id"]),
                    f"{row['reached']} of {row['of']}",
                    _cell(row["median_minutes_from_join"]),
                    _cell(row["planned_minutes_from_start"]),
                ]
                for row in summary["checkpoints"]
            ],
        ),
        "",
        "## Time per step",
        "",
        *md_table(
            ["Step", "Learners", "Median minutes", "Planned"],
            [
                [
                    _cell(row["title"] or row["checkpoint"]),
                    _cell(row["learners"]),
                    _cell(row["median_minutes"]),
                    _cell(row["planned_minutes"]),
                ]
                for row in summary["time_per_step"]
            ],
        ),
        "",
        "## Barriers",
        "",
        *md_table(
            ["Barrier", "Stuck", "Still stuck", "Learners"],
            [
                [
                    _cell(row["title"]),
                    _cell(row["stuck"]),
                    _cell(row["unresolved"]),
                    _cell(row["learners"]),
                ]
                for row in summary["barriers"]
            ],
        ),
        "",
        "## Stuck right now",
        "",
    ]
    stuck = summary["stuck_now"]
    if stuck:
        lines += md_table(
            ["Learner", "Since", "Step", "Barrier", "What they said"],
            [
                [
                    _cell(row["learner"]),
                    _cell(row["at"]),
                    _cell(row["step"]),
                    _cell(row["barrier_title"]),
                    _cell(row["text"]),
                ]
                for row in stuck
            ],
        )
    else:
        lines.append("Nobody, as of their reports.")
    if summary["problems"]:
        lines += ["", "## Files left out", ""]
        lines += [
            f"- {md_text(p['file'])}: {md_text(p['message'], max_length=500)}"
            for p in summary["problems"]
        ]
    return "\n".join(lines).rstrip() + "\n"
