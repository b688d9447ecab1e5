"""The lines of a pull's diff a review comment may sit on, and what CI reads, from real git."""

from __future__ import annotations

from pathlib import Path

from onboard.practice.plumbing import diff_lines, unsigned_commits
from tests.practice.learner import git


def test_new_side_lines_with_odd_names_and_no_final_newline(tmp_path: Path) -> None:
    git("init", "-q", str(tmp_path))
    (tmp_path / "old.md").write_text("one\ntwo\nthree\n")
    git("add", ".", cwd=tmp_path)
    git("commit", "-qm", "base", cwd=tmp_path)
    (tmp_path / "old.md").write_text("one\n2\nthree")  # changed, and no newline at the end
    (tmp_path / "with space.md").write_text("x \n")
    (tmp_path / "é.md").write_text("é\n")
    git("add", ".", cwd=tmp_path)
    git(
        "commit",
        "-qm",
        "change\n\nSigned-off-by: Test Learner <learner@practice.invalid>",
        cwd=tmp_path,
    )
    git("commit", "-q", "--allow-empty", "-m", "unsigned", cwd=tmp_path)
    lines = diff_lines(tmp_path, "HEAD~2", "HEAD")
    assert lines == [
        ("old.md", 1, "one", False),
        ("old.md", 2, "2", True),
        ("old.md", 3, "three", True),
        ("with space.md", 1, "x ", True),
        ("é.md", 1, "é", True),
    ]
    unsigned = unsigned_commits(tmp_path, "HEAD~2", "HEAD")
    assert unsigned == [git("rev-parse", "HEAD", cwd=tmp_path).strip()]
