"""Session files, format v1: the shipped example loads completely; every kind of mistake, each
from a real malformed file, gives one line naming the file, the line, the key and what was
expected; hostile files are refused without being read whole."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from onboard.core.models import Contact, Lane, RepoRef
from onboard.core.packs.loading import builtin_packs_dir, load_pack
from onboard.core.packs.validation import Problem
from onboard.core.sessions.session import (
    CheckpointKind,
    SessionError,
    load_session,
    self_guided_session,
)
from onboard.core.sessions.template import session_toml, slug, workshop_data
from onboard.core.sessions.validation import (
    MAX_SESSION_BYTES,
    validate_session_file,
    validate_session_source,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "guides" / "sessions" / "workshop-example.toml"

VALID = """\
format = 1
id = "spring-cohort"
title = "Spring cohort"
starts_at = 2025-03-14T09:30:00Z
packs = ["practice"]
projects = ["practice/hello-docs", "practice/tiny-calc"]
lanes = ["doc", "code"]

[mentor]
name = "Ada"
contact = "mailto:ada@example.org"

[help]
name = "#cohort chat"
url = "https://chat.example.org/cohort"

[[agenda]]
title = "Set up"
minutes = 30
checkpoint = "cloned"

[[checkpoints]]
id = "cloned"
title = "Fork cloned"
kind = "fork_cloned"

[[checkpoints]]
id = "pr"
title = "Draft PR"
kind = "draft_pr_opened"

[[issues]]
repo = "practice/tiny-calc"
number = 1
note = "a real bug"
"""


def write(tmp_path: Path, text: str | bytes, name: str = "session.toml") -> Path:
    file = tmp_path / name
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    return file


def problems(file: Path, **options: object) -> list[Problem]:
    return validate_session_file(file, **options).problems  # type: ignore[arg-type]


def only_problem(file: Path) -> Problem:
    found = problems(file)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


# --- valid files --------------------------------------------------------------------------------


def test_the_shipped_example_loads_completely() -> None:
    session = load_session(EXAMPLE, known_packs={"practice", "starter", "general"})
    assert session.format_version == 1
    assert session.id == "practice-workshop-example"
    assert session.starts_at == datetime(2025, 6, 12, 12, 0, tzinfo=UTC)
    assert session.mentor == Contact("Ada Mentor", "mailto:mentors@example.org")
    assert session.help is not None and session.help.url.startswith("https://")
    assert session.packs == ("practice",)
    assert session.total_minutes == 120  # a two-hour workshop, exactly
    assert [c.kind for c in session.checkpoints] == [
        CheckpointKind.PROJECT_CHOSEN,
        CheckpointKind.FORK_CLONED,
        CheckpointKind.TESTS_RAN,
        CheckpointKind.ISSUE_CLAIMED,
        CheckpointKind.BRANCH_PUSHED,
        CheckpointKind.DRAFT_PR_OPENED,
        CheckpointKind.REVIEW_GIVEN,
    ]
    assert session.planned_minutes("cloned") == 20
    assert session.planned_minutes("nope") is None
    assert (session.planned_by("chosen"), session.planned_by("review")) == (20, 115)
    assert session.planned_by("nope") is None
    assert (RepoRef("practice", "tiny-calc"), 1) in [(i.repo, i.number) for i in session.issues]
    assert session.allows_lane(Lane.DESIGN) and not session.allows_lane(Lane.A11Y)


def test_the_example_uses_only_the_practice_packs_projects() -> None:
    session = load_session(EXAMPLE)
    practice = load_pack(builtin_packs_dir() / "practice")
    pack_repos = {project.repo for project in practice.projects}
    assert set(session.projects) <= pack_repos
    assert {issue.repo for issue in session.issues} <= pack_repos


def test_the_format_guide_quotes_the_example_file() -> None:
    guide = (REPO_ROOT / "guides" / "SESSION-FORMAT.md").read_text(encoding="utf-8")
    example = EXAMPLE.read_text(encoding="utf-8")
    for line in example.splitlines()[3:15]:  # the top level, as shipped
        assert line in guide
    for kind in CheckpointKind:
        assert f"`{kind.value}`" in guide


def test_valid_session_loads(tmp_path: Path) -> None:
    session = load_session(write(tmp_path, VALID))
    assert session.id == "spring-cohort"
    assert session.starts_at == datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    assert session.lanes == (Lane.DOC, Lane.CODE)
    assert session.agenda[0].checkpoint == "cloned"
    assert session.checkpoint("pr") is not None and session.checkpoint("x") is None
    hello = RepoRef("practice", "hello-docs")
    assert session.allows_project(hello)
    assert not session.allows_project(RepoRef("practice", "kind-words"))


def test_starts_at_may_be_quoted_text(tmp_path: Path) -> None:
    text = VALID.replace("starts_at = 2025-03-14T09:30:00Z", 'starts_at = "2025-03-14T10:30+01:00"')
    assert load_session(write(tmp_path, text)).starts_at == datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def test_without_a_project_list_the_packs_decide(tmp_path: Path) -> None:
    text = VALID.replace('projects = ["practice/hello-docs", "practice/tiny-calc"]\n', "")
    session = load_session(write(tmp_path, text))
    inside, outside = RepoRef("practice", "kind-words"), RepoRef("pallets", "flask")
    assert session.allows_project(inside, pack_projects={inside})
    assert not session.allows_project(outside, pack_projects={inside})


def test_self_guided_session_has_every_kind() -> None:
    session = self_guided_session()
    assert [c.kind for c in session.checkpoints] == list(CheckpointKind)
    assert len({c.id for c in session.checkpoints}) == len(CheckpointKind)


@pytest.mark.parametrize(
    "kinds",
    [
        (),
        (CheckpointKind.REVIEW_GIVEN, CheckpointKind.FORK_CREATED),
        tuple(CheckpointKind),
    ],
)
def test_generated_sessions_are_valid(tmp_path: Path, kinds: tuple[CheckpointKind, ...]) -> None:
    options = {"kinds": kinds} if kinds else {}
    data = workshop_data(
        title="Atelier « première contribution »",
        starts_at=datetime(2025, 6, 12, 14, 0, tzinfo=UTC),
        mentor="Zoë",
        help_url="https://chat.example.org/x",
        **options,  # type: ignore[arg-type]
    )
    source = session_toml(data)
    validation = validate_session_source(source, tmp_path / "s.toml")
    assert validation.valid, [str(p) for p in validation.problems]
    assert "[[agenda]]" in source and "[[checkpoints]]" in source
    session = load_session(write(tmp_path, source))
    assert session.id == "atelier-premiere-contribution"
    if not kinds:
        assert session.total_minutes == 120
    # Checkpoints keep the journey's order whatever order they were asked for in.
    order = list(CheckpointKind)
    assert [order.index(c.kind) for c in session.checkpoints] == sorted(
        order.index(c.kind) for c in session.checkpoints
    )


def test_slug() -> None:
    assert slug("First Contribution Workshop!") == "first-contribution-workshop"
    assert slug("Ärger & Öl") == "arger-ol"
    assert slug("!!!") == "session"
    assert len(slug("word " * 40)) <= 64


# --- reading the file ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "nope.toml")
    assert "does not exist" in problem.message
    assert str(problem).startswith(f"{tmp_path / 'nope.toml'}:")


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, 'format = 1\nid = "x"\ntitle = "unclosed\n'))
    assert problem.line == 3
    assert str(problem).startswith(f"{tmp_path / 'session.toml'}:3: invalid TOML")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, b'format = 1\ntitle = "caf\xe9"\n'))
    assert (problem.line, "invalid UTF-8" in problem.message) == (2, True)


def test_binary_and_huge_files(tmp_path: Path) -> None:
    assert "binary" in only_problem(write(tmp_path, b"\x7fELF\x02\x01\x00\x00")).message
    huge = write(tmp_path, "#" + "x" * MAX_SESSION_BYTES + "\n", "huge.toml")
    assert "too large" in only_problem(huge).message


def test_deep_nesting_and_huge_integers(tmp_path: Path) -> None:
    deep = write(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert any("nesting is too deep" in p.message for p in problems(deep))
    big = write(tmp_path, VALID.replace("number = 1", "number = 123456789012345678901234567890"))
    found = problems(big)
    assert any(p.key == "issues[0].number" and "too large" in p.message for p in found)


# --- structure (the JSON Schema) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "line", "expected"),
    [
        ("format = 1", "format = 2", "format", 1, "expected 1, got 2"),
        ('id = "spring-cohort"', 'id = "Spring Cohort"', "id", 2, "lowercase letters"),
        ('id = "spring-cohort"\n', "", "", None, "required key 'id' is missing"),
        ('title = "Spring cohort"', 'titel = "x"', "titel", 3, "did you mean 'title'?"),
        (
            "starts_at = 2025-03-14T09:30:00Z",
            "starts_at = 2025-03-14T09:30:00",
            "starts_at",
            4,
            "with its UTC offset",
        ),
        (
            "starts_at = 2025-03-14T09:30:00Z",
            "starts_at = 2025-03-14",
            "starts_at",
            4,
            "with its UTC offset",
        ),
        ('packs = ["practice"]', 'packs = ["Practice!"]', "packs[0]", 5, "guide pack name"),
        (
            '"practice/tiny-calc"]',
            '"practice/hello-docs"]',
            "projects",
            6,
            "contains the same value twice",
        ),
        ('lanes = ["doc", "code"]', 'lanes = ["docs"]', "lanes[0]", 7, "did you mean 'doc'?"),
        ('name = "Ada"', 'nam = "Ada"', "mentor.nam", 10, "did you mean 'name'?"),
        (
            'contact = "mailto:ada@example.org"',
            'contact = "javascript:alert(1)"',
            "mentor.contact",
            11,
            "https:// or mailto:",
        ),
        (
            'url = "https://chat.example.org/cohort"',
            'url = "http://chat.example.org"',
            "help.url",
            15,
            "https:// or mailto:",
        ),
        ("minutes = 30", "minutes = 0", "agenda[0].minutes", 19, "1 to 600, got 0"),
        ("minutes = 30", "minutes = 1.5", "agenda[0].minutes", 19, "expected an integer"),
        ("minutes = 30", 'minutes = "30"', "agenda[0].minutes", 19, "got a string"),
        (
            'checkpoint = "cloned"',
            'checkpoint = "clned"',
            "agenda[0].checkpoint",
            20,
            "unknown checkpoint 'clned'; did you mean 'cloned'?",
        ),
        (
            'kind = "fork_cloned"',
            'kind = "fork_clone"',
            "checkpoints[0].kind",
            25,
            "unknown value 'fork_clone'; did you mean 'fork_cloned'?",
        ),
        ('title = "Fork cloned"', 'title = ""', "checkpoints[0].title", 24, "must not be empty"),
        (
            'id = "pr"',
            'id = "cloned"',
            "checkpoints[1].id",
            28,
            "'cloned' is already used by checkpoints[0]",
        ),
        (
            'repo = "practice/tiny-calc"',
            'repo = "practice/kind-words"',
            "issues[0].repo",
            33,
            "not one of this session's projects",
        ),
        ("number = 1", "number = 0", "issues[0].number", 34, "issue number"),
        ('note = "a real bug"', "note = 3", "issues[0].note", 35, "expected a string"),
    ],
)
def test_structural_problems(
    tmp_path: Path, old: str, new: str, key: str, line: int | None, expected: str
) -> None:
    assert old in VALID
    file = write(tmp_path, VALID.replace(old, new, 1))
    found = problems(file)
    problem = next((p for p in found if p.key == key), None)
    assert problem is not None, [str(p) for p in found]
    assert problem.line == line
    assert expected in problem.message
    where = f"{file}:{line}:" if line else f"{file}:"
    assert str(problem).startswith(where)
    with pytest.raises(SessionError) as refused:
        load_session(file)
    assert problem in refused.value.problems


def test_no_checkpoints_is_an_error(tmp_path: Path) -> None:
    text = 'format = 1\nid = "x1"\ntitle = "t"\ncheckpoints = []\n'
    problem = only_problem(write(tmp_path, text))
    assert (problem.key, problem.line) == ("checkpoints", 4)
    assert "at least 1 item" in problem.message


def test_the_same_issue_twice(tmp_path: Path) -> None:
    text = VALID + '\n[[issues]]\nrepo = "practice/tiny-calc"\nnumber = 1\n'
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "issues[1]"
    assert "already listed as issues[0]" in problem.message


@pytest.mark.parametrize("key", ["api_url", "token", "GITHUB_TOKEN"])
def test_a_session_cannot_set_api_host_or_token(tmp_path: Path, key: str) -> None:
    text = VALID.replace("[mentor]", f'{key} = "https://evil.example"\n\n[mentor]')
    found = problems(write(tmp_path, text))
    assert any(p.key == key and "may not set the API host" in p.message for p in found)


def test_an_unknown_pack_is_a_warning_not_an_error(tmp_path: Path) -> None:
    file = write(tmp_path, VALID.replace('packs = ["practice"]', 'packs = ["practise"]'))
    validation = validate_session_file(file, known_packs={"practice", "starter"})
    assert validation.valid
    [warning] = validation.problems
    assert (warning.severity, warning.key, warning.line) == ("warning", "packs[0]", 5)
    assert "no guide pack named 'practise'" in warning.message
    assert "warning:" in str(warning)
    assert validate_session_file(file).problems == []  # nothing known to compare with


def test_all_problems_are_reported_in_one_pass(tmp_path: Path) -> None:
    text = (
        VALID.replace("minutes = 30", "minutes = 0")
        .replace('kind = "pr"', "")
        .replace('kind = "draft_pr_opened"', 'kind = "pr"')
    )
    found = problems(write(tmp_path, text))
    assert [p.key for p in found] == ["agenda[0].minutes", "checkpoints[1].kind"]
    assert [p.line for p in found] == sorted(p.line or 0 for p in found)


def test_session_error_is_one_line_with_a_count(tmp_path: Path) -> None:
    file = write(tmp_path, VALID.replace("format = 1", "format = 9").replace("minutes = 30", ""))
    with pytest.raises(SessionError) as refused:
        load_session(file)
    message = str(refused.value)
    assert "\n" not in message
    assert message.endswith("(and 1 more problems)")
