"""The setup screen shows a Python project's plan as it will run in the clone's own .venv.

The Pythons "on this computer" are made up (a stock Debian 12: python3 and python3.11, 3.11.2),
so what the screen shows does not depend on the machine running the tests. Nothing is run.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from onboard.core.setup.python_env import USER_NOTE, Interpreter
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.ui.screens.project_setup import ProjectSetupScreen
from tests.flows.pack_fixtures import write_pack
from tests.ui.helpers import SIZE, make_app, settle

DEBIAN = (
    Interpreter(("python3",), "3.11.2", "/usr/bin/python3"),
    Interpreter(("python3.11",), "3.11.2", "/usr/bin/python3.11"),
)
INSTALL = {
    "argv": ["python", "-m", "pip", "install", "--user", "pre-commit"],
    "description": "Install pre-commit",
}


def make_clone(tmp_path: Path, requires: str) -> Path:
    clone = tmp_path / "ws" / "practice" / "tiny-calc"
    clone.mkdir(parents=True)
    (clone / "pyproject.toml").write_text(
        f'[project]\nname = "tiny-calc"\nversion = "0.3.0"\nrequires-python = "{requires}"\n'
    )
    return clone


def shown(screen: ProjectSetupScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_the_plan_shows_the_venv_step_the_rewritten_pip_and_why(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    clone = make_clone(tmp_path, ">=3.11")
    pack = write_pack(tmp_path / "pack", [INSTALL], test_command=["python", "-m", "pytest"])
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = ProjectSetupScreen(
            clone, pack.projects[0], pack, os_name="linux", timeout=60, pythons=lambda: DEBIAN
        )
        await app.push_screen(screen)
        await settle(pilot)
        first = shown(screen, "#step-0")
        assert "$ python3.11 -m venv .venv" in first
        assert "Python 3.11.2, the newest Python here that fits >=3.11" in first
        install = shown(screen, "#step-1")
        assert "$ .venv/bin/python -m pip install pre-commit" in install
        assert "--user" not in install.split("\n")[0]
        assert USER_NOTE in install.replace("\n", " ")
        assert "python -m pip install --user pre-commit" in install  # what the pack wrote
        assert "$ .venv/bin/python -m pytest" in shown(screen, "#step-2")
        assert screen.query_one("#ps-env").display
        assert ".venv/bin/python" in shown(screen, "#ps-env")
        assert not screen.query_one("#run").disabled
        assert not (clone / ".venv").exists()  # shown, not run


async def test_a_python_that_does_not_fit_is_explained_and_nothing_can_run(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    clone = make_clone(tmp_path, ">=3.13")
    pack = write_pack(tmp_path / "pack", [INSTALL])
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = ProjectSetupScreen(
            clone, pack.projects[0], pack, os_name="linux", timeout=60, pythons=lambda: DEBIAN
        )
        await app.push_screen(screen)
        await settle(pilot)
        outcome = shown(screen, "#ps-outcome").replace("\n", " ")
        assert "cannot run on this computer yet" in outcome
        assert "needs Python >=3.13" in outcome
        assert not screen.query_one("#run").display
        assert screen.query_one("#not-now").display
        await pilot.press("enter")  # the focused button is "Not now"
        await settle(pilot)
        assert not isinstance(app.screen, ProjectSetupScreen)
        assert state_store.consents() == {}
        assert not (clone / ".venv").exists()
