"""The readiness view fetches, caches and cancels by itself, against the practice forge over HTTP:
a screen only says which repository to show, and the request log shows what was asked."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.ui.widgets.readiness import ReadinessView

from .helpers import settle

DOCS = RepoRef.parse("practice/hello-docs")
CALC = RepoRef.parse("practice/tiny-calc")
DELAY = 0.2


class _ViewApp(App[None]):
    def __init__(self, config: ForgeConfig, delay: float) -> None:
        super().__init__()
        self.forge = GitHubForge(config)
        self.delay = delay

    def compose(self) -> ComposeResult:
        yield ReadinessView(
            lambda repo, labels: self.forge.readiness(repo, labels), delay=self.delay
        )


def _shown(app: App[None]) -> str:
    return str(app.query_one(ReadinessView).render())


def _asked(forge: PracticeForge, repo: RepoRef) -> bool:
    return any(f"/repos/{repo.full_name}" in request.path for request in forge.requests)


async def _after_delay(pilot: Pilot[None]) -> None:
    await pilot.pause(DELAY + 0.1)
    await settle(pilot)


async def test_moving_on_before_the_delay_asks_only_for_the_last_repository(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    app = _ViewApp(forge_config, DELAY)
    async with app.run_test() as pilot:
        view = app.query_one(ReadinessView)
        view.show_repo(DOCS)
        assert "Asking the forge" in _shown(app)
        view.show_repo(CALC)
        await _after_delay(pilot)
        assert _asked(practice_forge, CALC)
        assert not _asked(practice_forge, DOCS)
        assert "Maintainer replies" in _shown(app)


async def test_a_repository_seen_before_is_shown_at_once_without_a_request(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    app = _ViewApp(forge_config, DELAY)
    async with app.run_test() as pilot:
        view = app.query_one(ReadinessView)
        view.show_repo(DOCS)
        await _after_delay(pilot)
        first = _shown(app)
        view.show_repo(CALC)
        await _after_delay(pilot)
        practice_forge.clear_requests()
        view.show_repo(DOCS)
        assert _shown(app) == first  # no "Asking the forge…" in between
        await _after_delay(pilot)
        assert practice_forge.requests == []


async def test_show_nothing_drops_a_waiting_fetch(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    app = _ViewApp(forge_config, DELAY)
    async with app.run_test() as pilot:
        view = app.query_one(ReadinessView)
        view.show_repo(DOCS)
        view.show_nothing()
        await _after_delay(pilot)
        assert not _asked(practice_forge, DOCS)
        assert _shown(app) == ""


async def test_without_delay_it_asks_at_once_and_says_when_it_cannot(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    app = _ViewApp(forge_config, 0)
    async with app.run_test() as pilot:
        app.query_one(ReadinessView).show_repo(RepoRef.parse("practice/no-such-project"))
        await settle(pilot)  # no pause: a worker, not a timer
        assert "Could not read the signals" in _shown(app)
