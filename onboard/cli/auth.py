"""``onboard auth login|status|logout``: keep a GitHub token for onboard, safely.

The token is never an argument (arguments end up in shell history and in ``ps`` for every user
to see): it is typed at a prompt that does not echo, or piped in with ``--with-token``. It is
checked against the configured API before it is saved, so a typo is caught now rather than as a
puzzling error in the middle of setting up a project. Nothing here ever prints the token.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from onboard.cli.output import fail
from onboard.core.text.sanitize import clean

if TYPE_CHECKING:
    from onboard.forge.base import ForgeConfig

MAX_TOKEN_LENGTH = 512  # GitHub's tokens are 40 to ~255 characters
KNOWN_PREFIXES = ("github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_")

Handler = Callable[[argparse.ArgumentParser, argparse.Namespace], int]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    auth = commands.add_parser(
        "auth",
        help="sign in: check and store a GitHub token, show where it comes from, forget it",
        description="Store a token in your system keyring (or a file only you can read).",
    )
    actions = auth.add_subparsers(dest="auth_command", metavar="ACTION", required=True)
    login = actions.add_parser(
        "login", help="check a token with GitHub, then store it (typed without echo)"
    )
    login.add_argument(
        "--with-token", action="store_true", help="read the token from standard input"
    )
    login.set_defaults(handler=_login)
    status = actions.add_parser("status", help="where the token comes from (never shows it)")
    status.set_defaults(handler=_status)
    logout = actions.add_parser("logout", help="forget the token stored by onboard auth login")
    logout.set_defaults(handler=_logout)


def _saying_token_store_errors(handler: Handler) -> Handler:
    """A keyring or token file that cannot be used is one line naming it, not a traceback."""

    @functools.wraps(handler)
    def guarded(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
        from onboard.forge.token_store import TokenStoreError

        try:
            return handler(parser, args)
        except TokenStoreError as error:
            return fail(str(error))

    return guarded


def mask(token: str) -> str:
    """What kind of token it is, and nothing of the secret part: ``ghp_****``."""
    prefix = next((p for p in KNOWN_PREFIXES if token.startswith(p)), "")
    return f"{prefix}****"


# -- login ----------------------------------------------------------------------------------


@_saying_token_store_errors
def _login(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.forge import token_store
    from onboard.forge.auth import api_url_from
    from onboard.forge.base import ForgeAuthError, ForgeConfig, ForgeError

    api_url = api_url_from(os.environ)
    stdin: TextIO = sys.stdin
    if args.with_token:
        token = stdin.read(MAX_TOKEN_LENGTH * 4).strip()
    elif not stdin.isatty():
        return fail(
            "No terminal to type the token in. Pipe it instead, for example: "
            "onboard auth login --with-token < token.txt"
        )
    else:
        print(f"Paste a token for {_label(api_url)}. Typing is not shown.", file=sys.stderr)
        token = getpass.getpass("Token: ").strip()
    problem = _token_problem(token)
    if problem:
        return fail(f"{problem} Nothing was saved.")
    config = ForgeConfig(api_url=api_url, token=token, token_source="what you entered")  # noqa: S106 - a label
    try:
        login = _verify(config)
    except ForgeAuthError:
        return fail(
            f"{config.label} did not accept this token (401): it may be expired, revoked or "
            "mistyped. Nothing was saved."
        )
    except ForgeError as error:
        return fail(f"Could not check the token: {error} Nothing was saved.")
    where = token_store.save(api_url, token)
    print(f"Signed in to {config.label} as {clean(login, one_line=True)}.")
    print(f"The token is stored in {where}.")
    if where.startswith(token_store.file_label()):
        print(
            "That is a plain-text file that only you can read (no system keyring took the "
            "token); `onboard auth logout` removes it."
        )
    _warn_about_overrides(os.environ)
    return 0


def _token_problem(token: str) -> str | None:
    """Why ``token`` cannot be one; a token goes into an HTTP header, so no spaces or controls."""
    if not token:
        return "No token was given."
    if any(char.isspace() for char in token):
        return "That does not look like a GitHub token (it contains spaces or several lines)."
    if len(token) > MAX_TOKEN_LENGTH or not token.isascii() or not token.isprintable():
        return "That does not look like a GitHub token."
    return None


def _verify(config: ForgeConfig) -> str:
    """The login GitHub reports for the token (GET /user); raises ForgeError otherwise."""
    from onboard.forge.base import ForgeError
    from onboard.forge.github import GitHubForge  # PyGithub is slow to import; only when needed

    login = GitHubForge(config).whoami()
    if not login:
        raise ForgeError(f"{config.label} did not say who this token belongs to.")
    return login


# -- status ---------------------------------------------------------------------------------


@_saying_token_store_errors
def _status(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.forge.auth import ENV_TOKEN_NAMES, api_url_from, find_token
    from onboard.forge.base import ForgeConfig, ForgeError

    api_url = api_url_from(os.environ)
    label = _label(api_url)
    token, source = find_token(os.environ, api_url=api_url)
    if token is None or source is None:
        print(f"Not signed in to {label}: onboard browses without a token (60 requests an hour).")
        print("Sign in with: onboard auth login   (or set GH_TOKEN)")
        return 1
    print(f"Token for {label}: {mask(token)} from {source}.")
    config = ForgeConfig(api_url=api_url, token=token, token_source=source)
    try:
        login = _verify(config)
    except ForgeError as error:
        return fail(str(error))
    print(f"{label} says this token belongs to {clean(login, one_line=True)}.")
    if source in ENV_TOKEN_NAMES or source == "gh auth token":
        stored = _stored_elsewhere(api_url)
        if stored:
            print(f"A token is also stored in {stored}; {source} comes first.")
    return 0


def _stored_elsewhere(api_url: str) -> str | None:
    from onboard.forge import token_store

    try:
        stored = token_store.load(api_url)
    except token_store.TokenStoreError:
        return None
    return stored.source if stored else None


# -- logout ---------------------------------------------------------------------------------


@_saying_token_store_errors
def _logout(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.forge import token_store
    from onboard.forge.auth import api_url_from

    api_url = api_url_from(os.environ)
    removed = token_store.delete(api_url)
    if removed:
        print(f"Forgot the token for {_label(api_url)} stored in {' and '.join(removed)}.")
    else:
        print(f"No token for {_label(api_url)} was stored by onboard.")
    _warn_about_overrides(os.environ)
    return 0


# -- helpers --------------------------------------------------------------------------------


def _warn_about_overrides(env: Mapping[str, str]) -> None:
    """Say when an environment variable will be used instead of the stored token."""
    from onboard.forge.auth import ENV_TOKEN_NAMES

    for name in ENV_TOKEN_NAMES:
        if env.get(name, "").strip():
            print(
                f"Note: {name} is set in your environment, and onboard uses it before any "
                "stored token.",
                file=sys.stderr,
            )
            return


def _label(api_url: str) -> str:
    from onboard.forge.base import ForgeConfig

    return ForgeConfig(api_url=api_url).label
