"""Requests and wall time of the OSPO views: a 10-person team over 50 upstreams.

Against the practice forge at a simulated round trip (default 150 ms): ``ospo contributions``
for a quarter and ``ospo upstreams``, each cold (an empty cache) and again with the same client
(every search answered ``304 Not Modified``, which costs no rate limit when signed in). Prints
requests, searches, 304s, wall time and wall time in round trips. Figures only, no assertions.
Run: ``python benchmarks/ospo.py [--latency 0.15] [--people 10] [--upstreams 50]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per round trip")
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--upstreams", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        from onboard.core.models import RepoRef
        from onboard.core.ospo.team import parse_team
        from onboard.flows.ospo import Cost, count_contributions, upstream_needs
        from onboard.forge.base import ForgeConfig
        from onboard.forge.cache import ResponseCache
        from onboard.forge.github import GitHubForge
        from onboard.practice import PracticeForge

        logins = [f"staff-{i}" for i in range(args.people)]
        team = parse_team("".join(f'[[person]]\nlogin = "{login}"\n' for login in logins))
        with PracticeForge(Path(scratch) / "forge", search_limit=100_000) as forge:
            store = forge.store
            repos = [
                RepoRef(f"upstream-org-{i % 7}", f"library-{i}") for i in range(args.upstreams)
            ]
            with store.batch():
                for login in logins:
                    store.add_user(login)
                for index, repo in enumerate(repos):
                    if store.get_user(repo.owner) is None:
                        store.add_user(repo.owner, type="Organization")
                    store.add_repo(repo.owner, repo.name)
                    author = logins[index % len(logins)]
                    reviewer = logins[(index + 1) % len(logins)]
                    pull = store.add_issue(
                        repo.full_name,
                        "A fix",
                        user=author,
                        is_pull=True,
                        head=f"{author}:fix",
                        created_days_ago=20,
                        merged_days_ago=10,
                        state="closed",
                        closed_days_ago=10,
                    )
                    store.add_review(
                        repo.full_name, pull["number"], reviewer, "APPROVED", submitted_days_ago=12
                    )
                    issue = store.add_issue(
                        repo.full_name,
                        "A question",
                        created_days_ago=30,
                        labels=["good first issue"],
                    )
                    store.add_comment(
                        repo.full_name,
                        issue["number"],
                        "Here is how…",
                        user=reviewer,
                        created_days_ago=25,
                    )
                    store.add_issue(
                        repo.full_name,
                        "Waiting",
                        user="outsider",
                        is_pull=True,
                        head="outsider:w",
                        created_days_ago=40,
                    )
            forge.latency = args.latency
            config = ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True)
            client = GitHubForge(config, cache=ResponseCache(Path(scratch) / "client-cache"))
            since, until = date.today() - timedelta(days=90), date.today()
            rows = []
            for label, run in (
                (
                    "contributions",
                    lambda c: count_contributions(client, team, repos, since, until, cost=c),
                ),
                ("upstreams", lambda c: upstream_needs(client, repos, cost=c)),
            ):
                for phase in ("cold", "cached"):
                    forge.clear_requests()
                    cost = Cost()
                    started = time.perf_counter()
                    run(cost)
                    wall = time.perf_counter() - started
                    log = forge.requests
                    searches = [r for r in log if r.path == "/search/issues"]
                    not_modified = sum(r.status == 304 for r in log)
                    rows.append(
                        (
                            f"{label}, {phase}",
                            f"{len(log)} requests ({len(searches)} "
                            f"searches, {not_modified} answered 304); {wall:.2f} s = "
                            f"{wall / args.latency:.0f} round trips",
                        )
                    )
    print(
        f"{args.people} people over {args.upstreams} upstreams, "
        f"{args.latency * 1000:.0f} ms a round trip"
    )
    for name, value in rows:
        print(f"{name:<22}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
