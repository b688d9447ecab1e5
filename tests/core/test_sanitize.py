"""sanitize.clean: hostile text from strangers becomes inert, visible text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onboard.core.text.sanitize import DEFAULT_MAX_LENGTH, clean

HOSTILE_TITLE = "Fix [/] and [@click=app.quit]x[/] \x1b]0;pwned\x07"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("\x1b[2J\x1b[Hcleared", "cleared"),
        ("\x1b[?1049hscreen", "screen"),
        ("a\x1b]0;window title\x07b", "ab"),
        ("a\x1b]0;window title\x1b\\b", "ab"),
        ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),
        ("\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click"),
        ("copy\x1b]52;c;cm0gLXJmIH4=\x07", "copy"),
        ("x\x1bPq#0;2;0;0;0\x1b\\y", "xy"),
        ("x\x1b_apc payload\x1b\\y", "xy"),
        ("bell\x07", "bell"),
        ("\x9b31mc1 csi", "c1 csi"),
        ("\x9d0;title\x9cc1 osc", "c1 osc"),
        ("nul\x00 del\x7f c1\x85\x90\x9f", "nul del c1"),
        ("lone escape \x1b", "lone escape "),
        ("save\x1bMcursor", "savecursor"),
    ],
)
def test_terminal_controls_are_removed(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize("raw", ["a\x1bcb", "a\x1b7b", "a\x1b(0b", "a\x1b#8b", "a\x1b%Gb"])
def test_other_escape_forms_lose_their_escape(raw: str) -> None:
    # Any printable leftovers are harmless; the ESC that would make them a command is gone.
    cleaned = clean(raw)
    assert "\x1b" not in cleaned
    assert cleaned.startswith("a")
    assert cleaned.endswith("b")


def test_tabs_and_newlines_survive_unless_one_line() -> None:
    assert clean("a\tb\nc") == "a\tb\nc"
    assert clean("a\r\nb\rc") == "a\nb\nc"
    assert clean("  a\t\tb\n\n c  ", one_line=True) == "a b c"


def test_one_line_folds_unicode_whitespace() -> None:
    assert clean("a\u00a0\u2003b\u2028c", one_line=True) == "a b c"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("abc\u202edcba", "abc<U+202E>dcba"),
        ("\u202atext\u202c", "<U+202A>text<U+202C>"),
        ("\u2066iso\u2069", "<U+2066>iso<U+2069>"),
        ("zero\u200bwidth", "zero<U+200B>width"),
        ("\ufeffbom", "<U+FEFF>bom"),
    ],
)
def test_bidi_and_invisible_characters_are_revealed(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_truncates_with_an_ellipsis() -> None:
    assert clean("abcdef", max_length=4) == "abc…"
    assert clean("abcd", max_length=4) == "abcd"
    assert clean("ab", max_length=1) == "…"
    assert len(clean("x" * 50_000)) == DEFAULT_MAX_LENGTH
    assert clean("x" * 50_000).endswith("…")


def test_max_length_zero_gives_empty_text() -> None:
    assert clean("abc", max_length=0) == ""


def test_none_and_non_strings() -> None:
    assert clean(None) == ""
    assert clean(42) == "42"


def test_hostile_title_keeps_brackets_and_loses_the_osc() -> None:
    cleaned = clean(HOSTILE_TITLE, one_line=True)
    assert cleaned == "Fix [/] and [@click=app.quit]x[/]"
    assert "\x1b" not in cleaned
    assert "pwned" not in cleaned
    assert "\x07" not in cleaned


_BIDI = {chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_hostile_alphabet = st.sampled_from(
    [
        "\x1b",
        "[",
        "]",
        "\x07",
        "\x9b",
        "\x9c",
        "\x9d",
        "\\",
        ";",
        "0",
        "8",
        "52",
        "\r",
        "\n",
        "\t",
        *_BIDI,
    ]
)
_text = st.lists(st.one_of(st.text(max_size=5), _hostile_alphabet), max_size=40).map("".join)


@settings(max_examples=400)
@given(_text, st.booleans(), st.integers(min_value=1, max_value=60))
def test_output_is_always_inert(raw: str, one_line: bool, max_length: int) -> None:
    cleaned = clean(raw, one_line=one_line, max_length=max_length)
    allowed_controls = set() if one_line else {"\n", "\t"}
    assert all(
        unicodedata.category(char) != "Cc" or char in allowed_controls for char in cleaned
    ), ascii(cleaned)
    assert not _BIDI & set(cleaned)
    assert len(cleaned) <= max_length


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs", "S"]), max_size=50))
def test_plain_text_is_unchanged(raw: str) -> None:
    raw = raw.replace("\u00a0", " ")  # keep to characters with no special handling
    if any(char in raw for char in "\x1b\x9b\x9d") or any(
        0x200B <= ord(char) <= 0x206F or char == "\ufeff" for char in raw
    ):
        return
    assert clean(raw) == raw
