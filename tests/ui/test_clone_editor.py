"""The in-app editor's rules for what it opens: text it can save back unchanged, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.ui.widgets.clone_editor import MAX_BYTES, language_for, load_problem


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"# Title\n\nSome text\twith a tab\r\n", None),
        ("Übersetzung: ça va\n".encode(), None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"a" * (MAX_BYTES + 1), "too big"),
        (b"title\x1b]0;owned\x07\n", "control characters"),
        ("caf\xe9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_only_text_it_can_save_back_unchanged_is_opened(data: bytes, problem: str | None) -> None:
    found = load_problem(Path("docs/page.md"), data)
    assert found is None if problem is None else problem in (found or "")


def test_languages_come_from_the_extension() -> None:
    assert language_for(Path("a/b.PY")) == "python"
    assert language_for(Path("docs/index.md")) == "markdown"
    assert language_for(Path("Makefile")) is None


def test_a_new_file_stays_inside_the_clone(tmp_path: Path) -> None:
    from onboard.ui.screens.new_file import create_in_clone, path_problem

    assert path_problem("docs/fr/index.md") is None
    for bad in ("", "/etc/passwd", "../outside.md", ".git/hooks/pre-commit", "a\x1b.md"):
        assert path_problem(bad), bad
    made = create_in_clone(tmp_path, "changelog.d/1.doc.md")
    assert made == (tmp_path / "changelog.d" / "1.doc.md").resolve() and made.read_text() == ""
    with pytest.raises(ValueError):
        create_in_clone(tmp_path, "../escape.md")
    assert not (tmp_path.parent / "escape.md").exists()
