"""``onboard pack ...``: the curator's command line. Thin: the work is in flows/pack_admin."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from onboard.core.packs.loading import (
    PackError,
    builtin_packs_dir,
    installed_packs_dir,
    iter_pack_dirs,
    load_pack,
)
from onboard.core.packs.validation import PACK_FILE, Problem, validate_pack
from onboard.core.text.sanitize import clean
from onboard.flows.pack_admin import PackAdminError, check_online, install, remove, scaffold


def run_pack_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    action = args.pack_command
    try:
        if action == "new":
            folder = scaffold(args.dir or Path(args.name), args.name)
            print(
                f"Created {folder}/{PACK_FILE}. Edit it, then run: onboard pack validate {folder}"
            )
            return 0
        if action == "validate":
            return _validate(parser, args)
        if action == "list":
            return _list(args)
        if action == "install":
            pack = install(args.source, force=args.force)
            print(f"Installed {pack.name!r} ({len(pack.projects)} projects) into {pack.path}")
            return 0
        if action == "remove":
            print(f"Removed {remove(args.name)}")
            return 0
    except PackAdminError as error:
        print(f"onboard: {error}", file=sys.stderr)
        return 1
    parser.error(f"unknown pack action {action!r}")


def _validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
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
        from onboard.forge.connect import github_config
        from onboard.forge.github import GitHubForge

        problems += check_online(folder, GitHubForge(github_config()))
    valid = validation.valid and not any(p.severity == "error" for p in problems)
    if args.json:
        report = {
            "pack": str(folder),
            "valid": valid,
            "problems": [problem.to_json() for problem in problems],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(_one_line(problem))
        summary = "valid" if valid else f"invalid ({len(problems)} problems)"
        print(f"{folder}: {summary}", file=sys.stderr)
    return 0 if valid else 1


def _one_line(problem: Problem) -> str:
    return clean(str(problem), one_line=True, max_length=1000)


def _list(args: argparse.Namespace) -> int:
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
        print(json.dumps(rows, indent=2, ensure_ascii=False))
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
