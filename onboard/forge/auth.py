"""Finding the user's token the way the GitHub CLI ecosystem does.

Order: ``GH_TOKEN``, ``GITHUB_TOKEN``, ``gh auth token`` when the GitHub CLI is installed, then
the token saved by ``onboard auth login`` (system keyring, or an owner-only file). The token is
returned together with where it came from, so messages can say "the token from GH_TOKEN was
rejected" without ever showing the token itself.

``gh`` and the stored credential are asked for the token of the configured API's host only, so a
``GITHUB_API_URL`` pointing somewhere else never receives the github.com token.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from urllib.parse import urlsplit

from onboard.forge import token_store
from onboard.forge.base import GITHUB_API_URL

GH_CLI_TIMEOUT_SECONDS = 5
ENV_TOKEN_NAMES = ("GH_TOKEN", "GITHUB_TOKEN")


def api_url_from(environ: Mapping[str, str]) -> str:
    """``GITHUB_API_URL`` or api.github.com, spelled the way ``connect.github_config`` does."""
    return (environ.get("GITHUB_API_URL") or GITHUB_API_URL).rstrip("/")


def find_token(
    environ: Mapping[str, str] | None = None, *, api_url: str | None = None
) -> tuple[str | None, str | None]:
    """Return ``(token, source)``, or ``(None, None)`` to work unauthenticated.

    Raises :class:`~onboard.forge.token_store.TokenStoreError` when the stored token file is
    unsafe (readable by others, someone else's): using it silently would hide that.
    """
    env = os.environ if environ is None else environ
    for name in ENV_TOKEN_NAMES:
        value = env.get(name, "").strip()
        if value:
            return value, name
    url = api_url or api_url_from(env)
    token = _token_from_gh_cli(env, gh_hostname(url))
    if token:
        return token, "gh auth token"
    stored = token_store.load(url)
    if stored is not None:
        return stored.token, stored.source
    return None, None


def gh_hostname(api_url: str) -> str:
    """The host ``gh`` files the API's token under: api.github.com → github.com."""
    parts = urlsplit(api_url)
    host = (parts.hostname or "").lower()
    host = host.removeprefix("api.")
    return f"{host}:{parts.port}" if parts.port else host


def _token_from_gh_cli(env: Mapping[str, str], hostname: str) -> str | None:
    gh = shutil.which("gh", path=env.get("PATH"))
    if gh is None or not hostname:
        return None
    try:
        result = subprocess.run(
            [gh, "auth", "token", "--hostname", hostname],
            capture_output=True,
            text=True,
            timeout=GH_CLI_TIMEOUT_SECONDS,
            env={**env, "GH_PROMPT_DISABLED": "1"},
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    token = result.stdout.strip()
    return token if result.returncode == 0 and token else None
