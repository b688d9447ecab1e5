"""The doctor screen (F2): rows fill in as checks finish, fixes under failures, r runs again.

One test uses the real probes against the practice forge; the others inject probes so a check
can be held "running" on purpose and the spinner observed before its answer arrives.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import Static

from onboard.core.journey import Journey
from onboard.core.setup.doctor import DoctorTarget, ForgeReport, Probes
from onboard.core.storage.state import StateStore
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.ui.screens.doctor import CheckRow, DoctorScreen
from tests.ui.helpers import SIZE, make_app, settle, until

PROJECTS = Path(__file__).resolve().parents[1] / "data" / "projects"


def line(row: CheckRow) -> str:
    return str(row.query_one(".check-line", Static).render())


def fix_of(row: CheckRow) -> Static:
    return row.query_one(".check-fix", Static)


def rows(screen: DoctorScreen) -> list[CheckRow]:
    return list(screen.query(CheckRow))


class HeldForge:
    """Probes whose forge answer waits until the test releases it."""

    def __init__(self, programs: dict[str, str]) -> None:
        self.release = threading.Event()
        self.asked = 0
        self.programs = programs

    def probes(self) -> Probes:
        def forge() -> ForgeReport:
            self.asked += 1
            assert self.release.wait(10)
            return ForgeReport(token_source=None, rate_remaining=60, rate_limit=60)

        return Probes(
            which=lambda name: f"/usr/bin/{name}" if name in self.programs else None,
            version_of=self.programs.get,
            git_config=lambda key: None,
            forge=forge,
        )


async def test_rows_appear_then_fill_in_and_fixes_show_under_failures(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    held = HeldForge({"git": "2.43.0"})
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = DoctorScreen(probes=held.probes(), target=DoctorTarget(path=PROJECTS / "go"))
        await app.push_screen(screen)
        await until(pilot, lambda: held.asked == 1 and screen.running_index == 2)
        listed = rows(screen)
        assert len(listed) == 7  # git, identity, forge, token, scopes, project, go
        assert line(listed[0]).startswith("✓ git")
        assert line(listed[1]).startswith("✗ Your name and email")
        assert fix_of(listed[1]).display
        assert 'git config --global user.email "you@example.com"' in str(fix_of(listed[1]).render())
        assert "checking…" in line(listed[2])  # the held forge check spins
        assert line(listed[3]).startswith("○ ")  # still waiting its turn
        assert "Checking" in str(screen.query_one("#doctor-summary", Static).render())

        held.release.set()
        await settle(pilot)
        assert line(listed[2]).startswith("✓ Connection to GitHub")
        assert line(listed[3]).startswith("! Signed in")
        go = listed[6]
        assert line(go).startswith("✗ Go")
        assert "go.mod: go directive asks for 1.22" in line(go)
        assert "To install go" in str(fix_of(go).render())
        assert not fix_of(listed[0]).display
        summary = str(screen.query_one("#doctor-summary", Static).render())
        assert "Not ready yet: 2 to fix" in summary


async def test_r_runs_again_and_escape_goes_back(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    held = HeldForge({"git": "2.43.0"})
    held.release.set()
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen
        screen = DoctorScreen(probes=held.probes(), target=DoctorTarget())
        await app.push_screen(screen)
        await settle(pilot)
        assert held.asked == 1
        held.programs["git"] = "2.20.1"
        await pilot.press("r")
        await settle(pilot)
        assert held.asked == 2
        assert line(rows(screen)[0]).startswith("! git")
        assert "older than 2.25" in line(rows(screen)[0])
        assert len(rows(screen)) == 6  # replaced, not appended
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is before


async def test_untrusted_text_stays_inert(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    hostile = "[@click=app.quit]x[/] [/] \x1b]0;pwned\x07"
    probes = Probes(
        which=lambda name: "/usr/bin/git",
        version_of=lambda name: "2.43.0",
        git_config=lambda key: hostile,
        forge=lambda: ForgeReport(token_source="GH_TOKEN", login=hostile, scopes=None),
    )
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = DoctorScreen(probes=probes, target=DoctorTarget())
        await app.push_screen(screen)
        await settle(pilot)
        text = line(rows(screen)[1])
        assert "[@click=app.quit]x[/]" in text
        assert "\x1b" not in text
        await pilot.click(f"#{rows(screen)[1].id}")
        await settle(pilot)
        assert app.is_running


async def test_f2_checks_the_journeys_clone_with_real_probes(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    journey = Journey()
    journey.choose("practice/tiny-calc")
    SetupFlow(GitHubForge(forge_config), state_store, workspace).run(journey, lambda _: None)
    assert journey.clone_path is not None
    app = make_app(forge_config, state_store, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DoctorScreen)
        lines = {row.check.id: line(row) for row in rows(screen) if row.check}
        assert lines["token"].startswith("✓ Signed in to practice forge")
        assert "signed in as learner" in lines["token"]
        assert lines["token-scopes"].startswith("✓")
        assert "tiny-calc needs Python" in lines["project"]  # read from the real clone
        assert ">=3.9" in lines["tool-python3"]
        assert "pack-setup" in lines  # practice/tiny-calc's pack runs `python`
        await pilot.press("f2")  # already open: not stacked twice
        await pilot.pause()
        assert sum(isinstance(s, DoctorScreen) for s in app.screen_stack) == 1
