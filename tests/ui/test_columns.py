"""Column widths fit the words: short columns whole, long ones elided at a word with "…"."""

from __future__ import annotations

from rich.text import Text

from onboard.ui.columns import ColumnSpec, elide, fit_widths, natural_widths

ISSUES = [
    ColumnSpec("status", "Status"),
    ColumnSpec("number", "#"),
    ColumnSpec("title", "Title", flex=2, min_width=12),
    ColumnSpec("lane", "Kind"),
    ColumnSpec("why", "Why", flex=1, min_width=10),
    ColumnSpec("updated", "Updated"),
]
ROW = [
    "◐ unknown",
    "12",
    "Translate the getting-started page into Spanish for new readers",
    "Documentation",
    "unassigned · no PR · no activity in 3 months",
    "10 days ago",
]


def test_natural_widths_are_the_widest_cell_or_heading() -> None:
    widths = natural_widths(ISSUES, [ROW, ["● free", "3", "Short", "Code", "", "just now"]])
    assert widths == {
        "status": 9,
        "number": 2,
        "title": 63,
        "lane": 13,
        "why": 44,
        "updated": 11,
    }


def test_natural_widths_count_cells_not_characters_and_respect_a_cap() -> None:
    specs = [ColumnSpec("title", "Title", flex=1, max_width=10)]
    assert natural_widths(specs, [["🌱 good first issue"]]) == {"title": 10}
    assert natural_widths([ColumnSpec("t", "T")], [[Text("日本語")]]) == {"t": 6}


def test_everything_fits_when_there_is_room() -> None:
    natural = natural_widths(ISSUES, [ROW])
    assert fit_widths(ISSUES, natural, available=200) == natural


def test_only_flexible_columns_give_way_in_proportion() -> None:
    natural = natural_widths(ISSUES, [ROW])
    widths = fit_widths(ISSUES, natural, available=120)
    for key in ("status", "number", "lane", "updated"):
        assert widths[key] == natural[key]
    assert sum(widths.values()) + 2 * len(ISSUES) == 120  # every cell of room used
    assert widths["title"] == 2 * widths["why"] or widths["title"] == 2 * widths["why"] + 1


def test_a_short_flexible_column_leaves_its_share_to_the_others() -> None:
    natural = natural_widths(ISSUES, [[*ROW[:4], "unassigned", ROW[5]]])
    widths = fit_widths(ISSUES, natural, available=100)
    assert widths["why"] == len("unassigned")
    assert sum(widths.values()) + 2 * len(ISSUES) == 100


def test_flexible_columns_never_go_below_their_minimum() -> None:
    natural = natural_widths(ISSUES, [ROW])
    widths = fit_widths(ISSUES, natural, available=50)
    assert widths["title"] == 12 and widths["why"] == 10
    assert widths["updated"] == len("10 days ago")  # too narrow: the table scrolls instead


def test_elide_keeps_whole_words_and_ends_with_an_ellipsis() -> None:
    text = Text("unassigned · no PR · no activity in 3 months", style="dim")
    assert elide(text, 100) is text
    assert elide(text, 30).plain == "unassigned · no PR · no…"
    assert elide(text, 21).plain == "unassigned · no PR…"  # no dangling separator
    assert elide(Text("no activity yet"), 12).plain == "no activity…"
    assert elide(text, 30).style == "dim"


def test_elide_cuts_a_single_long_word_and_counts_wide_characters() -> None:
    assert elide(Text("supercalifragilistic"), 8).plain == "superca…"
    shortened = elide(Text("日本語のタイトルです"), 7)
    assert shortened.plain == "日本語…" and shortened.cell_len == 7
    assert elide(Text("anything"), 1).plain == "…"
    assert elide(Text("anything"), 0).plain == ""


def test_elide_keeps_the_styles_of_what_is_left() -> None:
    text = Text(end="")
    text.append("Fix ", style="bold")
    text.append("the getting-started guide", style="italic")
    shortened = elide(text, 12)
    assert shortened.plain == "Fix the…"
    assert [span.style for span in shortened.spans][:2] == ["bold", "italic"]


def test_an_optional_column_without_room_is_left_out_for_the_others() -> None:
    specs = [*ISSUES[:4], ColumnSpec("why", "Why", flex=2, min_width=20, optional=True), ISSUES[5]]
    natural = natural_widths(specs, [ROW])
    wide = fit_widths(specs, natural, available=140)
    assert list(wide) == ["status", "number", "title", "lane", "why", "updated"]
    narrow = fit_widths(specs, natural, available=78)
    assert "why" not in narrow
    assert sum(narrow.values()) + 2 * len(narrow) == 78  # its room went to the title
