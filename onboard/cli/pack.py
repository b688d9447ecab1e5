"""``onboard pack ...``: the curator's command line. Thin: the work is in flows/pack_admin."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from onboard.cli.output import print_json, print_validation
from onboard.core.text.sanitize import clean


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pack = commands.add_parser(
        "pack",
        help="create, check, install and remove guide packs",
        description="Guide packs: projects, setup steps and contributions (guides/FORMAT.md).",
    )
    actions = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="write a small valid pack to start from")
    new.add_argument("name", help="pack name: lowercase letters, digits and '-'")
    new.add_argument("--dir", type=Path, help="folder to create (default: ./NAME)")
    new.set_defaults(handler=_new)
    validate = actions.add_parser(
        "validate",
        help="check a pack (exit 0 valid, 1 invalid, 2 usage error)",
        description="Check a pack folder: syntax, schema, files; --online also asks GitHub.",
    )
    validate.add_argument("path", type=Path, help="pack folder (or its pack.toml)")
    validate.add_argument("--online", action="store_true", help="check repositories and labels")
    validate.add_argument("--json", action="store_true", help="print the result as JSON")
    validate.set_defaults(handler=_validate)
    listing = actions.add_parser("list", help="list built-in and installed packs")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=_list)
    install = actions.add_parser(
        "install", help="install a pack from a folder or an https:// git URL"
    )
    install.add_argument("source", metavar="PATH|HTTPS_GIT_URL")
    install.add_argument("--force", action="store_true", help="replace an installed pack")
    install.set_defaults(handler=_install)
    remove = actions.add_parser("remove", help="remove an installed pack")
    remove.add_argument("name")
    remove.set_defaults(handler=_remove)


def _new(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.packs.validation import PACK_FILE
    from onboard.flows.pack_admin import PackAdminError, scaffold

    try:
        folder = scaffold(args.dir or Path(args.name), args.name)
    except PackAdminError as error:
        return _refused(error)
    print(f"Created {folder}/{PACK_FILE}. Edit it, then run: onboard pack validate {folder}")
    return 0


def _install(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.flows.pack_admin import PackAdminError, install, shadowed_projects

    try:
        pack = install(args.source, force=args.force)
    except PackAdminError as error:
        return _refused(error)
    print(f"Installed {pack.name!r} ({len(pack.projects)} projects) into {pack.path}")
    for note in shadowed_projects(pack):
        print(f"onboard: note: {note}", file=sys.stderr)
    return 0


def _remove(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.flows.pack_admin import PackAdminError, remove

    try:
        folder = remove(args.name)
    except PackAdminError as error:
        return _refused(error)
    print(f"Removed {folder}")
    return 0


def _refused(error: Exception) -> int:
    """What pack_admin refused, in its words (they name the pack, the folder, the fix)."""
    print(f"onboard: {error}", file=sys.stderr)
    return 1


def _validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.packs.validation import PACK_FILE, validate_pack

    folder: Path = args.path
    if folder.name == PACK_FILE and folder.is_file():
        folder = folder.parent
    if not folder.is_dir():
        parser.exit(
            2, f"onboard: {folder} is not a folder; expected a pack folder with {PACK_FILE}\n"
        )
    validation = validate_pack(folder)
    problems = list(validation.problems)
    if args.online and validation.valid:
        from onboard.flows.pack_admin import check_online
        from onboard.forge.connect import github_config
        from onboard.forge.github import GitHubForge

        problems += check_online(folder, GitHubForge(github_config()))
    valid = validation.valid and not any(p.severity == "error" for p in problems)
    return print_validation(
        "pack", folder, problems, valid=valid, counted=len(problems), as_json=args.json
    )


def _list(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.packs.loading import (
        PackError,
        builtin_packs_dir,
        installed_packs_dir,
        iter_pack_dirs,
        load_pack,
    )

    rows = []
    for root, source in ((builtin_packs_dir(), "built-in"), (installed_packs_dir(), "installed")):
        for folder in iter_pack_dirs(root):
            try:
                pack = load_pack(folder)
                row = {
                    "name": pack.name,
                    "title": pack.title,
                    "source": source,
                    "projects": len(pack.projects),
                    "guides": len(pack.guides),
                    "path": str(folder),
                    "problem": None,
                }
            except PackError as error:
                row = {
                    "name": folder.name,
                    "title": "",
                    "source": source,
                    "projects": 0,
                    "guides": 0,
                    "path": str(folder),
                    "problem": str(error),
                }
            rows.append(row)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        status = (
            f"INVALID: {row['problem']}"
            if row["problem"]
            else (f"{row['projects']} projects, {row['guides']} guides")
        )
        line = f"{row['name']:<14} {row['source']:<10} {row['title']:<32} {status}"
        print(clean(line, one_line=True, max_length=300))
    return 0
