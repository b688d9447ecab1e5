"""``onboard session new|validate|summary`` as a mentor uses them (in-process, through ``main``):
real files, reports made by ``onboard report`` for several learners (each with their own
progress)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from onboard.cli import build_parser
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.progress import SessionEvent
from onboard.core.sessions.session import load_session
from onboard.core.storage.state import StateStore
from tests.cli_runner import run_onboard as onboard

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "guides" / "sessions" / "workshop-example.toml"


# --- new ----------------------------------------------------------------------------------------


def test_new_writes_a_valid_two_hour_workshop_and_refuses_to_overwrite(tmp_path: Path) -> None:
    created = onboard("session", "new", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    file = tmp_path / "first-contribution-workshop.toml"
    assert f"Created {file.name}: 6 checkpoints, a 120-minute agenda" in created.stdout
    session = load_session(file)
    assert session.total_minutes == 120
    assert session.packs == ("practice",)
    assert [c.kind for c in session.checkpoints] == [
        CheckpointKind.PROJECT_CHOSEN,
        CheckpointKind.FORK_CLONED,
        CheckpointKind.TESTS_RAN,
        CheckpointKind.ISSUE_CLAIMED,
        CheckpointKind.BRANCH_PUSHED,
        CheckpointKind.DRAFT_PR_OPENED,
    ]
    assert "[[agenda]]" in file.read_text()
    assert onboard("session", "validate", str(file)).returncode == 0

    file.write_text("# my edits\n" + file.read_text())
    again = onboard("session", "new", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists; add --force" in again.stderr
    assert file.read_text().startswith("# my edits")
    forced = onboard("session", "new", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert not file.read_text().startswith("# my edits")


def test_new_with_flags(tmp_path: Path) -> None:
    file = tmp_path / "cohort.toml"
    result = onboard(
        "session",
        "new",
        str(file),
        "--title",
        "Spring cohort",
        "--pack",
        "starter",
        "--project",
        "pallets/flask",
        "--lane",
        "doc",
        "--checkpoint",
        "review_given",
        "--checkpoint",
        "fork_cloned",
        "--mentor",
        "Ada",
        "--mentor-contact",
        "mailto:ada@example.org",
        "--help-name",
        "#cohort",
        "--help-url",
        "https://chat.example.org/cohort",
        "--starts-at",
        "2025-03-14T09:30+01:00",
    )
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(file.read_text())
    assert data["id"] == "spring-cohort"
    assert data["packs"] == ["starter"] and data["projects"] == ["pallets/flask"]
    assert data["lanes"] == ["doc"]
    assert [c["kind"] for c in data["checkpoints"]] == ["fork_cloned", "review_given"]
    assert data["mentor"] == {"name": "Ada", "contact": "mailto:ada@example.org"}
    assert data["help"] == {"name": "#cohort", "url": "https://chat.example.org/cohort"}
    assert data["starts_at"].isoformat() == "2025-03-14T09:30:00+01:00"


def test_new_refuses_values_the_format_does_not_allow(tmp_path: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    bad_project = onboard("session", "new", "--project", "not-a-repo", cwd=here)
    assert bad_project.returncode == 2
    assert "projects[0]: expected OWNER/NAME" in bad_project.stderr
    bad_url = onboard("session", "new", "--help-url", "javascript:alert(1)", cwd=here)
    assert bad_url.returncode == 2 and "help.url" in bad_url.stderr
    no_offset = onboard("session", "new", "--starts-at", "2025-03-14T09:30", cwd=here)
    assert no_offset.returncode == 2 and "UTC offset" in no_offset.stderr
    bad_kind = onboard("session", "new", "--checkpoint", "fork_clone", cwd=here)
    assert bad_kind.returncode == 2 and "invalid choice" in bad_kind.stderr
    assert list(here.iterdir()) == []  # nothing was written


def test_new_warns_about_a_pack_this_computer_does_not_have(tmp_path: Path) -> None:
    result = onboard("session", "new", "--pack", "our-team", cwd=tmp_path)
    assert result.returncode == 0
    assert "packs[0]: no guide pack named 'our-team' is installed here" in result.stderr


def test_checkpoint_choices_are_exactly_the_kinds() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    new = commands.choices["session"]._actions[-1].choices["new"]  # type: ignore[union-attr]
    option = next(a for a in new._actions if a.dest == "checkpoint")
    assert list(option.choices or []) == [kind.value for kind in CheckpointKind]


# --- validate -----------------------------------------------------------------------------------


def test_validate_exit_codes_and_one_line_per_problem(tmp_path: Path) -> None:
    assert onboard("session", "validate", str(EXAMPLE)).returncode == 0
    broken = tmp_path / "workshop.toml"
    broken.write_text(
        EXAMPLE.read_text()
        .replace('kind = "fork_cloned"', 'kind = "fork_clone"')
        .replace('checkpoint = "cloned"', 'checkpoint = "clned"', 1)
    )
    result = onboard("session", "validate", str(broken))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{broken}:36: agenda[2].checkpoint: unknown checkpoint 'clned'; did you mean 'cloned'?",
        f"{broken}:75: checkpoints[1].kind: unknown value 'fork_clone'; "
        "did you mean 'fork_cloned'?",
        # A warning, not a problem: two offered projects have no tests to run.
        f"{broken}:81: warning: checkpoints[2].kind: practice/hello-docs, practice/kind-words "
        "have no test_command in their guide packs: learners who choose one skip this "
        "checkpoint unless onboard finds tests in the clone (add a test_command to the pack, "
        "or offer projects with tests)",
    ]
    assert result.stderr.strip() == f"{broken}: invalid (2 problems)"

    as_json = json.loads(onboard("session", "validate", str(broken), "--json").stdout)
    assert as_json["valid"] is False
    assert [p["line"] for p in as_json["problems"]] == [36, 75, 81]
    assert as_json["problems"][1] == {
        "file": str(broken),
        "line": 75,
        "key": "checkpoints[1].kind",
        "message": "unknown value 'fork_clone'; did you mean 'fork_cloned'?",
        "severity": "error",
    }


def test_validate_usage_errors(tmp_path: Path) -> None:
    folder = onboard("session", "validate", str(tmp_path))
    assert folder.returncode == 2 and "is a folder" in folder.stderr
    missing = onboard("session", "validate", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_validate_shows_hostile_values_as_inert_text(tmp_path: Path) -> None:
    file = tmp_path / "s.toml"
    file.write_text(
        EXAMPLE.read_text().replace('id = "chosen"', 'id = "\\u001b]0;pwned\\u0007[/]"', 1)
    )
    result = onboard("session", "validate", str(file))
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "checkpoints[0].id" in result.stdout


# --- summary, from reports made by `onboard report` --------------------------------------------


def learner_report(tmp_path: Path, name: str, events: list[SessionEvent]) -> Path:
    """A learner on their own computer: their own data folder, git name and progress."""
    home = tmp_path / name
    data = home / "data"
    gitconfig = home / "gitconfig"
    home.mkdir()
    gitconfig.write_text(f"[user]\n\tname = {name}\n")
    store = StateStore(data / "onboard" / "state.json")
    store.join_session("practice-workshop-example", "Workshop")
    for event in events:
        store.record_event(event)
    output = tmp_path / "reports" / f"{name}.json"
    env = {"XDG_DATA_HOME": str(data), "GIT_CONFIG_GLOBAL": str(gitconfig)}
    made = onboard("report", "--session", str(EXAMPLE), "--output", str(output), env=env)
    assert made.returncode == 0, made.stderr
    return output


def test_summary_of_learners_reports_with_a_foreign_file(tmp_path: Path) -> None:
    ada = learner_report(
        tmp_path,
        "ada",
        [SessionEvent.tests_ran(0), SessionEvent.stuck("work", "documentation", "where?")],
    )
    bo = learner_report(
        tmp_path, "bo", [SessionEvent.stuck("clone", "technical-hurdles", "<b>help</b>")]
    )
    foreign = tmp_path / "reports" / "notes.txt"
    foreign.write_text("not a report")

    result = onboard("session", "summary", str(ada), str(bo), str(foreign))
    assert result.returncode == 1  # one file was left out
    assert result.stderr.strip() == (
        f"onboard: {foreign}: not JSON; expected a report made with: onboard report --format json"
    )
    assert "2 learners · session: practice-workshop-example" in result.stdout
    assert "| The tests ran | 1 of 2 |" in result.stdout
    assert "| Documentation | 1 | 1 | 1 |" in result.stdout
    assert "| bo |" in result.stdout and "&lt;b&gt;help&lt;/b&gt;" in result.stdout
    assert f"- {foreign}: not JSON" in result.stdout.replace("\\", "")

    as_json = onboard("session", "summary", str(ada), str(bo), "--format", "json")
    assert as_json.returncode == 0
    summary = json.loads(as_json.stdout)
    assert summary["learners"] == 2
    assert sorted(row["learner"] for row in summary["stuck_now"]) == ["ada", "bo"]

    out = tmp_path / "summary.md"
    written = onboard("session", "summary", str(ada), "--output", str(out))
    assert written.returncode == 0
    assert out.read_text().startswith("# Cohort summary")


def test_summary_with_no_usable_report(tmp_path: Path) -> None:
    result = onboard("session", "summary", str(tmp_path / "missing.json"))
    assert result.returncode == 1
    assert "missing.json: does not exist" in result.stderr
    assert "no usable report" in result.stderr
    assert result.stdout == ""
