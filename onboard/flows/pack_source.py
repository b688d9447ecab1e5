"""Fetching a guide pack from a git URL without trusting the URL, the repository or the user's
git configuration.

A pack's repository is written by someone else, and ``onboard pack install URL`` runs git on it.
Measured before this module: a ``pack.toml`` committed as a symbolic link to ``/etc/shadow`` or
``~/.bashrc`` was followed out of the clone, read and quoted in parse errors; the user's own
global git config ran its filter drivers (``filter.*.smudge``: any command) on the pack's files
during the clone; ``file://`` URLs cloned whatever local repository they named. So:

- only ``https://`` URLs are accepted (a local folder is copied, never cloned), without a user
  name or password in them (a clone URL ends up in ``.git/config``);
- git runs with the system and global config switched off (``GIT_CONFIG_NOSYSTEM``,
  ``GIT_CONFIG_GLOBAL`` set to the null device), without the user's ``GIT_*`` variables (which
  can inject config, templates or another repository), with an empty template folder and
  ``core.hooksPath`` pointing nowhere (no hook runs), every protocol but https refused
  (``protocol.allow=never``, so a redirect or a submodule cannot reach ``file://`` or
  ``ext::``), and symbolic links checked out as plain files (``core.symlinks=false``);
- a repository that contains any symbolic link is refused outright: a pack has no use for one.

A proxy or a company CA still works through ``https_proxy`` and ``GIT_SSL_CAINFO``, which are
environment variables, not config.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from onboard.core.text.sanitize import clean
from onboard.workspace import children
from onboard.workspace.gitenv import GIT_ENV, GIT_MISSING_MESSAGE

#: ``-c`` settings for every git command run on a pack's repository.
PACK_GIT_CONFIG: tuple[str, ...] = (
    "protocol.allow=never",
    "protocol.https.allow=always",
    "protocol.file.allow=never",
    "core.symlinks=false",
    f"core.hooksPath={os.devnull}",
    "core.fsmonitor=false",
    "submodule.recurse=false",
    "credential.helper=",
    # A connection that stops delivering (under 1 kB/s for 30 s) ends the clone.
    "http.lowSpeedLimit=1000",
    "http.lowSpeedTime=30",
)

#: The user's ``GIT_*`` variables that are kept: they reach the network, never change config.
KEPT_GIT_VARIABLES = frozenset({"GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_EXEC_PATH"})

#: A pack is a few files: a clone that takes longer than this is stuck.
CLONE_TIMEOUT_SECONDS = 300


class PackSourceError(Exception):
    """The pack cannot be fetched from this source; the message says why and what to do."""


def check_pack_url(url: str) -> None:
    """Raise :class:`PackSourceError` unless ``url`` is a plain ``https://`` repository URL."""
    shown = url if len(url) <= 200 else url[:197] + "..."
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise PackSourceError(
            f"{shown!r} is not an https:// URL; packs are installed from https:// git URLs "
            "(for example https://github.com/OWNER/REPO.git) or from a local folder"
        )
    if parts.username is not None or parts.password is not None:
        raise PackSourceError(
            "the URL contains a user name or password; use the repository's public https:// URL "
            "(onboard never puts credentials in a clone URL)"
        )
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url):
        raise PackSourceError(f"{shown!r} contains spaces or control characters; expected a URL")
    if not parts.hostname:
        raise PackSourceError(f"{shown!r} names no host; expected https://HOST/OWNER/REPO")


def pack_git_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of git commands on a pack: no user config, no prompt, no ``GIT_*``."""
    source = os.environ if environ is None else environ
    env = {
        key: value
        for key, value in source.items()
        if not key.startswith("GIT_") or key in KEPT_GIT_VARIABLES
    }
    env.update(GIT_ENV)
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_COUNT": "0",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "",
            "SSH_ASKPASS": "",
            "GIT_PROTOCOL_FROM_USER": "0",
            "LC_ALL": "C",
        }
    )
    return env


def git_command(*args: str) -> list[str]:
    """``git -c …`` with :data:`PACK_GIT_CONFIG`, then ``args``."""
    git = shutil.which("git")
    if git is None:
        raise PackSourceError(GIT_MISSING_MESSAGE)
    command = [git]
    for setting in PACK_GIT_CONFIG:
        command += ["-c", setting]
    return [*command, *args]


def clone_pack(url: str, dest: Path) -> None:
    """Clone the tip of ``url`` into ``dest`` (new), hardened as the module says; check links.

    ``url`` must have passed :func:`check_pack_url`; the git settings refuse anything else too.
    """
    with tempfile.TemporaryDirectory(prefix="onboard-no-templates-") as templates:
        _run(
            git_command(
                "clone",
                "--quiet",
                "--depth=1",
                "--single-branch",
                "--no-tags",
                f"--template={templates}",
                "--",
                url,
                str(dest),
            ),
            f"git could not clone {url}",
        )
    links = symbolic_links(dest)
    if links:
        listed = ", ".join(links[:5]) + (f" and {len(links) - 5} more" if len(links) > 5 else "")
        raise PackSourceError(
            f"the pack's repository contains symbolic links ({listed}); packs installed from "
            "git may not contain any, so nothing was installed"
        )


def symbolic_links(checkout: Path) -> list[str]:
    """Paths committed as symbolic links (mode 120000), and any link on disk outside ``.git``."""
    listing = _run(git_command("-C", str(checkout), "ls-files", "-s", "-z"), "git ls-files")
    found = []
    for entry in listing.split("\0"):
        mode, _, rest = entry.partition(" ")
        if mode == "120000":
            found.append(rest.partition("\t")[2])
    for root, folders, files in os.walk(checkout):
        folders[:] = [name for name in folders if not (root == str(checkout) and name == ".git")]
        for name in (*folders, *files):
            path = Path(root) / name
            if path.is_symlink():
                found.append(str(path.relative_to(checkout)))
    return sorted(set(found))


def _run(command: list[str], what: str) -> str:
    try:
        result = subprocess.run(
            command,
            env=pack_git_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=CLONE_TIMEOUT_SECONDS,
            check=False,
            # A clone may take minutes: if onboard is killed meanwhile, git ends with it.
            **children.popen_options(new_session=False),
        )
    except subprocess.TimeoutExpired as error:
        raise PackSourceError(
            f"{what}: no answer within {CLONE_TIMEOUT_SECONDS} seconds; check the connection"
        ) from error
    except OSError as error:
        raise PackSourceError(f"{what}: {error.strerror or error}") from error
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"git exited with status {result.returncode}"
        # What a server sends back ("remote: ...") reaches the terminal: make it inert.
        reason = clean(reason.removeprefix("fatal: "), one_line=True, max_length=300)
        raise PackSourceError(f"{what}: {reason}")
    return result.stdout
