"""Long Markdown bodies are shown as an excerpt that renders whole."""

from __future__ import annotations

from onboard.core.text.excerpt import Limits, excerpt
from onboard.core.text.sanitize import clean


def test_a_short_text_is_kept_whole() -> None:
    shown = excerpt("one\n\ntwo", Limits(100, 10))
    assert shown.text == "one\n\ntwo" and not shown.cut


def test_many_blocks_are_cut_after_the_last_one_allowed() -> None:
    text = "\n\n".join(f"paragraph {n}" for n in range(1000))
    shown = excerpt(text, Limits(100_000, 40))
    assert shown.text.endswith("paragraph 39")
    assert shown.text.count("\n\n") == 39
    assert shown.left_out == len(text) - len(shown.text)


def test_a_cut_prefers_a_paragraph_boundary() -> None:
    text = "a first paragraph of some words\n\n" + "word " * 100
    shown = excerpt(text, Limits(60, 100))
    assert shown.text == "a first paragraph of some words" and shown.cut
    no_boundary = "word " * 100
    assert excerpt(no_boundary, Limits(60, 100)).text == no_boundary[:60].rstrip()


def test_a_code_block_left_open_is_closed() -> None:
    text = "Steps:\n\n```python\n" + "print('x')\n" * 500 + "```\n\nafter"
    shown = excerpt(text, Limits(300, 100))
    assert shown.cut
    assert shown.text.count("```") == 2 and shown.text.endswith("```")


def test_cleaning_megabytes_only_reads_what_can_be_shown() -> None:
    huge = "\x1b[31m" + "🎉" * 5_000_000
    cleaned = clean(huge, max_length=1000)
    assert len(cleaned) == 1000 and cleaned.endswith("…") and "\x1b" not in cleaned
