"""Beginner-label recognition and lane placement, on the spellings projects really use."""

from __future__ import annotations

import pytest

from onboard.core.discovery.labels import (
    BEGINNER_LABELS,
    COMMON_BEGINNER_SPELLINGS,
    has_beginner_label,
    is_beginner_label,
    lane_for_labels,
    lane_of,
    normalise_label,
)
from onboard.core.models import Lane, LaneBinding, Project, RepoRef


@pytest.mark.parametrize(
    ("label", "normalised"),
    [
        ("good first issue", "good first issue"),
        ("Good First Issue", "good first issue"),
        ("🌱 good first issue", "good first issue"),
        ("good-first-issue", "good first issue"),
        ("good_first_issue", "good first issue"),
        ("  GOOD   first  issue ", "good first issue"),
        ("E-easy", "e easy"),
        ("difficulty: easy", "difficulty easy"),
        ("good first issue :seedling:", "good first issue seedling"),
        ("Ｇｏｏｄ ｆｉｒｓｔ ｉｓｓｕｅ", "good first issue"),  # full-width, folded by NFKC
    ],
)
def test_normalise_label(label: str, normalised: str) -> None:
    assert normalise_label(label) == normalised


@pytest.mark.parametrize(
    "label",
    [
        "good first issue",
        "Good First Issue",
        "🌱 good first issue",
        "good-first-issue",
        "good_first_issue",
        "Good First Issue 🌱",
        "E-easy",
        "e-easy",
        "first-timers-only",
        "Beginner Friendly",
        "up-for-grabs",
        "easy fix",
    ],
)
def test_beginner_spellings_are_recognised(label: str) -> None:
    assert is_beginner_label(label)


def test_tab_and_newline_separate_words() -> None:
    # Whitespace control characters are still whitespace: they must not glue words together.
    assert normalise_label("good first\tissue") == "good first issue"
    assert normalise_label("good\nfirst issue") == "good first issue"
    assert is_beginner_label("good first\tissue")


def test_every_common_spelling_used_in_searches_is_recognised() -> None:
    assert all(is_beginner_label(label) for label in COMMON_BEGINNER_SPELLINGS)


def test_emoji_shortcode_suffix_is_recognised() -> None:
    # The shortcode text survives normalisation ("seedling"), but the specific phrase leads.
    assert normalise_label("good first issue :seedling:") not in BEGINNER_LABELS
    assert is_beginner_label("good first issue :seedling:")


@pytest.mark.parametrize("label", ["difficulty: easy", "level/beginner", "Difficulty: Starter"])
def test_category_prefixed_beginner_labels(label: str) -> None:
    assert is_beginner_label(label)


@pytest.mark.parametrize(
    "label",
    ["bug", "enhancement", "good", "first", "issue", "first issue", "not a good first issue", ""],
)
def test_other_labels_are_not_beginner(label: str) -> None:
    assert not is_beginner_label(label)


def test_has_beginner_label() -> None:
    assert has_beginner_label(["bug", "Good First Issue"])
    assert not has_beginner_label(["bug", "enhancement"])
    assert not has_beginner_label([])


@pytest.mark.parametrize(
    ("labels", "lane"),
    [
        (["documentation"], Lane.DOC),
        (["Docs"], Lane.DOC),
        (["good first issue", "README"], Lane.DOC),
        (["translation"], Lane.TRANSLATION),
        (["i18n"], Lane.TRANSLATION),
        (["L10N"], Lane.TRANSLATION),
        (["needs-triage"], Lane.TRIAGE),
        (["Needs Reproduction"], Lane.TRIAGE),
        (["needs review"], Lane.REVIEW),
        (["UI/UX"], Lane.DESIGN),
        (["design"], Lane.DESIGN),
        (["blog"], Lane.CONTENT),
        (["question"], Lane.QUESTION),
        (["Support"], Lane.QUESTION),
        (["a11y"], Lane.A11Y),
        (["Accessibility"], Lane.A11Y),
        (["CI"], Lane.INFRA),
        (["chore"], Lane.INFRA),
        (["type: docs"], Lane.DOC),
        (["area/documentation"], Lane.DOC),
        (["kind/bug"], Lane.CODE),
        (["bug"], Lane.CODE),
        (["good first issue", "enhancement"], Lane.CODE),
        ([], Lane.CODE),
    ],
)
def test_lane_for_labels(labels: list[str], lane: Lane) -> None:
    assert lane_for_labels(labels) is lane


def test_lane_matches_whole_labels_not_substrings() -> None:
    # "docker" contains "doc" and "build-system" contains "build": neither is a lane word.
    assert lane_for_labels(["docker"]) is Lane.CODE
    assert lane_for_labels(["build-system"]) is Lane.CODE


def test_lane_order_is_deterministic_when_several_match() -> None:
    # Documentation is checked before infrastructure, whatever the label order.
    assert lane_for_labels(["ci", "docs"]) is Lane.DOC
    assert lane_for_labels(["docs", "ci"]) is Lane.DOC


def _project(**lanes: tuple[str, ...]) -> Project:
    return Project(
        RepoRef.parse("octo/site"),
        "Site",
        lanes={Lane(name): LaneBinding(labels) for name, labels in lanes.items()},
    )


@pytest.mark.parametrize(
    ("labels", "lane"),
    [
        (["good first issue", "documentation"], Lane.DOC),
        (["good first issue", "📝 documentation"], Lane.DOC),
        (["Good First Issue", "Docs"], Lane.DOC),
        (["good first issue", "area: translation"], Lane.TRANSLATION),
        (["good first issue", "🌐 i18n"], Lane.TRANSLATION),
        (["good first issue", "bug"], Lane.CODE),
        (["good first issue"], Lane.CODE),
    ],
)
def test_a_pack_binding_the_beginner_label_to_code_means_beginner_not_code(
    labels: list[str], lane: Lane
) -> None:
    """Found on the starter pack: 14 of 71 docs and translation issues landed in code."""
    assert lane_of(labels, _project(code=("good first issue",))) is lane


def test_a_specific_pack_binding_still_wins() -> None:
    project = _project(code=("good first issue",), design=("documentation",))
    assert lane_of(["good first issue", "documentation"], project) is Lane.DESIGN


def test_pack_bindings_match_labels_however_they_are_spelled() -> None:
    project = _project(doc=("type: docs",))
    assert lane_of(["Type: Docs", "good first issue"], project) is Lane.DOC
    assert lane_of(["📝 documentation"], _project(translation=("documentation",))) is (
        Lane.TRANSLATION
    )
