"""Requests and wall time of refreshing a 20-project pack, at a simulated 150 ms round trip.

Prints: search requests per refresh (target ≤ 4), the wall time of the search as a multiple of
one round trip (target < 3×, thanks to concurrent batches), what an unchanged second refresh
costs (ETag revalidation: 304s, free when authenticated), and the claim-status phase.
Run: ``python benchmarks/find_refresh.py [--latency 0.15]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

REPOS = [
    "pytest-dev/pytest", "psf/black", "pypa/pip", "eslint/eslint", "freeCodeCamp/freeCodeCamp",
    "rust-lang/rust-clippy", "tokio-rs/tokio", "cli/cli", "kubernetes-sigs/kind", "mdn/content",
    "kubernetes/website", "pallets/flask", "psf/requests", "django/django", "numpy/numpy",
    "nodejs/node", "vuejs/core", "golang/go", "typescript-eslint/typescript-eslint",
    "home-assistant/core",
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per round trip")
    parser.add_argument("--issues", type=int, default=5, help="beginner issues per repository")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        from onboard.core.models import RepoRef
        from onboard.flows.discover import discover
        from onboard.forge.base import ForgeConfig
        from onboard.forge.github import GitHubForge
        from onboard.practice import PracticeForge

        with PracticeForge(Path(scratch) / "forge") as forge:
            repos = [RepoRef.parse(name) for name in REPOS]
            for repo in repos:
                if forge.store.get_user(repo.owner) is None:
                    forge.store.add_user(repo.owner, type="Organization")
                forge.store.add_repo(repo.owner, repo.name)
                for index in range(args.issues):
                    forge.store.add_issue(
                        repo.full_name, f"Task {index}", labels=["good first issue"]
                    )
            forge.latency = args.latency
            config = ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True)
            client = GitHubForge(config)
            round_trips = []
            for _ in range(5):
                started = time.perf_counter()
                client.rate_limit()
                round_trips.append(time.perf_counter() - started)
            rtt = statistics.median(round_trips)

            forge.clear_requests()
            started = time.perf_counter()
            result = client.good_first_issues(repos)
            wall = time.perf_counter() - started
            searches = [r for r in forge.requests if r.path == "/search/issues"]

            forge.clear_requests()
            started = time.perf_counter()
            client.good_first_issues(repos)
            second_wall = time.perf_counter() - started
            revalidated = [r.status for r in forge.requests if r.path == "/search/issues"]

            forge.clear_requests()
            started = time.perf_counter()
            found = discover(client, [(repo, None) for repo in repos])
            discover_wall = time.perf_counter() - started

    rows = [
        ("repositories", f"{len(repos)} ({len(result.issues)} beginner issues)"),
        ("one round trip", f"{rtt * 1000:.0f} ms (simulated {args.latency * 1000:.0f} ms)"),
        ("search requests/refresh", f"{len(searches)} (target ≤ 4)"),
        (
            "search wall time",
            f"{wall * 1000:.0f} ms = {wall / rtt:.2f}× a round trip (target < 3×)",
        ),
        (
            "unchanged refresh",
            f"{len(revalidated)} requests, {revalidated.count(304)} answered 304 (free when "
            f"signed in), {second_wall / rtt:.2f}× a round trip",
        ),
        (
            "with claim status",
            f"{found.search_requests} search + {found.claim_requests} timeline requests, "
            f"{discover_wall / rtt:.2f}× a round trip",
        ),
    ]
    for name, value in rows:
        print(f"{name:<24}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
