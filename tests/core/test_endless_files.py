"""A pack or session file that never ends (``/dev/zero``) is refused without reading it all.

Both are files a stranger can hand a learner or a mentor. Each case runs in a child process whose
address space is capped at 1 GiB, so a reader that tried to read the whole file would die of
``MemoryError`` (and fail the test) instead of eating the machine.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

_VALIDATE = textwrap.dedent(
    """
    import importlib, resource, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    module, name = sys.argv[2].rsplit(".", 1)
    validate = getattr(importlib.import_module(module), name)
    print(validate(Path(sys.argv[3])).problems[0])
    """
)


def endless_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.toml").symlink_to("/dev/zero")
    return folder


def endless_session(tmp_path: Path) -> Path:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    return link


@pytest.mark.skipif(sys.platform == "win32", reason="/dev/zero and RLIMIT_AS are POSIX")
@pytest.mark.parametrize(
    ("make", "validator", "expected"),
    [
        # A link out of the pack is refused before anything is read...
        pytest.param(
            endless_pack,
            "onboard.core.packs.validation.validate_pack",
            "leads outside the pack folder",
            id="pack",
        ),
        # ...and a session file is a single file: the bounded reader itself refuses it.
        pytest.param(
            endless_session,
            "onboard.core.sessions.validation.validate_session_file",
            "not a regular file",
            id="session",
        ),
    ],
)
def test_an_endless_file_is_refused_without_reading_it_all(
    tmp_path: Path, make: Callable[[Path], Path], validator: str, expected: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _VALIDATE, str(REPO_ROOT), validator, str(make(tmp_path))],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert expected in result.stdout
