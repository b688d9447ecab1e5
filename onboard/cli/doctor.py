"""``onboard doctor [PATH]``: is this machine ready to contribute to this project?

One line per check as soon as it is known (``✓`` fine, ``!`` advice, ``✗`` a blocker, ``-``
not checked), with the fix indented under it. Exit status 0 when nothing failed (warnings are
advice), 1 otherwise, so scripts and workshop set-up sheets can use it too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from onboard.cli.output import print_json
from onboard.core.text.sanitize import clean

if TYPE_CHECKING:
    from onboard.core.journey import Journey
    from onboard.core.setup.doctor import Check, CheckStatus
    from onboard.forge.base import ForgeConfig


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="is this machine ready to contribute? (exit 0 ready, 1 something to fix)",
        description=(
            "Check git, your commit identity, the token and its scopes, the connection, and "
            "the tools a project needs (read from its files; nothing in it is run)."
        ),
    )
    doctor.add_argument(
        "path", nargs="?", type=Path, help="a project folder (default: your journey's clone)"
    )
    doctor.add_argument("--json", action="store_true", help="print the checks as JSON")
    doctor.add_argument("--practice", action="store_true", help="check against the practice forge")
    doctor.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.forge.connect import PracticeSession, github_config

    session = PracticeSession() if args.practice else None
    try:
        try:
            config = session.start() if session else github_config()
        except Exception as error:  # the practice forge needs git and a free port
            print(f"onboard: the practice forge could not start: {clean(error)}", file=sys.stderr)
            return 1
        return _diagnose(args, config)
    finally:
        if session is not None:
            session.stop()


def _diagnose(args: argparse.Namespace, config: ForgeConfig) -> int:
    from onboard.core.packs.loading import load_all_packs
    from onboard.core.setup.doctor import exit_code, run_checks
    from onboard.core.setup.project_detect import current_os
    from onboard.core.storage import paths
    from onboard.flows.doctor import doctor_target, real_probes
    from onboard.forge.github import GitHubForge

    packs, _errors = load_all_packs()
    target = doctor_target(
        args.path,
        journey=_saved_journey(config),
        packs=packs,
        forge_kind="practice" if config.practice else "github",
        workspace_root=paths.workspace_dir(),
    )
    probes = real_probes(GitHubForge(config))
    if args.json:
        checks = run_checks(probes, target, os_name=current_os())
        print_json(
            {
                "ready": exit_code(checks) == 0,
                "project": str(target.path) if target.path else None,
                "checks": [_cleaned(check.to_json()) for check in checks],
            }
        )
        return exit_code(checks)
    symbols = _symbols(sys.stdout)
    checks = run_checks(
        probes,
        target,
        os_name=current_os(),
        on_check=lambda check: print(format_check(check, symbols), flush=True),
    )
    print()
    print(summary(checks))
    return exit_code(checks)


def _saved_journey(config: ForgeConfig) -> Journey | None:
    """The journey on this forge, if there is one; a doctor never creates or repairs state."""
    from onboard.core.storage import paths
    from onboard.core.storage.state import StateError, StateStore

    if not paths.state_path().is_file():
        return None
    try:
        return StateStore(paths.state_path()).journey(config.key)
    except StateError:
        return None


def format_check(check: Check, symbols: dict[CheckStatus, str]) -> str:
    """``✗ title: detail`` and the fix's lines indented under it, all as inert text."""
    from onboard.core.setup.doctor import CheckStatus

    title = clean(check.title, one_line=True, max_length=100)
    detail = clean(check.detail, one_line=True, max_length=1000)
    lines = [f"{symbols[check.status]} {title}: {detail}"]
    if check.fix and check.status in (CheckStatus.FAIL, CheckStatus.WARN):
        for line in clean(check.fix, max_length=2000).splitlines():
            lines.append(f"    {line}")
    return "\n".join(lines)


def summary(checks: Iterable[Check]) -> str:
    from onboard.core.setup.doctor import CheckStatus

    checks = list(checks)
    failed = sum(check.status is CheckStatus.FAIL for check in checks)
    warned = sum(check.status is CheckStatus.WARN for check in checks)
    advice = f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""
    if failed:
        plural = "s" if failed != 1 else ""
        return f"Not ready yet: {failed} check{plural} failed{advice}. Each fix is under it."
    return f"Ready: nothing failed{advice}."


def _cleaned(data: dict[str, object]) -> dict[str, object]:
    return {key: clean(value) if isinstance(value, str) else value for key, value in data.items()}


def _symbols(stream: TextIO) -> dict[CheckStatus, str]:
    """✓/✗ where the terminal can print them; otherwise ASCII marks, and any other character
    it cannot print (an ellipsis, a name in another script) becomes ``?`` instead of a crash."""
    from onboard.core.setup.doctor import CheckStatus

    symbols = {
        CheckStatus.OK: "✓",
        CheckStatus.WARN: "!",
        CheckStatus.FAIL: "✗",
        CheckStatus.SKIP: "-",
    }
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "".join(symbols.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
        # A Windows console redirected to a legacy code page, for instance.
        return {**symbols, CheckStatus.OK: "ok", CheckStatus.FAIL: "X"}
    return symbols
