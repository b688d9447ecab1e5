"""Everything a project expects of a contribution, read at once from a :class:`ProjectSnapshot`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from onboard.core.change.cla import ClaRequirement, cla_requirement
from onboard.core.change.commit_style import (
    ChangeKind,
    CommitStyle,
    change_kind,
    commit_style,
    draft_message,
)
from onboard.core.change.dco import DcoRequirement, dco_requirement
from onboard.core.change.fragments import FragmentRule, fragment_rule
from onboard.core.change.pr_template import PullTemplate, find_template, with_fixes
from onboard.core.change.snapshot import ProjectSnapshot


@dataclass(frozen=True)
class Conventions:
    style: CommitStyle
    kind: ChangeKind
    dco: DcoRequirement | None
    fragment: FragmentRule | None
    cla: ClaRequirement | None
    template: PullTemplate | None

    @property
    def sign_off(self) -> bool:
        return self.dco is not None


def read_conventions(
    snapshot: ProjectSnapshot, number: int, title: str, labels: Iterable[str] = ()
) -> Conventions:
    kind = change_kind(labels, title)
    return Conventions(
        style=commit_style(snapshot.subjects),
        kind=kind,
        dco=dco_requirement(snapshot),
        fragment=fragment_rule(snapshot, number, kind),
        cla=cla_requirement(snapshot),
        template=find_template(snapshot),
    )


def commit_draft(conventions: Conventions, number: int, title: str) -> str:
    return draft_message(number, title, conventions.style, conventions.kind)


def pull_body_draft(conventions: Conventions, number: int, fallback: str) -> str:
    """The project's template with ``Fixes #N``, else onboard's own ``fallback`` text."""
    if conventions.template is None:
        return fallback
    return with_fixes(conventions.template.text, number)
