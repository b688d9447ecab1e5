"""Run ``onboard ARGS`` in this process, as ``onboard.cli.main`` with argv, and capture it.

Starting a real ``python -m onboard`` costs an interpreter and its imports each time; most
command tests need neither. :func:`run_onboard` calls the same ``main`` the console script
calls, with the given environment variables set and the working folder changed for the
duration of the call only, and returns what a finished process would: the exit status,
standard output and standard error. An exception the command does not handle is not turned
into exit status 1 with a traceback, as a real process would: it fails the test where it was
raised, which is stricter.

Real processes stay where the process itself is what is tested: signals (Ctrl+C), a terminal,
the interpreter's own output encoding (``PYTHONIOENCODING``), a PATH without git (GitPython
finds git once per process), and ``python -m onboard`` itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from onboard.cli import main


@dataclass(frozen=True)
class Ran:
    """What a finished ``onboard`` printed and returned (the fields of a CompletedProcess)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def environment(changes: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` with ``changes`` for the duration, then exactly as it was."""
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _stream(text: str = "") -> io.TextIOWrapper:
    """A UTF-8 text stream, like a real process's standard streams (StringIO has no encoding)."""
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)
    if text:
        stream.write(text)
        stream.seek(0)
    return stream


def _read(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def run_onboard(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
) -> Ran:
    """``onboard ARGS`` in-process: the exit status and everything it printed."""
    out, err = _stream(), _stream()
    given = _stream(stdin or "")
    with (
        environment(env or {}),
        contextlib.chdir(cwd or Path.cwd()),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        previous_stdin, sys.stdin = sys.stdin, given
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse: --help, --version and usage errors
            if isinstance(exit.code, str):
                print(exit.code, file=sys.stderr)
                code = 1
            else:
                code = exit.code or 0
        finally:
            sys.stdin = previous_stdin
    return Ran(args, code, _read(out), _read(err))
