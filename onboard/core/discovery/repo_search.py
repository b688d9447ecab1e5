"""The GitHub repository search a newcomer runs to find a project: by topic, language, words.

Only repositories that have beginner issues right now are worth showing, so every query asks
for ``good-first-issues:>0`` (GitHub counts open issues labelled "good first issue"); archived
repositories are read-only, so they are left out too.
"""

from __future__ import annotations

import re

from onboard.core.discovery.queries import MAX_QUERY_LENGTH

#: How GitHub may order repository results; onboard offers the two a newcomer cares about.
SORTS = ("updated", "stars")

_QUALIFIER_VALUE = re.compile(r"^[^\s\"]+$")


class RepoSearchError(ValueError):
    """The search cannot be built; ``str()`` is written for a newcomer."""


def _value(name: str, raw: str) -> str:
    """``raw`` as a qualifier value, quoted when it has spaces (``language:"Jupyter Notebook"``)."""
    text = raw.strip().replace('"', "")
    if not text:
        raise RepoSearchError(f"The {name} is empty.")
    return text if _QUALIFIER_VALUE.match(text) else f'"{text}"'


def repository_query(topic: str | None = None, language: str | None = None, text: str = "") -> str:
    """``q`` for ``/search/repositories``: welcoming, not archived, matching the filters.

    Topics on GitHub are lowercase words joined by hyphens, so ``topic`` is normalised that
    way ("Machine Learning" finds ``machine-learning``).
    """
    terms = ["good-first-issues:>0", "archived:false", "is:public"]
    if topic:
        terms.append("topic:" + _value("topic", "-".join(topic.lower().split())))
    if language:
        terms.append("language:" + _value("language", language))
    words = " ".join(text.split())
    if words:
        terms.append(words)
    query = " ".join(terms)
    if len(query) > MAX_QUERY_LENGTH:
        raise RepoSearchError(
            f"The search is too long for GitHub ({len(query)} characters, at most "
            f"{MAX_QUERY_LENGTH}); use fewer words."
        )
    return query
