"""Issue #17: packs that overlap or are hostile never crash the app (Pilot, real packs on disk).

GitHub mode is the app with a non-practice config, pointed at the practice forge's API so that
nothing leaves this computer: which packs are visible depends only on ``config.practice``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import OptionList, Static

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.guide import GuideScreen
from onboard.ui.screens.projects import ProjectsScreen

from .helpers import SIZE, make_app, settle

TEAM_PACK = """\
format = 1
name = "team"
title = "Our team's projects"
forge = "github"

[[projects]]
repo = "psf/black"
title = "Black, the team's way"
summary = "Our team's entry for a project the starter pack lists too."

[[projects]]
repo = "pallets/flask"

[[guides]]
id = "welcome"
title = "Welcome to the team"
file = "welcome.md"
"""


def github_mode(practice_forge: PracticeForge) -> ForgeConfig:
    return ForgeConfig(
        api_url=practice_forge.api_url,
        token=practice_forge.token,
        token_source="the practice forge",
        practice=False,
    )


def install_by_hand(name: str, text: str, guide: str = "# Welcome\n") -> Path:
    """A pack in the installed-packs folder, as ``pack install`` (or a curator) leaves it."""
    folder = Path(os.environ["XDG_DATA_HOME"]) / "onboard" / "packs" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(text, encoding="utf-8")
    (folder / "welcome.md").write_text(guide, encoding="utf-8")
    return folder


def option_ids(option_list: OptionList) -> list[str]:
    options = [option_list.get_option_at_index(i) for i in range(option_list.option_count)]
    return [option.id for option in options if option.id]


def rendered(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.render())
    return console.export_text()


async def test_f1_in_github_mode_lists_the_general_pack_once(
    practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path
) -> None:
    """The general pack has no projects and is for GitHub: it was listed as both."""
    app = make_app(github_mode(practice_forge), state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, GuideScreen)
        ids = option_ids(app.screen.query_one("#guide-list", OptionList))
        assert len(ids) == len(set(ids))
        assert ids[0] == "general/how-a-contribution-works"
        assert sum(key.startswith("general/") for key in ids) == len(
            [g for p, g in app.guides if p.name == "general"]
        )
        assert not any(key.startswith("practice/") for key in ids)  # not this forge's pack


async def test_an_installed_pack_naming_a_starter_project_lists_it_once(
    practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path
) -> None:
    install_by_hand("team", TEAM_PACK)
    app = make_app(github_mode(practice_forge), state_store, tmp_path / "ws", packs=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # the packs are read in a worker, as at every real start
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        ids = option_ids(screen.query_one("#projects", OptionList))
        assert ids.count("psf/black") == 1
        assert "pallets/flask" in ids  # the team pack's own project is still there

        options = screen.query_one("#projects", OptionList)
        options.highlighted = next(
            i
            for i in range(options.option_count)
            if options.get_option_at_index(i).id == "psf/black"
        )
        await settle(pilot)
        card = rendered(screen.query_one("#project-meta", Static))
        assert "From the pack     Starter projects" in card
        assert "Also listed by    Our team's projects" in card
        assert app.project_for("psf/black") is not None
        assert app.project_for("psf/black")[0].name == "starter"  # type: ignore[index]

        await pilot.press("f1")  # the team's guides are there too, once
        await settle(pilot)
        guide_ids = option_ids(app.screen.query_one("#guide-list", OptionList))
        assert "team/welcome" in guide_ids
        assert len(guide_ids) == len(set(guide_ids))


async def test_two_packs_with_one_name_start_with_a_message(
    practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path
) -> None:
    """A copy of a pack under another folder name: the second is skipped and reported."""
    install_by_hand("team", TEAM_PACK)
    install_by_hand("team-copy", TEAM_PACK)
    install_by_hand("general-again", TEAM_PACK.replace('name = "team"', 'name = "general"'))
    app = make_app(github_mode(practice_forge), state_store, tmp_path / "ws", packs=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [pack.name for pack in app.packs].count("team") == 1
        assert [pack.name for pack in app.packs].count("general") == 1
        shown = [str(n.message) for n in app._notifications]
        assert any("team-copy" in m and "already named 'team'" in m for m in shown), shown
        assert any("general-again" in m and "built-in pack" in m for m in shown), shown
        await pilot.press("f1")
        await settle(pilot)
        ids = option_ids(app.screen.query_one("#guide-list", OptionList))
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("where", ["top-level", "in-a-project"])
async def test_a_pack_with_a_5000_digit_integer_is_skipped_at_start(
    practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path, where: str
) -> None:
    huge = "9" * 5000
    text = (
        TEAM_PACK.replace("format = 1", f"format = 1\nsize = {huge}")
        if where == "top-level"
        else TEAM_PACK + f'\n[[projects]]\nrepo = "octo/cat"\nstars = {huge}\n'
    )
    install_by_hand("team", text)
    app = make_app(github_mode(practice_forge), state_store, tmp_path / "ws", packs=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        assert "team" not in {pack.name for pack in app.packs}
        assert "starter" in {pack.name for pack in app.packs}
        shown = [str(n.message) for n in app._notifications]
        assert any("at most 4,300 digits" in m and "pack.toml:" in m for m in shown), shown
