"""Time to a usable checkout: partial (``--filter=blob:none``, onboard's default) vs full clone.

Generates a repository with several thousand commits, each touching a few files of a couple of
kilobytes (so history is much bigger than the checkout, as in real projects), serves it with
``git daemon`` like the practice forge does, and clones it through ``onboard.workspace.clone``
with its progress reporting, as the set-up screen does. Prints the median of a few runs and the
ratio. Run: ``python benchmarks/clone.py [--commits 5000] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def make_history(work: Path, commits: int, files: int) -> None:
    """A fast-import stream: ``commits`` commits, each rewriting 3 of ``files`` files.

    Later commits on the same branch continue from its tip without a ``from`` line."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    lines: list[str] = []
    for index in range(commits):
        lines += [
            "commit refs/heads/main",
            f"committer Bench <bench@example.invalid> {1_600_000_000 + index * 60} +0000",
            f"data {len(f'change {index}')}",
            f"change {index}",
        ]
        for offset in range(3):
            number = (index * 3 + offset) % files
            body = "".join(f"revision {index} line {row} of file {number}\n" for row in range(60))
            lines += [f"M 644 inline src/file{number}.txt", f"data {len(body.encode())}", body]
    stream = "\n".join(lines) + "\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=work, input=stream.encode(), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=work, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from onboard.practice.gitdaemon import GitDaemon, configure_bare
    from onboard.workspace.clone import CloneProgress, clone

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        started = time.perf_counter()
        make_history(root / "work", args.commits, args.files)
        served = root / "served"
        bare = served / "bench" / "big.git"
        bare.parent.mkdir(parents=True)
        subprocess.run(["git", "clone", "-q", "--bare", str(root / "work"), str(bare)], check=True)
        configure_bare(bare)
        subprocess.run(["git", "gc", "-q"], cwd=bare, check=True)
        size = sum(p.stat().st_size for p in bare.rglob("*") if p.is_file())
        print(
            f"repository: {args.commits} commits, {args.files} files, "
            f"{size / 1e6:.1f} MB packed (built in {time.perf_counter() - started:.1f} s)"
        )
        daemon = GitDaemon(served)
        daemon.start()
        try:
            url = f"{daemon.url.rstrip('/')}/bench/big.git"
            results: dict[str, list[float]] = {"full": [], "partial": []}
            updates: dict[str, int] = {}
            downloaded: dict[str, float] = {}
            for run in range(args.runs):
                for kind in ("full", "partial"):
                    dest = root / f"{kind}-{run}"
                    events: list[CloneProgress] = []
                    begin = time.perf_counter()
                    clone(url, dest, progress=events.append, partial=kind == "partial")
                    results[kind].append(time.perf_counter() - begin)
                    updates[kind] = len(events)
                    assert (dest / "src" / "file0.txt").is_file()
                    git_dir = dest / ".git"
                    downloaded[kind] = sum(
                        p.stat().st_size for p in git_dir.rglob("*") if p.is_file()
                    )
                    shutil.rmtree(dest)
        finally:
            daemon.stop()
    full, partial = (statistics.median(results[kind]) for kind in ("full", "partial"))
    for kind, seconds in (("full", full), ("partial", partial)):
        megabytes = downloaded[kind] / 1e6
        print(
            f"{kind + ' clone:':<15}{seconds * 1000:7.0f} ms, .git {megabytes:5.1f} MB "
            f"({updates[kind]} progress updates)"
        )
    print(
        f"partial / full: {partial / full:.2f}× time to a usable checkout (median of {args.runs})"
    )
    print(f"                {downloaded['partial'] / downloaded['full']:.2f}× data on disk")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
