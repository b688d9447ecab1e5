"""The pure rules of a workshop room: names, codes, secrets, and a learner's environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.core.sessions.room import (
    PRACTICE_TOKEN_ENV,
    REPORT_ENV,
    Profile,
    RoomInputError,
    code_matches,
    display_name,
    learner_environment,
    looks_like_secret,
    new_secret,
    practice_login,
    profile_id,
)


def test_a_name_is_cleaned_text_and_bad_ones_say_which_field() -> None:
    assert display_name("  Ada \x1b[31m Lovelace\n") == "Ada Lovelace"
    assert display_name("[bold]Grace[/]") == "[bold]Grace[/]"  # data, not markup: kept as typed
    for bad, words in [("", "cannot be empty"), ("\x07", "cannot be empty"), (3, "as text")]:
        with pytest.raises(RoomInputError, match=words) as caught:
            display_name(bad)
        assert str(caught.value).startswith("name:")
    with pytest.raises(RoomInputError, match="at most 60"):
        display_name("x" * 61)


def test_room_code() -> None:
    assert code_matches(None, None)  # a room without a code lets everyone in
    assert code_matches("4321", " 4321 ")
    assert not code_matches("4321", "1234")
    assert not code_matches("4321", None)


def test_secrets_are_random_and_profiles_are_named_by_their_hash() -> None:
    first, second = new_secret(), new_secret()
    assert first != second and looks_like_secret(first)
    assert profile_id(first) != profile_id(second)
    assert first not in profile_id(first)
    assert len(profile_id(first)) == 32 and profile_id(first) == profile_id(first)
    assert not looks_like_secret("../../etc") and not looks_like_secret(None)


def test_practice_logins_follow_githubs_rules() -> None:
    assert practice_login("Ada Lovelace", "3f2a") == "ada-lovelace-3f2a"
    assert practice_login("日本", "3f2a") == "learner-3f2a"
    long = practice_login("a" * 80, "3f2a")
    assert len(long) == 39 and long.endswith("-3f2a")


def test_a_learners_app_sees_only_their_own_folders_and_no_server_token(tmp_path: Path) -> None:
    profile = Profile(tmp_path / "learners", "abc")
    base = {"PATH": "/bin", "GITHUB_TOKEN": "ghp_server", "GH_TOKEN": "x", "HOME": "/home/m"}
    env = learner_environment({**base, "SSH_AUTH_SOCK": "/tmp/agent"}, profile, practice=True)
    assert "GITHUB_TOKEN" not in env and "GH_TOKEN" not in env and "SSH_AUTH_SOCK" not in env
    assert env["GIT_CONFIG_NOSYSTEM"] == "1"  # no credential helper of the machine's either
    assert env["PATH"] == "/bin"
    for key in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "GIT_CONFIG_GLOBAL"):
        assert Path(env[key]).is_relative_to(profile.folder), key
    assert env["ONBOARD_WORKSPACE"] == str(profile.workspace)
    assert env[REPORT_ENV] == str(tmp_path / "learners" / "abc.json")  # where the mentor reads
    assert env[PRACTICE_TOKEN_ENV] == str(profile.practice_token)
    assert env["PYTHON_KEYRING_BACKEND"].endswith("null.Keyring")
    github = learner_environment({**base, PRACTICE_TOKEN_ENV: "x"}, profile, practice=False)
    assert PRACTICE_TOKEN_ENV not in github
