"""``onboard find`` says how many issues had their claim status checked when not all were."""

from __future__ import annotations

from onboard.practice import PracticeForge
from tests.cli.test_cli import forge_env, run


def test_find_without_a_token_says_how_many_were_checked(practice_forge: PracticeForge) -> None:
    practice_forge.store.add_user("claims-org", type="Organization")
    practice_forge.store.add_repo("claims-org", "busy")
    for index in range(12):
        practice_forge.store.add_issue(
            "claims-org/busy", f"Task {index}", labels=["good first issue"]
        )
    result = run("find", "claims-org/busy", env={"GITHUB_API_URL": practice_forge.api_url})
    assert result.returncode == 0, result.stderr
    assert "Checked who is working on 10 of 12 issues" in result.stderr
    assert "onboard auth login" in result.stderr


def test_find_signed_in_checks_all_and_adds_no_note(practice_forge: PracticeForge) -> None:
    result = run("find", "practice/hello-docs", env=forge_env(practice_forge))
    assert result.returncode == 0, result.stderr
    assert "Checked who is working on" not in result.stderr
    assert "unknown" not in result.stdout


def test_find_shows_the_learners_own_claim_as_yours(practice_forge: PracticeForge) -> None:
    from onboard.core.journey import Journey
    from onboard.core.storage import paths
    from onboard.core.storage.state import StateStore
    from onboard.forge.connect import github_config
    from tests.cli_runner import environment

    practice_forge.store.add_user("claims-org", type="Organization")
    practice_forge.store.add_repo("claims-org", "mine")
    number = practice_forge.store.add_issue(
        "claims-org/mine", "Fix the typo", labels=["good first issue"]
    )["number"]
    practice_forge.store.add_comment(
        "claims-org/mine", number, "I'd like to work on this!", user=practice_forge.user
    )
    env = forge_env(practice_forge)
    with environment(env):
        key = github_config().key
    StateStore(paths.state_path()).save_journey(
        key, Journey(project="claims-org/mine", fork=f"{practice_forge.user}/mine")
    )
    result = run("find", "claims-org/mine", "--status", "yours", env=env)
    assert result.returncode == 0, result.stderr
    assert "Fix the typo" in result.stdout
