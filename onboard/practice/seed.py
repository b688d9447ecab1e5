"""First-start content of the practice forge: people, projects, real git history, issues.

The projects are described in TOML files next to this module (one per project) so that writers
can improve the learning material without touching code. Building git history takes dozens of git
invocations, and tests create many forges, so the bare repositories are built once into a cache
keyed by a hash of the seed files and then merely copied (a few milliseconds) into each new forge.
Commit dates and authors are fixed, so the cached history (and every SHA) is deterministic.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onboard.practice import gitdaemon
from onboard.practice.gitdaemon import configure_bare, run_git
from onboard.practice.store import Store

SEED_DIR = Path(__file__).with_name("seed")
USERS_FILE = "users.toml"
#: Bump when the cache layout or the build procedure changes.
CACHE_FORMAT = "5"
MAINTAINER = "Practice Maintainer <maintainer@practice.invalid>"

#: GitHub's default labels for new repositories (name, colour, description).
DEFAULT_LABELS: tuple[tuple[str, str, str], ...] = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
)

Table = dict[str, Any]


@dataclass(frozen=True)
class SeedData:
    users: list[Table]
    projects: list[Table]


def seed_files(seed_dir: Path = SEED_DIR) -> list[Path]:
    return sorted(p for p in seed_dir.glob("*.toml"))


def load_seed(seed_dir: Path = SEED_DIR) -> SeedData:
    users: list[Table] = []
    projects: list[Table] = []
    for path in seed_files(seed_dir):
        with path.open("rb") as handle:
            table = tomllib.load(handle)
        if path.name == USERS_FILE:
            users.extend(table.get("users", []))
        else:
            projects.append(table)
    return SeedData(users=users, projects=projects)


def seed_hash(seed_dir: Path = SEED_DIR) -> str:
    """Identity of the seed content; the git cache is valid exactly as long as this is."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(gitdaemon.__file__).read_bytes())  # hooks and repo config live there
    for path in seed_files(seed_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def default_cache_root() -> Path:
    return Path(tempfile.gettempdir())


# ---------------------------------------------------------------------------- git building


def _identity(spec: str) -> tuple[str, str]:
    name, _, rest = spec.partition("<")
    return name.strip(), rest.rstrip(">").strip()


def _commit_env(commit: Table) -> dict[str, str]:
    name, email = _identity(commit.get("author", MAINTAINER))
    date = commit["date"]
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": date,
    }


def _apply_commit(work: Path, commit: Table) -> None:
    for rel, content in commit.get("files", {}).items():
        target = work / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    for rel in commit.get("delete", []):
        with contextlib.suppress(FileNotFoundError):
            (work / rel).unlink()
    run_git(["add", "-A"], cwd=work)
    run_git(
        ["commit", "-q", "--no-verify", "-m", commit["message"]], cwd=work, env=_commit_env(commit)
    )


def _init_bare(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    run_git(["init", "-q", "--bare", "--template=", "-b", "main", str(path)])


def _branch_heads(bare: Path) -> dict[str, str]:
    out = run_git(
        ["for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads"], cwd=bare
    ).stdout.decode()
    return dict(line.split(" ", 1) for line in out.splitlines() if line)


def _build_project(project: Table, git_root: Path, scratch: Path) -> dict[str, dict[str, str]]:
    repo = project["repo"]
    full_name = f"{repo['owner']}/{repo['name']}"
    work = scratch / repo["name"]
    run_git(["init", "-q", "--template=", "-b", "main", str(work)])
    for commit in project["commits"]:
        _apply_commit(work, commit)
    bare = git_root / f"{full_name}.git"
    _init_bare(bare)
    run_git(["push", "-q", str(bare), "main:main"], cwd=work)
    heads = {full_name: {}}
    for fork in project.get("forks", []):
        fork_full = f"{fork['owner']}/{repo['name']}"
        fork_bare = git_root / f"{fork_full}.git"
        _init_bare(fork_bare)
        run_git(["push", "-q", str(fork_bare), "refs/heads/*:refs/heads/*"], cwd=bare)
        for branch in fork.get("branches", []):
            run_git(["checkout", "-q", "-b", branch["name"], "main"], cwd=work)
            for commit in branch["commits"]:
                _apply_commit(work, commit)
            run_git(["push", "-q", str(fork_bare), branch["name"]], cwd=work)
            run_git(["checkout", "-q", "main"], cwd=work)
        configure_bare(fork_bare, read_only=True)
        heads[fork_full] = _branch_heads(fork_bare)
    # GitHub keeps every pull request's head in the base repository as refs/pull/N/head.
    for number, issue in enumerate(project.get("issues", []), start=1):
        pull = issue.get("pull")
        if not pull:
            continue
        if pull.get("fork_deleted"):
            _build_orphan_pull(work, bare, number, pull)
            continue
        head_owner, _, head_ref = pull["head"].rpartition(":")
        source = git_root / f"{head_owner or repo['owner']}/{repo['name']}.git"
        run_git(
            ["fetch", "-q", str(source), f"refs/heads/{head_ref}:refs/pull/{number}/head"], cwd=bare
        )
    configure_bare(bare, read_only=True)
    heads[full_name] = {**_branch_heads(bare), **_pull_heads(bare)}
    return heads


def _build_orphan_pull(work: Path, bare: Path, number: int, pull: Table) -> None:
    """A closed pull request whose fork was deleted since (common on GitHub for old ones).

    Only ``refs/pull/N/head`` remains, in the base repository, so its commits are built on a
    throwaway branch from ``main`` and pushed there alone.
    """
    run_git(["checkout", "-q", "-b", f"pull-{number}", "main"], cwd=work)
    for commit in pull.get("commits", []):
        _apply_commit(work, commit)
    run_git(["push", "-q", str(bare), f"pull-{number}:refs/pull/{number}/head"], cwd=work)
    run_git(["checkout", "-q", "main"], cwd=work)


def _pack(bare: Path) -> None:
    """One pack and one refs file per repository instead of a file per object and per ref.

    Every practice forge copies these repositories into its data folder (each new folder, each
    test's forge), and a handful of files copy, and later delete, far faster than hundreds.
    """
    run_git(["repack", "-a", "-d", "-q"], cwd=bare)
    run_git(["pack-refs", "--all"], cwd=bare)


def _pull_heads(bare: Path) -> dict[str, str]:
    """``{"pull/N": sha}`` for every ``refs/pull/N/head`` of a bare repository."""
    out = run_git(
        ["for-each-ref", "--format=%(refname) %(objectname)", "refs/pull"], cwd=bare
    ).stdout.decode()
    heads = {}
    for line in out.splitlines():
        ref, _, sha = line.partition(" ")
        parts = ref.split("/")  # refs/pull/N/head
        if len(parts) == 4 and parts[3] == "head":
            heads[f"pull/{parts[2]}"] = sha
    return heads


def build_git_cache(cache_root: Path | None = None, seed_dir: Path = SEED_DIR) -> Path:
    """Return a directory holding ``git/`` (bare repos) and ``heads.json``, building it if needed.

    Concurrent builders (parallel test workers) race benignly: each builds in a private temp
    directory and renames it into place; the loser throws its copy away.
    """
    root = cache_root or default_cache_root()
    final = root / f"onboard-seed-cache-{_uid()}-{seed_hash(seed_dir)}"
    if (final / "complete").exists():
        if _trustworthy(final):
            return final
        # Someone else's directory in a shared temp dir: its hooks would run as us. Build a
        # private copy instead and leave theirs alone.
        root = Path(tempfile.mkdtemp(prefix="onboard-seed-private-"))
        final = root / "cache"
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{final.name}.tmp-", dir=root))
    try:
        git_root = staging / "git"
        heads: dict[str, dict[str, str]] = {}
        scratch = staging / "scratch"
        for project in load_seed(seed_dir).projects:
            heads.update(_build_project(project, git_root, scratch))
        shutil.rmtree(scratch)
        for bare in sorted(git_root.glob("*/*.git")):
            _pack(bare)
        (staging / "heads.json").write_text(json.dumps(heads, indent=1), encoding="utf-8")
        (staging / "complete").write_text("ok\n", encoding="utf-8")
        try:
            staging.rename(final)
        except OSError:
            if not (final / "complete").exists():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return final


def _uid() -> str:
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid else "user"


def _trustworthy(path: Path) -> bool:
    """Owned by us and writable by nobody else (POSIX); always true where that cannot be told."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    info = path.stat()
    return info.st_uid == getuid() and not info.st_mode & 0o022


# ---------------------------------------------------------------------------- store seeding


def seed_forge(
    store: Store,
    git_root: Path,
    *,
    cache_root: Path | None = None,
    seed_dir: Path = SEED_DIR,
) -> None:
    """Fill an empty store and ``git_root`` with the practice projects."""
    cache = build_git_cache(cache_root, seed_dir)
    git_root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(cache / "git", git_root, symlinks=True, dirs_exist_ok=True)
    heads: dict[str, dict[str, str]] = json.loads((cache / "heads.json").read_text("utf-8"))
    data = load_seed(seed_dir)
    with store.batch():
        for person in data.users:
            store.add_user(
                person["login"],
                type=person.get("type", "User"),
                name=person.get("name"),
                bio=person.get("bio"),
                company=person.get("company"),
                location=person.get("location"),
                blog=person.get("blog", ""),
                members=person.get("members", ()),
                created_days_ago=person.get("created_days_ago", 400),
            )
        for project in data.projects:
            _seed_project(store, project, heads)


def _seed_project(store: Store, project: Table, heads: dict[str, dict[str, str]]) -> None:
    meta = project["repo"]
    full_name = f"{meta['owner']}/{meta['name']}"
    store.add_repo(
        meta["owner"],
        meta["name"],
        description=meta.get("description"),
        homepage=meta.get("homepage"),
        language=meta.get("language"),
        topics=meta.get("topics", ()),
        license=meta.get("license"),
        created_days_ago=meta.get("created_days_ago", 365),
        pushed_days_ago=meta.get("pushed_days_ago", 2),
        stargazers_count=meta.get("stargazers", 0),
        subscribers_count=meta.get("subscribers", 0),
        size=meta.get("size", 24),
        contributors=meta.get("contributors", ()),
    )
    if meta.get("default_labels", True):
        for name, color, description in DEFAULT_LABELS:
            store.add_label(full_name, name, color, description, default=True)
    for label in project.get("labels", []):
        store.add_label(
            full_name,
            label["name"],
            label.get("color", "ededed"),
            label.get("description"),
            default=label.get("default", False),
        )
    for fork in project.get("forks", []):
        store.add_repo(
            fork["owner"],
            meta["name"],
            description=meta.get("description"),
            language=meta.get("language"),
            license=meta.get("license"),
            fork_of=full_name,
            created_days_ago=fork.get("created_days_ago", 5),
            pushed_days_ago=fork.get("pushed_days_ago", fork.get("created_days_ago", 5)),
            size=meta.get("size", 24),
        )
    base_heads = heads.get(full_name, {})
    for number, issue in enumerate(project.get("issues", []), start=1):
        pull = issue.get("pull")
        head_sha = base_sha = "0" * 40
        if pull:
            head_owner, _, head_ref = pull["head"].rpartition(":")
            head_full = f"{head_owner or meta['owner']}/{meta['name']}"
            head_sha = heads.get(head_full, {}).get(head_ref, head_sha)
            if pull.get("fork_deleted"):
                head_sha = base_heads.get(f"pull/{number}", head_sha)
            base_sha = base_heads.get(pull.get("base", "main"), base_sha)
        record = store.add_issue(
            full_name,
            issue["title"],
            issue.get("body"),
            labels=issue.get("labels", ()),
            assignees=issue.get("assignees", ()),
            user=issue.get("user", "maintainer-mia"),
            created_days_ago=issue.get("created_days_ago", 3),
            updated_days_ago=issue.get("updated_days_ago"),
            state=issue.get("state", "open"),
            closed_days_ago=issue.get("closed_days_ago"),
            closed_by=issue.get("closed_by"),
            locked=issue.get("locked", False),
            lock_reason=issue.get("lock_reason"),
            locked_days_ago=issue.get("locked_days_ago"),
            assigned_days_ago=issue.get("assigned_days_ago"),
            merged_days_ago=pull.get("merged_days_ago") if pull else None,
            is_pull=bool(pull),
            head=pull["head"] if pull else None,
            base=pull.get("base", "main") if pull else None,
            head_sha=head_sha,
            base_sha=base_sha,
            draft=pull.get("draft", False) if pull else False,
            reactions=issue.get("reactions"),
            author_association=issue.get("author_association"),
        )
        for comment in issue.get("comments", []):
            store.add_comment(
                full_name,
                record["number"],
                comment["body"],
                user=comment["user"],
                created_days_ago=comment.get("days_ago"),
            )
        for review in issue.get("reviews", []):
            store.add_review(
                full_name,
                record["number"],
                review["user"],
                review["state"],
                review.get("body", ""),
                submitted_days_ago=review.get("days_ago"),
            )
