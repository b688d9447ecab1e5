"""How soon a newcomer without a network is told so: start to the "cannot reach" screen.

The app is pointed at a closed port (as with no network: the connection is refused) and
timed, in fresh processes, from interpreter start to the moment the offline screen is on top,
and from the first frame to that moment. Run: ``python benchmarks/offline.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap

PROBE = textwrap.dedent(
    """
    import time
    start = time.perf_counter()
    import sys
    from onboard.forge.base import ForgeConfig
    from onboard.ui.app import OnboardApp

    app = OnboardApp(ForgeConfig(api_url=sys.argv[1]), check_connection=True)

    async def wait_for_offline(pilot):
        from onboard.ui.screens.offline import OfflineScreen

        ready = time.perf_counter()
        while not isinstance(app.screen, OfflineScreen):
            await pilot.pause(0.005)
        now = time.perf_counter()
        print(f"{now - start:.6f} {now - ready:.6f}")
        app.exit()

    app.run(headless=True, size=(120, 36), auto_pilot=wait_for_offline)
    """
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_DATA_HOME": home, "XDG_CACHE_HOME": home, "HOME": home}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # time the installed app, with its .pyc files
        for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_API_URL"):
            env.pop(name, None)
        runs = []
        for _ in range(args.runs + 1):
            result = subprocess.run(
                [sys.executable, "-c", PROBE, closed],
                capture_output=True,
                text=True,
                env=env,
                check=True,
                timeout=60,
            )
            total, after_ready = result.stdout.split()
            runs.append((float(total), float(after_ready)))
    runs = runs[1:]  # the first run warms caches
    total = statistics.median(run[0] for run in runs)
    after = statistics.median(run[1] for run in runs)
    print(
        f"offline screen: {total * 1000:.0f} ms from start, {after * 1000:.0f} ms after the "
        f"first screen took input (medians of {args.runs} runs, API at a closed port)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
