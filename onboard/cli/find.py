"""``onboard find``: open, unassigned beginner issues, ranked, with whether someone works on them.

The same discovery as the app's (:func:`onboard.flows.discover.discover`), for a terminal or a
script (``--json``). Issue titles, reasons and links come from the forge, so all of them are
printed as inert text.
"""

from __future__ import annotations

import argparse
import sys

from onboard.cli.output import print_json
from onboard.core.models import ClaimStatus, Lane

#: ``--lane non-code``: every lane that is not code.
NON_CODE = "non-code"
#: ``--status``, spelled as users type it: ``taken`` is ``ClaimStatus.TAKEN`` ("likely taken").
STATUSES = {status.name.lower(): status for status in ClaimStatus}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    find = commands.add_parser(
        "find",
        help="list open, unassigned good first issues, ranked, with claim status",
        description=(
            "List open, unassigned beginner issues (pull requests excluded), ranked, with "
            "whether someone already works on them and why each is suggested."
        ),
    )
    find.add_argument("repos", nargs="*", metavar="OWNER/REPO")
    find.add_argument("--pack", action="append", default=[], help="every project of a guide pack")
    find.add_argument(
        "--lane",
        action="append",
        default=[],
        choices=[*(lane.value for lane in Lane), NON_CODE],
        help="only this kind of contribution (repeatable; 'non-code' means every other lane)",
    )
    find.add_argument(
        "--status",
        action="append",
        default=[],
        choices=list(STATUSES),
        help="only issues with this claim status (repeatable)",
    )
    find.add_argument(
        "--language",
        action="append",
        default=[],
        help="a language you know; matching projects rank higher (repeatable)",
    )
    find.add_argument(
        "--interest",
        action="append",
        default=[],
        choices=[lane.value for lane in Lane],
        help="a kind of contribution you like; it ranks higher (repeatable)",
    )
    find.add_argument("--limit", type=int, default=30, help="at most this many (default 30)")
    find.add_argument("--json", action="store_true", help="print a JSON array")
    find.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.models import Preferences, Project, RepoRef
    from onboard.core.packs.catalog import listed_projects, repo_key
    from onboard.core.packs.loading import load_all_packs
    from onboard.core.text.sanitize import clean
    from onboard.core.text.timefmt import ago
    from onboard.flows.discover import discover
    from onboard.forge.base import ForgeError, ForgeUnreachable
    from onboard.forge.connect import github_config
    from onboard.forge.github import GitHubForge

    try:
        repos = [RepoRef.parse(text) for text in args.repos]
    except ValueError as error:
        parser.error(str(error))
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    packs, _errors = load_all_packs()
    # As in the app: a project several packs name uses the first pack's entry, any case.
    known = {repo_key(item.project.repo.full_name): item.project for item in listed_projects(packs)}
    targets: dict[RepoRef, Project | None] = {
        repo: known.get(repo_key(repo.full_name)) for repo in repos
    }
    for name in args.pack:
        pack = next((p for p in packs if p.name == name), None)
        if pack is None:
            parser.error(f"no guide pack is named {name!r} (see: onboard pack list)")
        targets.update({project.repo: project for project in pack.projects})
    if not targets:
        parser.error("name at least one OWNER/REPO, or a guide pack with --pack")
    try:
        preferences = Preferences(tuple(args.language), tuple(Lane(name) for name in args.interest))
        config = github_config()
        discovery = discover(
            GitHubForge(config),
            list(targets.items()),
            preferences=preferences,
            me=_learner(config.key),
        )
        found = discovery.contributions
    except ForgeError as error:
        offline = isinstance(error, ForgeUnreachable)
        hint = " (To rehearse offline: onboard practice)" if offline else ""
        print(f"onboard: {error}{hint}", file=sys.stderr)
        return 1
    lanes = {Lane(name) for name in args.lane if name != NON_CODE}
    if NON_CODE in args.lane:
        lanes |= {lane for lane in Lane if not lane.is_code}
    wanted = {STATUSES[name] for name in args.status}
    found = [
        c
        for c in found
        if (not lanes or c.lane in lanes) and (not wanted or c.claim.status in wanted)
    ][: args.limit]
    age = ago(discovery.freshness.fetched_at)
    if discovery.freshness.stale_reason:
        reason = clean(discovery.freshness.stale_reason, one_line=True)
        print(f"onboard: showing saved data from {age}: {reason}", file=sys.stderr)
    missing = discovery.missing_note()
    if missing:
        print(f"onboard: {clean(missing, one_line=True)}", file=sys.stderr)
    unchecked = discovery.claim_note()
    if unchecked:
        print(f"onboard: {clean(unchecked, one_line=True)}", file=sys.stderr)
    if args.json:
        print_json([c.to_json() for c in found])
        return 0
    print(f"(fetched {age})", file=sys.stderr)
    if not found:
        print("No open, unassigned good first issues found.")
    else:
        for c in found:
            title = clean(c.issue.title, one_line=True, max_length=90)
            where = f"{c.issue.repo}#{c.issue.number}"
            print(f"{c.claim.status.value:<12} {c.lane.title:<14} {where}  {title}")
            why = clean(" · ".join(c.reasons), one_line=True, max_length=160)
            print(f"{'':<27} {why}  {clean(c.issue.url)}")
    return 0


def _learner(forge_key: str) -> str | None:
    """The learner's login as the app knows it (their fork's owner), for "★ yours".

    Read from the saved journey rather than asked of the forge: ``GET /user`` is never cached
    (see ``token_info``), and an unchanged refresh must cost no rate limit.
    """
    from onboard.core.storage import paths
    from onboard.core.storage.state import StateStore

    return StateStore(paths.state_path()).journey(forge_key).login
