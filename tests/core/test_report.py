"""Progress reports: what the learner really did, and nothing that must not leave their computer
(tokens, paths outside the workspace, their email unless asked), with hostile text inert in
Markdown, JSON and TOML."""

from __future__ import annotations

import json
import subprocess
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt

from onboard.core.journey import Journey
from onboard.core.models import RepoRef
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.checkpoints import Facts, WorkFacts
from onboard.core.sessions.progress import SessionEvent, SessionProgress
from onboard.core.sessions.report import REPORT_FORMAT, Learner, build_report, relative_clone
from onboard.core.sessions.report_render import render
from onboard.core.sessions.session import load_session, self_guided_session
from onboard.core.storage.state import StateStore
from onboard.flows import act
from onboard.flows.session_facts import gather_facts
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (REPO_ROOT / "onboard" / "core" / "schemas" / "report-v1.schema.json").read_text()
)
EXAMPLE = load_session(REPO_ROOT / "guides" / "sessions" / "workshop-example.toml")
T0 = datetime(2025, 6, 12, 12, 0, tzinfo=UTC)
FAKE_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0" * 2

HOSTILE = [
    "\x1b]52;c;aGFja2Vk\x07clipboard \x1b[31mred\x1b[0m \x1b]0;retitled\x07",
    '<img src="https://tracker.example/pixel.png" onerror="alert(1)">',
    "<script>alert('x')</script>",
    "[click me](javascript:alert(1)) ![pixel](https://tracker.example/p.png)",
    "# Not a heading | not | a table\n\n- not a list\n\n    not code",
    "**not bold** _not italic_ `not code` ~~not struck~~ $not math$",
    "[/] [bold red]rich markup[/bold red] [@click=app.quit]x[/]",
    "\u202eevil-reversed \u200bzero-width",
    f"my token is {FAKE_TOKEN} and opf_{'0' * 40}",
    "&lt;img src=x&gt; &#60;b&#62;",
]


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def validate(report: dict[str, Any]) -> None:
    errors = [e.message for e in Draft202012Validator(SCHEMA).iter_errors(report)]
    assert errors == []


def report_for(
    progress: SessionProgress,
    work: tuple[WorkFacts, ...] = (),
    *,
    workspace: Path = Path("/home/ada/onboard-projects"),
    **options: Any,
) -> dict[str, Any]:
    facts = Facts(
        observed_at=minutes(100),
        work=work,
        events=progress.events,
        first_seen=progress.checkpoints,
    )
    defaults: dict[str, Any] = {
        "learner": Learner("Ada Learner", "ada@example.org"),
        "workspace_root": workspace,
        "generated_at": minutes(120),
        "home": "/home/ada",
    }
    return build_report(EXAMPLE, progress, facts, **{**defaults, **options})


def html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


# --- a real journey -----------------------------------------------------------------------------


def test_a_real_journey_is_reported_with_its_contributions(
    forge_config: ForgeConfig, state_store: StateStore, isolated_home: Path
) -> None:
    forge = GitHubForge(forge_config)
    workspace = isolated_home / "onboard-projects"
    state_store.join_session(EXAMPLE.id, EXAMPLE.title)
    journey = Journey()
    journey.choose("practice/tiny-calc")
    journey = SetupFlow(forge, state_store, workspace).run(journey, lambda _event: None)
    issue = forge.issue(RepoRef.parse("practice/tiny-calc"), 1)
    act.start_work(forge, state_store, journey, issue)
    act.post_claim(forge, state_store, journey, issue, "I'd like to fix this.")
    clone = Path(journey.clone_path or "")
    (clone / "NOTES.md").write_text("fixed\n")
    subprocess.run(["git", "-C", str(clone), "add", "NOTES.md"], check=True)
    subprocess.run(["git", "-C", str(clone), "commit", "-qm", "Fix"], check=True)
    act.open_draft_pull(forge, state_store, journey, issue, title="Fix average", body="Fixes #1")
    state_store.record_event(SessionEvent.tests_ran(0))
    state_store.record_event(
        SessionEvent.stuck("work", "technical-hurdles", f"push failed in {clone}")
    )
    state_store.record_event(SessionEvent.review_given("https://example.org/pr/5", "kind words"))

    progress = state_store.session_progress(EXAMPLE.id)
    facts = gather_facts(state_store, EXAMPLE.id)
    report = build_report(
        EXAMPLE,
        progress,
        facts,
        learner=Learner("Test Learner", "learner@practice.invalid"),
        workspace_root=workspace,
        generated_at=datetime.now(UTC),
        secrets=[forge_config.token or ""],
        home=str(isolated_home),
    )
    validate(report)
    assert report["format"] == REPORT_FORMAT
    # no email unless asked; the id made at join counts this learner once in a cohort
    assert report["learner"] == {"name": "Test Learner", "id": progress.learner_id}
    assert progress.learner_id is not None
    assert report["session"]["id"] == "practice-workshop-example"
    assert [c["id"] for c in report["checkpoints"] if c["done"]] == [
        "chosen",
        "cloned",
        "tests",
        "claimed",
        "pushed",
        "draft-pr",
        "review",
    ]
    assert report["projects"] == [
        {
            "repo": "practice/tiny-calc",
            "forge": "practice",
            "fork": "learner/tiny-calc",
            "clone": "practice/tiny-calc",
            "in_session": True,
        }
    ]
    [worked] = report["issues"]
    assert (worked["repo"], worked["number"], worked["claimed"]) == ("practice/tiny-calc", 1, True)
    assert worked["claim_url"].startswith("http://127.0.0.1:")
    [pull] = report["pull_requests"]
    assert pull["url"].endswith("/practice/tiny-calc/pull/10")
    assert report["tests"][0]["passed"] is True
    assert report["reviews"][0]["url"] == "https://example.org/pr/5"
    # The clone path in the learner's text is shown relative to the home folder, never whole.
    assert report["stuck"][0]["text"] == "push failed in ~/onboard-projects/practice/tiny-calc"
    for fmt in ("json", "md", "toml"):
        text = render(report, fmt)
        assert str(isolated_home) not in text
        assert forge_config.token not in text
        assert "learner@practice.invalid" not in text


# --- what must never leave the computer ---------------------------------------------------------


def test_email_only_when_asked() -> None:
    progress = SessionProgress("s", joined_at=T0)
    assert "email" not in report_for(progress)["learner"]
    assert report_for(progress, include_email=True)["learner"]["email"] == "ada@example.org"
    assert report_for(progress, learner=Learner(None))["learner"] == {"name": "anonymous"}


@pytest.mark.parametrize(
    ("clone", "expected"),
    [
        ("/home/ada/onboard-projects/practice/hello-docs", "practice/hello-docs"),
        ("/home/ada/onboard-projects/practice/../../secret/x", None),
        ("/home/ada/onboard-projects", None),
        ("/home/ada/elsewhere/hello-docs", None),
        ("/home/ada/onboard-projects-evil/x", None),
        ("relative/path", None),
        (None, None),
    ],
)
def test_clone_paths_are_relative_to_the_workspace_or_dropped(
    clone: str | None, expected: str | None
) -> None:
    assert relative_clone(clone, Path("/home/ada/onboard-projects")) == expected
    journey = Journey(project="practice/hello-docs", clone_path=clone)
    report = report_for(SessionProgress("s"), (WorkFacts("practice", journey),))
    assert report["projects"][0]["clone"] == expected
    assert "/home/ada" not in json.dumps(report)


def test_urls_lose_credentials_and_queries_and_only_http_survives() -> None:
    journey = Journey(
        project="practice/hello-docs",
        issue=3,
        claim_url=f"https://me:{FAKE_TOKEN}@github.com/o/r/issues/3?token=x#issuecomment-1",
        pull_request=4,
        pull_url="javascript:alert(1)",
    )
    report = report_for(SessionProgress("s"), (WorkFacts("github", journey),))
    assert report["issues"][0]["claim_url"] == "https://github.com/o/r/issues/3#issuecomment-1"
    assert report["pull_requests"][0]["url"] is None
    assert FAKE_TOKEN not in json.dumps(report)


def test_tokens_in_free_text_are_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "a-practice-secret-without-a-prefix"
    events = (SessionEvent("note", at=minutes(5), text=f"{secret} {FAKE_TOKEN}"),)
    report = report_for(SessionProgress("s", T0, events=events), secrets=[secret])
    assert report["notes"][0]["text"] == "[token removed] [token removed]"


def test_a_tampered_state_is_skipped_not_trusted() -> None:
    bad = WorkFacts("practice", Journey(project="../../etc/passwd", fork="x y"))
    odd_fork = WorkFacts("practice", Journey(project="practice/hello-docs", fork="not a fork"))
    report = report_for(SessionProgress("s"), (bad, odd_fork))
    assert [p["repo"] for p in report["projects"]] == ["practice/hello-docs"]
    assert report["projects"][0]["fork"] is None


# --- times --------------------------------------------------------------------------------------


def test_time_per_step_and_minutes_from_joining() -> None:
    progress = SessionProgress(
        "s",
        joined_at=T0,
        checkpoints={"chosen": minutes(8), "cloned": minutes(30), "claimed": minutes(55)},
        events=(SessionEvent("tests_ran", at=minutes(41), extra={"exit_code": 0}),),
    )
    report = report_for(progress)
    validate(report)
    steps = [
        (s["checkpoint"], s["after"], s["minutes"], s["planned_minutes"])
        for s in report["time_per_step"]
    ]
    assert steps == [
        ("chosen", "joined", 8.0, 10),
        ("cloned", "chosen", 22.0, 20),
        ("tests", "cloned", 11.0, 10),
        ("claimed", "tests", 14.0, 15),
    ]
    from_join = {c["id"]: c["minutes_from_join"] for c in report["checkpoints"]}
    assert from_join["claimed"] == 55.0 and from_join["pushed"] is None


def test_stuck_moments_are_resolved_by_the_learner_or_by_progress() -> None:
    events = (
        SessionEvent("stuck", at=minutes(10), step="clone", barrier="technical-hurdles"),
        SessionEvent("stuck", at=minutes(40), barrier="finding-a-task", resolved_at=minutes(45)),
        SessionEvent("stuck", at=minutes(70), step="work", barrier="documentation", text="?"),
    )
    progress = SessionProgress("s", T0, checkpoints={"cloned": minutes(25)}, events=events)
    stuck = report_for(progress)["stuck"]
    assert [(s["resolved_by"], s["resolved_at"]) for s in stuck] == [
        ("progress", "2025-06-12T12:25:00Z"),
        ("learner", "2025-06-12T12:45:00Z"),
        (None, None),
    ]
    assert stuck[2]["barrier_title"] == "Documentation"


# --- hostile text -------------------------------------------------------------------------------


def hostile_progress() -> SessionProgress:
    stuck = [SessionEvent.stuck("work", "social-interaction", text) for text in HOSTILE]
    noncode = SessionEvent.noncode_done("doc", "https://ok.example/x", HOSTILE[3])
    events = (*stuck, noncode)
    return SessionProgress("s", T0, events=events)


def test_hostile_text_is_inert_in_markdown() -> None:
    report = report_for(hostile_progress(), learner=Learner(HOSTILE[1]))
    markdown = render(report, "md")
    assert "\x1b" not in markdown and "\x07" not in markdown
    assert "\u202e" not in markdown and "&lt;U+202E&gt;" in markdown  # made visible
    rendered = html(markdown)
    title, learners_text = rendered.split("\n")[0], rendered.split("<h2>Non-code")[1]
    assert title == (
        "<h1>Progress report: &lt;img src=&quot;https://tracker.example/pixel.png&quot; "
        "onerror=&quot;alert(1)&quot;&gt;</h1>"
    )
    # Nothing the learner typed became a tag, a link, an image, a heading, a list or code; the
    # only link is the contribution's own plain https address.
    learners_text = learners_text.replace('<a href="https://ok.example/x">', "", 1)
    for tag in ("<img", "<script", "<a ", "<strong", "<em", "<code", "<h1", "<del", "<table"):
        assert tag not in learners_text
    assert rendered.count("<h1>") == 1  # the report's own title only
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in rendered  # shown, exactly as typed
    assert "[click me](javascript:alert(1))" in rendered
    assert "**not bold** _not italic_ `not code`" in rendered
    assert "&amp;lt;img src=x&amp;gt;" in rendered  # entities typed stay entities as text
    assert FAKE_TOKEN not in markdown
    # Every stuck moment is still one row of its list: nothing broke out into a new block.
    assert rendered.count("<li>") == len(HOSTILE) + 1


def test_hostile_text_is_inert_in_json_and_toml() -> None:
    report = report_for(hostile_progress())
    text = render(report, "json")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    parsed = json.loads(text)
    validate(parsed)
    assert parsed["stuck"][2]["text"] == "<script>alert('x')</script>"  # data, not markup
    assert parsed["stuck"][0]["text"] == "clipboard red"
    assert FAKE_TOKEN not in text
    toml_text = render(report, "toml")
    assert "\x1b" not in toml_text
    assert tomllib.loads(toml_text)["stuck"][2]["text"] == "<script>alert('x')</script>"


def test_toml_leaves_out_what_is_not_known() -> None:
    report = report_for(SessionProgress("s"))
    assert report["session"]["joined_at"] is None
    parsed = tomllib.loads(render(report, "toml"))
    assert "joined_at" not in parsed["session"]
    assert parsed["format"] == REPORT_FORMAT


def test_self_guided_report_without_a_session_file() -> None:
    session = self_guided_session()
    facts = Facts(observed_at=T0, work=(WorkFacts("practice", Journey(project="a/b")),))
    report = build_report(
        session,
        SessionProgress(session.id),
        facts,
        learner=Learner(None),
        workspace_root=Path("/w"),
        generated_at=T0,
    )
    validate(report)
    assert len(report["checkpoints"]) == len(CheckpointKind)
    assert report["projects"][0]["in_session"] is True
    assert "Self-guided journey" in render(report, "md")
