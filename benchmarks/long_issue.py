"""How long the issue screen keeps the UI thread busy showing a huge body: before and after.

A pasted 5 MB log and an "emoji storm" are real issue bodies. The screen used to hand up to
100,000 cleaned characters to Textual's Markdown widget, which builds one widget per block; it
now shows an excerpt (``onboard.ui.screens.issue.readable``) with a pointer to the rest. This
prints the time from "the text is ready" to "the widget has drawn it", for both ways, in a real
(headless) Textual app. Run: ``python benchmarks/long_issue.py``.
"""

from __future__ import annotations

import asyncio
import gc
import time

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from onboard.ui.safe import safe_markdown
from onboard.ui.screens.issue import BODY_LIMITS, readable

BODIES = {
    "5 MB pasted log": "\n\n".join(f"line {n}: something happened" for n in range(170_000)),
    "emoji storm": "🎉👍🏽🚀🔥 " * 400_000,
}


class _Bench(App[None]):
    def compose(self) -> ComposeResult:
        yield Markdown()


async def _shown_in(text: str) -> float:
    app = _Bench()
    async with app.run_test(size=(120, 36)) as pilot:
        started = time.perf_counter()
        await app.query_one(Markdown).update(text)
        await pilot.pause()
        return time.perf_counter() - started


def main() -> None:
    for name, body in BODIES.items():
        started = time.perf_counter()
        shown = readable(body, BODY_LIMITS)  # runs in the screen's worker, off the UI thread
        prepared = time.perf_counter() - started
        after = asyncio.run(_shown_in(shown))
        gc.collect()
        before = asyncio.run(_shown_in(safe_markdown(body)))  # the old way: 100,000 characters
        gc.collect()  # the old way's thousands of widgets would slow the next measurement
        print(
            f"{name:16} UI thread busy: before {before:6.2f} s, after {after:5.2f} s "
            f"({before / after:5.1f}× less); excerpt prepared in a worker in {prepared:.3f} s"
        )


if __name__ == "__main__":
    main()
