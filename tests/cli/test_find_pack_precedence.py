"""``find`` uses the same pack entry as the app: the first pack that names a project wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onboard.cli import main
from onboard.practice import PracticeForge

LATER_PACK = """\
format = 1
name = "zz-team"
title = "A team pack installed later"

[[projects]]
repo = "practice/hello-docs"
beginner_labels = ["good first issue"]

[projects.lanes.design]
labels = ["documentation", "translation"]

[[guides]]
id = "welcome"
title = "Welcome"
file = "welcome.md"
"""


def test_an_installed_pack_does_not_override_the_built_in_entry(
    practice_forge: PracticeForge,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = isolated_home / ".local" / "share" / "onboard" / "packs" / "zz-team"
    folder.mkdir(parents=True)
    (folder / "pack.toml").write_text(LATER_PACK)
    (folder / "welcome.md").write_text("# Welcome\n")
    monkeypatch.setenv("GITHUB_API_URL", practice_forge.api_url)
    monkeypatch.setenv("GH_TOKEN", practice_forge.token)

    assert main(["find", "practice/hello-docs", "--json"]) == 0

    lanes = {issue["number"]: issue["lane"] for issue in json.loads(capsys.readouterr().out)}
    assert lanes[1] == "doc" and lanes[2] == "translation"  # the built-in pack's lanes
