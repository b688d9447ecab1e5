"""``onboard pack ...`` as a curator uses it (in-process, through ``main``): real files, real
git, the practice forge."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from onboard.practice import PracticeForge
from tests.cli_runner import run_onboard as onboard

PACK = """\
format = 1
name = "team"
title = "Our team's projects"

[[projects]]
repo = "practice/hello-docs"
beginner_labels = ["Good First Issue"]

[projects.lanes.doc]
labels = ["documentation", "docs"]

[[projects]]
repo = "practice/tiny-calc"

[[guides]]
id = "welcome"
title = "Welcome"
file = "welcome.md"
"""


def write_pack(folder: Path, text: str = PACK) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(text)
    (folder / "welcome.md").write_text("# Welcome\n")
    return folder


def test_new_pack_is_valid_and_refuses_to_overwrite(tmp_path: Path) -> None:
    created = onboard("pack", "new", "my-team", "--dir", str(tmp_path / "my-team"))
    assert created.returncode == 0, created.stderr
    checked = onboard("pack", "validate", str(tmp_path / "my-team"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    again = onboard("pack", "new", "my-team", "--dir", str(tmp_path / "my-team"))
    assert again.returncode == 1
    assert "not empty" in again.stderr


def test_new_pack_with_a_bad_name(tmp_path: Path) -> None:
    result = onboard("pack", "new", "My Team", "--dir", str(tmp_path / "x"))
    assert result.returncode == 1
    assert "not a pack name" in result.stderr


def test_validate_exit_codes_and_one_line_per_problem(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p", PACK.replace('repo = "practice/tiny-calc"', 'repo = "x"\nlanse = 1')
    )
    result = onboard("pack", "validate", str(folder))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines == [
        f"{folder}/pack.toml:13: projects[1].repo: "
        "expected OWNER/NAME, for example pallets/flask, got 'x'",
        f"{folder}/pack.toml:14: projects[1].lanse: unknown key 'lanse'; did you mean 'lanes'?",
    ]
    assert "Traceback" not in result.stderr
    assert onboard("pack", "validate", str(tmp_path / "nowhere")).returncode == 2
    assert onboard("pack", "validate").returncode == 2


def test_validate_json(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", PACK.replace('name = "team"', 'name = "T"'))
    result = onboard("pack", "validate", str(folder), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"][0]["key"] == "name"
    assert report["problems"][0]["line"] == 2
    assert set(report["problems"][0]) == {"file", "line", "key", "message", "severity"}


def test_validate_accepts_the_pack_file_itself(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p")
    assert onboard("pack", "validate", str(folder / "pack.toml")).returncode == 0


def test_validate_online_checks_repos_and_labels(
    tmp_path: Path, practice_forge: PracticeForge
) -> None:
    practice_forge.store.set_repo_flags("practice/tiny-calc", archived=True)
    text = PACK + '\n[[projects]]\nrepo = "practice/vanished"\n'
    folder = write_pack(tmp_path / "p", text)
    env = {"GITHUB_API_URL": practice_forge.api_url, "GH_TOKEN": practice_forge.token}
    result = onboard("pack", "validate", str(folder), "--online", "--json", env=env)
    assert result.returncode == 1, result.stderr
    messages = {(p["key"], p["message"]) for p in json.loads(result.stdout)["problems"]}
    assert messages == {
        (
            "projects[0].beginner_labels[0]",
            "label 'Good First Issue' does not exist in practice/hello-docs; "
            "did you mean 'good first issue'?",
        ),
        (
            "projects[0].lanes.doc.labels[1]",
            "label 'docs' does not exist in practice/hello-docs",
        ),
        ("projects[1].repo", "practice/tiny-calc is archived; expected an active project"),
        ("projects[2].repo", "practice/vanished does not exist (or is private)"),
    }


def test_install_list_remove(tmp_path: Path) -> None:
    source = write_pack(tmp_path / "src")
    (source / "notes.txt").write_text("private notes")
    (source / "link.md").symlink_to("/etc/hostname")

    installed = onboard("pack", "install", str(source))
    assert installed.returncode == 0, installed.stderr
    target = Path(os.environ["XDG_DATA_HOME"]) / "onboard" / "packs" / "team"
    assert sorted(p.name for p in target.iterdir()) == ["pack.toml", "welcome.md"]

    listed = json.loads(onboard("pack", "list", "--json").stdout)
    rows = {row["name"]: row for row in listed}
    assert rows["team"]["source"] == "installed"
    assert rows["team"]["projects"] == 2
    assert rows["practice"]["source"] == "built-in"

    again = onboard("pack", "install", str(source))
    assert again.returncode == 1
    assert "--force" in again.stderr
    assert onboard("pack", "install", str(source), "--force").returncode == 0

    assert onboard("pack", "remove", "team").returncode == 0
    assert not target.exists()
    missing = onboard("pack", "remove", "teams")
    assert missing.returncode == 1
    assert "no installed pack" in missing.stderr


def test_install_refuses_invalid_packs_and_builtin_names(tmp_path: Path) -> None:
    bad = write_pack(tmp_path / "bad", PACK.replace("format = 1", "format = 7"))
    result = onboard("pack", "install", str(bad))
    assert result.returncode == 1
    assert "nothing was installed" in result.stderr
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "onboard" / "packs" / "team").exists()

    clash = write_pack(tmp_path / "clash", PACK.replace('name = "team"', 'name = "practice"'))
    assert "built-in" in onboard("pack", "install", str(clash)).stderr
    assert "cannot be removed" in onboard("pack", "remove", "practice").stderr


def test_install_from_a_file_url_is_refused(tmp_path: Path) -> None:
    """Only https:// git URLs (installing over https: tests/safety/test_pack_sources.py)."""
    source = write_pack(tmp_path / "src")
    git = ["git", "-C", str(source)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "pack"], check=True)
    result = onboard("pack", "install", source.as_uri())
    assert result.returncode == 1
    assert "is not an https:// URL" in result.stderr


def test_install_refuses_odd_urls(tmp_path: Path) -> None:
    result = onboard("pack", "install", "ext::sh -c touch% /tmp/pwned")
    assert result.returncode == 1
    assert not Path("/tmp/pwned").exists()
