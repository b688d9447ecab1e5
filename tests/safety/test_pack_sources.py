"""Pack sources (issue #17): a pack from git is fetched over https only, by a git that ignores
the user's config, runs no hook and no filter, and the pack may not contain a single link; a
pack from a folder may not link out of it. Nothing outside the pack is ever read.

Installs run for real: ``onboard pack install https://127.0.0.1:PORT/NAME.git`` against a local
HTTPS git server (:mod:`tests.safety.https_git`), in-process through ``onboard.cli.main``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from onboard.cli import main
from onboard.flows.pack_admin import PackAdminError, install
from onboard.flows.pack_source import (
    PACK_GIT_CONFIG,
    PackSourceError,
    check_pack_url,
    git_command,
    pack_git_env,
)
from tests.opened_files import files_opened
from tests.safety.https_git import HttpsGitServer, publish

PACK = """\
format = 1
name = "{name}"
title = "A team's pack"

[[projects]]
repo = "practice/hello-docs"

[[guides]]
id = "welcome"
title = "Welcome"
file = "welcome.md"
"""


def installed(name: str) -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "onboard" / "packs" / name


def pack_folder(folder: Path, name: str = "team") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(PACK.format(name=name))
    (folder / "welcome.md").write_text("# Welcome\n")
    return folder


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HttpsGitServer]:
    root = tmp_path / "served"
    root.mkdir()
    (tmp_path / "tls").mkdir()
    with HttpsGitServer(root, tmp_path / "tls") as running:
        monkeypatch.setenv("GIT_SSL_CAINFO", str(running.cert))
        yield running


# --- which sources ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///{tmp}/repo",
        "http://example.org/pack.git",
        "git://example.org/pack.git",
        "ssh://git@example.org/pack.git",
        "git@example.org:team/pack.git",
        "ext::sh -c touch% {tmp}/pwned",
        "fd::17",
        "HTTPS://",
    ],
)
def test_only_https_urls_are_accepted(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = pack_folder(tmp_path / "repo")
    subprocess.run(["git", "-C", str(repo), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", "pack"], check=True)
    source = url.format(tmp=tmp_path)
    assert main(["pack", "install", source]) == 1
    err = capsys.readouterr().err
    assert "https://" in err, err
    assert "Traceback" not in err
    assert not installed("team").exists()
    assert not (tmp_path / "pwned").exists()


def test_a_file_url_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(PackAdminError) as refused:
        install((tmp_path / "repo").as_uri())
    message = str(refused.value)
    assert message.startswith(f"'{(tmp_path / 'repo').as_uri()}' is not an https:// URL")
    assert "or from a local folder" in message


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(PackSourceError, match="user name or password"):
        check_pack_url("https://me:ghp_secret@github.com/team/pack.git")
    with pytest.raises(PackSourceError, match="control characters"):
        check_pack_url("https://github.com/team/pack.git\n--upload-pack=touch")
    check_pack_url("https://github.com/team/pack.git")  # fine


def test_git_runs_without_the_users_config_hooks_or_variables() -> None:
    env = pack_git_env(
        {
            "PATH": "/usr/bin",
            "HOME": "/home/me",
            "GIT_CONFIG_GLOBAL": "/home/me/.gitconfig",
            "GIT_CONFIG_PARAMETERS": "'core.fsmonitor'='touch /tmp/x'",
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "filter.x.smudge",
            "GIT_TEMPLATE_DIR": "/home/me/templates",
            "GIT_DIR": "/home/me/other/.git",
            "GIT_SSL_CAINFO": "/etc/company-ca.pem",
        }
    )
    assert env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert env["GIT_CONFIG_GLOBAL"] == os.devnull
    assert env["GIT_TERMINAL_PROMPT"] == "0"  # the existing no-prompt environment
    assert env["GCM_INTERACTIVE"] == "never"
    assert env["GIT_CONFIG_COUNT"] == "0"
    for dropped in ("GIT_CONFIG_PARAMETERS", "GIT_CONFIG_KEY_0", "GIT_TEMPLATE_DIR", "GIT_DIR"):
        assert dropped not in env
    assert env["GIT_SSL_CAINFO"] == "/etc/company-ca.pem"  # a company CA still works
    assert env["PATH"] == "/usr/bin"
    for setting in (
        "protocol.file.allow=never",
        "protocol.allow=never",
        "protocol.https.allow=always",
        "core.symlinks=false",
        f"core.hooksPath={os.devnull}",
    ):
        assert setting in PACK_GIT_CONFIG
    command = git_command("clone")
    assert command[command.index("protocol.file.allow=never") - 1] == "-c"


def test_the_pack_git_refuses_a_file_transport_even_if_asked(tmp_path: Path) -> None:
    """Defence in depth: were the URL check bypassed, git itself refuses ``file://``."""
    from onboard.flows.pack_source import clone_pack

    repo = pack_folder(tmp_path / "repo")
    subprocess.run(["git", "-C", str(repo), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", "pack"], check=True)
    for url in (repo.as_uri(), str(repo)):
        with pytest.raises(PackSourceError, match="not allowed"):
            clone_pack(url, tmp_path / "clone")
        assert not (tmp_path / "clone").exists()


# --- installing over https, for real ----------------------------------------------------------


def test_install_from_an_https_git_url(
    server: HttpsGitServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(pack_folder(tmp_path / "work"), server.root, "team")
    assert main(["pack", "install", server.url("team")]) == 0, capsys.readouterr().err
    assert "Installed 'team'" in capsys.readouterr().out
    assert sorted(p.name for p in installed("team").iterdir()) == ["pack.toml", "welcome.md"]


def test_a_symlinked_pack_toml_in_a_git_pack_is_refused_and_never_read(
    server: HttpsGitServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outside = pack_folder(tmp_path / "outside", name="outside")  # valid TOML, outside the pack
    work = tmp_path / "work"
    work.mkdir()
    (work / "welcome.md").write_text("# Welcome\n")
    (work / "pack.toml").symlink_to(outside / "pack.toml")
    publish(work, server.root, "linked")

    with files_opened() as opened:
        assert main(["pack", "install", server.url("linked")]) == 1
    err = capsys.readouterr().err
    assert "symbolic links (pack.toml)" in err and "nothing was installed" in err
    assert not any(path.startswith(str(outside)) for path in opened), opened
    assert not installed("outside").exists() and not installed("team").exists()


def test_a_symlinked_guide_in_a_git_pack_is_refused(
    server: HttpsGitServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Even a link that stays inside the pack: a pack from git has no use for links."""
    work = pack_folder(tmp_path / "work")
    (work / "welcome.md").rename(work / "real.md")
    (work / "welcome.md").symlink_to("real.md")
    (work / "docs").mkdir()
    (work / "docs" / "bashrc").symlink_to(Path.home() / ".bashrc")
    publish(work, server.root, "team")
    assert main(["pack", "install", server.url("team")]) == 1
    err = capsys.readouterr().err
    assert "symbolic links (docs/bashrc, welcome.md)" in err
    assert not installed("team").exists()


def git_config_with_traps(home: Path, marker: Path) -> str:
    """A user's global git config whose filter driver and hooks would leave ``marker``."""
    templates = home / "templates"
    (templates / "hooks").mkdir(parents=True)
    hook = templates / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\necho hook >> '{marker}'\n")
    hook.chmod(0o755)
    return (
        "[user]\n\tname = Learner\n\temail = l@example.org\n"
        f'[filter "evil"]\n\tsmudge = "echo filter >> {marker}; cat"\n'
        "\tclean = cat\n\trequired = true\n"
        f"[init]\n\ttemplateDir = {templates}\n"
        f"[core]\n\thooksPath = {templates / 'hooks'}\n"
    )


def test_the_users_global_git_filters_and_hooks_never_run(
    server: HttpsGitServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    marker = tmp_path / "marker"
    config = git_config_with_traps(isolated_home, marker)
    (isolated_home / ".gitconfig").write_text(config)
    (isolated_home / "global.gitconfig").write_text(config)
    monkeypatch.setenv("HOME", str(isolated_home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(isolated_home / "global.gitconfig"))
    monkeypatch.delenv("GIT_CONFIG_NOSYSTEM", raising=False)
    monkeypatch.setenv("GIT_TEMPLATE_DIR", str(isolated_home / "templates"))
    work = pack_folder(tmp_path / "work")
    (work / ".gitattributes").write_text("* filter=evil\n")
    publish(work, server.root, "team")

    # The trap is real: a plain clone with this environment does leave the marker.
    subprocess.run(
        ["git", "clone", "-q", server.url("team"), str(tmp_path / "plain")],
        check=True,
        capture_output=True,
    )
    assert marker.exists() and {"filter", "hook"} <= set(marker.read_text().split())
    marker.unlink()

    assert main(["pack", "install", server.url("team")]) == 0, capsys.readouterr().err
    assert not marker.exists()
    assert installed("team").is_dir()


# --- packs from a folder ----------------------------------------------------------------------


def test_a_folder_pack_whose_pack_toml_links_outside_is_refused_and_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = pack_folder(tmp_path / "outside", name="outside")
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "welcome.md").write_text("# Welcome\n")
    (folder / "pack.toml").symlink_to(outside / "pack.toml")
    with files_opened() as opened:
        assert main(["pack", "install", str(folder)]) == 1
        assert main(["pack", "validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "leads outside the pack folder" in err and "leads outside the pack folder" in out
    assert not any(path.startswith(str(outside)) for path in opened), opened
    assert not installed("outside").exists()
