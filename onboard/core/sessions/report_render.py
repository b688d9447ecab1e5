"""Printing a progress report as JSON, TOML or Markdown.

The report may come from anywhere (a learner's file), so the Markdown renderer trusts none of
its values: every one goes through :mod:`onboard.core.text.markdown`.
"""

from __future__ import annotations

import json
from typing import Any

from onboard.core.ospo.queries import METRICS
from onboard.core.sessions.progress import parse_stamp
from onboard.core.sessions.report import ANONYMOUS
from onboard.core.text.markdown import md_code, md_table, md_text, md_url

FORMATS = ("md", "json", "toml")


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "toml":
        import tomli_w

        return tomli_w.dumps(_without_none(report))
    if fmt == "md":
        return render_markdown(report)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _without_none(value: Any) -> Any:
    """TOML has no null: "not known" is simply left out."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(item) for item in value if item is not None]
    return value


def _when(stamp: object) -> str:
    """A report timestamp as ``2025-06-12 14:03 UTC``; anything else (a forged file) as ""."""
    moment = parse_stamp(stamp)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def _num(value: object) -> str:
    """A number from the report as plain digits; anything else (a forged file) as ""."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return ""


def render_markdown(report: dict[str, Any]) -> str:
    """A page a mentor reads; every value from the report is escaped, not trusted."""
    learner = report.get("learner") or {}
    session = report.get("session") or {}
    who = md_text(learner.get("name") or ANONYMOUS, max_length=200)
    lines = [f"# Progress report: {who}", ""]
    if learner.get("email"):
        lines += [f"Email: {md_text(learner['email'], max_length=200)}", ""]
    lines += [
        f"Session: **{md_text(session.get('title'), max_length=200)}** "
        f"({md_code(session.get('id'))})  ",
        f"Joined: {_when(session.get('joined_at')) or 'not yet'} · "
        f"generated {_when(report.get('generated_at'))} by {md_text(report.get('generator'))}",
        "",
        "## Checkpoints",
        "",
    ]
    rows = [
        [
            "✅" if c.get("done") else ("➖ skipped" if c.get("skipped") is True else "⬜"),
            md_text(c.get("title"), max_length=200),
            _when(c.get("done_at")),
            md_text(c.get("evidence"), max_length=500),
        ]
        for c in report.get("checkpoints", [])
    ]
    lines += [*md_table(["", "Checkpoint", "When", "Evidence"], rows), ""]
    steps = report.get("time_per_step", [])
    if steps:
        rows = [
            [md_text(s.get("title")), _num(s.get("minutes")), _num(s.get("planned_minutes"))]
            for s in steps
        ]
        lines += ["## Time per step", ""]
        lines += [*md_table(["Step", "Minutes", "Planned"], rows), ""]
    lines += _section(
        "Projects",
        [
            f"{md_text(p.get('repo'))}"
            + (f", fork {md_text(p['fork'])}" if p.get("fork") else "")
            + (f", cloned in {md_code(p['clone'])}" if p.get("clone") else "")
            + ("" if p.get("in_session", True) else " (outside the session's projects)")
            for p in report.get("projects", [])
        ],
    )
    lines += _section(
        "Issues worked on",
        [
            f"{md_text(i.get('repo'))}\\#{_num(i.get('number'))}"
            + (f", claimed: {md_url(i['claim_url'])}" if i.get("claim_url") else "")
            for i in report.get("issues", [])
        ],
    )
    lines += _section(
        "Pull requests",
        [
            f"{md_text(p.get('repo'))}\\#{_num(p.get('number'))}"
            + (f": {md_url(p['url'])}" if p.get("url") else "")
            for p in report.get("pull_requests", [])
        ],
    )
    lines += _section(
        "Tests",
        [
            f"{_when(t.get('at'))}: "
            + ("passed" if t.get("passed") else f"exit code {_num(t.get('exit_code'))}")
            for t in report.get("tests", [])
        ],
    )
    lines += _section("Reviews", [_entry(r) for r in report.get("reviews", [])])
    lines += _section("Non-code contributions", [_entry(n) for n in report.get("noncode", [])])
    lines += _section(
        "Where I got stuck",
        [
            f"{_when(s.get('at'))}, at {md_text(s.get('step') or 'an unknown step')}"
            f" ({md_text(s.get('barrier_title') or s.get('barrier') or 'no barrier given')})"
            + (f": {md_text(s['text'])}" if s.get("text") else "")
            + (f" (resolved {_when(s['resolved_at'])})" if s.get("resolved_at") else "")
            for s in report.get("stuck", [])
        ],
    )
    lines += _section("Notes", [_entry(n) for n in report.get("notes", [])])
    lines += _counts(report.get("counts"))
    return "\n".join(lines).rstrip() + "\n"


def _counts(counts: object) -> list[str]:
    """The OSPO view's metrics, when the report has them (reports before them do not)."""
    if not isinstance(counts, dict):
        return []
    parts = [f"{m.label}: {_num(counts.get(m.key))}" for m in METRICS]
    return ["## As the OSPO view counts it", "", " · ".join(parts), ""]


def _entry(item: dict[str, Any]) -> str:
    parts = [_when(item.get("at"))]
    if item.get("lane"):
        parts.append(md_text(item["lane"]))
    if item.get("url"):
        parts.append(md_url(item["url"]))
    if item.get("text"):
        parts.append(md_text(item["text"]))
    return " · ".join(part for part in parts if part)


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return [f"## {title}", "", *(f"- {item}" for item in items), ""]
