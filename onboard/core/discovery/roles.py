"""Who runs a project, as GitHub tells it in each comment's ``author_association``.

Claims, readiness and ranking all ask "was this a maintainer?"; the answer lives here, apart
from the claim phrases, so asking it costs no regular expressions.
"""

from __future__ import annotations

from onboard.core.models import Comment

#: ``author_association`` values of people who run the project: they answer newcomers, and they
#: can hand an issue to someone or declare it free again.
MAINTAINER_ASSOCIATIONS: frozenset[str] = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})


def is_maintainer(comment: Comment) -> bool:
    """Whether the comment's author runs the project (GitHub's ``author_association``)."""
    return comment.association.upper() in MAINTAINER_ASSOCIATIONS
