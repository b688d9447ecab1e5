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
