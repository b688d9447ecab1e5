"""Web mode in a real headless Chromium: ``onboard serve --practice`` as a workshop runs it.

What a tab's app drew is read from its websocket frames (:mod:`tests.web.browser`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from onboard.core.storage import paths
from tests.web.browser import DEADLINE, Tab, join, joined_tab, open_tab
from tests.web.conftest import Served

WELCOME = ("Choose a project", "Practice projects", "Hello Docs")


# ---------------------------------------------------------------------------------- processes


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, state) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants(root: int) -> dict[int, str]:
    """Every live process below ``root``, with its command line."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[1] != "Z":
            parents[int(entry.name)] = stat[0]
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = _cmdline(pid)
                frontier.append(pid)
    return found


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[1] != "Z"


def app_processes(served: Served) -> dict[int, str]:
    return {
        pid: cmd
        for pid, cmd in descendants(served.process.pid).items()
        if "-m onboard practice" in cmd
    }


def wait_until(condition: Callable[[], bool], what: str, page: Page | None = None) -> None:
    until = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > until:
            raise AssertionError(f"timed out waiting until {what}")
        if page is not None:
            page.wait_for_timeout(100)
        else:
            time.sleep(0.1)


# ---------------------------------------------------------------------------------- tests


def test_page_shows_the_welcome_screen_and_each_tab_gets_its_own_app(
    serve_practice: Served, browser: BrowserContext, isolated_home: Path
) -> None:
    first = joined_tab(browser, serve_practice.url, "Ada")
    first.wait_for_text(*WELCOME)
    first.page.wait_for_function("document.body.classList.contains('-first-byte')")
    assert "practice forge" in first.screen_text()
    wait_until(lambda: len(app_processes(serve_practice)) == 1, "the first tab's app runs")
    first_app = set(app_processes(serve_practice))

    second = open_tab(browser, serve_practice.url)  # the same learner: no form this time
    second.wait_for_text(*WELCOME)
    wait_until(lambda: len(app_processes(serve_practice)) == 2, "each tab has its own app")
    apps = app_processes(serve_practice)

    # One practice forge for the whole workshop: the server's. The apps started none.
    everything = descendants(serve_practice.process.pid)
    listing = "\n".join(f"{pid} {cmd}" for pid, cmd in everything.items())
    daemon_ports = {m for cmd in everything.values() for m in re.findall(r"--port=(\d+)", cmd)}
    assert len(daemon_ports) == 1, listing
    for app in apps:
        assert not descendants(app), f"the app {app} started processes of its own:\n{listing}"
    forge_data = paths.practice_dir()
    assert forge_data.is_relative_to(isolated_home)  # the test's own HOME, not the real one
    token = (forge_data / "token").read_text().strip()
    assert token
    assert not [cmd for cmd in everything.values() if token in cmd], "a token on a command line"

    # Closing a tab ends its app; the other tab's app keeps running.
    (second_pid,) = set(apps) - first_app
    second.page.close()
    wait_until(lambda: not alive(second_pid), "the closed tab's app has exited", first.page)
    assert len(app_processes(serve_practice)) == 1

    # Stopping the server (Ctrl+C) leaves nothing behind: no app, no git daemon.
    started = time.monotonic()
    assert serve_practice.stop() == 0
    assert time.monotonic() - started < 15
    assert not [pid for pid in everything if alive(pid)], everything
    out, err = serve_practice.output()
    assert "Traceback" not in out + err  # a tab's app's errors are relayed to the server's out


@pytest.fixture
def other_site() -> Iterator[Callable[[str], str]]:
    """Another web site on this computer, whose page tries to open a websocket to onboard."""
    page_html: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page_html.get("page", b"")
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def host(target_ws: str) -> str:
        page_html["page"] = f"""<!doctype html><title>elsewhere</title><script>
            window.outcome = "pending";
            const ws = new WebSocket({target_ws!r});
            ws.onopen = () => {{ window.outcome = "open"; }};
            ws.onerror = () => {{ window.outcome = "refused"; }};
            </script>""".encode()
        return f"http://127.0.0.1:{server.server_address[1]}/"

    try:
        yield host
    finally:
        server.shutdown()
        server.server_close()


def test_another_web_site_cannot_drive_the_app(
    serve_practice: Served, browser: BrowserContext, other_site: Callable[[str], str]
) -> None:
    ws_url = serve_practice.url.replace("http://", "ws://") + "ws"
    page = browser.new_page()
    page.goto(other_site(ws_url), wait_until="domcontentloaded")
    page.wait_for_function("window.outcome !== 'pending'", timeout=DEADLINE * 1000)
    assert page.evaluate("window.outcome") == "refused"
    assert app_processes(serve_practice) == {}  # no app was started for it

    # The same browser on onboard's own page is welcome.
    tab = joined_tab(browser, serve_practice.url, "Ada")
    tab.wait_for_text("Choose a project")


# ------------------------------------------------------------------------------- offline room
def test_the_page_needs_no_other_site_names_the_session_and_takes_keys_at_once(
    isolated_home: Path, browser: BrowserContext, tmp_path: Path
) -> None:
    """A workshop room without internet: every request but the server's is refused, and the
    page still draws the app, titles the tab with the session, and the first key works without
    a click."""
    from tests.web.conftest import start_serve

    session = Path(__file__).resolve().parents[2] / "guides" / "sessions" / "workshop-example.toml"
    served = start_serve("--practice", "--session", str(session), logs=tmp_path / "logs")
    try:
        server = served.url.split("//", 1)[1].split("/", 1)[0]
        elsewhere: list[str] = []

        def only_the_server(route: Route) -> None:
            if route.request.url.split("//", 1)[1].split("/", 1)[0] == server:
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        page = browser.new_page()
        page.route("**/*", only_the_server)
        tab = Tab(page)
        page.goto(served.url, wait_until="load")
        join(tab, "Ada")  # keys only: the name field has the focus at load
        tab.wait_for_text(*WELCOME)
        assert (
            page.title()
            == "Your first contribution, rehearsed (practice forge) · onboard (practice)"
        )
        page.keyboard.press("?")  # no click on the page first
        tab.wait_for_text("Everywhere")
        assert elsewhere == []
    finally:
        served.stop()
