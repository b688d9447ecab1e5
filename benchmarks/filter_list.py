"""Responsiveness of the issue list with 5,000 suggestions: time to filter per keystroke.

Fills the real IssuesScreen with synthetic ranked contributions, then types a filter one
character at a time and reports the median and worst time to refilter the table (the work done
on the UI thread per keystroke). Run: ``python benchmarks/filter_list.py [--rows 5000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = ["docs", "typo", "test", "parser", "translate", "logo", "crash", "readme", "cli", "api"]


def contributions(count: int) -> list:  # list[Contribution]
    from onboard.core.models import Claim, ClaimStatus, Contribution, Issue, Label, Lane, RepoRef

    now = datetime.now(UTC)
    lanes = list(Lane)
    statuses = list(ClaimStatus)
    result = []
    for index in range(count):
        words = " ".join(WORDS[(index * k) % len(WORDS)] for k in (1, 3, 7))
        issue = Issue(
            repo=RepoRef("bench", f"repo-{index % 20}"),
            number=index + 1,
            title=f"Issue {index}: {words}",
            url=f"https://example.invalid/{index}",
            labels=(Label("good first issue"), Label(WORDS[index % len(WORDS)])),
            updated_at=now - timedelta(hours=index),
        )
        result.append(
            Contribution(
                issue,
                lanes[index % len(lanes)],
                Claim(statuses[index % 3]),
                score=float(count - index),
                reasons=("unassigned", "no PR", f"updated {index} hours ago"),
            )
        )
    return result


async def run(rows: int, typed: str) -> tuple[float, list[float]]:
    from onboard.core.storage.state import StateStore
    from onboard.forge.base import ForgeConfig
    from onboard.ui.app import OnboardApp
    from onboard.ui.screens.issues import IssuesScreen

    app = OnboardApp(
        ForgeConfig(api_url="http://127.0.0.1:9", practice=True),
        store=StateStore(Path(os.environ["XDG_DATA_HOME"]) / "state.json"),
        packs=[],
        check_connection=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.journey.choose("bench/repo-0")
        screen = IssuesScreen()
        await app.push_screen(screen)
        await pilot.pause()
        screen.contributions = contributions(rows)
        started = time.perf_counter()
        screen._fill_table()
        full = time.perf_counter() - started
        filter_input = screen.query_one("#issues-filter")
        per_key = []
        for end in range(1, len(typed) + 1):
            filter_input.value = typed[:end]
            started = time.perf_counter()
            screen._fill_table()
            per_key.append(time.perf_counter() - started)
            await pilot.pause()
    return full, per_key


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--typed", default="docs typo")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_DATA_HOME"] = scratch
        full, per_key = asyncio.run(run(args.rows, args.typed))
    print(f"rows                 : {args.rows}")
    print(f"fill the whole table : {full * 1000:.0f} ms")
    print(
        f"filter per keystroke : median {statistics.median(per_key) * 1000:.0f} ms, "
        f"worst {max(per_key) * 1000:.0f} ms over {len(per_key)} keystrokes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
