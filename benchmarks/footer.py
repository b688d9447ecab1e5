"""What a focus change costs with onboard's CompactFooter against Textual's Footer(compact=True).

The footer rebuilds its keys at every focus change. A headless app with a dozen keys, like an
onboard screen, moves the focus between two buttons many times; the script reports the CPU
time (this process, so the machine's other work does not count) and the Python function calls
per focus change for each footer, and their ratios. Rounds alternate between the two footers,
so a busy moment of the machine hits both. Run: ``python benchmarks/footer.py [--moves 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import time

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Footer

from onboard.ui.widgets.compact_footer import CompactFooter

KEYS = [Binding(key, "noop", f"Does {key}") for key in "abcdefghijkl"]


class Frame(App[None]):
    BINDINGS = KEYS

    def __init__(self, ours: bool) -> None:
        super().__init__()
        self.ours = ours

    def compose(self) -> ComposeResult:
        yield Button("one")
        yield Button("two")
        yield CompactFooter() if self.ours else Footer(compact=True)

    def action_noop(self) -> None:
        """The keys are there to be shown."""


async def moves(ours: bool, count: int, profile: cProfile.Profile | None) -> float:
    """CPU seconds per focus change (each waited for until the footer is rebuilt)."""
    app = Frame(ours)
    async with app.run_test(size=(120, 8)) as pilot:
        await pilot.pause()
        start = time.process_time()
        if profile:
            profile.enable()
        for _ in range(count):
            await pilot.press("tab")
            await pilot.pause()
        if profile:
            profile.disable()
        return (time.process_time() - start) / count


def calls(ours: bool, count: int) -> float:
    """Python function calls per focus change."""
    profile = cProfile.Profile()
    asyncio.run(moves(ours, count, profile))
    return pstats.Stats(profile).total_calls / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    seconds: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for ours in (False, True):
            seconds[ours].append(asyncio.run(moves(ours, args.moves, None)))
    textual_cpu, ours_cpu = (statistics.median(seconds[kind]) for kind in (False, True))
    textual_calls, ours_calls = calls(False, args.moves), calls(True, args.moves)
    print(
        f"CPU per focus change: Footer(compact=True) {textual_cpu * 1000:.2f} ms, CompactFooter "
        f"{ours_cpu * 1000:.2f} ms (medians of {args.rounds} rounds of {args.moves}): "
        f"ratio {ours_cpu / textual_cpu:.2f}x"
    )
    print(
        f"Function calls per focus change: Footer(compact=True) {textual_calls:,.0f}, "
        f"CompactFooter {ours_calls:,.0f}: ratio {ours_calls / textual_calls:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
