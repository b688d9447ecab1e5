"""The simulated maintainer: in practice mode, somebody answers the learner's pull request.

Receiving critique in public is the part of a first contribution nobody can rehearse alone, so
on a practice project a maintainer (the first member of the project's organization, Mia on the
seeded projects) and a CI (the ``practice-ci`` check run) answer every pull request the learner
opens, in GitHub's own records (issue comments, reviews, review comments, check runs, a merge):

1. every head commit gets a ``practice-ci`` check run, ``in_progress`` at once and completed
   ``delay`` seconds later: ``failure`` when an added line ends in whitespace (its summary names
   file and line), ``success`` otherwise; on a project with ``.github/dco.yml``
   (practice/hello-docs, whose CONTRIBUTING asks for ``git commit -s``) a ``DCO`` check run
   beside it fails while a commit of the pull has no ``Signed-off-by`` line;
2. ``delay`` after the pull is opened, a welcoming comment (drafts get one too);
3. the first review waits until the pull is ready for review (maintainers leave drafts alone)
   and its checks are done, then requests changes with exactly one line comment: on the slip CI
   found, or else a wording suggestion on the first added line;
4. once a new head has passing checks (all of them), an approval; ``delay`` later a merge
   commit on the base branch (so a fresh ``git fetch upstream`` sees it; the issue the pull
   fixes is closed, as GitHub closes it) and a thank-you. An approved pull that conflicts with
   the base branch by then gets one request to bring it up to date instead, and is merged once
   it is.

Which pulls: those opened through ``POST /pulls`` on a repository owned by an organization with
members, by someone who is not one of them (the learner, on the practice projects). Seeded pulls
never go through that route, so they stay as written.

How it runs: :func:`decide` is a pure state machine. It is given what the maintainer remembers
(:class:`Memory`, kept in ``forge.json`` so a restarted forge carries on), what the pull looks
like (:class:`PullView`), the time and the delay, and answers the one next :class:`Action` that
is due, or None. :class:`Maintainer` runs it whenever the forge is asked anything (the HTTP
pipeline calls :meth:`Maintainer.tick` before each request): it first notices pushes
(:mod:`.heads`), then performs due actions one by one until none is due. With ``delay`` 0 the
whole answer happens on the first read; with a clock (the store's) a test can stop at every
step, and nothing ever sleeps.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

from onboard.practice import heads, links, plumbing
from onboard.practice.store import Record

if TYPE_CHECKING:  # the context creates the maintainer
    from onboard.practice.context import ForgeContext

CI_NAME = "practice-ci"
#: The DCO check (as the DCO app names it) runs on projects that have this file.
DCO_NAME = "DCO"
DCO_CONFIG = ".github/dco.yml"
#: Seconds between the maintainer's steps in practice mode: long enough to feel like somebody
#: answered, short enough that nobody waits (tests use 0).
PRACTICE_DELAY = 3.0

#: Seconds between steps, ``0`` (at once) or ``off`` (nobody answers), for a practice forge
#: started by onboard itself (the TUI's practice mode, ``onboard practice``).
DELAY_ENV = "ONBOARD_PRACTICE_MAINTAINER_DELAY"


def delay_from_env(environ: Mapping[str, str]) -> float | None:
    """The delay :data:`DELAY_ENV` asks for (default :data:`PRACTICE_DELAY`); ValueError, naming
    the variable and what it takes, for anything else."""
    raw = environ.get(DELAY_ENV, "").strip()
    if not raw:
        return PRACTICE_DELAY
    if raw.lower() == "off":
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 86_400:
        raise ValueError(
            f"{DELAY_ENV} should be a number of seconds (like 3), 0 or 'off', not {raw[:40]!r}."
        )
    return seconds


#: The phases of a pull's answer, in order.
WAITING, CHANGES_REQUESTED, APPROVED, MERGED = "waiting", "changes requested", "approved", "merged"


# ---------------------------------------------------------------------------- the machine


@dataclass(frozen=True)
class Ci:
    """The maintainer's CI on one head: when it started, what it found, when it was done."""

    sha: str
    started_at: float
    slip: tuple[str, int] | None  # (path, line) of the first added line ending in whitespace
    done_at: float | None = None
    #: Commits without a ``Signed-off-by`` on a project that asks for one (``.github/dco.yml``);
    #: None when the project does not.
    unsigned: tuple[str, ...] | None = None

    @property
    def passing(self) -> bool:
        return self.done_at is not None and not self.slip and not self.unsigned


@dataclass(frozen=True)
class Memory:
    """What the maintainer remembers about one pull (times are epoch seconds)."""

    maintainer: str
    opened_at: float
    phase: str = WAITING
    welcomed_at: float | None = None
    ready_at: float | None = None
    reviewed_sha: str | None = None
    approved_at: float | None = None
    #: The head the maintainer asked to bring up to date (it conflicts with the base branch).
    conflict_sha: str | None = None
    ci: dict[str, Ci] = field(default_factory=dict)

    def to_json(self) -> Record:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: Record) -> Memory:
        ci = {
            sha: Ci(
                r["sha"],
                r["started_at"],
                _place(r["slip"]),
                r["done_at"],
                None if r.get("unsigned") is None else tuple(r["unsigned"]),
            )
            for sha, r in (raw.get("ci") or {}).items()
        }
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__ and k != "ci"}
        return cls(**known, ci=ci)


def _place(raw: object) -> tuple[str, int] | None:
    return (str(raw[0]), int(raw[1])) if isinstance(raw, list | tuple) and len(raw) == 2 else None


@dataclass(frozen=True)
class PullView:
    """The pull as the maintainer sees it now."""

    open: bool
    draft: bool
    head_sha: str
    #: Whether the head merges into the base branch without conflicts (asked once approved).
    mergeable: bool = True


@dataclass(frozen=True)
class Action:
    """One thing the maintainer does: ``kind`` is one of the names below."""

    #: "start ci", "finish ci", "ready", "welcome", "request changes", "approve", "merge", or
    #: "ask to update" (approved, but the base branch moved on and the two conflict).
    kind: str
    sha: str = ""


def decide(memory: Memory, pull: PullView, now: float, delay: float) -> Action | None:
    """The one action due at ``now``, or None: CI first (a new head's run starts at once, a
    run finishes ``delay`` after it started), then the answer's next step (see the module's
    docstring), each ``delay`` after what it waits for."""
    if not pull.open or memory.phase == MERGED:
        return None
    head = memory.ci.get(pull.head_sha)
    if head is None:
        return Action("start ci", pull.head_sha)
    for run in memory.ci.values():
        if run.done_at is None and now >= run.started_at + delay:
            return Action("finish ci", run.sha)
    if not pull.draft and memory.ready_at is None:
        return Action("ready")  # noted at once: the review's delay counts from here
    if memory.welcomed_at is None:
        return Action("welcome") if now >= memory.opened_at + delay else None
    checked = head.done_at
    if memory.phase == WAITING:
        if memory.ready_at is None or checked is None:
            return None  # a draft, or checks still running
        if now >= max(memory.welcomed_at, memory.ready_at, checked) + delay:
            return Action("request changes", pull.head_sha)
        return None
    if checked is None or not head.passing or pull.draft:
        return None  # no approval and no merge without passing checks, nor for a draft
    if memory.phase == CHANGES_REQUESTED:
        fixed = pull.head_sha != memory.reviewed_sha
        due = now >= max(checked, memory.ready_at or 0) + delay
        return Action("approve", pull.head_sha) if fixed and due else None
    due = now >= max(memory.approved_at or 0, checked) + delay
    if memory.phase != APPROVED or not due:
        return None
    if pull.mergeable:
        return Action("merge", pull.head_sha)
    if memory.conflict_sha != pull.head_sha:
        return Action("ask to update", pull.head_sha)  # once a head; a new push tries again
    return None


def remember(memory: Memory, action: Action, now: float, found: Ci | None = None) -> Memory:
    """``memory`` after ``action`` was done at ``now`` (``found``: the run "start ci" began)."""
    if action.kind == "start ci":
        run = found or Ci(action.sha, now, None)
        return replace(memory, ci={**memory.ci, action.sha: replace(run, started_at=now)})
    if action.kind == "finish ci":
        run = replace(memory.ci[action.sha], done_at=now)
        return replace(memory, ci={**memory.ci, action.sha: run})
    if action.kind == "ready":
        return replace(memory, ready_at=now)
    if action.kind == "welcome":
        return replace(memory, welcomed_at=now)
    if action.kind == "request changes":
        return replace(memory, phase=CHANGES_REQUESTED, reviewed_sha=action.sha)
    if action.kind == "approve":
        return replace(memory, phase=APPROVED, approved_at=now)
    if action.kind == "merge":
        return replace(memory, phase=MERGED)
    if action.kind == "ask to update":
        return replace(memory, conflict_sha=action.sha)
    raise ValueError(f"unknown action {action.kind!r}")


# ---------------------------------------------------------------------------- the words


def welcome(learner: str, full: str, maintainer: str, *, draft: bool) -> str:
    later = (
        "I see it is a draft: mark it ready for review when you are done, and I will have a look."
        if draft
        else "I will review it shortly."
    )
    return (
        f"Hi @{learner}, welcome, and thank you for your pull request to {full}! 🎉 "
        f"I'm @{maintainer}, one of the maintainers. {later}\n\n"
        "(This is the practice forge: I am a simulated maintainer, so take all the time you "
        "need.)"
    )


REVIEW_BODY = (
    "Thank you, this is nearly there! I left one comment on a line: could you have a look, "
    "change it on your branch and push again? The pull request updates by itself when you push."
)


def line_comment(slip: bool) -> str:
    if slip:
        return (
            f"{CI_NAME} found trailing whitespace at the end of this line: could you remove the "
            "spaces after the last character? (Many projects' checks refuse it.)"
        )
    return (
        "A small wording suggestion: could you reread this line and make it a little clearer "
        "or shorter? Any change you like is fine: this is about practising how a review "
        "round goes."
    )


SIGN_OFF_HINT = (
    "Also, the DCO check failed: CONTRIBUTING.md asks for a `Signed-off-by` line on every "
    "commit. `git commit --amend -s --no-edit` adds it to your last commit; then "
    "`git push --force-with-lease`."
)


def dco_output(unsigned: tuple[str, ...]) -> dict[str, str]:
    if not unsigned:
        return {"title": "DCO", "summary": "All commits are signed off."}
    listed = ", ".join(sha[:7] for sha in unsigned)
    which = f"Commit {listed} has" if len(unsigned) == 1 else f"Commits {listed} have"
    return {
        "title": "DCO",
        "summary": f"{which} no Signed-off-by line: `git commit --amend -s --no-edit` adds it "
        "to the last commit (then `git push --force-with-lease`).",
    }


APPROVAL = "Looks great, thank you for the quick fix! Approving."
UPDATE_PLEASE = (
    "Approved, but main has moved on since and now conflicts with your branch, so I cannot "
    "merge it yet. Could you bring your branch up to date (`git fetch upstream`, then "
    "`git merge upstream/main`), resolve the conflict and push? I will merge it then."
)
THANKS = "Merged! 🎉 Thank you for your contribution: it is part of the project now."


def ci_output(slip: tuple[str, int] | None) -> dict[str, str]:
    if slip is None:
        return {"title": "All checks passed", "summary": "No slips found in the added lines."}
    path, line = slip
    return {
        "title": "Trailing whitespace",
        "summary": f"{path}:{line}: trailing whitespace at the end of an added line.",
    }


# ---------------------------------------------------------------------------- the driver


class Maintainer:
    """Runs :func:`decide` for every followed pull and does what it says, in the store and git.

    ``delay`` is seconds between steps (None: nobody answers; pulls are still followed so
    pushes move their heads).
    """

    #: Steps one tick may take for one pull: a whole answer is fewer than ten.
    MAX_STEPS = 20

    def __init__(self, forge: ForgeContext, delay: float | None = 0.0) -> None:
        self.forge = forge
        self.delay = delay
        self._lock = threading.Lock()
        #: The last exception a tick swallowed (the forge keeps serving), for tests and admins.
        self.last_error: BaseException | None = None

    # -- which pulls -----------------------------------------------------------------------

    def opened(self, full: str, issue: Record) -> None:
        """A pull was opened through the API: follow it, and answer it when it is a learner's
        pull on an organization's project."""
        store = self.forge.store
        repo = store.get_repo(full) or {}
        owner = store.get_user(repo.get("owner", "")) or {}
        members = list(owner.get("members") or [])
        adopted = (
            bool(members) and issue["user"] not in members and issue["user"] != owner.get("login")
        )
        state: Record = {"adopted": adopted}
        if adopted:
            opened = store.now().timestamp()
            state["memory"] = Memory(members[0], opened).to_json()
        store.follow_pull(full, issue["number"], state)

    # -- running ------------------------------------------------------------------------

    def tick(self) -> None:
        """Notice pushes, then do every due step; never raises (the forge keeps serving)."""
        if not self.forge.store.data["maintainer"]:
            return  # nothing followed: the usual case, and free
        with self._lock:  # the timer and every request tick: one at a time, on fresh state
            for full, number, state in self.forge.store.followed_pulls():
                try:
                    self._tick_one(full, number, state)
                except Exception as error:  # a broken pull must not break the forge
                    self.last_error = error

    def _tick_one(self, full: str, number: int, state: Record) -> None:
        store = self.forge.store
        issue = store.get_issue(full, number)
        if issue is None or issue["pull"] is None:
            return
        heads.sync_head(self.forge, full, issue)
        if not state.get("adopted") or self.delay is None:
            return
        memory = Memory.from_json(state["memory"])
        for _step in range(self.MAX_STEPS):
            issue = store.get_issue(full, number) or issue
            view = self._view(full, issue, memory)
            now = store.now().timestamp()
            action = decide(memory, view, now, self.delay)
            if action is None:
                break
            found = self._do(full, issue, memory, action)
            memory = remember(memory, action, now, found)
            store.update_followed(full, number, memory=memory.to_json())

    def _view(self, full: str, issue: Record, memory: Memory) -> PullView:
        pull = issue["pull"]
        mergeable = memory.phase != APPROVED or plumbing.merges_cleanly(
            self.forge.bare(full), pull["base_ref"], pull["head_sha"]
        )
        return PullView(
            open=issue["state"] == "open" and not pull["merged_at"],
            draft=bool(pull["draft"]),
            head_sha=pull["head_sha"],
            mergeable=mergeable,
        )

    def _added(self, full: str, issue: Record, sha: str) -> list[plumbing.DiffLine]:
        pull = issue["pull"]
        bare = self.forge.bare(full)
        base = plumbing.pull_base(bare, pull["base_ref"], pull["base_sha"])
        lines = plumbing.diff_lines(bare, base, sha)
        return [line for line in lines if line[3]]

    def _do(self, full: str, issue: Record, memory: Memory, action: Action) -> Ci | None:
        """Perform ``action``; for "start ci", the run begun (what it found)."""
        store = self.forge.store
        number = issue["number"]
        who = memory.maintainer
        if action.kind == "start ci":
            return self._start_ci(full, issue, action.sha)
        if action.kind == "finish ci":
            run = memory.ci[action.sha]
            verdicts = {CI_NAME: (not run.slip, ci_output(run.slip))}
            if run.unsigned is not None:
                verdicts[DCO_NAME] = (not run.unsigned, dco_output(run.unsigned))
            for record in store.check_runs(full, action.sha):
                if record["name"] in verdicts and record["status"] != "completed":
                    ok, output = verdicts[record["name"]]
                    store.update_check_run(
                        full,
                        record["id"],
                        status="completed",
                        conclusion="success" if ok else "failure",
                        output=output,
                    )
        elif action.kind == "welcome":
            draft = bool(issue["pull"]["draft"])
            store.add_comment(full, number, welcome(issue["user"], full, who, draft=draft), who)
        elif action.kind == "request changes":
            self._request_changes(full, issue, memory, action.sha)
        elif action.kind == "approve":
            store.add_review(full, number, who, "APPROVED", APPROVAL, commit_id=action.sha)
        elif action.kind == "merge":
            self._merge(full, issue, who)
        elif action.kind == "ask to update":
            store.add_comment(full, number, UPDATE_PLEASE, who)
        return None

    def _start_ci(self, full: str, issue: Record, sha: str) -> Ci:
        """Look at the head once (its added lines, its commits' sign-offs) and show the check
        runs as ``in_progress``; the verdict waits for "finish ci"."""
        store, bare = self.forge.store, self.forge.bare(full)
        pull = issue["pull"]
        added = self._added(full, issue, sha)
        slip = next(
            ((path, line) for path, line, text, _ in added if text != text.rstrip(" \t")),
            None,
        )
        unsigned = None
        if plumbing.show(bare, pull["base_ref"], DCO_CONFIG) is not None:
            base = plumbing.pull_base(bare, pull["base_ref"], pull["base_sha"])
            unsigned = tuple(plumbing.unsigned_commits(bare, base, sha))
            store.add_check_run(full, sha, DCO_NAME, status="in_progress")
        store.add_check_run(full, sha, CI_NAME, status="in_progress")
        return Ci(sha, 0.0, slip, unsigned=unsigned)

    def _request_changes(self, full: str, issue: Record, memory: Memory, sha: str) -> None:
        store = self.forge.store
        number, who = issue["number"], memory.maintainer
        run = memory.ci[sha]
        slip = run.slip
        place = slip
        if place is None:
            added = self._added(full, issue, sha)
            chosen = next((a for a in added if a[2].strip()), added[0] if added else None)
            place = (chosen[0], chosen[1]) if chosen else None
        body = REVIEW_BODY + (f"\n\n{SIGN_OFF_HINT}" if run.unsigned else "")
        review = store.add_review(full, number, who, "CHANGES_REQUESTED", body, commit_id=sha)
        if place is not None:
            store.add_review_comment(
                full,
                number,
                who,
                path=place[0],
                line=place[1],
                body=line_comment(slip is not None),
                commit_id=sha,
                review_id=review["id"],
            )

    def _merge(self, full: str, issue: Record, who: str) -> None:
        if merge(self.forge, full, issue, who) is None:  # the base moved this very moment
            raise RuntimeError(f"{full}#{issue['number']} conflicts now; asked again next tick")
        self.forge.store.add_comment(full, issue["number"], THANKS, who)


def merge(forge: ForgeContext, full: str, issue: Record, by: str) -> str | None:
    """Merge pull ``issue`` into its base branch with a merge commit, as GitHub's merge button
    does; the merge commit's sha, or None when the branches conflict."""
    pull = issue["pull"]
    user = forge.store.get_user(by) or {}
    author = (str(user.get("name") or by), f"{by}@users.noreply.practice.invalid")
    head_label = f"{pull['head_owner']}/{pull['head_ref']}"
    message = f"Merge pull request #{issue['number']} from {head_label}\n\n{issue['title']}"
    with forge.pull_lock:
        sha = plumbing.merge_commit(
            forge.bare(full), pull["base_ref"], pull["head_sha"], message, author=author
        )
        if sha is None:
            return None
        forge.store.merge_pull(full, issue["number"], by=by, merge_commit_sha=sha)
    with contextlib.suppress(Exception):
        forge.store.touch_pushed(full)
    _close_fixed_issues(forge, full, issue, by)
    return sha


def _close_fixed_issues(forge: ForgeContext, full: str, issue: Record, by: str) -> None:
    """GitHub closes the issues a pull names with a closing keyword (``Fixes #1``) when it is
    merged into the default branch; so does the practice forge."""
    repo = forge.store.get_repo(full) or {}
    if issue["pull"]["base_ref"] != repo.get("default_branch"):
        return
    for number in sorted(links.closing_refs((issue["title"], issue["body"]), full)):
        target = forge.store.get_issue(full, number)
        if target is not None and target["pull"] is None and target["state"] == "open":
            forge.store.close_issue(full, number, by=by)
