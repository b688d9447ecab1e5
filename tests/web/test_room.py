"""A workshop room in real headless Chromium: two learners, one mentor, no internet.

Each learner is a separate browser context (their own cookies, as two laptops would be), and
every request to anything but the server is refused. Their journeys, forks and reports must stay
apart, and F4 from one must reach the mentor's dashboard within a few seconds.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Route

from onboard.core.storage import paths
from tests.web.browser import Tab, join, joined_tab, open_tab, send_join_form
from tests.web.conftest import Served, start_serve

SESSION = Path(__file__).resolve().parents[2] / "guides" / "sessions" / "workshop-example.toml"
CODE = "4321"
#: The learner's app writes its report at once; the room's dashboard looks every second.
MENTOR_SEES_WITHIN = 4.0


@pytest.fixture
def room(isolated_home: Path, tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    folder = tmp_path / "room"
    served = start_serve(
        "--practice",
        "--session",
        str(SESSION),
        "--room-code",
        CODE,
        "--room",
        str(folder),
        logs=tmp_path / "logs",
    )
    try:
        yield served, folder / "learners"
    finally:
        served.stop()


def offline_context(browser: Browser, served: Served, refused: list[str]) -> BrowserContext:
    """A separate browser (own cookies) on a network where only the server answers."""
    server = served.url.split("//", 1)[1].split("/", 1)[0]
    context = browser.new_context(viewport={"width": 1280, "height": 800})

    def only_the_server(route: Route) -> None:
        if route.request.url.split("//", 1)[1].split("/", 1)[0] == server:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    return context


def profiles(learners: Path) -> dict[str, dict[str, object]]:
    """Each learner's profile record, by name."""
    found = {}
    for record in learners.glob("*/profile.json"):
        data = json.loads(record.read_text())
        found[data["name"]] = {**data, "folder": record.parent}
    return found


def mentor_address(served: Served) -> str:
    out, _err = served.output()
    match = re.search(r"Mentor dashboard \(keep this address to yourself\): (\S+)", out)
    assert match, out
    return match.group(1)


def test_two_learners_stay_apart_and_the_mentor_sees_f4_at_once(
    room: tuple[Served, Path], chromium_browser: Browser
) -> None:
    served, learners = room
    refused: list[str] = []
    ada_context = offline_context(chromium_browser, served, refused)
    ada = joined_tab(ada_context, served.url, "Ada", CODE)
    ada.wait_for_text("Choose a project", "Hello Docs")
    grace_context = offline_context(chromium_browser, served, refused)
    grace = open_tab(grace_context, served.url)
    send_join_form(grace, "Grace <b>[bold]", "not the code")  # refused, with the reason
    grace.page.wait_for_selector("#join-error:has-text('room code')")
    assert "ask your mentor" in grace.page.inner_text("#join-error")
    grace.page.fill("#code", "")
    grace.page.fill("#name", "")
    grace.page.focus("#name")
    join(grace, "Grace <b>[bold]", CODE)
    grace.wait_for_text("Choose a project", "Hello Docs")

    # Each learner has a profile of their own, and a practice account of their own.
    people = profiles(learners)
    assert set(people) == {"Ada", "Grace <b>[bold]"}
    ada_login, grace_login = str(people["Ada"]["login"]), str(people["Grace <b>[bold]"]["login"])
    assert ada_login.startswith("ada-") and grace_login.startswith("grace-b-bold-")

    # Ada chooses Hello Docs, forks and clones it; Grace does nothing yet.
    ada.page.keyboard.press("Enter")  # choose the project the list opens on
    ada.wait_for_text("Fork and set up")
    ada.forget()
    ada.page.keyboard.press("Enter")  # agree: fork, clone, branch
    ada.wait_for_text("Cloned into", "first-contribution", deadline=40)
    forge, auth = _practice_api(served)
    mine = requests.get(f"{forge}/repos/{ada_login}/hello-docs", headers=auth, timeout=5)
    assert mine.status_code == 200 and mine.json()["fork"] is True
    theirs = requests.get(f"{forge}/repos/{grace_login}/hello-docs", headers=auth, timeout=5)
    assert theirs.status_code == 404
    ada_folder, grace_folder = (
        Path(str(people["Ada"]["folder"])),
        Path(str(people["Grace <b>[bold]"]["folder"])),
    )
    assert (ada_folder / "workspace" / "practice" / "hello-docs" / ".git").is_dir()
    assert not list((grace_folder / "workspace").iterdir())

    # The mentor's address trades its secret for a cookie and shows the room's dashboard.
    mentor_context = offline_context(chromium_browser, served, refused)
    mentor = Tab(mentor_context.new_page())
    mentor.page.goto(mentor_address(served), wait_until="domcontentloaded")
    assert mentor.page.url == served.url + "mentor"  # the secret left the address bar
    mentor.wait_for_text("Ada", "Grace <b>[bold]", "Nobody is stuck right now")
    # Without the secret, nobody else gets the dashboard.
    other = grace_context.new_page()
    assert other.goto(served.url + "mentor").status == 403

    # F4 from Ada reaches the mentor within a few seconds, with her words.
    ada.page.keyboard.press("F4")
    ada.wait_for_text("Stuck? That is part of learning.", "Tell my mentor")
    ada.page.wait_for_timeout(500)  # the dialog has put the focus on its first field
    ada.page.keyboard.press("Tab")  # from the kinds of problem to the words
    ada.page.wait_for_timeout(300)
    ada.page.keyboard.type("the push asks for a password", delay=100)
    ada.page.keyboard.press("Tab")  # to "Tell my mentor"
    mentor.forget()
    sent = time.monotonic()
    ada.page.keyboard.press("Enter")
    mentor.wait_for_text("Stuck now: 1", "password", deadline=20)  # her words (may wrap)
    took = time.monotonic() - sent
    print(f"F4 reached the mentor's dashboard in {took:.1f} s")
    assert took < MENTOR_SEES_WITHIN

    # The reports stay apart: Ada's says stuck, Grace's does not.
    reports = {
        json.loads(f.read_text())["learner"]["name"]: json.loads(f.read_text())
        for f in learners.glob("*.json")
    }
    assert set(reports) == {"Ada", "Grace <b>[bold]"}
    assert "the push asks for a password" in json.dumps(reports["Ada"])
    assert "the push asks for a password" not in json.dumps(reports["Grace <b>[bold]"])

    # A reload brings each learner back to their own journey, without the form.
    grace.page.reload(wait_until="domcontentloaded")
    grace.forget()
    grace.page.wait_for_selector(".textual-terminal")
    grace.wait_for_text("Choose a project")
    ada.page.reload(wait_until="domcontentloaded")
    ada.forget()
    ada.wait_for_text("Waiting for help", "Sync")  # her issue list, her open "stuck"

    # "I'm unstuck" clears it on the mentor's dashboard.
    ada.page.keyboard.press("F4")
    ada.wait_for_text("Still stuck?")
    mentor.forget()
    ada.page.keyboard.press("Enter")  # "I'm unstuck now" has the focus
    mentor.wait_for_text("Nobody is stuck right now", deadline=MENTOR_SEES_WITHIN)

    assert refused == []  # nothing but the server was ever asked for
    out, err = served.output()
    for secret in _secrets(learners, ada_context, grace_context, mentor_context):
        assert secret not in out + err  # tokens and learners' secrets are not logged


def _practice_api(served: Served) -> tuple[str, dict[str, str]]:
    """The practice forge's API address (as the server printed it) and the owner's auth."""
    out, _err = served.output()
    match = re.search(r"Practice forge for every tab: (\S+)", out)
    assert match, out
    token = (paths.practice_dir() / "token").read_text().strip()
    return match.group(1), {"Authorization": f"token {token}"}


def _secrets(learners: Path, *contexts: BrowserContext) -> list[str]:
    """Every secret of the room but the mentor's (printed once, by design): practice tokens,
    and the learners' cookies."""
    found = [(paths.practice_dir() / "token").read_text().strip()]
    found += [f.read_text().strip() for f in learners.glob("*/practice-token")]
    found += [
        cookie["value"]
        for context in contexts
        for cookie in context.cookies()
        if cookie["name"] == "onboard_learner"
    ]
    assert all(found) and len(found) == 1 + 2 + 2, found
    return found
