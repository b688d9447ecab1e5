"""#16 item 3, end to end on the practice forge over real HTTP and real git: what a learner did
(a claim, a pull request the simulated maintainer merged, a review of someone else's pull
request), recorded by onboard and refreshed by My contributions, is counted in their session
report exactly as the OSPO view counts it from the forge's own searches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.models import RepoRef
from onboard.core.ospo.team import Person, Team
from onboard.core.sessions.progress import SessionEvent
from onboard.core.sessions.report import Learner, build_report
from onboard.core.sessions.session import self_guided_session
from onboard.core.storage.state import StateStore
from onboard.flows.contributions import refresh
from onboard.flows.ospo import count_contributions
from onboard.flows.session_facts import gather_facts
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.practice.learner import open_learner_pull, replace_in

DOCS = RepoRef.parse("practice/hello-docs")
CALC = RepoRef.parse("practice/tiny-calc")


def test_a_learners_report_and_the_ospo_view_count_the_same(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    client = GitHubForge(forge_config)
    session = self_guided_session()
    state_store.join_session(session.id, session.title)
    now = datetime.now(UTC)

    def remember(kind: ContributionKind, repo: RepoRef, number: int, url: str) -> None:
        record = ContributionRecord(kind, str(repo), number, url, "t", now)
        state_store.record_contribution(forge_config.key, record)

    claim_url = client.comment(DOCS, 1, "I'd like to work on this: I will fix the typo.")
    remember(ContributionKind.CLAIM, DOCS, 1, claim_url)
    pull = open_learner_pull(
        client, tmp_path / "clones", replace_in("docs/getting-started.md", "recieve", "receive")
    )
    remember(ContributionKind.PULL, DOCS, pull.number, "")
    client.pull_facts(DOCS, pull.number)  # the maintainer requests a change
    pull.push(replace_in("docs/getting-started.md", "\n", "\n\n"), "Answer the review")
    others = [p for p in client.pulls_needing_review([CALC]) if p.author != "learner"]
    assert others, "the practice forge has someone else's pull request to review"
    reviewed = others[0]
    review_url = client.review(CALC, reviewed.number, "Thanks! The test reads well.")
    state_store.record_event(SessionEvent.review_given(review_url, f"{CALC}#{reviewed.number}"))

    view = refresh(client, state_store, cache=tmp_path / "rows.json")
    assert {row.where: row.state for row in view.rows}[f"{DOCS}#{pull.number}"] == "merged"

    report = build_report(
        session,
        state_store.session_progress(session.id),
        gather_facts(state_store, session.id, check_remote=False),
        learner=Learner("Learner"),
        workspace_root=tmp_path,
        generated_at=now,
    )
    today = date.today()
    ospo = count_contributions(
        client,
        Team((Person("learner"),), {}),
        [DOCS, CALC],
        today - timedelta(days=1),
        today + timedelta(days=1),
    )
    [person] = ospo.person_rows()
    assert report["counts"] == person["counts"]
    assert report["counts"] == {
        "issues_opened": 0,
        "issues_commented": 1,
        "prs_opened": 1,
        "prs_merged": 1,
        "reviews": 1,
    }
