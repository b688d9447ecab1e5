"""Making the change on the issue's branch: read it, commit it the project's way, share it.

Run from workers (screens) or directly (the CLI). :func:`look` gathers everything the *Make the
change* screen shows in one pass over git; :func:`commit` makes the commit the learner saw in the
preview; :func:`mark_ready` is public and only called after a confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from onboard.core.change.checklist import Checklist, checklist
from onboard.core.change.conventions import (
    Conventions,
    commit_draft,
    pull_body_draft,
    read_conventions,
)
from onboard.core.change.message import final_message
from onboard.core.change.status import FileStatus
from onboard.core.journey import Journey
from onboard.core.models import Issue
from onboard.core.storage.state import StateStore
from onboard.flows import act
from onboard.forge.base import Forge
from onboard.workspace import setup as ws
from onboard.workspace.changes import branch_facts, clone_diff, clone_status, read_snapshot
from onboard.workspace.committing import (
    CommitIdentity,
    commit_files,
    commit_identity,
    set_local_identity,
)
from onboard.workspace.gitenv import WorkspaceError


@dataclass(frozen=True)
class ChangeView:
    """The clone as the *Make the change* screen shows it."""

    clone: Path
    branch: str
    base_ref: str
    conventions: Conventions
    #: The commit message to start from, in the project's style.
    message: str
    identity: CommitIdentity | None
    status: tuple[FileStatus, ...]
    diff: str
    checklist: Checklist
    #: The pull request description to start from (the project's template with Fixes #N).
    pull_body: str

    def preview(
        self, message: str, files: list[str], identity: CommitIdentity | None = None
    ) -> str:
        """The commit exactly as it will be made: author, files, message (signed off if due).

        ``identity`` is the one the learner is typing in, when git does not know one yet.
        """
        who = identity or self.identity
        sign = (who.name, who.email) if who and self.conventions.sign_off else None
        final = final_message(message, sign_off=sign)
        author = f"{who.name} <{who.email}>" if who else "(git does not know who you are yet)"
        listed = "\n".join(f"  {name}" for name in files) or "  (no file chosen)"
        return f"Author: {author}\nBranch: {self.branch}\nFiles:\n{listed}\n\n{final}"


def cla_key(forge: Forge, repo: str) -> str:
    return f"cla:{forge.config.key}:{repo.lower()}"


def cla_signed(store: StateStore, forge: Forge, repo: str) -> bool:
    return cla_key(forge, repo) in store.consents()


def record_cla_signed(store: StateStore, forge: Forge, repo: str) -> None:
    """The learner says they signed the CLA: CLAs are signed on the web, onboard cannot see it."""
    store.save_consent(cla_key(forge, repo), {"cla_signed_at": datetime.now(UTC).isoformat()})


def clone_of(journey: Journey) -> Path:
    if not journey.clone_path or not ws.inspect(Path(journey.clone_path)).exists:
        raise WorkspaceError("Your clone is missing: set the project up again from the start.")
    if not journey.work_branch:
        raise WorkspaceError("Choose 'Work on this one' on an issue first: it creates your branch.")
    return Path(journey.clone_path)


def look(
    forge: Forge, store: StateStore, journey: Journey, issue: Issue, *, base: str | None = None
) -> ChangeView:
    """Everything about the change so far; ``base`` is the upstream default branch if known."""
    clone = clone_of(journey)
    base_ref = f"upstream/{base or forge.repo(issue.repo).default_branch}"
    snapshot = read_snapshot(clone, history=base_ref)
    labels = [label.name for label in issue.labels]
    conventions = read_conventions(snapshot, issue.number, issue.title, labels)
    identity = commit_identity(clone)
    facts = branch_facts(
        clone,
        base_ref,
        identity=identity is not None,
        cla_signed=cla_signed(store, forge, str(issue.repo)),
    )
    _title, fallback = act.default_pull_text(issue)  # used when the project has no template
    return ChangeView(
        clone=clone,
        branch=journey.work_branch or "",
        base_ref=base_ref,
        conventions=conventions,
        message=commit_draft(conventions, issue.number, issue.title),
        identity=identity,
        status=tuple(clone_status(clone)),
        diff=clone_diff(clone),
        checklist=checklist(conventions, facts),
        pull_body=pull_body_draft(conventions, issue.number, fallback),
    )


def commit(view: ChangeView, files: list[str], message: str) -> str:
    """Commit ``files`` with ``message``, signed off when the project requires it."""
    if view.conventions.sign_off and view.identity is None:
        raise WorkspaceError("Tell git your name and email first: the sign-off names you.")
    return commit_files(view.clone, files, message, sign_off=view.conventions.sign_off)


def save_identity(view: ChangeView, name: str, email: str) -> None:
    set_local_identity(view.clone, name, email)


def mark_ready(forge: Forge, journey: Journey, issue: Issue) -> None:
    """Turn the learner's draft pull request into one ready for review (public: confirmed)."""
    if journey.pull_request is None:
        raise WorkspaceError("Open a draft pull request first.")
    forge.mark_ready_for_review(issue.repo, journey.pull_request)
