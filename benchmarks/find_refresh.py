"""Requests and wall time of refreshing a 20-project pack with claim status, at 150 ms a round trip.

Prints, against the practice forge (simulated latency), for 20 projects with 5 beginner issues
each: the search alone (requests, wall time; target ≤ 4 search requests, < 3 round trips); a
refresh with claim evidence for every listed issue, cold and warm (requests including all claim
evidence, target ≤ 6; share of listed issues with a known claim status, target ≥ 95 %; wall
time as a multiple of the search alone, target ≤ 1.5×; GraphQL points); what an unchanged
second refresh costs (requests, 304s, points: the target is no GraphQL query at all); a refresh
after one issue changed (that issue alone is asked again); and, for comparison, the old way
(REST timelines for the first 40 issues, one request each). Figures only, no assertions.
Run: ``python benchmarks/find_refresh.py [--latency 0.15] [--issues 5]``.
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
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median wall)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        from onboard.core.models import ClaimStatus, RepoRef
        from onboard.flows.discover import CLAIM_CHECKS_SIGNED_IN, discover
        from onboard.forge.base import ForgeConfig
        from onboard.forge.cache import ResponseCache
        from onboard.forge.github import GitHubForge
        from onboard.practice import PracticeForge

        # Every run is a new client, so the search allowance (30 a minute) would soon make the
        # pacer wait a minute: raised here, since the figures are about round trips.
        with PracticeForge(Path(scratch) / "forge", search_limit=10_000) as forge:
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
            targets = [(repo, None) for repo in repos]
            caches = iter(range(10_000))

            def fresh() -> GitHubForge:
                """A client with an empty cache: what the very first refresh meets."""
                return GitHubForge(config, cache=ResponseCache(Path(scratch) / f"c{next(caches)}"))

            rtt = statistics.median(_timed(fresh().rate_limit)[0] for _ in range(5))

            def measure(action, setup=lambda: None):
                """Median wall time of ``action(setup())`` over the runs, and the last run's
                result and request log (``setup`` is not timed)."""
                walls = []
                for _ in range(args.repeat):
                    state = setup()
                    forge.clear_requests()
                    wall, result = _timed(lambda s=state: action(s))
                    walls.append(wall)
                    log = forge.requests
                return statistics.median(walls), result, log

            def cached_search() -> GitHubForge:
                client = fresh()
                client.good_first_issues(repos)  # a search cached, its evidence not yet
                return client

            def known(found) -> str:
                listed = len(found.contributions)
                sure = sum(c.claim.status is not ClaimStatus.UNKNOWN for c in found.contributions)
                return f"{sure}/{listed} = {100 * sure / max(listed, 1):.0f}%"

            def paths(log) -> str:
                search = [r for r in log if r.path == "/search/issues"]
                graphql = [r for r in log if r.path == "/graphql"]
                rest = [r for r in log if "/timeline" in r.path]
                not_modified = sum(r.status == 304 for r in search)
                return (
                    f"{len(log)} requests ({len(search)} search, {not_modified} of them 304; "
                    f"{len(graphql)} GraphQL; {len(rest)} REST timelines)"
                )

            cold_search, result, search_log = measure(lambda _: fresh().good_first_issues(repos))
            warm_client = cached_search()
            warm_search, _r, _l = measure(lambda _: warm_client.good_first_issues(repos))

            before_wall, before, before_log = measure(
                lambda _: discover(fresh(), targets, check_limit=CLAIM_CHECKS_SIGNED_IN)
            )

            cold_wall, cold, cold_log = measure(lambda _: discover(fresh(), targets))
            client = fresh()
            discover(client, targets)
            used_before = _used(forge)
            again_wall, again, again_log = measure(lambda _: discover(client, targets))
            spent = [
                (after - before) // args.repeat
                for before, after in zip(used_before, _used(forge), strict=True)
            ]

            changed = cold.contributions[0].issue
            forge.store.add_comment(
                changed.repo.full_name, changed.number, "I'd like to work on this!", "new-here"
            )
            forge.clear_requests()
            moved = discover(client, targets)
            moved_log = forge.requests
            asked = [r for r in moved_log if r.path == "/graphql"]

            spec_wall, spec, spec_log = measure(lambda c: discover(c, targets), cached_search)

    rows = [
        ("repositories", f"{len(repos)} ({len(result.issues)} beginner issues)"),
        ("one round trip", f"{rtt * 1000:.0f} ms (simulated {args.latency * 1000:.0f} ms)"),
        ("search alone, cold", f"{paths(search_log)}, {cold_search / rtt:.2f}× a round trip"),
        ("search alone, warm", f"{warm_search / rtt:.2f}× a round trip (all 304)"),
        (
            "before: REST timelines",
            f"{paths(before_log)}; known claim status {known(before)}; "
            f"{before_wall / rtt:.2f}× a round trip = {before_wall / cold_search:.2f}× the search",
        ),
        (
            "first refresh (cold)",
            f"{paths(cold_log)} (target ≤ 6); known {known(cold)} (target ≥ 95%); "
            f"{cold_wall * 1000:.0f} ms = {cold_wall / cold_search:.2f}× the search alone "
            f"(target ≤ 1.5×); GraphQL cost {cold.claim_cost} points",
        ),
        (
            "search cached, no evidence",
            f"{paths(spec_log)}; known {known(spec)}; {spec_wall / warm_search:.2f}× the warm "
            f"search alone; GraphQL cost {spec.claim_cost} points",
        ),
        (
            "unchanged refresh",
            f"{paths(again_log)}; known {known(again)}; {again_wall / warm_search:.2f}× the "
            f"warm search; rate limit spent each time: core {spent[0]}, search {spent[1]}, "
            f"GraphQL {spent[2]} points",
        ),
        (
            "one issue changed",
            f"{paths(moved_log)}; GraphQL asked {len(asked)}× "
            f"(cost {moved.claim_cost} points); known {known(moved)}",
        ),
    ]
    for name, value in rows:
        print(f"{name:<27}: {value}")
    return 0


def _timed(action):
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _used(forge) -> list[int]:
    """What the practice forge's core, search and graphql windows have charged so far."""
    key = f"user:{forge.user}"
    limits = forge.limits
    periods = (limits.core_period, limits.search_period, limits.core_period)
    sizes = (limits.core, limits.search, limits.graphql)
    names = ("core", "search", "graphql")
    return [
        forge.store.rate_window(key, name, size, period).used
        for name, size, period in zip(names, sizes, periods, strict=True)
    ]


if __name__ == "__main__":
    raise SystemExit(main())
