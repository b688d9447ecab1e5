"""``--output``: standard output, or a file written whole; a file that cannot be written is one
line naming it and the reason, and the command exits 1 without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.cli.output import write_output
from tests.cli_runner import run_onboard

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_no_path_means_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert write_output(None, "# Report\n") is True
    assert capsys.readouterr() == ("# Report\n", "")


def test_a_path_is_written_whole_and_nothing_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old")
    assert write_output(target, "new report\n") is True
    assert target.read_text() == "new report\n"
    assert capsys.readouterr() == ("", "")


def test_an_unwritable_path_is_one_line_naming_file_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    assert write_output(blocker / "report.md", "text") is False
    out, err = capsys.readouterr()
    assert out == ""
    prefix = f"onboard: cannot write {blocker / 'report.md'}: "
    assert err.startswith(prefix) and err.count("\n") == 1
    reason = err.removeprefix(prefix).strip()
    assert reason and reason == reason.lower()  # "file exists", not "[Errno 17] File exists"


def test_onboard_report_exits_1_when_its_output_cannot_be_written(
    tmp_path: Path, isolated_home: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = run_onboard("report", "--output", str(blocker / "r.md"))
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert "Wrote your report" not in result.stdout
