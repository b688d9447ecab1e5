"""The git plumbing the routes run against the forge's bare repositories.

Contents, branches, pull requests, forks, the community profile and the web pages all read or
change the bare repositories under the forge's ``git/`` directory; these functions are the only
git commands they run, each against the bare repository at ``bare``. Refs and paths that come from
a request are checked here (:func:`safe_ref`, :func:`safe_path`) before git sees them, so a
request can never name an option or walk out of the repository. Running git and serving it to
clients is :mod:`.gitdaemon`'s business.
"""

from __future__ import annotations

import re
from pathlib import Path

from onboard.practice.gitdaemon import GitError, configure_bare, run_git

_SAFE_REF = re.compile(r"^[A-Za-z0-9._/@+-]+$")

#: One ``git ls-tree -l`` entry: (mode, type, sha, size, path).
TreeEntry = tuple[str, str, str, str, str]


def safe_ref(ref: str) -> bool:
    """A ref name from a request git can be asked about: no option, no range, no odd bytes."""
    return bool(_SAFE_REF.match(ref)) and not ref.startswith("-") and ".." not in ref


def safe_path(path: str) -> bool:
    """A repository-relative path git can be asked about: no traversal, no control bytes."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def parse_ls_tree(out: bytes) -> list[TreeEntry]:
    """``git ls-tree -z -l`` records: (mode, type, sha, size, path)."""
    entries = []
    for raw in out.split(b"\0"):
        if not raw:
            continue
        meta, _, name = raw.partition(b"\t")
        mode, kind, sha, size = meta.decode().split(maxsplit=3)
        entries.append((mode, kind, sha, size.strip(), name.decode("utf-8", "replace")))
    return entries


# ---------------------------------------------------------------------------- reading


def resolve_commit(bare: Path, ref: str) -> str | None:
    """The commit ``ref`` (a branch, tag or sha) names, or ``None``."""
    if not safe_ref(ref):
        return None
    proc = run_git(["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], cwd=bare, check=False)
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def branch_sha(bare: Path, branch: str) -> str | None:
    """The commit at the tip of ``branch``, or ``None`` when there is no such branch."""
    if not branch or not _SAFE_REF.match(branch) or ".." in branch:
        return None
    proc = run_git(
        ["rev-parse", "--verify", "-q", f"refs/heads/{branch}^{{commit}}"],
        cwd=bare,
        check=False,
    )
    if proc.returncode != 0:
        return None
    return proc.stdout.decode().strip() or None


def branches(bare: Path) -> list[list[str]]:
    """Every branch as ``[name, sha]``, in git's order; none while the repository does not
    exist yet (a fork still being created), as GitHub lists an empty repository's."""
    proc = run_git(
        ["for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads"],
        cwd=bare,
        check=bare.is_dir(),
    )
    out = proc.stdout.decode() if proc.returncode == 0 else ""
    return [line.split(" ", 1) for line in out.splitlines() if line]


def tree(bare: Path, tree_ish: str) -> list[TreeEntry]:
    """The entries of a tree (one level)."""
    return parse_ls_tree(run_git(["ls-tree", "-z", "-l", tree_ish], cwd=bare).stdout)


def tree_entry(bare: Path, commit: str, path: str) -> TreeEntry | None:
    """The entry at ``path`` (taken literally) in ``commit``, or ``None``."""
    env = {"GIT_LITERAL_PATHSPECS": "1"}
    listed = run_git(["ls-tree", "-z", "-l", commit, "--", path], cwd=bare, env=env, check=False)
    entries = parse_ls_tree(listed.stdout) if listed.returncode == 0 else []
    return next((e for e in entries if e[4] == path), None)


def read_blob(bare: Path, sha: str) -> bytes:
    return run_git(["cat-file", "blob", sha], cwd=bare).stdout


def show(bare: Path, commit: str, path: str) -> bytes | None:
    """The file at ``path`` in ``commit``, or ``None`` when it is not there."""
    proc = run_git(["show", f"{commit}:{path}"], cwd=bare, check=False)
    return proc.stdout if proc.returncode == 0 else None


def is_ancestor(bare: Path, maybe_ancestor: str, commit: str) -> bool:
    proc = run_git(["merge-base", "--is-ancestor", maybe_ancestor, commit], cwd=bare, check=False)
    return proc.returncode == 0


def diff_stats(bare: Path, base_sha: str, head_sha: str) -> dict[str, int]:
    """A pull request's ``commits``, ``additions``, ``deletions`` and ``changed_files``."""
    try:
        commits = run_git(["rev-list", "--count", f"{base_sha}..{head_sha}"], cwd=bare)
        numstat = run_git(["diff", "--numstat", f"{base_sha}...{head_sha}"], cwd=bare)
    except GitError:
        return {}
    additions = deletions = files = 0
    for line in numstat.stdout.decode().splitlines():
        added, removed, _ = [*line.split("\t", 2), "", ""][:3]
        files += 1
        additions += int(added) if added.isdigit() else 0
        deletions += int(removed) if removed.isdigit() else 0
    return {
        "commits": int(commits.stdout.decode().strip() or 0),
        "additions": additions,
        "deletions": deletions,
        "changed_files": files,
    }


# ---------------------------------------------------------------------------- writing


def clone_fork(source: Path, target: Path, *, only_branch: str | None = None) -> None:
    """A fork of ``source`` at ``target``: a bare clone with no remote, open for pushes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    args = ["clone", "--bare", "-q"]
    if only_branch is not None:
        args += ["--single-branch", "--branch", only_branch]
    run_git([*args, str(source), str(target)])
    run_git(["remote", "remove", "origin"], cwd=target, check=False)
    configure_bare(target, read_only=False)


def fetch_commit(bare: Path, source: Path, sha: str) -> None:
    """Bring ``sha`` and its history from ``source`` into ``bare`` (no ref is written)."""
    run_git(["fetch", "-q", "--no-write-fetch-head", str(source), sha], cwd=bare)


def update_ref(bare: Path, ref: str, sha: str) -> None:
    run_git(["update-ref", ref, sha], cwd=bare, check=False)


def log(bare: Path, ref: str, limit: int) -> list[dict[str, object]]:
    """The newest ``limit`` commits reachable from ``ref``, newest first (``GET /commits``)."""
    if not safe_ref(ref) or limit < 1:
        return []
    fields = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e"
    proc = run_git(
        ["log", f"--max-count={int(limit)}", f"--format={fields}", ref, "--"],
        cwd=bare,
        check=False,
    )
    if proc.returncode != 0:
        return []
    commits: list[dict[str, object]] = []
    for raw in proc.stdout.decode("utf-8", "replace").split("\x1e"):
        parts = raw.strip("\n").split("\x00")
        if len(parts) != 10:
            continue
        sha, tree_sha, parents, an, ae, ad, cn, ce, cd, message = parts
        commits.append(
            {
                "sha": sha,
                "tree": tree_sha,
                "parents": parents.split(),
                "author": {"name": an, "email": ae, "date": ad},
                "committer": {"name": cn, "email": ce, "date": cd},
                "message": message.rstrip("\n"),
            }
        )
    return commits


# ---------------------------------------------------------------------------- pull request diffs


def pull_base(bare: Path, base_ref: str, fallback: str) -> str:
    """What a pull request is compared with: its base branch as it is now (GitHub's diff and
    commit list follow the base as it moves), or ``fallback`` when the branch is gone."""
    return branch_sha(bare, base_ref) or fallback


#: One line of a pull request's diff on its new side: (path, line number, text, added?).
DiffLine = tuple[str, int, str, bool]

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def diff_lines(bare: Path, base_sha: str, head_sha: str) -> list[DiffLine]:
    """Every line on the new side of the diff ``base...head`` (added and context lines), in
    order: the lines GitHub lets a review comment sit on (``side: RIGHT``)."""
    args = ["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "-U3"]
    proc = run_git([*args, f"{base_sha}...{head_sha}"], cwd=bare, check=False)
    if proc.returncode != 0:
        return []
    found: list[DiffLine] = []
    path: str | None = None
    line = 0
    for raw in proc.stdout.decode("utf-8", "replace").split("\n"):
        if raw.startswith("+++ "):
            # git ends a name with a space in it with a tab, and quotes names with odd bytes
            # (those are skipped: no review comment lands on them)
            target = raw[4:].removesuffix("\t")
            path = target[2:] if target.startswith("b/") else None
        elif raw.startswith(("--- ", "diff --git", "index ")):
            continue
        elif (hunk := _HUNK.match(raw)) is not None:
            line = int(hunk.group(1))
        elif path is None or raw.startswith("\\"):
            continue
        elif raw.startswith("+"):
            found.append((path, line, raw[1:], True))
            line += 1
        elif raw.startswith(" "):
            found.append((path, line, raw[1:], False))
            line += 1
    return found


def line_at(bare: Path, commit: str, path: str, line: int) -> str | None:
    """Line ``line`` (1-based) of ``path`` in ``commit``, or None when there is no such line."""
    content = show(bare, commit, path)
    if content is None:
        return None
    lines = content.decode("utf-8", "replace").split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else None


def merge_commit(
    bare: Path, base_ref: str, head_sha: str, message: str, *, author: tuple[str, str]
) -> str | None:
    """Merge ``head_sha`` into branch ``base_ref`` with a merge commit, as GitHub's default
    "Create a merge commit" does; the new commit's sha, or None when the two conflict."""
    base_sha = branch_sha(bare, base_ref)
    if base_sha is None:
        return None
    tree = run_git(["merge-tree", "--write-tree", base_sha, head_sha], cwd=bare, check=False)
    if tree.returncode != 0:
        return None
    tree_sha = tree.stdout.decode().split()[0]
    name, email = author
    env = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": "GitHub",
        "GIT_COMMITTER_EMAIL": "noreply@github.com",
    }
    made = run_git(
        ["commit-tree", tree_sha, "-p", base_sha, "-p", head_sha, "-m", message], cwd=bare, env=env
    )
    sha = made.stdout.decode().strip()
    run_git(["update-ref", f"refs/heads/{base_ref}", sha, base_sha], cwd=bare)
    return sha


def unsigned_commits(bare: Path, base: str, head_sha: str) -> list[str]:
    """The commits of ``base..head`` whose message has no ``Signed-off-by:`` trailer (DCO);
    merge commits are not asked, as the DCO app does not ask them."""
    proc = run_git(
        ["log", "--no-merges", "--format=%H%x00%B%x1e", f"{base}..{head_sha}", "--"],
        cwd=bare,
        check=False,
    )
    if proc.returncode != 0:
        return []
    found = []
    for raw in proc.stdout.decode("utf-8", "replace").split("\x1e"):
        sha, _, message = raw.strip("\n").partition("\x00")
        if sha and not re.search(r"^Signed-off-by: .+<.+>\s*$", message, re.MULTILINE):
            found.append(sha)
    return found


def merges_cleanly(bare: Path, base_ref: str, head_sha: str) -> bool:
    """Whether ``head_sha`` merges into branch ``base_ref`` without a conflict (GitHub's
    ``mergeable``), asked of ``git merge-tree`` without touching any ref."""
    base_sha = branch_sha(bare, base_ref)
    if base_sha is None:
        return False
    proc = run_git(["merge-tree", "--write-tree", base_sha, head_sha], cwd=bare, check=False)
    return proc.returncode == 0
