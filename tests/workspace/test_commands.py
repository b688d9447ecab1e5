"""run_step with real processes: live output, exit status, cancel and timeout that reach
grandchildren, missing programs, shell strings refused, and the token kept from project scripts."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from onboard.core.models import SetupStep
from onboard.workspace.commands import StepResult, command_env, run_step

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")


def python_step(code: str) -> SetupStep:
    return SetupStep((sys.executable, "-c", textwrap.dedent(code)), "a test step")


def run(
    step: SetupStep,
    cwd: Path,
    *,
    cancel: threading.Event | None = None,
    timeout: float | None = 30,
    on_line: Callable[[str], None] | None = None,
    **options: object,
) -> tuple[StepResult, list[str]]:
    lines: list[str] = []

    def collect(line: str) -> None:
        lines.append(line)
        if on_line:
            on_line(line)

    result = run_step(
        step,
        cwd,
        on_output=collect,
        cancel=cancel or threading.Event(),
        timeout=timeout,
        **options,  # type: ignore[arg-type]
    )
    return result, lines


def alive(pid: int) -> bool:
    """A zombie (exited, not yet reaped by a container's init) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone(pid: int, seconds: float = 3) -> bool:
    """SIGKILL takes effect asynchronously: on a busy machine a killed process is still listed for
    a few milliseconds after its output closed. A process that was never killed stays alive."""
    end = time.monotonic() + seconds
    while alive(pid):
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def wait_for_file(path: Path, seconds: float = 10) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.02)
    raise AssertionError(f"{path} never appeared")


def test_output_arrives_while_the_command_is_still_running(tmp_path: Path) -> None:
    go = tmp_path / "go"
    step = python_step(
        f"""
        import pathlib, sys, time
        print("first", flush=True)
        end = time.monotonic() + 10
        while not pathlib.Path({str(go)!r}).exists():
            if time.monotonic() > end:
                sys.exit(3)  # nobody saw "first" in time: output was not live
            time.sleep(0.02)
        print("second")
        """
    )

    def on_line(line: str) -> None:
        if line == "first":
            go.touch()

    result, lines = run(step, tmp_path, on_line=on_line)
    assert result == StepResult(0, duration=result.duration)
    assert result.ok
    assert lines == ["first", "second"]


def test_failure_reports_exit_status_and_merges_stderr(tmp_path: Path) -> None:
    step = python_step(
        """
        import sys
        print("to stdout", flush=True)
        print("to stderr", file=sys.stderr, flush=True)
        sys.exit(3)
        """
    )
    result, lines = run(step, tmp_path)
    assert not result.ok
    assert result.exit_code == 3
    assert result.reason == "exit status 3"
    assert not result.cancelled and not result.timed_out
    assert lines == ["to stdout", "to stderr"]


def test_bytes_that_are_not_utf8_and_carriage_returns_become_lines(tmp_path: Path) -> None:
    step = python_step(
        r"""
        import sys
        out = sys.stdout.buffer
        out.write(b"caf\xe9\n10%\r50%\r100%\r\ndone")
        out.flush()
        """
    )
    result, lines = run(step, tmp_path)
    assert result.ok
    assert lines == ["caf\ufffd", "10%", "50%", "100%", "done"]


def test_stdin_is_closed_so_a_prompt_cannot_hang(tmp_path: Path) -> None:
    result, lines = run(python_step("import sys; print(repr(sys.stdin.read()))"), tmp_path)
    assert result.ok
    assert lines == ["''"]


def test_the_command_runs_in_the_given_folder(tmp_path: Path) -> None:
    result, lines = run(python_step("import os; print(os.getcwd())"), tmp_path)
    assert result.ok
    assert lines == [str(tmp_path)]


CHILD_AND_GRANDCHILD = """
    import os, signal, subprocess, sys, time
    grandchild = subprocess.Popen([sys.executable, "-c", {grandchild!r}])
    open({pid_file!r}, "w").write(str(grandchild.pid))
    print("ready", flush=True)
    {child_tail}
"""
STUBBORN = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(120)\n"


def family_step(tmp_path: Path, *, child_tail: str = "time.sleep(120)") -> tuple[SetupStep, Path]:
    pid_file = tmp_path / "grandchild.pid"
    code = CHILD_AND_GRANDCHILD.format(
        grandchild=STUBBORN, pid_file=str(pid_file), child_tail=child_tail
    )
    return python_step(code), pid_file


def test_cancel_stops_the_command_and_its_grandchild_that_ignores_sigterm(
    tmp_path: Path,
) -> None:
    step, pid_file = family_step(tmp_path)
    cancel = threading.Event()

    def on_line(line: str) -> None:
        if line == "ready":
            cancel.set()

    started = time.monotonic()
    result, lines = run(step, tmp_path, cancel=cancel, grace=0.5, on_line=on_line)
    elapsed = time.monotonic() - started
    grandchild = int(wait_for_file(pid_file))
    assert lines == ["ready"]
    assert result.cancelled
    assert result.exit_code is None
    assert not result.ok
    assert result.reason == "cancelled"
    assert elapsed < 10
    assert gone(grandchild)


def test_cancel_waits_for_the_grace_period_before_sigkill(tmp_path: Path) -> None:
    stubborn = python_step(
        """
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("ready", flush=True)
        time.sleep(120)
        """
    )
    cancel = threading.Event()
    started = time.monotonic()
    result, _ = run(
        stubborn,
        tmp_path,
        cancel=cancel,
        grace=1.0,
        on_line=lambda line: cancel.set(),
    )
    elapsed = time.monotonic() - started
    assert result.cancelled
    assert 1.0 <= elapsed < 10


def test_polite_programs_stop_at_sigterm_without_waiting_for_the_grace(tmp_path: Path) -> None:
    cancel = threading.Event()
    step = python_step("import time; print('ready', flush=True); time.sleep(120)")
    started = time.monotonic()
    result, _ = run(step, tmp_path, cancel=cancel, grace=20, on_line=lambda _: cancel.set())
    assert result.cancelled
    assert time.monotonic() - started < 10


def test_timeout_stops_the_whole_group(tmp_path: Path) -> None:
    step, pid_file = family_step(tmp_path)
    started = time.monotonic()
    result, _ = run(step, tmp_path, timeout=1.0, grace=0.5)
    elapsed = time.monotonic() - started
    assert result.timed_out
    assert not result.cancelled
    assert result.exit_code is None
    assert result.reason == "took longer than 1 s and was stopped"
    assert 1.0 <= elapsed < 10
    assert gone(int(wait_for_file(pid_file)))


def test_programs_left_behind_after_a_normal_exit_are_stopped(tmp_path: Path) -> None:
    step, pid_file = family_step(tmp_path, child_tail="sys.exit(0)")
    started = time.monotonic()
    result, lines = run(step, tmp_path, grace=0.5)
    assert result.ok
    assert lines == ["ready"]
    assert time.monotonic() - started < 10
    assert gone(int(wait_for_file(pid_file)))


def test_cancel_before_start_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    cancel = threading.Event()
    cancel.set()
    result, _ = run(python_step(f"open({str(marker)!r}, 'w')"), tmp_path, cancel=cancel)
    assert result.cancelled
    assert not marker.exists()


def test_missing_program_says_so_and_points_to_doctor(tmp_path: Path) -> None:
    result, lines = run(SetupStep(("onboard-no-such-tool", "ci"), "install"), tmp_path)
    assert result.exit_code is None
    assert not result.ok
    assert result.reason == (
        "onboard-no-such-tool is not installed (or not on your PATH): see onboard doctor"
    )
    assert lines == []


def test_program_is_found_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    tool = tools / "hello-tool"
    tool.write_text(f"#!{sys.executable}\nimport sys\nprint('hello', *sys.argv[1:])\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    result, lines = run(SetupStep(("hello-tool", "a b", "c"), "greet"), tmp_path)
    assert result.ok
    assert lines == ["hello a b c"]


def test_relative_program_is_found_in_the_project_not_on_path(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / ".venv" / "bin").mkdir(parents=True)
    python = project / ".venv" / "bin" / "python"
    python.symlink_to(sys.executable)
    result, lines = run(
        SetupStep((".venv/bin/python", "-c", "print('from the venv')"), "use the venv"), project
    )
    assert result.ok
    assert lines == ["from the venv"]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result, _ = run(SetupStep((".venv/bin/python", "-V"), "no venv here"), elsewhere)
    assert result.exit_code is None
    assert result.reason is not None
    assert ".venv/bin/python does not exist" in result.reason


def test_a_file_that_is_not_a_program_gets_a_clear_reason(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    result, _ = run(SetupStep(("./notes.txt",), "not a program"), tmp_path)
    assert result.exit_code is None
    assert result.reason == "./notes.txt cannot be run: it is not an executable program"


def test_a_shell_string_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    result, _ = run(SetupStep((f"touch {marker}",), "a shell string"), tmp_path)
    assert result.exit_code is None
    assert result.reason is not None
    assert "looks like a shell command" in result.reason
    assert not marker.exists()

    result, _ = run(SetupStep((), "empty"), tmp_path)
    assert result.reason == "this step has no command to run"


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    result, _ = run(python_step("print(1)"), tmp_path / "gone")
    assert result.exit_code is None
    assert result.reason is not None
    assert "does not exist" in result.reason


PRINT_ENV = """
    import json, os
    names = ["GH_TOKEN", "GITHUB_TOKEN", "GITHUB_API_URL", "GIT_TERMINAL_PROMPT", "KEEP_ME"]
    print(json.dumps({name: os.environ.get(name) for name in names}))
"""


def test_the_token_never_reaches_project_scripts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghp_secret_one")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret_two")
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.invalid/api/v3")
    monkeypatch.setenv("KEEP_ME", "yes")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "1")
    result, lines = run(python_step(PRINT_ENV), tmp_path)
    assert result.ok
    assert json.loads(lines[0]) == {
        "GH_TOKEN": None,
        "GITHUB_TOKEN": None,
        "GITHUB_API_URL": None,
        "GIT_TERMINAL_PROMPT": "0",
        "KEEP_ME": "yes",
    }


def test_an_explicit_environment_is_cleaned_too(tmp_path: Path) -> None:
    base = {"PATH": os.environ["PATH"], "GH_TOKEN": "ghp_secret", "KEEP_ME": "here"}
    result, lines = run(python_step(PRINT_ENV), tmp_path, env=base)
    assert result.ok
    seen = json.loads(lines[0])
    assert seen["GH_TOKEN"] is None
    assert seen["KEEP_ME"] == "here"
    assert "GH_TOKEN" not in command_env(base)
    assert base["GH_TOKEN"] == "ghp_secret"  # the caller's mapping is left alone


def test_killed_by_a_signal_is_explained(tmp_path: Path) -> None:
    result, _ = run(
        python_step("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"), tmp_path
    )
    assert result.exit_code == -9
    assert result.reason == "stopped by SIGKILL"
