"""The HTTP cache prunes itself: stale entries, then the oldest above the size ceiling."""

from __future__ import annotations

import os
import time
from pathlib import Path

from onboard.forge.cache import MARKER, CachedResponse, ResponseCache


def _entry(cache: ResponseCache, name: str, *, age: float, size: int = 10) -> Path:
    key = ResponseCache.key(f"https://api.example/{name}", {}, "who")
    cache.root.mkdir(parents=True, exist_ok=True)
    (cache.root / MARKER).touch()  # not due: these writes must not prune by themselves
    cache.put(key, CachedResponse(url=name, etag=None, fetched_at=0, data="x" * size))
    path = cache.root / key[:2] / f"{key}.json"
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_prune_drops_entries_not_confirmed_for_a_month(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    old = _entry(cache, "old", age=31 * 24 * 3600)
    fresh = _entry(cache, "fresh", age=3600)
    result = cache.prune()
    assert not old.exists()
    assert fresh.exists()
    assert result.removed == 1


def test_prune_keeps_the_folder_under_its_ceiling_oldest_first(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    paths = [_entry(cache, f"e{i}", age=1000 - i, size=1000) for i in range(5)]
    size = paths[0].stat().st_size
    result = cache.prune(max_bytes=2 * size)
    assert [p.exists() for p in paths] == [False, False, False, True, True]
    assert result.kept_bytes <= 2 * size


def test_prune_removes_leftovers_of_interrupted_writes(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    (tmp_path / "ab").mkdir(parents=True)
    leftover = tmp_path / "ab" / ".abc.json.x1.tmp"
    leftover.write_text("half")
    stamp = time.time() - 7200
    os.utime(leftover, (stamp, stamp))
    cache.prune()
    assert not leftover.exists()


def test_a_write_prunes_when_a_day_has_passed_and_only_then(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    old = _entry(cache, "old", age=40 * 24 * 3600)
    marker = tmp_path / MARKER
    yesterday = time.time() - 25 * 3600
    os.utime(marker, (yesterday, yesterday))
    second = ResponseCache(tmp_path)  # a new process: checks the marker on its first write
    second.put("k" * 64, CachedResponse(url="u", etag=None, fetched_at=0, data=1))
    assert not old.exists()
    assert time.time() - marker.stat().st_mtime < 60

    older = _entry(second, "older", age=40 * 24 * 3600)
    third = ResponseCache(tmp_path)
    third.put("m" * 64, CachedResponse(url="u", etag=None, fetched_at=0, data=1))
    assert older.exists()  # pruned less than a day ago: not again
