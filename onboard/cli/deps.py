"""``onboard deps [PATH]``: which projects your own dependencies come from, and who welcomes help.

Thin: the work is in :mod:`onboard.flows.dependencies`. Every string printed comes from files or
servers onboard does not control (package names, specs, registry links, forge messages), so each
one goes through :func:`~onboard.core.text.sanitize.clean`, in the table and in the JSON alike.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from onboard.core.dependencies.declared import DependencyError
from onboard.core.text.sanitize import clean
from onboard.flows.dependencies import (
    DependencyExploration,
    DependencyProject,
    explore_dependencies,
)
from onboard.forge.base import ForgeError
from onboard.forge.registries import Registries, RegistryConfig


def run_deps_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.exists():
        parser.exit(2, f"onboard: {clean(path, one_line=True)} does not exist\n")
    try:
        forge = None if args.offline else _forge()
    except ForgeError as error:  # e.g. an unsafe stored token: say so rather than ignore it
        print(f"onboard: {clean(error, one_line=True)}", file=sys.stderr)
        return 1
    registries = Registries(RegistryConfig.from_env(offline=args.offline))
    try:
        exploration = explore_dependencies(path, forge, registries=registries)
    except DependencyError as error:
        print(f"onboard: {clean(error, one_line=True)}", file=sys.stderr)
        return 1
    finally:
        registries.close()
    for problem in exploration.problems:
        print(clean(str(problem), one_line=True, max_length=1000), file=sys.stderr)
    if exploration.issues_note:
        print(f"onboard: {clean(exploration.issues_note, one_line=True)}", file=sys.stderr)
    if args.json:
        rows = [_cleaned(project.to_json()) for project in exploration.projects]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    _print_table(exploration)
    return 0


def _forge() -> Any:
    from onboard.forge.connect import github_config
    from onboard.forge.github import GitHubForge

    return GitHubForge(github_config())


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value, one_line=True, max_length=2000)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    return value


def packages_cell(project: DependencyProject) -> str:
    """``flask, werkzeug (pypi)``; ``(dev)`` when only development tools need it."""
    names = ", ".join(project.names[:4])
    if len(project.names) > 4:
        names += f" +{len(project.names) - 4}"
    dev = ", dev" if project.dev_only else ""
    return f"{names} ({'/'.join(project.ecosystems)}{dev})"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _cell(value: str, width: int) -> str:
    return clean(value, one_line=True, max_length=width)


def _print_table(exploration: DependencyExploration) -> None:
    projects = exploration.projects
    if not projects:
        print("No dependencies are declared in these files.")
        return
    print(f"{'REPOSITORY':<34} {'ISSUES':>6}  {'PACKAGES':<40} HOW RESOLVED / WHY NOT")
    for project in projects:
        repo = project.repo.full_name if project.repo else "-"
        count = project.beginner_issues
        issues = "-" if project.repo is None else ("?" if count is None else str(count))
        packages = packages_cell(project)
        why = project.how if project.repo else (project.reason or "")
        print(f"{_cell(repo, 34):<34} {issues:>6}  {_cell(packages, 40):<40} {_cell(why, 200)}")
    resolved = exploration.resolved
    total = sum(len(project.names) for project in projects)
    issues_total = sum(project.beginner_issues or 0 for project in resolved)
    summary = (
        f"{plural(total, 'dependency', 'dependencies')} → "
        f"{plural(len(resolved), 'GitHub repository', 'GitHub repositories')}, "
        f"{len(projects) - len(resolved)} not traced; "
        f"{plural(issues_total, 'open beginner issue', 'open beginner issues')}"
    )
    print(summary, file=sys.stderr)
