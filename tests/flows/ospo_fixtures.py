"""A practice forge holding a small OSPO team's quarter: the scenario the OSPO tests count.

``ospo-mona`` opened an issue and a pull request that was merged, and commented on someone
else's issue; ``ospo-hubot`` reviewed that pull request (and opened one nobody reviewed);
``ospo-idle`` did nothing. ``practice/old-calc`` is tiny-calc's old name (GitHub answers 301).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from onboard.core.ospo.team import Team, parse_team
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge

TINY = "practice/tiny-calc"
TEAM_TOML = """
[[person]]
login = "ospo-mona"
name = "Mona"
shared = ["https://blog.example/reviewing-well"]

[[person]]
login = "ospo-hubot"

[[person]]
login = "ospo-idle"
"""


def team() -> Team:
    return parse_team(TEAM_TOML)


def quarter() -> tuple[date, date]:
    today = date.today()
    return today - timedelta(days=60), today


def add_team_activity(forge: PracticeForge) -> dict[str, int]:
    store = forge.store
    with store.batch():
        for login in ("ospo-mona", "ospo-hubot", "ospo-idle"):
            store.add_user(login)
        issue = store.add_issue(
            TINY, "Division by zero message", user="ospo-mona", created_days_ago=20
        )
        pull = store.add_issue(
            TINY,
            "Say which number was zero",
            user="ospo-mona",
            is_pull=True,
            head="ospo-mona:zero",
            created_days_ago=15,
            merged_days_ago=5,
            state="closed",
            closed_days_ago=5,
        )
        store.add_review(
            TINY, pull["number"], "ospo-hubot", "APPROVED", "Looks good", submitted_days_ago=6
        )
        other = store.add_issue(TINY, "Docs typo", user="maintainer-mia", created_days_ago=30)
        store.add_comment(
            TINY,
            other["number"],
            "I can reproduce this on 3.12; the cause is…",
            user="ospo-mona",
            created_days_ago=10,
        )
        waiting = store.add_issue(
            TINY,
            "Add modulo",
            user="ospo-hubot",
            is_pull=True,
            head="ospo-hubot:mod",
            created_days_ago=40,
        )
        store.add_redirect("practice/old-calc", TINY)
        store.add_release(TINY, "v1.0.0", published_days_ago=400)
    return {
        "issue": issue["number"],
        "pull": pull["number"],
        "other": other["number"],
        "waiting": waiting["number"],
    }


@contextlib.contextmanager
def open_ospo_forge(tmp_path: Path, seeded: Path) -> Iterator[PracticeForge]:
    """A seeded forge of the test's own, with searches unthrottled (the views ask many);
    test modules wrap it in a fixture over ``_seeded_forge_data``."""
    shutil.copytree(seeded, tmp_path / "forge", symlinks=True)
    with PracticeForge(tmp_path / "forge", search_limit=10_000) as forge:
        yield forge


def config(forge: PracticeForge) -> ForgeConfig:
    return ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True)
