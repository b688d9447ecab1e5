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
from typing import TextIO

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


@contextlib.contextmanager
def _terminal(typed: str) -> Iterator[TextIO]:
    """A real terminal (a pseudo-terminal's far end) on which ``typed`` was already typed.

    ``isatty()`` is true because it is one, so a command asks its question as it would of a
    person; the line discipline hands the typed line over when the command reads.
    """
    primary, secondary = os.openpty()
    os.write(primary, typed.encode("utf-8"))
    stream = os.fdopen(secondary, encoding="utf-8")
    try:
        yield stream
    finally:
        stream.close()
        os.close(primary)


def run_onboard(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
    typed: str | None = None,
) -> Ran:
    """``onboard ARGS`` in-process: the exit status and everything it printed.

    ``stdin`` is piped input; ``typed`` is typed on a terminal instead (``stdin`` is then
    ignored): what a command that asks before acting in public needs.
    """
    out, err = _stream(), _stream()
    with contextlib.ExitStack() as stack:
        given = stack.enter_context(_terminal(typed)) if typed is not None else _stream(stdin or "")
        return _run(args, env, cwd, out, err, given)


def _run(
    args: tuple[str, ...],
    env: Mapping[str, str] | None,
    cwd: Path | None,
    out: io.TextIOWrapper,
    err: io.TextIOWrapper,
    given: TextIO,
) -> Ran:
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
