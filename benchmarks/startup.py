"""Time to the first interactive frame: OnboardApp against a bare Textual app.

Each run is a fresh Python process (so imports count, as they do for a user), timed from
interpreter start to the moment the first screen is ready for input (when Textual starts its
auto-pilot). Prints the median of
several runs for each app and their ratio. Run: ``python benchmarks/startup.py [--runs N]``.
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

    async def first_frame(pilot):
        # Textual starts the auto-pilot once the first screen is composed, mounted and ready
        # for input: that moment is the measure (background workers may still be running).
        print(f"{time.perf_counter() - start:.6f}")
        app.exit()

    app.run(headless=True, size=(120, 36), auto_pilot=first_frame)
    """
)


def measure(kind: str, env: dict[str, str]) -> float:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, kind], capture_output=True, text=True, env=env, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


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
        bare = [measure("bare", env) for _ in range(args.runs)]
        onboard = [measure("onboard", env) for _ in range(args.runs)]
    bare_median, onboard_median = statistics.median(bare), statistics.median(onboard)
    print(f"bare Textual app : median {bare_median * 1000:7.1f} ms over {args.runs} runs")
    print(f"OnboardApp       : median {onboard_median * 1000:7.1f} ms over {args.runs} runs")
    print(f"ratio            : {onboard_median / bare_median:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
