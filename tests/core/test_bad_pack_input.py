"""Issue #17 in core: packs and sessions that overlap, carry huge numbers, a BOM or links out.

Each test writes real files and goes through the same readers the app and the CLI use.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from onboard.core.packs.catalog import find_listing, guide_packs, listed_projects
from onboard.core.packs.loading import PACK_FILE, load_all_packs, load_pack
from onboard.core.packs.validation import validate_pack
from onboard.core.sessions.session import load_session
from onboard.core.sessions.validation import validate_session_file
from tests.opened_files import files_opened

PACK = """\
format = 1
name = "{name}"
title = "{title}"

[[projects]]
repo = "{repo}"

[[guides]]
id = "welcome"
title = "Welcome"
file = "welcome.md"
"""

SESSION = """\
format = 1
id = "workshop"
title = "A workshop"

[[checkpoints]]
id = "chosen"
title = "Project chosen"
kind = "project_chosen"

[[agenda]]
title = "Choose a project"
minutes = 10
"""

HUGE = "9" * 5000


def write_pack(
    folder: Path, *, name: str = "team", title: str = "Team", repo: str = "psf/black"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PACK_FILE).write_text(PACK.format(name=name, title=title, repo=repo))
    (folder / "welcome.md").write_text("# Welcome\n")
    return folder


def installed(name: str) -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "onboard" / "packs" / name


# --- two packs, one name; two packs, one project ---------------------------------------------


def test_a_second_pack_with_a_taken_name_is_reported_and_skipped() -> None:
    write_pack(installed("a-team"), title="First")
    write_pack(installed("b-team"), title="Second")
    write_pack(installed("my-general"), name="general", title="Not the real one")
    packs, errors = load_all_packs()
    names = [pack.name for pack in packs]
    assert names.count("team") == 1 and names.count("general") == 1
    assert next(p for p in packs if p.name == "team").title == "First"  # folder order
    assert next(p for p in packs if p.name == "general").builtin
    messages = [str(error) for error in errors]
    assert any(
        "b-team/pack.toml: name:" in m and "a-team is already named 'team'" in m for m in messages
    ), messages
    assert any("my-general" in m and "the built-in pack is already named" in m for m in messages)


def test_a_project_in_two_packs_is_listed_once_under_the_first(tmp_path: Path) -> None:
    first = load_pack(write_pack(tmp_path / "one", name="one", title="One"))
    second = load_pack(write_pack(tmp_path / "two", name="two", title="Two", repo="PSF/Black"))
    third = load_pack(write_pack(tmp_path / "three", name="three", title="Three"))
    listings = listed_projects([first, second, third])
    assert len(listings) == 1
    (listing,) = listings
    assert listing.pack is first
    assert [pack.name for pack in listing.also_in] == ["two", "three"]
    found = find_listing([first, second, third], "psf/BLACK")
    assert found is not None and found.pack is first
    assert find_listing([second, first], "psf/black").pack is second  # type: ignore[union-attr]
    assert find_listing([first], None) is None


def test_guide_packs_lists_a_general_pack_for_this_forge_once(tmp_path: Path) -> None:
    general = load_pack(Path(__file__).parents[2] / "guides" / "general")
    team = load_pack(write_pack(tmp_path / "team"))
    # GitHub mode: the general pack has no projects *and* is for GitHub.
    shown = guide_packs([general], [general, team])
    assert [pack.name for pack in shown] == ["general", "team"]


# --- integers too long for Python, in every reader ---------------------------------------------


def test_a_5000_digit_integer_in_a_pack_names_the_file_and_line(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "pack")
    text = (folder / PACK_FILE).read_text()
    comment = f"# {HUGE} in a comment is fine\n"
    string = f'summary = "{HUGE}"\n'
    (folder / PACK_FILE).write_text(
        text.replace('repo = "psf/black"\n', f'repo = "psf/black"\n{string}{comment}n = {HUGE}\n')
    )
    result = validate_pack(folder)
    assert not result.valid
    (problem,) = result.problems
    assert problem.file == folder / PACK_FILE
    assert problem.line == 9
    assert "expected a number with at most 4,300 digits" in problem.message
    assert str(problem).startswith(f"{folder / PACK_FILE}:9: invalid TOML:")


def test_a_5000_digit_integer_in_a_session_names_the_file_and_line(tmp_path: Path) -> None:
    file = tmp_path / "workshop.toml"
    file.write_text(SESSION.replace("minutes = 10", f"minutes = {HUGE}"))
    result = validate_session_file(file)
    assert not result.valid
    (problem,) = result.problems
    assert problem.line == 12
    assert "at most 4,300 digits" in problem.message
    with pytest.raises(Exception, match="at most 4,300 digits"):
        load_session(file)


def test_a_long_integer_with_underscores_and_signs_is_found_too(tmp_path: Path) -> None:
    file = tmp_path / "workshop.toml"
    grouped = "_".join(["999"] * 1700)  # 5,100 digits
    file.write_text(SESSION + f"\n[extra]\na = 1\nb = -{grouped}\n")
    (problem,) = validate_session_file(file).problems
    assert problem.line == 16, str(problem)
    assert "at most 4,300 digits" in problem.message


def test_finding_the_line_stays_quick_in_a_big_file(tmp_path: Path) -> None:
    """The line is found by a binary search over candidate lines, not by parsing each one."""
    filler = "".join(f"# {HUGE}\n" for _ in range(40))  # long digit runs, all in comments
    file = tmp_path / "workshop.toml"
    file.write_text(SESSION + filler + f"\n[extra]\nn = {HUGE}\n")
    done = threading.Event()
    found: list[int | None] = []

    def run() -> None:
        found.append(validate_session_file(file).problems[0].line)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(20)
    assert found == [SESSION.count("\n") + 40 + 3]


# --- a byte order mark -------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted_in_a_pack_and_a_session(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "pack")
    (folder / PACK_FILE).write_bytes(b"\xef\xbb\xbf" + (folder / PACK_FILE).read_bytes())
    assert validate_pack(folder).valid, validate_pack(folder).problems
    assert load_pack(folder).name == "team"

    file = tmp_path / "workshop.toml"
    file.write_bytes(b"\xef\xbb\xbf" + SESSION.replace("\n", "\r\n").encode())
    assert load_session(file).id == "workshop"


def test_a_byte_order_mark_keeps_line_numbers_right(tmp_path: Path) -> None:
    file = tmp_path / "workshop.toml"
    file.write_bytes(
        b"\xef\xbb\xbf" + SESSION.replace('title = "A workshop"', "title = 7").encode()
    )
    (problem,) = validate_session_file(file).problems
    assert (problem.key, problem.line) == ("title", 3)


def test_a_byte_order_mark_elsewhere_is_still_an_error(tmp_path: Path) -> None:
    file = tmp_path / "workshop.toml"
    file.write_text(SESSION + "\ufeffextra = 1\n")
    (problem,) = validate_session_file(file).problems
    assert problem.message.startswith("invalid TOML")


# --- links out of the pack, and files that never end --------------------------------------------


def test_a_pack_toml_linked_out_of_the_pack_is_never_read(tmp_path: Path) -> None:
    outside = write_pack(tmp_path / "elsewhere", name="outside")  # valid TOML: must not matter
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "welcome.md").write_text("# Welcome\n")
    (folder / PACK_FILE).symlink_to(outside / PACK_FILE)
    with files_opened() as opened:
        result = validate_pack(folder)
    assert not result.valid
    assert "leads outside the pack folder" in result.problems[0].message
    assert str(outside / PACK_FILE) not in opened
    assert not any(path.startswith(str(outside)) for path in opened)


def test_a_pack_toml_linked_inside_the_pack_is_fine(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "pack")
    (folder / "real.toml").write_text((folder / PACK_FILE).read_text())
    (folder / PACK_FILE).unlink()
    (folder / PACK_FILE).symlink_to("real.toml")
    assert validate_pack(folder).valid


def test_a_pack_toml_that_is_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    os.mkfifo(folder / PACK_FILE)
    done = threading.Event()
    messages: list[str] = []

    def run() -> None:
        messages.append(validate_pack(folder).problems[0].message)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(10), "validate_pack waited for a writer on a FIFO"
    assert messages[0].startswith("not a regular file")
