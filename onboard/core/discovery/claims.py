"""Is someone already working on this issue? The checks a careful newcomer makes, automated.

The guide *Claiming an issue* tells newcomers to look at three places before starting: the
assignees, the linked pull requests and the comments. This module does the same and answers with
a :class:`~onboard.core.models.Claim`: a status plus *evidence*, short phrases the newcomer can
verify on the issue page ("assigned to sam-contrib", "river-new asked to work on it 5 days ago").

Two principles shape every rule:

* **Never say FREE without having looked.** If the comments or pull requests could not be
  fetched, the answer is UNKNOWN, never FREE: sending a newcomer to an issue someone else is
  fixing is the exact sad moment the guide warns about.
* **Old claims are not forever.** An assignment with no activity for months, or a claim that
  went quiet, does not block; the evidence says so and suggests asking first, as the guide does.

Pure: no clock, no network. ``now`` is a parameter so the rules are testable with fixed dates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from onboard.core.discovery.roles import is_maintainer
from onboard.core.models import AssignmentEvent, Claim, ClaimStatus, Comment, Issue, LinkedPull
from onboard.core.text.timefmt import ago

#: An assignment is trusted unless the issue has been silent this long; projects that unassign
#: inactive people usually do so after one to three months.
STALE_ASSIGNMENT_DAYS = 90

#: A claim comment (or its author's latest update) younger than this still holds. Three weeks
#: matches the guide: "a claim from last week is probably still active".
CLAIM_FRESH_DAYS = 21

# --------------------------------------------------------------------------- phrase recognition

# Everything that can stand for "this issue" after a verb. A positive list, because
# "I'm working on a React app and hit this bug" must not read as a claim.
_OBJECT = (
    r"(?:this|it|that|these|them|this one|on this|on it"
    r"|(?:this|the) (?:issue|bug|task|ticket|problem|one|feature|fix|pr|change|changes"
    r"|docs?|documentation|translation|tests?|item)"
    r"|a (?:fix|pr|patch|pull request|solution)"
    r"|\w+ing (?:this|it|that|the))\b"
)
_VERB = (
    r"(?:work on|take|pick up|tackle|handle|grab|claim|fix|do|try|help with|contribute to"
    r"|look into|start on|have a go at|give a shot at)"
)
# "How can I work on this locally?" asks for help, not for the issue.
_ASK = (
    r"(?<!how )(?<!where )(?<!why )(?:can|could|may|might|shall) i"
    r"(?: please| also| maybe| possibly| try to| go ahead and)?"
)
# Contractions arrive without their apostrophe: "id like", "ill take", "im working".
_WANT = (
    r"i(?: would|d)?(?: really| also)? (?:like|love) to"
    r"|i (?:really |also )?(?:want|wish|plan|intend|hope) to|i wanna"
    r"|i(?:m| am|d be| would be) (?:happy|glad|keen|eager|interested|going|planning) to"
)
_WILL = r"i(?: will|ll| shall| can)(?: also| happily| gladly)?"
_SUBJECT = rf"(?:{_ASK}|{_WANT}|{_WILL})"

_CLAIM_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        rf"\b{_SUBJECT} {_VERB} {_OBJECT}",
        rf"\b{_SUBJECT} (?:pick|take) (?:this|it|that|this one|this issue) (?:up|on|over)\b",
        rf"\b{_SUBJECT} give (?:this|it|that) a (?:try|shot|go)\b",
        rf"\b{_SUBJECT} take over\b",
        # "I'm working on it", "I am currently fixing this"
        rf"\bi(?:m| am) (?:currently |now |already |still )?"
        rf"(?:working on|taking|picking up|fixing|tackling|handling|looking into) {_OBJECT}",
        r"\bi(?:m| am) on (?:it|this)(?: now| already)? (?:\.|$)",
        # "please assign me", "assign this to me" — but not "assign me a reviewer"
        r"\bassign (?:me|(?:this|it|this issue|the issue|this one) to me)\b"
        r"(?! (?:a |as |some |the )?review)",
        r"\b(?:please|pls|plz|kindly) assign\b(?! (?:me )?(?:a |as |some |the )?review)",
        r"\bassign(?:ing)? myself\b",
        r"\b(?:i|me) (?:please )?(?:be|get) assigned\b",
        r"\b(?:like|love|want|happy|glad) to (?:be|get) assigned\b",
        # "I opened a PR for this", "I've submitted a pull request", "I'll open a PR"
        r"\bi(?: have|ve| just| already)* (?:opened|submitted|created|made|raised|sent|filed"
        r"|pushed|put up) (?:a |the |my )?(?:draft )?(?:pr|pull request|patch|fix)\b",
        rf"\b{_WILL} (?:open|submit|create|make|raise|send|file|put up|push) (?:a |the |my )?"
        rf"(?:draft )?(?:pr|pull request|patch|fix)\b",
        r"\b(?:pr|pull request|patch|fix) (?:is )?(?:coming|incoming|on (?:its|the) way|soon)\b",
    )
)
# "/assign @kim" assigns kim, whoever types it.
_ASSIGN_SOMEONE = re.compile(r"^\s*/assign\s+@([A-Za-z0-9-]+)", re.IGNORECASE | re.MULTILINE)
# Bot commands must start a line (Prow, take-bots); "/unassign" does not match "/assign".
_CLAIM_COMMAND = re.compile(r"^\s*/(?:assign|take|claim)\b", re.IGNORECASE | re.MULTILINE)
# pandas and others use a bare "take" comment.
_BARE_TAKE = frozenset({"take", ".take", "take."})

_RELEASE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:wont|will not|wouldnt|would not) be able to\b",
        r"\bi(?: cant| cannot| can not| couldnt| could not|m unable to| am unable to"
        r"|m not able to| am not able to|m no longer able to| am no longer able to)"
        r" (?:work on|continue|finish|complete|get to|keep working|take)\b",
        r"\b(?:please )?un ?assign (?:me|myself)\b",
        r"\bplease un ?assign\b",
        r"\bremove me\b",
        r"\bfeel free to (?:take|pick|grab|work on|claim|have|continue|finish)\b",
        r"\b(?:someone|somebody|anyone|anybody|others?) (?:else )?"
        r"(?:can|could|should|may|is welcome to|are welcome to|is free to|are free to)"
        r" (?:take|pick|grab|work on|claim|have|continue|finish)\b",
        r"\bup for grabs\b",
        r"\b(?:step|stepping|stepped) (?:back|down|away|aside)\b",
        r"\b(?:no longer|not|stopped) working on (?:this|it)\b",
        r"\bnot (?:going to|gonna) (?:work on|finish|continue)\b",
        r"\b(?:dont|do not|wont|will not|no longer) have (?:the |enough |any )?time\b",
        r"\b(?:give|giving|gave) (?:this|it) up\b",
        r"\bi give up\b",
        r"\b(?:drop|dropping|dropped|release|releasing|released|abandon|abandoning|abandoned)"
        r" (?:this|it|the issue|my claim)\b",
        r"\blet(?:ting)? (?:this|it) go\b",
    )
)
_RELEASE_COMMAND = re.compile(r"^\s*/(?:unassign|release|drop)\b", re.IGNORECASE | re.MULTILINE)

# A maintainer (or bot) reopening the issue to everyone, whatever it says about whom.
_REOPEN_STRONG: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:free|available|open|up for grabs) again\b",
        r"\bun ?assign(?:ed|ing)?\b",
        r"\b(?:someone|somebody|anyone|anybody) else\b",
        r"\bno longer (?:assigned|claimed|being worked on|taken)\b",
    )
)
# Phrases that reopen the issue, unless they are addressed to the claimer ("@kim, sure, feel
# free to take it" approves the claim instead).
_REOPEN_WEAK: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"\bup for grabs\b",
        r"\bstill (?:available|open for contributions|free)\b",
        r"\b(?:open|available|free) (?:for|to) (?:anyone|anybody|everyone|others"
        r"|contributors|contributions|new contributors)\b",
        r"\bfeel free to (?:take|pick|grab|work on|claim)\b",
        r"\b(?:anyone|anybody|others) (?:can|could|may|is welcome to|are welcome to)"
        r" (?:take|pick|grab|work on|claim)\b",
    )
)

_QUOTE_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_FENCED_CODE = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.MULTILINE | re.DOTALL)
_APOSTROPHES = re.compile(r"['’‘ʼ`´]")
_SENTENCE_BREAK = re.compile(r"[.!?;:,()\[\]\n]+")
_OTHER = re.compile(r"[^\w.]+")
_SPACES = re.compile(r"\s+")


def _strip_quotes(body: str) -> str:
    """Drop quoted replies and code blocks: quoting someone's claim is not claiming."""
    return _QUOTE_LINE.sub("", _FENCED_CODE.sub("", body))


def _normalise(body: str) -> str:
    """Lower-case words separated by single spaces, with sentence ends kept as ``.``.

    Contractions lose their apostrophe ("I'd" → "id", "can't" → "cant") so straight, curly and
    missing apostrophes all match the same patterns.
    """
    text = unicodedata.normalize("NFKC", _strip_quotes(body)).casefold()
    text = _APOSTROPHES.sub("", text)
    text = _SENTENCE_BREAK.sub(" . ", text)
    text = _OTHER.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def is_claim_comment(body: str) -> bool:
    """Whether a comment asks for, or announces work on, the issue it is posted on.

    Recognises requests ("Can I work on this?", "I'd like to take it", "please assign me") and
    bot commands (``/assign``, ``/take``, ``/claim``), but not questions about others ("Is
    anyone working on this?") or talk about other work ("I'm working on something else").
    Who wrote the comment is not considered here; see :func:`assess_claim`.
    """
    if _CLAIM_COMMAND.search(_strip_quotes(body)):
        return True
    text = _normalise(body)
    if text.strip(" .") in _BARE_TAKE:
        return True
    return any(pattern.search(text) for pattern in _CLAIM_PATTERNS)


def is_release_comment(body: str) -> bool:
    """Whether a comment gives an issue up ("I won't be able to finish", "unassign me").

    Only meaningful for someone who claimed the issue earlier; a comment that both claims and
    hedges ("I'd like to try; if I can't finish, I'll say so") is a claim, not a release.
    """
    if is_claim_comment(body):
        return False
    if _RELEASE_COMMAND.search(_strip_quotes(body)):
        return True
    text = _normalise(body)
    return any(pattern.search(text) for pattern in _RELEASE_PATTERNS)


def _reopens_for(body: str, claimer: str | None) -> bool:
    """Whether a maintainer's comment declares the issue free again, after ``claimer``'s claim."""
    if _RELEASE_COMMAND.search(_strip_quotes(body)):
        return True
    text = _normalise(body)
    if any(pattern.search(text) for pattern in _REOPEN_STRONG):
        return True
    if claimer and re.search(rf"@{re.escape(claimer.casefold())}\b", body.casefold()):
        return False  # addressed to the claimer: an approval, not a reopening
    return any(pattern.search(text) for pattern in _REOPEN_WEAK)


def _is_bot(comment: Comment) -> bool:
    """Bots (stale-bots, assign-bots) never claim; their "unassigned" notices do free an issue."""
    return bool(comment.author and comment.author.endswith("[bot]"))


def _maintainer_name(comment: Comment) -> str:
    if _is_bot(comment):
        return comment.author or "a bot"
    return f"maintainer {comment.author}" if comment.author else "a maintainer"


# --------------------------------------------------------------------------- claim threads


@dataclass
class _Thread:
    """One person's claim, followed through the later comments."""

    who: str
    claimed_at: datetime | None
    last_update: datetime | None = None
    released_at: datetime | None = None
    # Who gave it up: the claimer themselves, "maintainer ana", or a bot's name.
    released_by: str | None = None
    #: How it ended, when not by a comment ("was unassigned by ana"), for the evidence.
    released_how: str | None = None

    @property
    def released(self) -> bool:
        return self.released_by is not None

    @property
    def last_activity(self) -> datetime | None:
        return self.last_update or self.claimed_at


def _utc(moment: datetime) -> datetime:
    """Treat naive datetimes as UTC, as :func:`~onboard.core.text.timefmt.ago` does."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _chronological(comments: Sequence[Comment]) -> list[Comment]:
    """Comments oldest first. Forges already return them so; sort only when every date is known."""
    dates = [comment.created_at for comment in comments]
    if any(date is None for date in dates):
        return list(comments)
    order = sorted(range(len(comments)), key=lambda i: _utc(dates[i] or datetime.min))
    return [comments[i] for i in order]


def _claimer(comment: Comment) -> str | None:
    """Who a claim comment claims for: ``/assign @kim`` names kim, anything else its author."""
    named = _ASSIGN_SOMEONE.search(_strip_quotes(comment.body))
    return named.group(1) if named else comment.author


def _threads(
    comments: Sequence[Comment], assignments: Sequence[AssignmentEvent] = ()
) -> list[_Thread]:
    """Every claim made in the comments, with its follow-ups and whether it was given up.

    A claim is a claim whoever writes it: a maintainer saying "I'm working on this, PR coming
    soon" has taken the issue as much as a newcomer asking for it. An unassignment of the
    claimer (in ``assignments``, from the timeline) frees it, as a release comment does.
    """
    threads: dict[str | None, _Thread] = {}
    for comment in _chronological(comments):
        when = _utc(comment.created_at) if comment.created_at else None
        if _is_bot(comment) or (is_maintainer(comment) and not is_claim_comment(comment.body)):
            for thread in threads.values():
                if not thread.released and _reopens_for(comment.body, thread.who):
                    thread.released_at = when
                    thread.released_by = _maintainer_name(comment)
            continue
        claimer = _claimer(comment)
        thread = threads.get(claimer)
        if is_claim_comment(comment.body):
            if thread is None or thread.released:
                threads[claimer] = _Thread(claimer or "someone", when)
            else:
                thread.last_update = when
            continue
        thread = threads.get(comment.author)
        if thread is not None and not thread.released:
            if is_release_comment(comment.body):
                thread.released_at = when
                thread.released_by = thread.who
            else:
                thread.last_update = when  # "Still on it!" keeps a claim alive
    _apply_unassignments(threads, assignments)
    return list(threads.values())


def _apply_unassignments(
    threads: dict[str | None, _Thread], assignments: Sequence[AssignmentEvent]
) -> None:
    """An unassignment after someone's claim gives that claim up (whoever unassigned them)."""
    for event in assignments:
        thread = threads.get(event.assignee)
        if event.assigned or thread is None or thread.released:
            continue
        when = _utc(event.created_at) if event.created_at else None
        if when is not None and thread.claimed_at is not None and when < thread.claimed_at:
            continue  # unassigned before this claim was made
        thread.released_at = when
        thread.released_by = event.actor or "someone"
        thread.released_how = (
            f"was unassigned by {event.actor}" if event.actor else "was unassigned"
        )


# --------------------------------------------------------------------------- assessment


@dataclass
class _Findings:
    """Evidence sorted by weight: what blocks, what makes us unsure, notes, and clear checks."""

    taken: list[str]
    unsure: list[str]
    notes: list[str]
    clear: list[str]
    #: Evidence that the issue is the signed-in learner's own: their claim, PR or assignment.
    mine: list[str] = field(default_factory=list)

    def claim(self) -> Claim:
        if self.mine:
            status = ClaimStatus.YOURS
        elif self.taken:
            status = ClaimStatus.TAKEN
        elif self.unsure:
            status = ClaimStatus.UNKNOWN
        else:
            status = ClaimStatus.FREE
        evidence = (*self.mine, *self.taken, *self.unsure, *self.notes, *self.clear)
        return Claim(status, tuple(dict.fromkeys(evidence)))


def _names(people: Sequence[str]) -> str:
    """``ana``, ``ana and kim``, ``ana, kim and lee``."""
    if len(people) <= 1:
        return "".join(people)
    return f"{', '.join(people[:-1])} and {people[-1]}"


def _duration(moment: datetime, now: datetime) -> str:
    """``5 months`` (an :func:`ago` without the "ago")."""
    return ago(moment, now).removesuffix(" ago")


def _same(login: str | None, me: str | None) -> bool:
    return bool(login and me and login.casefold() == me.casefold())


def _check_lock_and_assignees(
    issue: Issue, me: str | None, now: datetime, found: _Findings
) -> None:
    if issue.locked:
        found.taken.append("locked: new comments are closed")
    others = [login for login in issue.assignees if not _same(login, me)]
    if len(others) < len(issue.assignees):
        found.mine.append("assigned to you")
    if not others:
        if not issue.assignees:
            found.clear.append("unassigned")
        return
    who = _names(others)
    updated = _utc(issue.updated_at) if issue.updated_at else None
    if updated and now - updated > timedelta(days=STALE_ASSIGNMENT_DAYS):
        found.unsure.append(
            f"assigned to {who}, but no activity for {_duration(updated, now)}"
            " — ask before starting"
        )
    else:
        found.taken.append(f"assigned to {who}")


def _pull_phrase(pull: LinkedPull, now: datetime) -> str:
    kind = "draft pull request" if pull.draft else "pull request"
    text = f"open {kind} #{pull.number}"
    if pull.author:
        text += f" by {pull.author}"
    if pull.updated_at:
        text += f" ({ago(pull.updated_at, now)})"
    return text


def _check_pulls(
    pulls: Sequence[LinkedPull] | None,
    linked_pr: bool | None,
    me: str | None,
    now: datetime,
    found: _Findings,
) -> None:
    if pulls is None:
        if linked_pr:
            found.taken.append("a pull request is linked to it")
        elif linked_pr is False:
            found.clear.append("no linked pull request")
        else:
            found.unsure.append("pull requests not checked")
        return
    open_pulls = False
    for pull in sorted(pulls, key=lambda p: p.number):
        state = pull.state.lower()
        if _same(pull.author, me):
            merged = pull.merged or state == "merged"
            found.mine.append(
                f"your pull request #{pull.number} is "
                + ("merged" if merged else "closed" if state == "closed" else "open")
            )
            continue
        if pull.merged or state == "merged":
            found.unsure.append(
                f"pull request #{pull.number} was merged, but the issue is still open"
                " — ask whether anything is left to do"
            )
        elif state == "closed":
            found.notes.append(f"an earlier pull request #{pull.number} was closed without merging")
        else:
            open_pulls = True
            found.taken.append(_pull_phrase(pull, now))
    if not open_pulls:
        found.clear.append("no open pull request")


def _replies(count: int) -> str:
    return f"{count} repl{'y' if count == 1 else 'ies'}"


def _check_comments(
    issue: Issue,
    comments: Sequence[Comment] | None,
    assignments: Sequence[AssignmentEvent],
    me: str | None,
    now: datetime,
    found: _Findings,
) -> None:
    if comments is None:
        if issue.comments > 0:
            found.unsure.append("replies not checked")
            return
        comments = ()  # nothing to fetch: no replies means no claims
    if not comments and issue.comments > 0:
        # The issue says it has replies, yet none arrived: never "no one has asked" unread.
        found.unsure.append(f"its {_replies(issue.comments)} could not be read")
        return
    threads = _threads(comments, assignments)
    if not threads:
        read = f" ({_replies(len(comments))} read)" if comments else ""
        found.clear.append(f"no one has asked to work on it{read}")
        return
    fresh = timedelta(days=CLAIM_FRESH_DAYS)
    for thread in threads:
        if _same(thread.who, me) and not thread.released:
            when = f" {ago(thread.claimed_at, now)}" if thread.claimed_at else ""
            found.mine.append(f"you asked to work on it{when}")
            continue
        asked = f"{thread.who} asked to work on it"
        if thread.claimed_at:
            asked += f" {ago(thread.claimed_at, now)}"
        if thread.released:
            then = f" {ago(thread.released_at, now)}" if thread.released_at else ""
            if thread.released_how:
                found.notes.append(f"{asked}, then {thread.released_how}{then}")
            elif thread.released_by == thread.who:
                found.notes.append(f"{asked}, then let it go{then}")
            else:
                found.notes.append(f"{asked}, but {thread.released_by} said it is free again{then}")
            continue
        last = thread.last_activity
        if last is None:
            found.unsure.append(f"{asked} (date unknown)")
        elif now - last <= fresh:
            if thread.last_update and thread.claimed_at and thread.last_update > thread.claimed_at:
                asked += f" and posted an update {ago(thread.last_update, now)}"
            found.taken.append(asked)
        elif thread.last_update and thread.claimed_at and thread.last_update > thread.claimed_at:
            found.notes.append(
                f"a claim by {thread.who} {ago(thread.claimed_at, now)} went quiet"
                f" (last update {ago(thread.last_update, now)})"
            )
        else:
            found.notes.append(f"a claim by {thread.who} {ago(last, now)} went quiet")


def assess_claim(
    issue: Issue,
    *,
    now: datetime,
    comments: Sequence[Comment] | None,
    pulls: Sequence[LinkedPull] | None,
    linked_pr: bool | None = None,
    assignments: Sequence[AssignmentEvent] = (),
    me: str | None = None,
) -> Claim:
    """Whether ``issue`` is free to take, likely taken, or unknown, with checkable evidence.

    ``comments`` and ``pulls`` are ``None`` when they were not fetched (or the fetch failed);
    ``linked_pr`` is the answer of a ``linked:pr`` search, ``None`` when not asked;
    ``assignments`` are the timeline's (un)assignment events, oldest first; ``me`` is the
    learner's login: their own claim, pull request or assignment makes the issue YOURS. Any check
    that could not be made turns a would-be FREE into UNKNOWN and says what was not checked.

    Evidence comes in order of weight: what makes it taken, what makes it uncertain, notes
    (closed pull requests, quiet or released claims), then what was checked and found clear.
    """
    now = _utc(now)
    found = _Findings([], [], [], [])
    _check_lock_and_assignees(issue, me, now, found)
    _check_pulls(pulls, linked_pr, me, now, found)
    _check_comments(issue, comments, assignments, me, now, found)
    return found.claim()
