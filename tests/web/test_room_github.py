"""A room against GitHub: each learner joins with their own token, checked and kept in their
profile only. GitHub is played by the practice forge (``GITHUB_API_URL``), so nothing leaves
this computer."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import requests

from onboard.practice import PracticeForge
from tests.web.conftest import start_serve


def test_a_learners_own_token_is_checked_and_kept_in_their_profile_only(
    practice_forge: PracticeForge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", practice_forge.api_url)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_the_mentors_own_token_never_shared")
    learners = tmp_path / "room" / "learners"
    served = start_serve("--room", str(tmp_path / "room"), logs=tmp_path / "logs")
    try:
        page = requests.get(served.url, timeout=5).text
        assert 'id="token"' in page and 'type="password"' in page

        refused = requests.post(
            f"{served.url}join", json={"name": "Ada", "token": "ghp_wrong"}, timeout=60
        )
        assert refused.status_code == 400
        assert refused.json()["error"].startswith("token: ")
        assert "ghp_wrong" not in refused.text
        assert not list(learners.iterdir())  # no half-made profile is kept

        token = practice_forge.token
        joined = requests.post(
            f"{served.url}join", json={"name": "Ada", "token": token}, timeout=60
        )
        assert joined.status_code == 200, joined.text
        (profile,) = [p for p in learners.iterdir() if p.is_dir()]
        stored = profile / "config" / "onboard" / "token"
        assert token in stored.read_text()
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
        assert not (profile / "practice-token").exists()
    finally:
        served.stop()
    out, err = served.output()
    assert token not in out + err and "ghp_wrong" not in out + err
