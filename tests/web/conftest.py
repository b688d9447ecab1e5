"""Fixtures for web mode: a real ``onboard serve`` process and a real headless Chromium.

The browser is Debian's ``chromium`` package, driven by Playwright; ``playwright install`` is
never run (it downloads a browser build, which this closed network refuses). Chromium is
installed with apt where it is missing and we are root, as in CI; the tests are skipped, with
the reason, only when it cannot be had.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

CHROMIUM = Path("/usr/bin/chromium")
#: Without the background-networking flags Chromium's own connections are refused on a closed
#: network, and it stalls; QUIC and the sandbox are unavailable in containers.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _apt_install_chromium() -> str | None:
    """Install Debian's chromium; returns why it could not be, or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "it is not installed and installing it needs root (apt-get install chromium)"
    if shutil.which("apt-get") is None:
        return "it is not installed and this system has no apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    result = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:  # a fresh machine has no package lists yet
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=False)
        result = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not CHROMIUM.exists():
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        return f"apt-get install chromium failed: {tail[0]}"
    return None


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, installed if missing; skips the web tests if it cannot be."""
    pytest.importorskip("playwright.sync_api", reason="playwright is in the [test] extra")
    if not CHROMIUM.exists() and (problem := _apt_install_chromium()):
        pytest.skip(f"web mode needs a real Chromium at {CHROMIUM}: {problem}")
    return CHROMIUM


@pytest.fixture
def browser(chromium: Path, tmp_path: Path) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile, closed after the test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(chromium),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
        )
        try:
            yield context
        finally:
            context.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A running ``onboard serve`` process and the address its page is at."""

    process: subprocess.Popen[bytes]
    url: str
    stdout: Path
    stderr: Path

    def output(self) -> tuple[str, str]:
        """What the server printed so far (files, not pipes: a full pipe would stall it)."""
        return (
            self.stdout.read_text(encoding="utf-8", errors="replace"),
            self.stderr.read_text(encoding="utf-8", errors="replace"),
        )

    def stop(self, timeout: float = 20) -> int:
        """Ctrl+C, as a mentor ends a workshop; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=timeout)


def start_serve(*args: str, logs: Path, host: str = "127.0.0.1", deadline: float = 20) -> Served:
    """Start ``onboard serve ARGS`` on a free port and wait until its page answers.

    It inherits the test's environment, so the isolated HOME and XDG folders of the
    ``isolated_home`` fixture: the server's practice forge and the room's learners live there.
    """
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    stdout, stderr = logs / "serve.out", logs / "serve.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "onboard", "serve", "--host", host, "--port", str(port), *args],
            stdout=out,
            stderr=err,
        )
    served = Served(process, f"http://127.0.0.1:{port}/", stdout, stderr)
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        if process.poll() is not None:
            out, err = served.output()
            raise AssertionError(f"onboard serve exited with {process.returncode}:\n{out}\n{err}")
        try:
            if requests.get(served.url, timeout=1).status_code == 200:
                return served
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    process.kill()
    process.wait()
    raise AssertionError(f"onboard serve did not answer on {served.url} within {deadline} s")


@pytest.fixture
def serve_practice(isolated_home: Path, tmp_path: Path) -> Iterator[Served]:
    """``onboard serve --practice`` on a free loopback port, stopped after the test."""
    served = start_serve("--practice", logs=tmp_path / "logs")
    try:
        yield served
    finally:
        if served.process.poll() is None:
            try:
                served.stop()
            except subprocess.TimeoutExpired:
                served.process.kill()
                served.process.wait()


@pytest.fixture
def chromium_browser(chromium: Path) -> Iterator[Browser]:
    """A headless Chromium for tests that need several separate contexts (cookie jars)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
