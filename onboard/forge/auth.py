"""Finding the user's token the way the GitHub CLI ecosystem does.

Order: ``GH_TOKEN``, ``GITHUB_TOKEN``, then ``gh auth token`` when the GitHub CLI is installed.
The token is returned together with where it came from, so messages can say "the token from
GH_TOKEN was rejected" without ever showing the token itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping

GH_CLI_TIMEOUT_SECONDS = 5


def find_token(environ: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """Return ``(token, source)``, or ``(None, None)`` to work unauthenticated."""
    env = os.environ if environ is None else environ
    for name in ("GH_TOKEN", "GITHUB_TOKEN"):
        value = env.get(name, "").strip()
        if value:
            return value, name
    token = _token_from_gh_cli(env)
    if token:
        return token, "gh auth token"
    return None, None


def _token_from_gh_cli(env: Mapping[str, str]) -> str | None:
    gh = shutil.which("gh", path=env.get("PATH"))
    if gh is None:
        return None
    try:
        result = subprocess.run(
            [gh, "auth", "token"],
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
