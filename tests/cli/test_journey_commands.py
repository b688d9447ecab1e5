"""``onboard setup``, ``work``, ``claim`` and ``pr`` against the practice forge over real HTTP,
with real git: in-process through ``main`` (``tests.cli_runner``), stdin not a terminal."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from onboard.core.storage import paths
from onboard.core.storage.state import StateStore
from onboard.practice import PracticeForge
from tests.cli.test_cli import forge_env
from tests.cli_runner import Ran
from tests.cli_runner import run_onboard as run

PROJECT = "practice/hello-docs"
CLAIM = "I'd like to work on this: I will fix the spelling in the guide this week.\n"


def git(clone: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=clone, check=True, capture_output=True, text=True
    ).stdout.strip()


def set_up(forge: PracticeForge, *extra: str) -> tuple[Ran, Path]:
    ran = run("setup", PROJECT, "--yes", *extra, env=forge_env(forge))
    assert ran.returncode == 0, ran.stderr
    return ran, Path(ran.stdout.splitlines()[-1])


def forge_key(forge: PracticeForge) -> str:
    """Where the journey on ``forge`` is saved: by host, as for any forge given by its URL."""
    return urlsplit(forge.api_url).netloc


def api(forge: PracticeForge, path: str) -> object:
    answer = requests.get(
        f"{forge.api_url}{path}", headers={"Authorization": f"token {forge.token}"}, timeout=10
    )
    answer.raise_for_status()
    return answer.json()


def test_setup_waits_for_the_fork_and_prints_the_clone_last(
    practice_forge: PracticeForge, isolated_home: Path
) -> None:
    practice_forge.fork_delay = 1.5  # GitHub creates a fork's git repository later
    ran, clone = set_up(practice_forge)

    assert clone == isolated_home / "onboard-projects" / "practice" / "hello-docs"
    assert ran.stdout == f"{clone}\n"  # nothing but the path: `cd "$(onboard setup …)"`
    assert "waiting for the " in ran.stderr and "finish creating your fork" in ran.stderr
    assert ran.stderr.index("finish creating your fork") < ran.stderr.index("Clone your fork")
    for check in ("ok: 'origin' is your fork", "ok: 'upstream' is the original project"):
        assert check in ran.stderr
    assert git(clone, "branch", "--show-current") == "first-contribution"
    assert git(clone, "remote", "get-url", "upstream").endswith("/practice/hello-docs.git")
    assert "GH_TOKEN" not in ran.stderr and practice_forge.token not in ran.stderr + ran.stdout
    journey = StateStore(paths.state_path()).journey(forge_key(practice_forge))
    assert (journey.project, journey.fork, journey.clone_path) == (
        PROJECT,
        "learner/hello-docs",
        str(clone),
    )

    again = run("setup", PROJECT, "--json", env=forge_env(practice_forge))  # forked: no question
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["path"] == str(clone)
    forks = [r for r in practice_forge.requests if r.method == "POST" and r.path.endswith("/forks")]
    assert len(forks) == 1


def test_setup_without_a_terminal_or_yes_forks_nothing(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    ran = run("setup", PROJECT, "--dir", str(tmp_path / "here"), env=forge_env(practice_forge))
    assert ran.returncode == 2
    assert ran.stderr.strip().splitlines() == [
        "onboard: fork: nothing public happens without your confirmation, and there is no "
        "terminal to ask you on; pass --yes to confirm"
    ]
    assert not any(r.path.endswith("/forks") for r in practice_forge.requests)
    assert not (tmp_path / "here").exists()


def test_setup_into_a_chosen_folder_and_a_mistyped_project(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    _ran, clone = set_up(practice_forge, "--dir", str(tmp_path / "mine"))
    assert clone == tmp_path / "mine" and (clone / ".git").is_dir()

    missing = run("setup", "practice/no-such-project", "--yes", env=forge_env(practice_forge))
    assert missing.returncode == 1 and missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1
    assert missing.stderr.startswith("onboard: ")
    assert run("setup", "not a repo").returncode == 2


def test_work_starts_a_branch_for_the_issue_from_upstream(practice_forge: PracticeForge) -> None:
    _ran, clone = set_up(practice_forge)
    ran = run("work", f"{PROJECT}#1", env=forge_env(practice_forge))
    assert ran.returncode == 0, ran.stderr
    branch = ran.stdout.strip()
    assert branch.startswith("issue-1-fix-a-typo")
    assert git(clone, "branch", "--show-current") == branch
    assert git(clone, "rev-parse", "HEAD") == git(clone, "rev-parse", "upstream/main")

    again = run("work", f"{PROJECT}#1", "--json", env=forge_env(practice_forge))
    as_json = json.loads(again.stdout)
    assert (as_json["branch"], as_json["path"], as_json["number"]) == (branch, str(clone), 1)


def test_work_before_setup_says_what_to_run(practice_forge: PracticeForge) -> None:
    ran = run("work", f"{PROJECT}#1", env=forge_env(practice_forge))
    assert ran.returncode == 1
    assert ran.stderr == (
        f"onboard: {PROJECT} is not set up on this computer: run `onboard setup {PROJECT}` first.\n"
    )
    assert run("work", "practice/hello-docs#x").returncode == 2
    assert run("work", "practice/hello-docs").returncode == 2


def test_claim_refuses_the_template_placeholder(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    template = run("claim", "--template").stdout
    assert "<one or two sentences" in template
    (tmp_path / "claim.md").write_text(template)
    ran = run(
        "claim",
        f"{PROJECT}#1",
        "--message-file",
        str(tmp_path / "claim.md"),
        "--yes",
        env=forge_env(practice_forge),
    )
    assert ran.returncode == 1
    assert ran.stderr.startswith(f"onboard: {tmp_path / 'claim.md'}: Replace the placeholder <one")
    assert not [r for r in practice_forge.requests if r.method == "POST"]


def test_claim_without_yes_off_a_terminal_posts_nothing(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    (tmp_path / "claim.md").write_text(CLAIM)
    ran = run(
        "claim",
        f"{PROJECT}#1",
        "--message-file",
        str(tmp_path / "claim.md"),
        env=forge_env(practice_forge),
        stdin="y\n",  # piped, not a terminal: an answer nobody saw the question for
    )
    assert ran.returncode == 2
    assert "pass --yes" in ran.stderr and len(ran.stderr.splitlines()) == 1
    assert not [r for r in practice_forge.requests if r.method == "POST"]


def test_claim_with_yes_posts_the_comment(practice_forge: PracticeForge, tmp_path: Path) -> None:
    (tmp_path / "claim.md").write_text(CLAIM)
    ran = run(
        "claim",
        f"{PROJECT}#1",
        "--message-file",
        str(tmp_path / "claim.md"),
        "--yes",
        "--json",
        env=forge_env(practice_forge),
    )
    assert ran.returncode == 0, ran.stderr
    url = json.loads(ran.stdout)["url"]
    comments = api(practice_forge, f"/repos/{PROJECT}/issues/1/comments")
    assert isinstance(comments, list)
    assert [(c["body"], c["html_url"], c["user"]["login"]) for c in comments][-1] == (
        CLAIM,
        url,
        "learner",
    )
    journey = StateStore(paths.state_path()).journey(forge_key(practice_forge))
    assert (journey.project, journey.issue, journey.claim_url) == (PROJECT, 1, url)


def test_claim_a_missing_message_file_names_it(tmp_path: Path) -> None:
    ran = run("claim", f"{PROJECT}#1", "--message-file", str(tmp_path / "nope.md"))
    assert ran.returncode == 1
    assert ran.stderr == (
        f"onboard: cannot read the comment from {tmp_path / 'nope.md'}: no such file or directory\n"
    )
    (tmp_path / "latin1.md").write_bytes("Gr\xfc\xdfe".encode("latin-1"))
    ran = run("claim", f"{PROJECT}#1", "--message-file", str(tmp_path / "latin1.md"))
    assert ran.returncode == 1
    assert ran.stderr == (
        f"onboard: {tmp_path / 'latin1.md'}: expected the comment as UTF-8 text, but byte 3 "
        "is not\n"
    )


@pytest.fixture
def working(practice_forge: PracticeForge) -> tuple[PracticeForge, Path, str]:
    """Set up, with a branch for hello-docs#1: the clone and the branch."""
    _ran, clone = set_up(practice_forge)
    ran = run("work", f"{PROJECT}#1", env=forge_env(practice_forge))
    assert ran.returncode == 0, ran.stderr
    return practice_forge, clone, ran.stdout.strip()


def pulls_asked(forge: PracticeForge) -> list[str]:
    return [r.path for r in forge.requests if r.method == "POST" and r.path.endswith("/pulls")]


def pushed(clone: Path, branch: str) -> bool:
    """Is ``branch`` on the fork? Asked of the fork itself, not of the clone's memory of it."""
    return bool(git(clone, "ls-remote", "--heads", "origin", branch))


def fix_the_typo(clone: Path) -> None:
    guide = clone / "docs" / "getting-started.md"
    guide.write_text(guide.read_text().replace("recieve", "receive"))
    git(clone, "commit", "-qam", "Fix the spelling of 'receive'")


def test_pr_without_commits_fails_clearly(
    working: tuple[PracticeForge, Path, str], tmp_path: Path
) -> None:
    forge, clone, branch = working
    (tmp_path / "pr.md").write_text("Fixes #1\n\nThe spelling.\n")
    body = str(tmp_path / "pr.md")
    ran = run("pr", "--body-file", body, "--yes", cwd=clone, env=forge_env(forge))
    assert ran.returncode == 1
    assert ran.stderr == (
        f"onboard: Branch '{branch}' has no commits yet. Make your change, then `git add` and "
        "`git commit` it, and try again.\n"
    )
    assert not pulls_asked(forge) and not pushed(clone, branch)


def test_pr_outside_the_clone_or_with_the_template_says_what_to_do(
    working: tuple[PracticeForge, Path, str], tmp_path: Path
) -> None:
    forge, clone, branch = working
    fix_the_typo(clone)
    outside = run("pr", "--yes", cwd=tmp_path, env=forge_env(forge))
    assert outside.returncode == 1
    assert outside.stderr.startswith(f"onboard: Run `onboard pr` inside your clone of {PROJECT}")

    template = run("pr", "--template", cwd=clone / "docs", env=forge_env(forge))
    # practice/hello-docs has a pull request template: it is the start, with its Fixes # filled.
    assert template.returncode == 0 and template.stdout.startswith("## What does this change?")
    assert "\nFixes #1\n" in template.stdout
    untouched = run("pr", "--yes", cwd=clone, env=forge_env(forge))
    assert untouched.returncode == 1
    assert "onboard pr --template > pr.md" in untouched.stderr
    assert not pulls_asked(forge) and not pushed(clone, branch)


def test_pr_pushes_and_opens_a_draft(
    working: tuple[PracticeForge, Path, str], tmp_path: Path
) -> None:
    forge, clone, branch = working
    fix_the_typo(clone)
    (tmp_path / "pr.md").write_text("Fixes #1\n\nThe guide now spells 'receive' right.\n")
    body = str(tmp_path / "pr.md")
    ran = run("pr", "--body-file", body, "--yes", cwd=clone, env=forge_env(forge))
    assert ran.returncode == 0, ran.stderr
    url = ran.stdout.strip()
    number = int(url.rsplit("/", 1)[-1])
    pull = api(forge, f"/repos/{PROJECT}/pulls/{number}")
    assert isinstance(pull, dict)
    assert (pull["draft"], pull["html_url"], pull["head"]["ref"], pull["title"]) == (
        True,
        url,
        branch,
        'Fix a typo in the getting-started guide: "recieve" should be "receive"',
    )
    assert git(clone, "rev-parse", f"origin/{branch}") == git(clone, "rev-parse", "HEAD")

    # Again, with one more commit: GitHub refuses a second pull request for the branch, says
    # why, and the push has already brought the commit to the open one.
    (clone / "docs" / "thanks.md").write_text("Thank you for reading.\n")
    git(clone, "add", "docs/thanks.md")
    git(clone, "commit", "-qm", "Thank the reader")
    again = run("pr", "--body-file", body, "--yes", cwd=clone, env=forge_env(forge))
    assert again.returncode == 1
    assert f"(A pull request already exists for learner:{branch}.)" in again.stderr
    assert "Your branch was pushed" in again.stderr
    assert git(clone, "ls-remote", "origin", branch).split()[0] == git(clone, "rev-parse", "HEAD")


def test_pr_ready_is_not_a_draft(working: tuple[PracticeForge, Path, str], tmp_path: Path) -> None:
    forge, clone, _branch = working
    fix_the_typo(clone)
    (tmp_path / "pr.md").write_text("Fixes #1\n")
    ran = run(
        "pr",
        "--title",
        "Spell 'receive' right",
        "--body-file",
        str(tmp_path / "pr.md"),
        "--ready",
        "--yes",
        "--json",
        cwd=clone,
        env=forge_env(forge),
    )
    assert ran.returncode == 0, ran.stderr
    created = json.loads(ran.stdout)
    pull = api(forge, f"/repos/{PROJECT}/pulls/{created['number']}")
    assert isinstance(pull, dict)
    assert (pull["draft"], created["draft"]) == (False, False)
    assert pull["title"] == "Spell 'receive' right"


def test_the_loop_setup_work_edit_commit_pr(practice_forge: PracticeForge, tmp_path: Path) -> None:
    """What a script or a screen-reader user runs, start to end, with nothing but the commands
    and git: the clone's path from ``setup``, the branch from ``work``, the URL from ``pr``."""
    env = forge_env(practice_forge)
    setup = run("setup", PROJECT, "--yes", env=env)
    clone = Path(setup.stdout.splitlines()[-1])
    branch = run("work", f"{PROJECT}#1", env=env).stdout.strip()

    guide = clone / "docs" / "getting-started.md"
    guide.write_text(guide.read_text().replace("recieve", "receive"))
    git(clone, "add", "docs/getting-started.md")
    git(clone, "commit", "-qm", "Fix the spelling of 'receive'")

    template = run("pr", "--template", cwd=clone, env=env).stdout
    filled = template.replace("<describe your change in a sentence or two>", "Spelling.")
    (tmp_path / "pr.md").write_text(filled.replace("<what you ran or looked at>", "I read it."))
    pr = run("pr", "--body-file", str(tmp_path / "pr.md"), "--yes", cwd=clone, env=env)
    assert (setup.returncode, pr.returncode) == (0, 0), setup.stderr + pr.stderr

    pulls = api(practice_forge, f"/repos/{PROJECT}/pulls?state=open")
    assert isinstance(pulls, list)
    mine = next(p for p in pulls if p["html_url"] == pr.stdout.strip())
    assert (mine["head"]["label"], mine["base"]["ref"], mine["draft"]) == (
        f"learner:{branch}",
        "main",
        True,
    )
    # The project's pull request template, its "Fixes #" completed.
    assert mine["body"].startswith("## What does this change?") and "\nFixes #1\n" in mine["body"]
    changed = git(clone, "diff", "--name-only", "upstream/main", f"origin/{branch}")
    assert changed == "docs/getting-started.md"  # pushed to the fork: just the change


def test_on_a_terminal_the_claim_is_previewed_and_posted_on_yes(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    (tmp_path / "claim.md").write_text(CLAIM + "\x1b]0;title\x07[bold]plain[/bold]\n")
    ran = run(
        "claim",
        f"{PROJECT}#1",
        "--message-file",
        str(tmp_path / "claim.md"),
        env=forge_env(practice_forge),
        typed="y\n",
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr.splitlines()[:4] == [
        'Claim practice/hello-docs#1: Fix a typo in the getting-started guide: "recieve" '
        'should be "receive"',
        "On practice/hello-docs#1 as learner, this posts this comment publicly on the issue, "
        "under your name.",
        "----",
        f"  {CLAIM.strip()}",
    ]
    assert "  [bold]plain[/bold]" in ran.stderr and "\x1b" not in ran.stderr  # shown inert
    assert ran.stderr.endswith("Post this comment? [y/N] ")
    comments = api(practice_forge, f"/repos/{PROJECT}/issues/1/comments")
    assert isinstance(comments, list) and comments[-1]["html_url"] == ran.stdout.strip()


def test_on_a_terminal_anything_but_yes_opens_nothing(
    working: tuple[PracticeForge, Path, str], tmp_path: Path
) -> None:
    forge, clone, branch = working
    fix_the_typo(clone)
    (tmp_path / "pr.md").write_text("Fixes #1\n")
    ran = run(
        "pr", "--body-file", str(tmp_path / "pr.md"), cwd=clone, env=forge_env(forge), typed="\n"
    )
    assert ran.returncode == 1
    assert f"On practice/hello-docs (branch {branch}) as learner, this pushes your branch" in (
        ran.stderr
    )
    assert "Title: Fix a typo in the getting-started guide" in ran.stderr
    assert ran.stderr.endswith("Push and open it? [y/N] onboard: Nothing was done.\n")
    assert not pulls_asked(forge) and not pushed(clone, branch)


def test_practice_sets_up_the_journey_the_practice_app_continues(
    _seeded_forge_data: Path, tmp_path: Path
) -> None:
    """``--practice`` starts the learner's own practice forge for the command, and stops it."""
    shutil.copytree(_seeded_forge_data, paths.practice_dir(), symlinks=True)
    ran = run("setup", "practice/tiny-calc", "--practice", "--yes", "--dir", str(tmp_path / "c"))
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == f"{tmp_path / 'c'}\n"
    journey = StateStore(paths.state_path()).journey("practice")  # the key `onboard practice` reads
    assert (journey.fork, journey.clone_path) == ("learner/tiny-calc", str(tmp_path / "c"))
    work = run("work", "practice/tiny-calc#1", "--practice")
    assert work.returncode == 0, work.stderr
    assert git(tmp_path / "c", "branch", "--show-current") == work.stdout.strip()
    missing = run("work", "practice/hello-docs#1", "--practice")
    assert "run `onboard setup practice/hello-docs --practice` first" in missing.stderr


def test_ctrl_c_while_waiting_for_the_fork_stops_promptly_and_keeps_it(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    """A real process, since Ctrl+C is what is tested: the wait ends at once, no traceback,
    exit status 130, the fork is kept and the clone's folder never appears."""
    practice_forge.fork_delay = 60.0
    command = [sys.executable, "-m", "onboard", "setup", PROJECT, "--yes"]
    command += ["--dir", str(tmp_path / "clone")]
    child = subprocess.Popen(
        command,
        env={**os.environ, **forge_env(practice_forge)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl+C in a terminal reaches a foreground command whose SIGINT is not ignored; a
        # pytest-xdist worker ignores SIGINT, and its children would inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert child.stderr is not None
        for line in child.stderr:  # until the wait has begun
            if "finish creating your fork" in line:
                break
        child.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = child.wait(timeout=20)
    finally:
        child.kill()
    rest = child.stderr.read()
    assert (code, time.monotonic() - started < 10) == (130, True)
    assert rest.endswith(
        "onboard: Stopped. Run the same command again to go on where it stopped.\n"
    )
    assert "Traceback" not in rest and child.stdout is not None and child.stdout.read() == ""
    assert StateStore(paths.state_path()).journey(forge_key(practice_forge)).fork == (
        "learner/hello-docs"
    )
    assert not (tmp_path / "clone").exists()


def test_on_a_terminal_the_fork_is_previewed_and_no_forks_nothing(
    practice_forge: PracticeForge,
) -> None:
    ran = run("setup", PROJECT, env=forge_env(practice_forge), typed="no\n")
    host = forge_key(practice_forge)
    assert ran.stderr.splitlines()[:2] == [
        f"Fork {PROJECT} into your account: A tiny documentation site for practising your "
        "first docs fix.",
        f"On {PROJECT} on the {host} as learner, this creates a public copy of the project in "
        "your account. Anyone can see it; the project's maintainers see that it was forked. "
        "Nothing in the project itself changes.",
    ]
    assert ran.stderr.endswith("Fork it? [y/N] onboard: Nothing was done.\n")
    assert (ran.returncode, ran.stdout) == (1, "")
    assert not any(r.path.endswith("/forks") for r in practice_forge.requests)
    assert StateStore(paths.state_path()).journey(host).project is None  # nothing was saved


def test_practice_joins_the_practice_forge_the_app_already_runs(
    _seeded_forge_data: Path, forge_factory: Callable[..., PracticeForge]
) -> None:
    """`onboard practice` open in one terminal, a command in another: one forge, not two on
    the same data folder."""
    shutil.copytree(_seeded_forge_data, paths.practice_dir(), symlinks=True)
    running = forge_factory(paths.practice_dir())  # as `onboard practice` starts it
    ran = run("setup", "practice/kind-words", "--practice", "--yes")
    assert ran.returncode == 0, ran.stderr
    assert [r.path for r in running.requests if r.method == "POST"] == [
        "/repos/practice/kind-words/forks"
    ]
    assert running.running and running.store.get_repo("learner/kind-words") is not None
