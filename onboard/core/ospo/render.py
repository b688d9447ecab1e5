"""The OSPO views as Markdown, CSV and JSON, for a quarterly review.

Logins, names and links come from a hand-written team file and repository names from the
forge: in Markdown they are escaped (a name cannot inject links, images or HTML into the page
the report is pasted in), and in CSV a cell that a spreadsheet would run as a formula (leading
``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from onboard.core.ospo.queries import METRICS
from onboard.core.ospo.report import ContributionsReport
from onboard.core.ospo.signals import UpstreamNeed
from onboard.core.text.markdown import md_text, md_url
from onboard.core.text.sanitize import clean

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _csv(rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def _md(text: object) -> str:
    return md_text(text)


# ---------------------------------------------------------------------------- contributions


def contributions_json(report: ContributionsReport) -> str:
    data: dict[str, Any] = {
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "upstreams": list(report.upstreams),
        "renamed": report.renamed,
        "people": report.person_rows(),
        "per_upstream": report.upstream_rows(),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def contributions_csv(report: ContributionsReport) -> str:
    head: list[object] = ["login", "name", "groups", *[m.key for m in METRICS], "lower_bound"]
    rows: list[list[object]] = [[*head, "shared"]]
    for row in report.person_rows():
        counts = row["counts"]
        assert isinstance(counts, dict)
        rows.append(
            [
                row["login"],
                row["name"] or "",
                " ".join(row["groups"]),  # type: ignore[arg-type]
                *[counts[m.key] for m in METRICS],
                " ".join(row["lower_bound"]),  # type: ignore[arg-type]
                " ".join(row["shared"]),  # type: ignore[arg-type]
            ]
        )
    return _csv(rows)


def contributions_markdown(report: ContributionsReport) -> str:
    lines = [
        f"# What our people gave back, {report.since} to {report.until}",
        "",
        f"Over {len(report.upstreams)} upstream projects. Each number links to the GitHub "
        "search that produced it; ≥ marks a lower bound (the search hit GitHub's 1,000-result "
        "cap even for a single day).",
        "",
        "| Person | " + " | ".join(m.label for m in METRICS) + " | Knowledge shared |",
        "| --- | " + " | ".join("---:" for _ in METRICS) + " | --- |",
    ]
    for row in report.person_rows():
        counts, searches = row["counts"], row["searches"]
        assert isinstance(counts, dict) and isinstance(searches, dict)
        bounds = row["lower_bound"]
        assert isinstance(bounds, list)
        cells = []
        for metric in METRICS:
            shown = ("≥" if metric.key in bounds else "") + str(counts[metric.key])
            urls = searches[metric.key]
            cells.append(f"[{shown}]({md_url(urls[0])})" if len(urls) == 1 else shown)
        shared = row["shared"]
        assert isinstance(shared, list)
        links = ", ".join(md_url(link) for link in shared) or "—"
        who = _md(row["login"]) + (f" ({_md(row['name'])})" if row["name"] else "")
        lines.append(f"| {who} | " + " | ".join(cells) + f" | {links} |")
    lines += ["", "## Per upstream", ""]
    lines.append("| Upstream | " + " | ".join(m.label for m in METRICS) + " |")
    lines.append("| --- | " + " | ".join("---:" for _ in METRICS) + " |")
    for repo, totals in report.upstream_rows().items():
        lines.append(f"| {_md(repo)} | " + " | ".join(str(totals[m.key]) for m in METRICS) + " |")
    if report.renamed:
        lines += [
            "",
            "Renamed upstreams, counted under their new name: "
            + ", ".join(f"{_md(old)} → {_md(new)}" for old, new in sorted(report.renamed.items())),
        ]
    failed = sorted({f for row in report.person_rows() for f in row["failed"]})  # type: ignore[attr-defined]
    if failed:
        lines += ["", "Not counted (the search failed): " + "; ".join(_md(f) for f in failed)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- upstreams


def upstreams_json(needs: list[UpstreamNeed]) -> str:
    data = [
        {
            "repo": need.repo,
            "need": need.score,
            "lanes": list(need.lanes),
            "signals": [
                {
                    "key": s.key,
                    "label": s.label,
                    "value": s.value,
                    "how": s.how,
                    "need": s.need,
                    "enough_data": s.enough_data,
                }
                for s in need.signals
            ],
            "problems": list(need.problems),
        }
        for need in needs
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def upstreams_csv(needs: list[UpstreamNeed]) -> str:
    keys = [s.key for s in needs[0].signals] if needs else []
    rows: list[list[object]] = [["repo", "need", "lanes", *keys]]
    for need in needs:
        rows.append(
            [need.repo, need.score, "; ".join(need.lanes), *[s.value for s in need.signals]]
        )
    return _csv(rows)


def upstreams_markdown(needs: list[UpstreamNeed]) -> str:
    lines = ["# Upstreams that need help", "", "Most in need first."]
    for need in needs:
        lines += ["", f"## {_md(need.repo)} (need {need.score})", ""]
        lanes = ", ".join(need.lanes) or "none measured"
        lines.append(f"Help welcome: {_md(lanes)}")
        lines.append("")
        for s in need.signals:
            lines.append(f"- **{_md(s.label)}**: {_md(s.value)} ({_md(s.how)})")
        for problem in need.problems:
            lines.append(f"- note: {_md(problem)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- terminal


def _plain(text: object) -> str:
    return clean(text, one_line=True, max_length=300)


def upstreams_text(needs: list[UpstreamNeed]) -> str:
    lines: list[str] = []
    for need in needs:
        lanes = ", ".join(need.lanes) or "none measured"
        lines.append(f"{_plain(need.repo)}  need {need.score}  help welcome: {lanes}")
        for s in need.signals:
            lines.append(f"  {s.label}: {s.value}  ({s.how})")
        for problem in need.problems:
            lines.append(f"  note: {_plain(problem)}")
    return "\n".join(lines) + "\n"


def contributions_text(report: ContributionsReport) -> str:
    """One block per person: totals (≥ for a lower bound), their upstreams, shared links."""
    lines = [f"{report.since} to {report.until}, over {len(report.upstreams)} upstreams"]
    for row in report.person_rows():
        counts, bounds = row["counts"], row["lower_bound"]
        assert isinstance(counts, dict) and isinstance(bounds, list)
        parts = [
            f"{metric.label} {'≥' if metric.key in bounds else ''}{counts[metric.key]}"
            for metric in METRICS
        ]
        lines += ["", _plain(row["login"]), "  " + " · ".join(parts)]
        upstreams = row["upstreams"]
        assert isinstance(upstreams, dict)
        for repo, per in upstreams.items():
            done = ", ".join(f"{m.label} {per[m.key]}" for m in METRICS if per[m.key])
            lines.append(f"  {_plain(repo)}: {done}")
        shared = row["shared"]
        assert isinstance(shared, list)
        for link in shared:
            lines.append(f"  shared: {_plain(link)}")
        failed = row["failed"]
        assert isinstance(failed, list)
        for problem in failed:
            lines.append(f"  not counted: {_plain(problem)}")
    return "\n".join(lines) + "\n"
