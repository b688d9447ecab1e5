"""Refreshing My contributions against the practice forge over real HTTP: one row that fails
never empties the list, a merged pull request is final (not asked again) and recorded once,
rows of another forge are left to it, and hostile text stays data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.storage.state import StateStore
from onboard.flows.contributions import cached_rows, refresh
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.practice.learner import open_learner_pull, replace_in

PROJECT = "practice/hello-docs"
FIX = replace_in("docs/getting-started.md", "recieve", "receive")


def record(kind: ContributionKind, repo: str, number: int) -> ContributionRecord:
    return ContributionRecord(kind, repo, number, f"http://x/{number}", "t", datetime.now(UTC))


def pull_time() -> datetime:
    return datetime.now(UTC)


def test_a_missing_repository_fails_its_row_only_and_others_keep_their_last_answer(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    state_store.record_contribution("practice", record(ContributionKind.CLAIM, PROJECT, 1))
    state_store.record_contribution(
        "practice", record(ContributionKind.CLAIM, "practice/gone-away", 3)
    )
    state_store.record_contribution("api.github.com", record(ContributionKind.PULL, "a/b", 9))
    state_store.record_contribution("practice", record(ContributionKind.PULL, "x/y/z", 2))
    cache = tmp_path / "rows.json"
    view = refresh(GitHubForge(forge_config), state_store, cache=cache)
    by_repo = {row.record.repo: row for row in view.rows}
    assert by_repo[PROJECT].state == "open" and by_repo[PROJECT].error is None
    assert by_repo["practice/gone-away"].state == "unknown"
    assert by_repo["practice/gone-away"].error
    assert "a/b" not in by_repo  # recorded on GitHub: practice and real never mix
    assert view.elsewhere_note() == "Not listed here: 1 on api.github.com."
    assert "expected OWNER/REPO" in (by_repo["x/y/z"].error or "")  # a hand-edited record
    assert not view.offline
    # The screen's first frame, before any request: the last answer, and no invented state.
    cached = cached_rows(state_store, "practice", cache=cache)
    first = {row.record.repo: row.state for row in cached}
    assert first == {
        PROJECT: "open",
        "practice/gone-away": "unknown",
        "x/y/z": "unknown",
    }


def test_a_merged_pull_is_recorded_once_and_never_asked_again(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    client = GitHubForge(forge_config)
    pull = open_learner_pull(client, tmp_path / "clones", FIX)
    client.pull_facts(pull.repo, pull.number)  # the maintainer asks for a change
    pull.push(replace_in("docs/getting-started.md", "\n", "\n\n"), "Answer the review")
    state_store.record_contribution("practice", record(ContributionKind.PULL, PROJECT, pull.number))
    cache = tmp_path / "rows.json"
    view = refresh(client, state_store, cache=cache)
    assert [row.state for row in view.rows] == ["merged"]
    assert [row.where for row in view.newly_merged] == [f"{PROJECT}#{pull.number}"]
    [(_, saved)] = state_store.contributions()
    assert saved.observed_state == "merged" and saved.merged_at is not None

    practice_forge.clear_requests()
    again = refresh(client, state_store, cache=cache)
    assert [row.state for row in again.rows] == ["merged"] and not again.newly_merged
    assert not [r for r in practice_forge.requests if "/pulls/" in r.path]
    [(_, still)] = state_store.contributions()
    assert still.merged_at == saved.merged_at


def test_hostile_review_comments_and_titles_are_kept_as_data(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    from onboard.ui.widgets.contribution_view import detail_text

    practice_forge.maintainer_delay = None
    client = GitHubForge(forge_config)
    pull = open_learner_pull(client, tmp_path / "clones", FIX)
    head = practice_forge.store.get_issue(PROJECT, pull.number)["pull"]["head_sha"]
    hostile = "[@click=app.quit]quit[/] \x1b[2J\u202eevil"
    practice_forge.store.add_review_comment(
        PROJECT,
        pull.number,
        "mallory",
        path="docs/[b]x[/b].md",
        line=1,
        body=hostile,
        commit_id=head,
    )
    state_store.record_contribution(
        "practice",
        ContributionRecord(
            ContributionKind.PULL,
            PROJECT,
            pull.number,
            "http://x",
            "[red]t[/red]",
            datetime.now(UTC),
        ),
    )
    [row] = refresh(client, state_store, cache=tmp_path / "rows.json").rows
    text = detail_text(row)
    assert "[@click=app.quit]quit[/]" in text.plain and "docs/[b]x[/b].md:1" in text.plain
    assert "[red]t[/red]" in text.plain
    assert "\x1b" not in text.plain and "\u202e" not in text.plain
    assert not text.spans or all("click" not in str(span.style) for span in text.spans)


def test_a_failing_check_is_named_with_its_own_words(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    from onboard.ui.widgets.contribution_view import detail_text

    client = GitHubForge(forge_config)

    def slip(clone: Path) -> None:  # the fix, with trailing spaces left on its line
        guide = clone / "docs" / "getting-started.md"
        lines = guide.read_text(encoding="utf-8").splitlines()
        at = next(i for i, line in enumerate(lines) if "recieve" in line)
        lines[at] = lines[at].replace("recieve", "receive") + "   "
        guide.write_text("\n".join(lines) + "\n", encoding="utf-8")

    pull = open_learner_pull(client, tmp_path / "clones", slip)
    state_store.record_contribution("practice", record(ContributionKind.PULL, PROJECT, pull.number))
    [row] = refresh(client, state_store, cache=tmp_path / "rows.json").rows
    assert row.checks.state.value == "failing" and "practice-ci" in row.checks.failing
    assert "docs/getting-started.md" in row.checks.failing_summary
    assert row.next_step.startswith("A check failed (")
    shown = detail_text(row).plain
    assert "Failing check: " in shown and row.checks.failing_summary[:40] in shown
