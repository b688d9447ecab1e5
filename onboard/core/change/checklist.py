"""What is still missing before a pull request is ready for review, item by item.

Computed from facts about the branch (its commits and the files it adds) and the project's
:class:`~onboard.core.change.conventions.Conventions`; "Ready for review" is offered only when
every item is done, so no maintainer is asked to look at a change a bot will reject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from onboard.core.change.commit_style import follows_style
from onboard.core.change.conventions import Conventions
from onboard.core.change.message import is_signed_off, subject_of


@dataclass(frozen=True)
class BranchFacts:
    #: Full messages of the commits on the work branch (not on the base), newest first.
    messages: Sequence[str] = ()
    #: Files the branch adds or changes compared with its base.
    changed: Sequence[str] = ()
    #: Files changed in the clone but not committed yet.
    uncommitted: Sequence[str] = ()
    #: Whether git knows the learner's name and email in this clone.
    identity: bool = True
    #: The learner said they signed the project's CLA.
    cla_signed: bool = False


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text: str
    done: bool
    #: A web page to open for it (the CLA to sign).
    link: str | None = None
    #: Why the item is there ("CONTRIBUTING.md asks for it").
    because: str = ""


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...] = field(default_factory=tuple)

    @property
    def done(self) -> bool:
        return all(item.done for item in self.items)

    @property
    def missing(self) -> list[ChecklistItem]:
        return [item for item in self.items if not item.done]


def checklist(conventions: Conventions, facts: BranchFacts) -> Checklist:
    items = [
        ChecklistItem(
            "identity",
            "git knows your name and email (for your commits)",
            facts.identity,
        ),
        ChecklistItem("commit", "Your change is committed", bool(facts.messages)),
        ChecklistItem(
            "clean",
            "Nothing left uncommitted",
            not facts.uncommitted,
            because=_some(facts.uncommitted),
        ),
    ]
    if conventions.style.conventional:
        items.append(
            ChecklistItem(
                "style",
                "Commit subjects follow Conventional Commits (type: subject)",
                bool(facts.messages)
                and all(follows_style(subject_of(m), conventions.style) for m in facts.messages),
                because=conventions.style.evidence(),
            )
        )
    if conventions.dco is not None:
        items.append(
            ChecklistItem(
                "signoff",
                "Every commit is signed off (Signed-off-by, the DCO)",
                bool(facts.messages) and all(is_signed_off(m) for m in facts.messages),
                because=f"{conventions.dco.source} asks for it",
            )
        )
    if conventions.fragment is not None:
        rule = conventions.fragment
        items.append(
            ChecklistItem(
                "fragment",
                f"Add {rule.path}: {rule.how}",
                rule.satisfied_by(list(facts.changed)),
                because=f"the project keeps one in {rule.directory}/ per change",
            )
        )
    if conventions.cla is not None:
        cla = conventions.cla
        items.append(
            ChecklistItem(
                "cla",
                "Sign the project's Contributor License Agreement (once, on the web)",
                facts.cla_signed,
                link=cla.link,
                because=f"{cla.source} asks for it",
            )
        )
    return Checklist(tuple(items))


def _some(paths: Sequence[str], shown: int = 3) -> str:
    listed = ", ".join(list(paths)[:shown])
    return listed + ("…" if len(paths) > shown else "")
