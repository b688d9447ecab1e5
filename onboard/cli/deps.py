"""``onboard deps [PATH]``: which projects your own dependencies come from, and who welcomes help.

Thin: the work is in :mod:`onboard.flows.dependencies`. Every string printed comes from files or
servers onboard does not control (package names, specs, registry links, forge messages), so each
one goes through :func:`~onboard.core.text.sanitize.clean`, in the table and in the JSON alike.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onboard.cli.output import fail, print_json, problem_line, tell
from onboard.core.text.sanitize import clean

if TYPE_CHECKING:
    from onboard.flows.dependencies import DependencyExploration, DependencyProject
    from onboard.forge.base import Forge


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    deps = commands.add_parser(
        "deps",
        help="find the GitHub projects behind your own dependencies, with beginner issues",
        description=(
            "Read a project's pyproject.toml, requirements*.txt, package.json or CycloneDX/SPDX "
            "JSON SBOM, trace each dependency to its GitHub repository (installed metadata, then "
            "PyPI and npm; ONBOARD_PYPI_URL and ONBOARD_NPM_URL select mirrors) and count each "
            "repository's open beginner issues."
        ),
    )
    deps.add_argument(
        "path", nargs="?", default=".", type=Path, help="project folder or manifest (default: .)"
    )
    deps.add_argument("--json", action="store_true", help="print a JSON array")
    deps.add_argument(
        "--offline",
        action="store_true",
        help="ask no registry and no forge (installed metadata and cached answers only)",
    )
    deps.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.dependencies.declared import DependencyError
    from onboard.flows.dependencies import explore_dependencies
    from onboard.forge.base import ForgeError
    from onboard.forge.registries import Registries, RegistryConfig

    path: Path = args.path
    if not path.exists():
        parser.exit(2, f"onboard: {clean(path, one_line=True)} does not exist\n")
    try:
        forge = None if args.offline else _forge()
    except ForgeError as error:  # e.g. an unsafe stored token: say so rather than ignore it
        return fail(error, one_line=True)
    registries = Registries(RegistryConfig.from_env(offline=args.offline))
    try:
        exploration = explore_dependencies(path, forge, registries=registries)
    except DependencyError as error:
        return fail(error, one_line=True)
    finally:
        registries.close()
    for problem in exploration.problems:
        print(problem_line(problem), file=sys.stderr)
    if exploration.issues_note:
        tell(exploration.issues_note, one_line=True)
    if args.json:
        print_json([_cleaned(project.to_json()) for project in exploration.projects])
        return 0
    _print_table(exploration)
    return 0


def _forge() -> Forge:
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
