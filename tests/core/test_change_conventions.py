"""A project's conventions read from plain data: commit style, DCO, fragments, CLA, template."""

from __future__ import annotations

import pytest

from onboard.core.change.checklist import BranchFacts, checklist
from onboard.core.change.cla import cla_requirement
from onboard.core.change.commit_style import ChangeKind, change_kind, commit_style, draft_message
from onboard.core.change.conventions import commit_draft, pull_body_draft, read_conventions
from onboard.core.change.dco import dco_requirement
from onboard.core.change.editor import editor_command
from onboard.core.change.fragments import fragment_rule
from onboard.core.change.message import final_message, is_signed_off, normalise
from onboard.core.change.pr_template import find_template, with_fixes
from onboard.core.change.snapshot import ProjectSnapshot, wants_text
from onboard.core.change.status import parse_porcelain

CONVENTIONAL_HISTORY = [
    "fix(parser): handle empty input",
    "docs: explain the config file",
    "Merge pull request #9 from someone/branch",
    "feat!: drop Python 3.8",
    "chore(deps): bump requests",
    "Update README.md",
]
PLAIN_HISTORY = ["Fix the parser on empty input", "Explain the config file", "docs: a typo"]


def test_conventional_commits_only_when_most_subjects_use_them() -> None:
    style = commit_style(CONVENTIONAL_HISTORY)
    assert style.conventional and style.looked_at == 5 and style.matching == 4
    assert set(style.types) == {"fix", "docs", "feat", "chore"}
    assert not commit_style(PLAIN_HISTORY).conventional
    assert not commit_style(["fix: one", "fix: two"]).conventional  # too little to go on


def test_the_draft_message_takes_the_issue_title_in_the_projects_style() -> None:
    conventional = commit_style(CONVENTIONAL_HISTORY)
    plain = commit_style(PLAIN_HISTORY)
    assert draft_message(12, "Fix a typo in the guide.", conventional, ChangeKind.DOCS) == (
        "docs: fix a typo in the guide\n\nFixes #12\n"
    )
    assert draft_message(12, "fix a typo in the guide", plain, ChangeKind.DOCS) == (
        "Fix a typo in the guide\n\nFixes #12\n"
    )
    # Acronyms keep their case; a title already in the style is kept as it is.
    assert draft_message(3, "CLI crashes", conventional, ChangeKind.FIX).startswith("fix: CLI")
    assert draft_message(3, "fix(cli): crash", conventional, ChangeKind.FIX).startswith(
        "fix(cli): crash\n"
    )
    # Untrusted titles: one clean line, cut to 72 columns at a word.
    long = "word " * 40 + "\x1b]0;owned\x07"
    subject = draft_message(4, long, plain, ChangeKind.FIX).split("\n")[0]
    assert len(subject) <= 72 and subject.endswith("…") and "\x1b" not in subject


@pytest.mark.parametrize(
    ("labels", "title", "kind"),
    [
        (["documentation"], "", ChangeKind.DOCS),
        (["good first issue", "bug"], "", ChangeKind.FIX),
        (["enhancement"], "", ChangeKind.FEAT),
        ([], "Typo in README", ChangeKind.DOCS),
        ([], "Crash on start", ChangeKind.FIX),
    ],
)
def test_the_kind_of_change_comes_from_labels_then_title(
    labels: list[str], title: str, kind: ChangeKind
) -> None:
    assert change_kind(labels, title) is kind


def test_dco_from_its_app_config_or_the_contributing_guide() -> None:
    assert dco_requirement(ProjectSnapshot(paths=[".github/dco.yml"])) is not None
    guide = ProjectSnapshot(
        paths=["CONTRIBUTING.md"],
        texts={"CONTRIBUTING.md": "All commits need a `Signed-off-by` line (git commit -s)."},
    )
    found = dco_requirement(guide)
    assert found is not None and found.source == "CONTRIBUTING.md"
    unrelated = ProjectSnapshot(texts={"CONTRIBUTING.md": "Be kind. Write tests."})
    assert dco_requirement(unrelated) is None


def test_fragment_names_follow_the_folder() -> None:
    towncrier = ProjectSnapshot(
        paths=[
            "newsfragments/.gitkeep",
            "newsfragments/88.feature.rst",
            "newsfragments/90.bugfix.rst",
        ]
    )
    rule = fragment_rule(towncrier, 123, ChangeKind.FIX)
    assert rule is not None and rule.path == "newsfragments/123.bugfix.rst"
    assert not rule.satisfied_by(["src/x.py", "newsfragments/.gitkeep"])
    assert rule.satisfied_by(["newsfragments/123.bugfix.rst"])
    # An empty changelog.d with towncrier types configured in pyproject.
    configured = ProjectSnapshot(
        paths=["changelog.d/.gitkeep", "pyproject.toml"],
        texts={
            "pyproject.toml": '[tool.towncrier]\ndirectory = "changelog.d"\n'
            '[[tool.towncrier.type]]\ndirectory = "doc"\nname = "Docs"\n'
        },
    )
    docs = fragment_rule(configured, 7, ChangeKind.DOCS)
    assert docs is not None and docs.path == "changelog.d/7.doc.md"
    changeset = fragment_rule(ProjectSnapshot(paths=[".changeset/config.json"]), 5, ChangeKind.FIX)
    assert changeset is not None and changeset.path == ".changeset/issue-5.md"
    assert (
        fragment_rule(ProjectSnapshot(paths=["src/a.py", "CHANGELOG.md"]), 1, ChangeKind.FIX)
        is None
    )


def test_a_cla_with_its_link_from_contributing_or_a_bot() -> None:
    guide = ProjectSnapshot(
        texts={
            "CONTRIBUTING.md": "Welcome!\n\nBefore we can merge, please sign our Contributor "
            "License Agreement at https://cla.example.org/sign.\n\nThanks."
        }
    )
    found = cla_requirement(guide)
    assert found is not None and found.link == "https://cla.example.org/sign"
    bot = cla_requirement(ProjectSnapshot(texts={".clabot": '{"contributors": []}'}))
    assert bot is not None and bot.source == ".clabot" and bot.link is None
    assert cla_requirement(ProjectSnapshot(texts={"CONTRIBUTING.md": "Clarity matters."})) is None


def test_the_pull_request_template_from_githubs_places_with_fixes() -> None:
    assert wants_text(".github/PULL_REQUEST_TEMPLATE.md")
    assert wants_text(".github/PULL_REQUEST_TEMPLATE/bug.md")
    upper = ProjectSnapshot(texts={".github/PULL_REQUEST_TEMPLATE.md": "## Summary\n\nFixes #\n"})
    template = find_template(upper)
    assert template is not None and template.path == ".github/PULL_REQUEST_TEMPLATE.md"
    assert with_fixes(template.text, 4) == "## Summary\n\nFixes #4\n"
    several = ProjectSnapshot(
        texts={
            ".github/PULL_REQUEST_TEMPLATE/b.md": "B",
            ".github/PULL_REQUEST_TEMPLATE/a.md": "A",
        }
    )
    assert (found := find_template(several)) is not None and found.text == "A"
    assert with_fixes("## What\n\n- Closes #<issue number>\n", 9) == "## What\n\n- Closes #9\n"
    assert with_fixes("<!-- Thanks! -->\n## What", 9) == "Fixes #9\n\n<!-- Thanks! -->\n## What"
    assert with_fixes("Resolves #9 already", 9) == "Resolves #9 already"
    assert find_template(ProjectSnapshot()) is None


def test_conventions_together_and_the_checklist() -> None:
    snapshot = ProjectSnapshot(
        paths=["CONTRIBUTING.md", "changelog.d/1.bugfix.md", "docs/pull_request_template.md"],
        texts={
            "CONTRIBUTING.md": "Sign off your commits (DCO). Sign the CLA: https://x.org/cla",
            "docs/pull_request_template.md": "## Why\n",
        },
        subjects=CONVENTIONAL_HISTORY,
    )
    conventions = read_conventions(snapshot, 12, "Crash on empty file", ["bug"])
    assert conventions.sign_off and conventions.fragment and conventions.cla
    assert commit_draft(conventions, 12, "Crash on empty file").startswith("fix: crash on empty")
    assert pull_body_draft(conventions, 12, "fallback") == "Fixes #12\n\n## Why\n"
    plain = read_conventions(ProjectSnapshot(), 12, "x")
    assert pull_body_draft(plain, 12, "fallback") == "fallback"

    nothing = checklist(conventions, BranchFacts())
    assert [item.key for item in nothing.missing] == [
        "commit",
        "style",
        "signoff",
        "fragment",
        "cla",
    ]
    signed = "fix: crash on empty file\n\nSigned-off-by: K <k@x.org>\n"
    done = checklist(
        conventions,
        BranchFacts(messages=[signed], changed=["changelog.d/12.bugfix.md"], cla_signed=True),
    )
    assert done.done
    cla = next(item for item in done.items if item.key == "cla")
    assert cla.link == "https://x.org/cla"
    unsigned = checklist(conventions, BranchFacts(messages=["fix: crash"], uncommitted=["a"]))
    assert {item.key for item in unsigned.missing} == {"clean", "signoff", "fragment", "cla"}


def test_the_final_message_is_what_git_commit_s_writes() -> None:
    assert normalise("  \nSubject  \n\n\n\nBody\n\n") == "Subject\n\nBody\n"
    me = ("Kim Doe", "kim@example.org")
    assert final_message("Subject", sign_off=me) == (
        "Subject\n\nSigned-off-by: Kim Doe <kim@example.org>\n"
    )
    assert final_message("S\n\nAcked-by: A <a@b>\n", sign_off=me) == (
        "S\n\nAcked-by: A <a@b>\nSigned-off-by: Kim Doe <kim@example.org>\n"
    )
    assert final_message("S\n\nBody\nAcked-by: A <a@b>", sign_off=me) == (
        "S\n\nBody\nAcked-by: A <a@b>\n\nSigned-off-by: Kim Doe <kim@example.org>\n"
    )
    once = final_message("S", sign_off=me)
    assert final_message(once, sign_off=me) == once and is_signed_off(once)
    assert final_message("S\n#1 is a reference\n") == "S\n#1 is a reference\n"


def test_porcelain_status_keeps_odd_names_exact() -> None:
    output = " M README.md\0?? new file.txt\0R  b.md\0a.md\0D  gone\0"
    entries = parse_porcelain(output)
    assert [e.path for e in entries] == ["README.md", "new file.txt", "b.md", "gone"]
    assert entries[1].untracked and entries[1].description == "new"
    assert entries[2].original == "a.md" and entries[2].description == "renamed (from a.md)"
    assert entries[3].deleted
    assert parse_porcelain("") == []


def test_the_editor_is_visual_then_editor_then_one_found() -> None:
    found = {"nano": "/usr/bin/nano", "code": "/usr/bin/code", "emacs": "/usr/bin/emacs"}.get
    assert editor_command({"VISUAL": "emacs -nw", "EDITOR": "nano"}, found) == ["emacs", "-nw"]
    assert editor_command({"EDITOR": "code"}, found) == ["code", "--wait"]
    assert editor_command({"EDITOR": "missing-editor"}, found) == ["/usr/bin/code", "--wait"]
    assert editor_command({}, {"nano": "/bin/nano"}.get) == ["/bin/nano"]
    assert editor_command({}, lambda _name: None) is None
