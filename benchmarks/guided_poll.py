"""What guided mode's checkpoint poll costs: wall time, API requests, and how often it asks git.

Guided mode re-judges a session's checkpoints every 5 seconds in a worker thread. This sets up a
real journey on the practice forge (fork, clone, claim, a pushed branch), then times the poll
with and without asking the fork (``git ls-remote``, which guided mode does at most once a
minute), and counts the forge API requests each makes (target: 0; checkpoints come from state,
disk and git, never from the REST API). Prints medians and ratios.
Run: ``python benchmarks/guided_poll.py [--rounds 20]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="polls per measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_STATE_HOME"] = str(Path(scratch) / "state")
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        from onboard.core.journey import Journey
        from onboard.core.models import RepoRef
        from onboard.core.sessions.session import load_session
        from onboard.core.storage.state import StateStore
        from onboard.flows import act
        from onboard.flows.session_facts import refresh_checkpoints
        from onboard.flows.setup import SetupFlow
        from onboard.forge.base import ForgeConfig
        from onboard.forge.github import GitHubForge
        from onboard.practice import PracticeForge

        example = Path(__file__).parents[1] / "guides" / "sessions" / "workshop-example.toml"
        session = load_session(example)
        with PracticeForge(Path(scratch) / "forge") as practice:
            config = ForgeConfig(
                api_url=practice.api_url,
                token=practice.token,
                token_source="bench",  # noqa: S106 (a label, not a secret)
                practice=True,
            )
            forge = GitHubForge(config)
            store = StateStore(Path(scratch) / "state.json")
            store.join_session(session.id, session.title)
            journey = Journey()
            journey.choose("practice/hello-docs")
            journey = SetupFlow(forge, store, Path(scratch) / "ws").run(journey, lambda _e: None)
            issue = forge.issue(RepoRef.parse("practice/hello-docs"), 1)
            act.start_work(forge, store, journey, issue)
            act.post_claim(forge, store, journey, issue, "I'd like to work on this.")
            clone = Path(journey.clone_path or "")
            (clone / "NOTE.md").write_text("a change\n")
            for command in (["add", "NOTE.md"], ["commit", "-qm", "A change"]):
                subprocess.run(["git", "-C", str(clone), *command], check=True)
            subprocess.run(
                ["git", "-C", str(clone), "push", "-q", "origin", journey.work_branch or ""],
                check=True,
                capture_output=True,
            )

            def timed(check_remote: bool) -> tuple[float, int]:
                practice.clear_requests()
                times = []
                for _ in range(args.rounds):
                    start = time.perf_counter()
                    refresh_checkpoints(store, session, check_remote=check_remote)
                    times.append(time.perf_counter() - start)
                return statistics.median(times), len(practice.requests)

            local, local_requests = timed(False)
            remote, remote_requests = timed(True)
            _facts, statuses = refresh_checkpoints(store, session, check_remote=False)
    reached = sum(status.done for status in statuses)
    per_minute = 60 / 5
    average = (local * (per_minute - 1) + remote) / per_minute
    requests = f"{local_requests / args.rounds:g} local, {remote_requests / args.rounds:g} asking"
    cost = f"{average * 1000:.1f} ms every 5 s = {average / 5:.2%} of one core"
    rows = [
        ("checkpoints reached", f"{reached} of {len(statuses)}"),
        ("poll, local state only", f"{local * 1000:.1f} ms (median of {args.rounds})"),
        ("poll, asking the fork", f"{remote * 1000:.1f} ms ({remote / local:.1f}× local)"),
        ("API requests per poll", requests),
        ("average poll (1 in 12 asks)", cost),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
