"""Crash-safe file writes.

A half-written state or forge file must never replace a good one, so every write goes to a
temporary file in the same directory, is flushed to disk, then atomically renamed over the target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o644, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see either the old or the new content.

    ``sync=False`` skips the flushes to disk: still never half-written for a reader, but a
    power cut may lose the write. For caches, where a lost entry is only asked again and a
    hundred flushes would cost a second.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        tmp.chmod(mode)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if sync:
        _fsync_directory(path.parent)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o644, sync: bool = True) -> None:
    """Text flavour of :func:`atomic_write_bytes` (always UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode, sync=sync)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
