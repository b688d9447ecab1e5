"""An unusable data folder is one clear line and exit status 1 from any command, never a trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.cli import main


def test_a_file_where_the_data_folder_should_be(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = isolated_home / ".local" / "share"
    data.mkdir(parents=True)
    (data / "onboard").write_text("not a folder")

    assert main(["report", "--offline"]) == 1

    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("onboard: Cannot save your progress in ")
    assert "a file is in the way where that folder should be" in err
