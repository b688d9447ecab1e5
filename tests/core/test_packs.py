"""Guide packs, format v1: every error class, each from a real malformed file, gives one line
naming the file, the line, the key path and what was expected; valid packs load completely."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.core.models import Lane, LaneBinding, RepoRef
from onboard.core.packs.loading import (
    PackError,
    builtin_packs_dir,
    iter_pack_dirs,
    load_all_packs,
    load_pack,
)
from onboard.core.packs.validation import (
    MAX_FILE_BYTES,
    PACK_FILE,
    Problem,
    validate_pack,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

VALID = """\
format = 1
name = "mine"
title = "My pack"
forge = "github"

[help]
url = "https://example.org/chat"

[[projects]]
repo = "pallets/flask"
beginner_labels = ["good first issue"]

[[projects.setup]]
argv = ["python", "-m", "pip", "install", "-e", "."]
description = "Install"
os = ["linux", "macos"]

[projects.lanes.doc]
labels = ["docs"]
beginner_only = false

[[tasks]]
lane = "review"
title = "Review a pull request"
description = "Read one and comment kindly."
project = "pallets/flask"

[[guides]]
id = "hello"
title = "Hello"
file = "hello.md"
barrier = "social-interaction"
"""


def make_pack(root: Path, text: str | bytes = VALID, *, guide: bool = True) -> Path:
    folder = root / "pack"
    folder.mkdir(parents=True, exist_ok=True)
    if guide:
        (folder / "hello.md").write_text("# Hello\n", encoding="utf-8")
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / PACK_FILE).write_bytes(data)
    return folder


def problems(folder: Path) -> list[Problem]:
    result = validate_pack(folder)
    assert not result.valid
    for problem in result.problems:
        line = str(problem)
        assert "\n" not in line, line
        assert line.startswith(str(folder / PACK_FILE)), line
    return result.problems


def only_problem(folder: Path) -> Problem:
    found = problems(folder)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_valid_pack_loads_completely(tmp_path: Path) -> None:
    pack = load_pack(make_pack(tmp_path))
    assert pack.name == "mine"
    assert pack.help is not None and pack.help.url == "https://example.org/chat"
    (project,) = pack.projects
    assert project.repo == RepoRef("pallets", "flask")
    assert project.title == "flask"
    assert project.beginner_labels == ("good first issue",)
    assert project.lanes == {Lane.DOC: LaneBinding(("docs",), "", False)}
    assert project.setup[0].argv == ("python", "-m", "pip", "install", "-e", ".")
    assert project.setup[0].applies_to("linux")
    assert not project.setup[0].applies_to("windows")
    assert [task.lane for task in pack.tasks_for(project.repo)] == [Lane.REVIEW]
    assert pack.tasks_for(RepoRef("other", "repo")) == []
    assert pack.guides[0].read() == "# Hello\n"
    assert pack.guides[0].barrier == "social-interaction"


@pytest.mark.parametrize("name", ["practice", "general", "starter"])
def test_builtin_packs_are_valid(name: str) -> None:
    folder = builtin_packs_dir() / name
    result = validate_pack(folder)
    assert result.valid, "\n".join(str(p) for p in result.problems)


def test_practice_pack_matches_the_practice_forge_projects() -> None:
    pack = load_pack(builtin_packs_dir() / "practice")
    assert pack.forge == "practice"
    assert [str(p.repo) for p in pack.projects] == [
        "practice/hello-docs",
        "practice/tiny-calc",
        "practice/kind-words",
    ]


def test_load_all_packs_reports_a_broken_installed_pack_and_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    broken = tmp_path / "data" / "onboard" / "packs" / "broken"
    broken.mkdir(parents=True)
    (broken / PACK_FILE).write_text("format = 1\n")
    packs, errors = load_all_packs()
    assert {"practice", "general"} <= {pack.name for pack in packs}
    assert len(errors) == 1
    assert "required key 'name' is missing" in str(errors[0])


def test_iter_pack_dirs_skips_folders_without_pack_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    make_pack(tmp_path / "b")
    assert iter_pack_dirs(tmp_path / "b") == [tmp_path / "b" / "pack"]
    assert iter_pack_dirs(tmp_path / "a") == []
    assert iter_pack_dirs(tmp_path / "missing") == []


def test_pack_error_is_one_line_with_a_count(tmp_path: Path) -> None:
    folder = make_pack(
        tmp_path,
        VALID.replace('name = "mine"', 'name = "Mine!"').replace(
            'lane = "review"', 'lane = "reviews"'
        ),
    )
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert "\n" not in str(caught.value)
    assert "(and 1 more problems)" in str(caught.value)
    assert len(caught.value.problems) == 2


# --- reading the file -------------------------------------------------------------------------


def test_missing_pack_file(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert "missing" in only_problem(folder).message


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    problem = only_problem(make_pack(tmp_path, 'format = 1\nname = "x"\ntitle = "unclosed\n'))
    assert problem.line == 3
    assert problem.message.startswith("invalid TOML")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    problem = only_problem(make_pack(tmp_path, b'format = 1\nname = "caf\xe9"\n'))
    assert problem.line == 2
    assert "invalid UTF-8" in problem.message


def test_binary_file(tmp_path: Path) -> None:
    assert "binary" in only_problem(make_pack(tmp_path, b"\x7fELF\x02\x01\x00\x00")).message


def test_huge_file(tmp_path: Path) -> None:
    problem = only_problem(make_pack(tmp_path, "#" + "x" * MAX_FILE_BYTES + "\n"))
    assert "too large" in problem.message


def test_deep_nesting(tmp_path: Path) -> None:
    problem = only_problem(make_pack(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n"))
    assert "nesting is too deep" in problem.message


def test_deep_inline_tables(tmp_path: Path) -> None:
    text = "a = " + "{b = " * 40 + "1" + "}" * 40 + "\n"
    assert any("nesting is too deep" in p.message for p in problems(make_pack(tmp_path, text)))


def test_huge_integer(tmp_path: Path) -> None:
    text = VALID.replace("format = 1", "format = 1\nextra = 123456789012345678901234567890")
    found = problems(make_pack(tmp_path, text))
    assert any(p.key == "extra" and "integer is too large" in p.message for p in found)


# --- structure (the JSON Schema) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "line", "expected"),
    [
        ("format = 1", "format = 2", "format", 1, "expected 1, got 2"),
        ("format = 1", 'format = "1"', "format", 1, "expected 1, got '1'"),
        ('name = "mine"', 'name = "My Pack"', "name", 2, "lowercase letters"),
        ('name = "mine"\n', "", "", None, "required key 'name' is missing"),
        ('forge = "github"', 'forge = "gitlab"', "forge", 4, "unknown value 'gitlab'"),
        ('title = "My pack"', 'titel = "My pack"', "titel", 3, "did you mean 'title'?"),
        (
            'url = "https://example.org/chat"',
            'url = "javascript:alert(1)"',
            "help.url",
            7,
            "https:// or mailto:",
        ),
        ('repo = "pallets/flask"', 'repo = "../../etc"', "projects[0].repo", 10, "OWNER/NAME"),
        ('repo = "pallets/flask"', "repo = 5", "projects[0].repo", 10, "got an integer"),
        (
            'beginner_labels = ["good first issue"]',
            "beginner_labels = []",
            "projects[0].beginner_labels",
            11,
            "at least 1 item",
        ),
        (
            'argv = ["python", "-m", "pip", "install", "-e", "."]',
            'argv = "pip install -e ."',
            "projects[0].setup[0].argv",
            14,
            "not a shell string",
        ),
        (
            'argv = ["python", "-m", "pip", "install", "-e", "."]',
            "argv = []",
            "projects[0].setup[0].argv",
            14,
            "at least 1 item",
        ),
        (
            'os = ["linux", "macos"]',
            'os = ["linux", "bsd"]',
            "projects[0].setup[0].os[1]",
            16,
            "unknown value 'bsd'",
        ),
        (
            "[projects.lanes.doc]",
            "[projects.lanes.docs]",
            "projects[0].lanes.docs",
            18,
            "did you mean 'doc'?",
        ),
        (
            "beginner_only = false",
            'beginner_only = "no"',
            "projects[0].lanes.doc.beginner_only",
            20,
            "expected true or false",
        ),
        ('lane = "review"', 'lane = "revew"', "tasks[0].lane", 23, "did you mean 'review'?"),
        (
            'description = "Read one and comment kindly."',
            'description = ""',
            "tasks[0].description",
            25,
            "must not be empty",
        ),
        ('id = "hello"', 'id = "Hello World"', "guides[0].id", 29, "lowercase"),
        (
            'barrier = "social-interaction"',
            'barrier = "shyness"',
            "guides[0].barrier",
            32,
            "unknown value 'shyness'",
        ),
        ('file = "hello.md"', 'file = "hello.txt"', "guides[0].file", 31, ".md file"),
    ],
)
def test_structural_problems(
    tmp_path: Path, old: str, new: str, key: str, line: int | None, expected: str
) -> None:
    assert old in VALID
    found = problems(make_pack(tmp_path, VALID.replace(old, new)))
    problem = next(p for p in found if p.key == key)
    assert problem.line == line
    assert expected in problem.message


def test_unknown_keys_everywhere_get_suggestions(tmp_path: Path) -> None:
    text = VALID.replace('repo = "pallets/flask"', 'repo = "pallets/flask"\nlanse = {}')
    problem = only_problem(make_pack(tmp_path, text))
    assert problem.key == "projects[0].lanse"
    assert problem.message == "unknown key 'lanse'; did you mean 'lanes'?"


@pytest.mark.parametrize("key", ["api_url", "token", "base_url", "GH_TOKEN"])
def test_pack_cannot_set_api_host_or_token(tmp_path: Path, key: str) -> None:
    text = VALID.replace('repo = "pallets/flask"', f'repo = "pallets/flask"\n{key} = "x"')
    problem = only_problem(make_pack(tmp_path, text))
    assert problem.key == f"projects[0].{key}"
    assert "may not set the API host" in problem.message


def test_all_problems_are_reported_in_one_pass(tmp_path: Path) -> None:
    text = (
        VALID.replace('name = "mine"', 'name = "BAD"')
        .replace('lane = "review"', 'lane = "x"')
        .replace('file = "hello.md"', 'file = "missing.md"')
    )
    found = problems(make_pack(tmp_path, text))
    assert [p.key for p in found] == ["name", "tasks[0].lane", "guides[0].file"]
    assert [p.line for p in found] == sorted(p.line or 0 for p in found)


# --- rules between values, and files ---------------------------------------------------------


def test_duplicate_repository(tmp_path: Path) -> None:
    text = VALID + '\n[[projects]]\nrepo = "Pallets/Flask"\n'
    problem = only_problem(make_pack(tmp_path, text))
    assert problem.key == "projects[1].repo"
    assert "already listed as projects[0]" in problem.message


def test_task_for_a_project_outside_the_pack(tmp_path: Path) -> None:
    text = VALID.replace('project = "pallets/flask"', 'project = "psf/requests"')
    assert "not one of this pack's projects" in only_problem(make_pack(tmp_path, text)).message


def test_lane_qualifiers_cannot_widen_the_search(tmp_path: Path) -> None:
    text = VALID.replace(
        "beginner_only = false", 'beginner_only = false\nqualifiers = "repo:evil/x"'
    )
    problem = only_problem(make_pack(tmp_path, text))
    assert problem.key == "projects[0].lanes.doc.qualifiers"


def test_duplicate_guide_id(tmp_path: Path) -> None:
    text = VALID + '\n[[guides]]\nid = "hello"\ntitle = "Again"\nfile = "hello.md"\n'
    assert "already used by guides[0]" in only_problem(make_pack(tmp_path, text)).message


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("../../etc/passwd.md", "inside the pack folder"),
        ("/etc/passwd.md", "inside the pack folder"),
        ("nope.md", "does not exist"),
    ],
)
def test_guide_paths(tmp_path: Path, path: str, expected: str) -> None:
    text = VALID.replace('file = "hello.md"', f'file = "{path}"')
    assert expected in only_problem(make_pack(tmp_path, text)).message


def test_guide_symlink_pointing_outside_the_pack(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# secret\n")
    folder = make_pack(tmp_path, guide=False)
    (folder / "hello.md").symlink_to(secret)
    assert "outside the pack folder" in only_problem(folder).message


def test_guide_that_is_binary_or_not_utf8(tmp_path: Path) -> None:
    folder = make_pack(tmp_path, guide=False)
    (folder / "hello.md").write_bytes(b"# caf\xe9\n")
    assert "invalid UTF-8" in only_problem(folder).message


def test_translation_paths_are_checked_too(tmp_path: Path) -> None:
    text = VALID + '\n[guides.translations]\nes = "../fuera.md"\n'
    problem = only_problem(make_pack(tmp_path, text))
    assert problem.key == "guides[0].translations.es"


def test_translation_is_read_for_its_language(tmp_path: Path) -> None:
    folder = make_pack(tmp_path, VALID + '\n[guides.translations]\nes = "es/hola.md"\n')
    (folder / "es").mkdir()
    (folder / "es" / "hola.md").write_text("# Hola\n")
    guide = load_pack(folder).guides[0]
    assert guide.read("es") == "# Hola\n"
    assert guide.read("fr") == "# Hello\n"
