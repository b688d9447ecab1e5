"""Filtering the projects of guide packs by what a newcomer types: a language, a topic, a kind
of contribution ("docs", "translation"), or words of the name.

Every word must match something about the project (so "python docs" narrows). A word matches
a fact it begins ("trans" finds translation, "py" Python) or that begins it ("docs" finds the
doc lane), so near spellings work without a synonym list.
"""

from __future__ import annotations

import re

from onboard.core.models import Project


def project_facts(project: Project, lane_titles: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Lower-cased words describing ``project``: name, title, languages, topics, lanes."""
    texts = [
        project.repo.owner,
        project.repo.name,
        project.title,
        *project.languages,
        *project.topics,
        *(lane.value for lane in project.lanes),
        *(lane.title for lane in project.lanes),
        *lane_titles,
    ]
    words: list[str] = []
    for text in texts:
        lowered = text.lower()
        words.append(lowered)
        words.extend(re.findall(r"[\w+#.]+", lowered))
    return tuple(dict.fromkeys(words))


def matches(facts: tuple[str, ...], query: str) -> bool:
    wanted = query.lower().split()
    return all(
        any(fact.startswith(word) or (len(fact) >= 3 and word.startswith(fact)) for fact in facts)
        for word in wanted
    )
