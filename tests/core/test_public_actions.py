"""Nothing public with a template's placeholder left in it; every action says what it does."""

from __future__ import annotations

import pytest

from onboard.core.public_actions import ActionKind, PublicAction, placeholders, text_problem
from onboard.flows.act import claim_template, default_pull_text, review_template


def test_every_template_is_refused_until_its_placeholders_are_replaced() -> None:
    for template in (claim_template(), review_template(), default_pull_text_body()):
        problem = text_problem(template)
        assert problem is not None and "Replace the placeholder" in problem


def default_pull_text_body() -> str:
    from onboard.core.models import Issue, RepoRef

    issue = Issue(repo=RepoRef.parse("a/b"), number=1, title="Fix it", url="https://x/1")
    return default_pull_text(issue)[1]


def test_an_edited_claim_may_be_posted() -> None:
    text = claim_template().replace(
        "<one or two sentences on how you would approach it>", "fix the off-by-one in average()"
    )
    assert text_problem(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Line one<br>line two",
        '<img src="shot.png" alt="the bug">',
        "<!-- a hidden note -->",
        "See <https://example.org/docs>",
        "a < b and c > d",
        "Use `Vec<T>` here",
    ],
)
def test_markup_that_is_not_a_placeholder_is_fine(text: str) -> None:
    assert placeholders(text) == []


def test_an_empty_text_is_refused() -> None:
    assert "empty" in (text_problem("   \n", what="review") or "")


def test_the_summary_says_where_and_as_whom() -> None:
    action = PublicAction(ActionKind.FORK, "pallets/flask on GitHub", "ada")
    assert action.summary().startswith("On pallets/flask on GitHub as ada, this creates a public")
