"""Issue #17 at every entry point: hostile pack and session files are one message and exit 1,
never a traceback; an app that ended on a traceback exits non-zero.

In-process through ``onboard.cli.main``, so an uncaught exception fails the test itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from onboard.cli import main
from onboard.ui.app import OnboardApp
from onboard.ui.mentor_app import MentorApp

HUGE = "9" * 5000

PACK = """\
format = 1
name = "team"
title = "Our team's projects"

[[projects]]
repo = "psf/black"
stars = {stars}

[[guides]]
id = "welcome"
title = "Welcome"
file = "welcome.md"
"""

SESSION = """\
format = 1
id = "workshop"
title = "A workshop"

[[checkpoints]]
id = "chosen"
title = "Project chosen"
kind = "project_chosen"

[[agenda]]
title = "Choose a project"
minutes = {minutes}
checkpoint = "chosen"
"""

DIGITS = "expected a number with at most 4,300 digits"


def huge_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "pack.toml").write_text(PACK.format(stars=HUGE))
    (folder / "welcome.md").write_text("# Welcome\n")
    return folder


def huge_session(tmp_path: Path) -> Path:
    file = tmp_path / "workshop.toml"
    file.write_text(SESSION.format(minutes=HUGE))
    return file


def no_traceback(err: str) -> None:
    assert "Traceback" not in err
    assert HUGE not in err  # the number itself is never echoed back


def test_pack_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = huge_pack(tmp_path)
    assert main(["pack", "validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert f"{folder / 'pack.toml'}:7: invalid TOML:" in out and DIGITS in out
    no_traceback(out + err)


def test_pack_validate_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "validate", "--json", str(huge_pack(tmp_path))]) == 1
    out = capsys.readouterr().out
    assert '"line": 7' in out and DIGITS in out


def test_pack_install(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = huge_pack(tmp_path)
    assert main(["pack", "install", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "nothing was installed" in err and f"{folder / 'pack.toml'}:7:" in err and DIGITS in err
    no_traceback(err)
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "onboard" / "packs" / "team").exists()


def test_session_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = huge_session(tmp_path)
    assert main(["session", "validate", str(file)]) == 1
    out, err = capsys.readouterr()
    assert f"{file}:12: invalid TOML:" in out and DIGITS in out
    no_traceback(out + err)


def test_onboard_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = huge_session(tmp_path)
    assert main(["--session", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"cannot use the session file {file}" in err and f"{file}:12:" in err and DIGITS in err
    no_traceback(err)


def test_report_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = huge_session(tmp_path)
    assert main(["report", "--offline", "--session", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"{file}:12:" in err and DIGITS in err and "not a usable session file" in err
    no_traceback(err)


def test_commands_that_load_every_pack_skip_an_installed_one_with_a_huge_integer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``pack list`` and ``session validate`` read every installed pack too."""
    target = Path(os.environ["XDG_DATA_HOME"]) / "onboard" / "packs" / "team"
    target.parent.mkdir(parents=True)
    huge_pack(tmp_path).rename(target)
    assert main(["pack", "list"]) == 0
    out = capsys.readouterr().out
    assert "team" in out and "INVALID" in out and "4,300 digits" in out
    file = tmp_path / "ok.toml"
    file.write_text(SESSION.format(minutes=10))
    assert main(["session", "validate", str(file)]) == 0


def test_a_byte_order_mark_is_accepted_by_pack_and_session_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "pack.toml").write_bytes(b"\xef\xbb\xbf" + PACK.format(stars=1).encode())
    (folder / "welcome.md").write_text("# Welcome\n")
    file = tmp_path / "workshop.toml"
    file.write_bytes(b"\xef\xbb\xbf" + SESSION.format(minutes=10).encode())
    assert main(["pack", "validate", str(folder)]) == 1  # only for the unknown key below
    assert "unknown key 'stars'" in capsys.readouterr().out
    assert main(["session", "validate", str(file)]) == 0
    assert "Invalid statement" not in capsys.readouterr().out


# --- an app that ends on a traceback ---------------------------------------------------------


def headless(original: Callable[..., Any], keys: list[str]) -> Callable[..., Any]:
    """``App.run`` without a terminal, pressing ``keys``, then quitting if still running."""

    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        async def pilot(driver: Any) -> None:
            await driver.pause()
            for key in keys:
                await driver.press(key)
                await driver.pause()
            if self.is_running:
                self.exit()

        return original(self, headless=True, size=(120, 36), auto_pilot=pilot)

    return run


def boom(*_args: object) -> None:
    raise RuntimeError("an action that crashes")


def test_the_app_crashing_makes_the_command_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(OnboardApp, "run", headless(OnboardApp.run, ["f2"]))
    monkeypatch.setattr(OnboardApp, "action_doctor", boom)
    status = main(["practice", "--data", str(tmp_path / "forge")])
    assert status != 0
    assert "an action that crashes" in capsys.readouterr().err


def test_the_app_ending_normally_exits_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OnboardApp, "run", headless(OnboardApp.run, []))
    assert main(["practice", "--data", str(tmp_path / "forge")]) == 0


def test_the_dashboard_crashing_makes_the_command_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onboard.ui.screens.mentor_dashboard import MentorDashboardScreen

    monkeypatch.setattr(MentorApp, "run", headless(MentorApp.run, ["r"]))
    monkeypatch.setattr(MentorDashboardScreen, "action_reload", boom)
    assert main(["session", "dashboard", str(tmp_path)]) != 0


# --- a pack naming a project another pack has --------------------------------------------------


def test_installing_a_pack_that_shares_a_project_says_whose_entry_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "pack.toml").write_text(PACK.replace("stars = {stars}\n", ""))
    (folder / "welcome.md").write_text("# Welcome\n")
    assert main(["pack", "install", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "Installed 'team'" in out
    assert "psf/black is also in the built-in pack 'starter', which loads first" in err
    assert main(["pack", "list"]) == 0  # and everything still loads
    assert "INVALID" not in capsys.readouterr().out
