"""Time to the first frame: OnboardApp against a bare Textual app.

Each run is a fresh Python process (so imports count, as they do for a user), timed from
interpreter start to two moments:

- **first frame**: the first time Textual hands a finished frame to the terminal driver
  (``App._display`` outside a batch update): what the user sees;
- **ready**: when Textual starts its auto-pilot, i.e. the app has mounted and takes input.
  A bare app is ready *before* it has painted anything, while an app that pushes its first
  screen from ``on_mount`` paints it before ready, so "ready" alone compares different things.

Prints the median of several runs for each app and their ratios. Run:
``python benchmarks/startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap

PROBE = textwrap.dedent(
    """
    import time
    start = time.perf_counter()
    import asyncio, sys
    KIND = sys.argv[1]
    if KIND == "bare":
        from textual.app import App
        from textual.widgets import Footer, Header, Static

        class Bare(App):
            def compose(self):
                yield Header()
                yield Static("hello")
                yield Footer()

        app = Bare()
    else:
        from onboard.ui.app import OnboardApp
        from onboard.forge.base import ForgeConfig

        app = OnboardApp(
            ForgeConfig(api_url="http://127.0.0.1:9", practice=True), check_connection=False
        )

    from textual.app import App

    painted = []
    display = App._display

    def first_display(self, screen, renderable):
        if renderable is not None and not self._batch_count and not painted:
            painted.append(time.perf_counter() - start)
        display(self, screen, renderable)

    App._display = first_display

    async def first_frame(pilot):
        ready = time.perf_counter() - start
        while not painted:
            await pilot.pause()
        print(f"{painted[0]:.6f} {ready:.6f}")
        app.exit()

    app.run(headless=True, size=(120, 36), auto_pilot=first_frame)
    """
)


def measure(kind: str, env: dict[str, str]) -> tuple[float, float]:
    """(first frame, ready) in seconds, for one fresh process of ``kind``."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, kind], capture_output=True, text=True, env=env, check=True
    )
    frame, ready = result.stdout.strip().splitlines()[-1].split()
    return float(frame), float(ready)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_DATA_HOME": home, "XDG_CACHE_HOME": home, "HOME": home}
        # An installed onboard has its .pyc files (pip compiles them), like Textual: a machine
        # with PYTHONDONTWRITEBYTECODE set would time compiling onboard's sources instead.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        measure("bare", env)  # warm the file-system cache and .pyc files once
        measure("onboard", env)
        bare: list[tuple[float, float]] = []
        onboard: list[tuple[float, float]] = []
        for _ in range(args.runs):  # alternated, so a busy moment of the machine hits both
            bare.append(measure("bare", env))
            onboard.append(measure("onboard", env))
    for index, moment in enumerate(("first frame", "ready")):
        bare_median = statistics.median(run[index] for run in bare)
        onboard_median = statistics.median(run[index] for run in onboard)
        print(
            f"{moment:11}: bare Textual app {bare_median * 1000:6.1f} ms, OnboardApp "
            f"{onboard_median * 1000:6.1f} ms (medians of {args.runs} runs): "
            f"ratio {onboard_median / bare_median:.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
