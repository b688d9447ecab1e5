"""A project's own TOML files with a number Python cannot convert (more than 4,300 digits):
``onboard deps`` reports it with its line, and set-up detection reads on without the file,
instead of an uncaught ``ValueError`` (issue #17)."""

from __future__ import annotations

from pathlib import Path

from onboard.core.dependencies.declared import read_dependencies
from onboard.core.setup.project_detect import detect

PYPROJECT = """\
[project]
name = "demo"
version = "1.0"
dependencies = ["requests>=2"]

[tool.demo]
seed = {digits}
"""


def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(digits="9" * 5000))
    return tmp_path


def test_deps_reports_the_file_and_line(tmp_path: Path) -> None:
    scan = read_dependencies(project(tmp_path))
    (problem,) = scan.problems
    assert problem.line == 7
    assert "expected a number with at most 4,300 digits" in problem.message
    assert scan.dependencies == []


def test_setup_detection_reads_on_without_the_file(tmp_path: Path) -> None:
    detected = detect(project(tmp_path), os_name="linux")
    assert detected is not None
