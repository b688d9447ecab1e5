from __future__ import annotations

import pytest

from onboard.core.models import Lane, LaneBinding, Project, RepoRef
from onboard.core.packs.filter import matches, project_facts

CALC = Project(
    repo=RepoRef("practice", "tiny-calc"),
    title="Tiny Calc",
    summary="A calculator",
    languages=("Python",),
    topics=("calculator", "beginner-friendly"),
    lanes={Lane.DOC: LaneBinding(labels=("documentation",))},
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", True),
        ("python", True),
        ("PY", True),
        ("calc", True),
        ("python docs", True),
        ("documentation", True),
        ("beginner-friendly", True),
        ("friendly", True),
        ("rust", False),
        ("python rust", False),
        ("translation", False),
        ("alc", False),  # words match from their start, not anywhere
    ],
)
def test_every_word_must_match_the_start_of_a_fact(query: str, expected: bool) -> None:
    assert matches(project_facts(CALC), query) is expected


def test_lanes_from_pack_tasks_count_too() -> None:
    facts = project_facts(CALC, lane_titles=("Translation",))
    assert matches(facts, "transl")
