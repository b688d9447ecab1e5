"""Guide packs: the built-in pack loads, and every broken pack gives one precise line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from onboard.core.models import Lane, RepoRef
from onboard.core.packs import (
    MAX_PACK_BYTES,
    PACK_FILE,
    PackError,
    builtin_packs_dir,
    iter_pack_dirs,
    load_builtin_packs,
    load_pack,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

VALID = """\
format = 1
name = "mine"
title = "My pack"
forge = "github"

[[projects]]
repo = "pallets/flask"
lanes = ["code", "doc"]

[[projects.setup]]
argv = ["python", "-m", "pip", "install", "-e", "."]
description = "Install"

[[guides]]
title = "Hello"
file = "hello.md"
"""


def make_pack(root: Path, text: str | bytes = VALID, *, guide: bool = True) -> Path:
    folder = root / "pack"
    folder.mkdir(parents=True, exist_ok=True)
    if guide:
        (folder / "hello.md").write_text("# Hello\n", encoding="utf-8")
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / PACK_FILE).write_bytes(data)
    return folder


def pack_error(folder: Path) -> str:
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    message = str(caught.value)
    assert "\n" not in message, message
    assert str(folder / PACK_FILE) in message, message
    return message


def test_practice_pack_loads() -> None:
    folder = builtin_packs_dir() / "practice"
    assert folder == REPO_ROOT / "guides" / "practice"
    pack = load_pack(folder)
    assert pack.name == "practice"
    assert pack.forge == "practice"
    assert pack.title
    assert [project.repo for project in pack.projects] == [
        RepoRef("practice", "hello-docs"),
        RepoRef("practice", "tiny-calc"),
        RepoRef("practice", "kind-words"),
    ]
    lanes = {project.repo.name: project.lanes for project in pack.projects}
    assert lanes == {
        "hello-docs": (Lane.DOC, Lane.TRANSLATION, Lane.TRIAGE),
        "tiny-calc": (Lane.CODE, Lane.DOC),
        "kind-words": (Lane.CONTENT, Lane.DESIGN, Lane.QUESTION),
    }
    calc = pack.projects[1]
    assert calc.test_command == ("python", "-m", "pytest")
    assert calc.setup[0].argv == ("python", "-m", "pip", "install", "-e", ".")
    assert len(pack.guides) == 1
    guide = pack.guides[0]
    assert guide.path.is_file()
    assert guide.path.is_relative_to(folder.resolve())
    assert guide.read().strip()


def test_builtin_packs_include_practice() -> None:
    names = [pack.name for pack in load_builtin_packs()]
    assert "practice" in names
    assert all((folder / PACK_FILE).is_file() for folder in iter_pack_dirs(builtin_packs_dir()))


def test_valid_pack_loads_with_defaults(tmp_path: Path) -> None:
    pack = load_pack(make_pack(tmp_path))
    project = pack.projects[0]
    assert project.title == "flask"  # defaults to the repository name
    assert project.summary == ""
    assert project.lanes == (Lane.CODE, Lane.DOC)
    assert pack.description == ""
    assert pack.guides[0].title == "Hello"


def test_iter_pack_dirs_skips_folders_without_pack_file(tmp_path: Path) -> None:
    make_pack(tmp_path)
    (tmp_path / "empty").mkdir()
    assert list(iter_pack_dirs(tmp_path)) == [tmp_path / "pack"]
    assert list(iter_pack_dirs(tmp_path / "missing")) == []


def test_missing_pack_file(tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    assert "cannot read" in pack_error(folder)


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    message = pack_error(make_pack(tmp_path, "format = 1\nname = \ntitle = 'x'\n"))
    assert "invalid TOML" in message
    assert "line 2" in message


def test_invalid_utf8(tmp_path: Path) -> None:
    message = pack_error(make_pack(tmp_path, b'format = 1\nname = "\xff\xfe"\n'))
    assert "not UTF-8" in message
    assert "byte 19" in message


def test_huge_file(tmp_path: Path) -> None:
    message = pack_error(make_pack(tmp_path, "#" + "x" * MAX_PACK_BYTES + "\n"))
    assert "too large" in message
    assert str(MAX_PACK_BYTES) in message


def test_deep_nesting(tmp_path: Path) -> None:
    message = pack_error(make_pack(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n"))
    assert "nesting is too deep" in message


def test_deep_inline_tables(tmp_path: Path) -> None:
    message = pack_error(make_pack(tmp_path, "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n"))
    assert "nesting is too deep" in message


_ENDLESS = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (1 << 28, 1 << 28))
    from onboard.core.packs import PackError, load_pack
    try:
        load_pack(Path(sys.argv[2]))
    except PackError as error:
        print("PackError:", error)
    """
)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_pack_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    # A pack from a stranger's repository can make pack.toml a symlink to an endless device;
    # the size limit must hold without reading the whole thing into memory first.
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / PACK_FILE).symlink_to("/dev/zero")
    result = subprocess.run(
        [sys.executable, "-c", _ENDLESS, str(REPO_ROOT), str(folder)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("PackError:"), result.stdout


@pytest.mark.parametrize(
    ("old", "new", "key", "expected"),
    [
        ("format = 1", 'format = "1"', "'format'", "expected a int, got str"),
        ("format = 1", "format = true", "'format'", "got bool"),
        ("format = 1", "format = 2", "'format'", "format version 1, got 2"),
        ('forge = "github"', 'forge = "gitlab"', "'forge'", "'gitlab'"),
        ('name = "mine"', "name = 3", "'name'", "expected a str, got int"),
        ('name = "mine"\n', "", "'name'", "missing"),
        ('lanes = ["code", "doc"]', 'lanes = ["code", "docs"]', "'projects[0].lanes'", "'docs'"),
        ('lanes = ["code", "doc"]', 'lanes = "code"', "'projects[0].lanes'", "got str"),
        ('lanes = ["code", "doc"]', "lanes = [1]", "'projects[0].lanes'", "a list of strings"),
        ('repo = "pallets/flask"', 'repo = "../../etc"', "'projects[0].repo'", "OWNER/REPO"),
        ('repo = "pallets/flask"', 'repo = "a/b/c"', "'projects[0].repo'", "'a/b/c'"),
        ('repo = "pallets/flask"', "repo = 5", "'projects[0].repo'", "got int"),
        ('repo = "pallets/flask"\n', "", "'projects[0].repo'", "missing"),
        (
            'argv = ["python", "-m", "pip", "install", "-e", "."]',
            'argv = "pip install -e ."',
            "'projects[0].setup[0].argv'",
            "expected a list, got str",
        ),
        (
            'argv = ["python", "-m", "pip", "install", "-e", "."]',
            "argv = []",
            "'projects[0].setup[0].argv'",
            "no shell strings",
        ),
        ('description = "Install"\n', "", "'projects[0].setup[0].description'", "missing"),
        ('file = "hello.md"', 'file = "../../etc/passwd"', "'guides[0].file'", "inside the pack"),
        ('file = "hello.md"', 'file = "/etc/passwd"', "'guides[0].file'", "inside the pack"),
        ('file = "hello.md"', 'file = "nope.md"', "'guides[0].file'", "does not exist"),
        ('file = "hello.md"', 'file = "."', "'guides[0].file'", "does not exist"),
        ('title = "Hello"\n', "", "'guides[0].title'", "missing"),
    ],
)
def test_each_problem_names_file_key_and_expectation(
    tmp_path: Path, old: str, new: str, key: str, expected: str
) -> None:
    assert old in VALID
    message = pack_error(make_pack(tmp_path, VALID.replace(old, new, 1)))
    assert f"key {key}" in message
    assert expected in message


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("format = 1\nname = 'n'\ntitle = 't'\nprojects = 'x'\n", "'projects'", "a list"),
        ("format = 1\nname = 'n'\ntitle = 't'\nprojects = [1]\n", "'projects[0]'", "a table"),
        ("format = 1\nname = 'n'\ntitle = 't'\nguides = [{}]\n", "'guides[0].file'", "missing"),
        ("name = 'n'\ntitle = 't'\n", "'format'", "missing"),
    ],
)
def test_structural_problems(tmp_path: Path, text: str, key: str, expected: str) -> None:
    message = pack_error(make_pack(tmp_path, text))
    assert f"key {key}" in message
    assert expected in message


def test_guide_symlink_pointing_outside_the_pack(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("outside")
    folder = make_pack(tmp_path, VALID.replace('file = "hello.md"', 'file = "link.md"'))
    (folder / "link.md").symlink_to(secret)
    message = pack_error(folder)
    assert "key 'guides[0].file'" in message
    assert "inside the pack" in message


def test_guide_symlink_inside_the_pack_is_fine(tmp_path: Path) -> None:
    folder = make_pack(tmp_path, VALID.replace('file = "hello.md"', 'file = "link.md"'))
    (folder / "link.md").symlink_to(folder / "hello.md")
    assert load_pack(folder).guides[0].path == (folder / "hello.md").resolve()


def test_guide_in_a_subfolder(tmp_path: Path) -> None:
    folder = make_pack(tmp_path, VALID.replace('file = "hello.md"', 'file = "docs/a.md"'))
    (folder / "docs").mkdir()
    (folder / "docs" / "a.md").write_text("# A")
    assert load_pack(folder).guides[0].read() == "# A"
