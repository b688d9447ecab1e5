"""*Make the change* on the practice forge: edit a file in the in-app editor, save, see the
diff, commit with the sign-off the project asks for, and open the pull request from its
template (practice/hello-docs asks for the sign-off; a template with a "Fixes #" line to complete
and a changelog.d/ folder are added to the practice repository of the test's own forge, as its
maintainers would)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from rich.syntax import Syntax
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static, TextArea

from onboard.core.journey import Journey
from onboard.core.models import RepoRef
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.ui.screens.change import ChangeScreen
from onboard.ui.screens.commit_dialog import CommitDialog
from onboard.ui.screens.confirm import PublicActionDialog
from onboard.ui.screens.issue import IssueScreen
from onboard.ui.screens.project_setup import ProjectSetupScreen
from onboard.ui.widgets.clone_editor import CloneEditor, CloneTree
from onboard.ui.widgets.journey_bar import JourneyBar
from tests.ui.helpers import SIZE, click_again, make_app, settle, until
from tests.ui.test_contribute import git, set_up

PROJECT = "practice/hello-docs"
TEMPLATE = "## What this changes\n\nFixes #\n\n## Checklist\n\n- [ ] I read CONTRIBUTING.md\n"


def add_to_upstream(forge: PracticeForge, tmp_path: Path, files: dict[str, str]) -> None:
    """Commit ``files`` to the practice project itself, as its maintainers would have."""
    bare = forge.git_root / f"{PROJECT}.git"
    work = tmp_path / "maintainer"
    subprocess.run(["git", "clone", "-q", str(bare), str(work)], check=True)
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    git(work, "add", "-A")
    git(work, "commit", "-qm", "A pull request template")
    # The maintainers' own push: past the hook that refuses learners' pushes to the upstream.
    git(
        work,
        "push",
        "-q",
        "--receive-pack=git -c core.hooksPath=/dev/null receive-pack",
        "origin",
        "HEAD",
    )


async def open_change_screen(pilot: Pilot[None], *, via_bar: bool = False) -> ChangeScreen:
    """From the issue screen after "Work on this one": its ``m`` key, or the journey bar."""
    app = pilot.app
    await settle(pilot)
    app.open_issue(1)  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, IssueScreen)
    await pilot.press("w")
    await settle(pilot)
    if via_bar:
        bar = app.screen.query_one(JourneyBar)
        column = str(bar.render()).index("Make the change") + 1  # the bar's padding
        await pilot.click(JourneyBar, offset=(column + 3, 0))
    else:
        await pilot.press("m")
    await settle(pilot)
    assert isinstance(app.screen, ChangeScreen)
    return app.screen


async def open_in_tree(pilot: Pilot[None], screen: ChangeScreen, *parts: str) -> None:
    """Walk the file tree as a learner would: open folders, then choose the file."""
    tree = screen.query_one(CloneTree)
    node = tree.root
    for index, part in enumerate(parts):

        def child(current=node, name=part):
            return next((c for c in current.children if c.label.plain == name), None)

        await until(pilot, child, what=f"{part} in the tree")
        node = child()
        assert node is not None
        if index < len(parts) - 1:
            node.expand()
    tree.focus()
    tree.move_cursor(node)
    await pilot.press("enter")
    await pilot.pause()


async def test_edit_save_diff_commit_signed_off_pull_from_template_then_ready(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    add_to_upstream(
        practice_forge,
        tmp_path,
        {".github/PULL_REQUEST_TEMPLATE.md": TEMPLATE, "changelog.d/.gitkeep": ""},
    )
    journey: Journey = set_up(forge_config, state_store, tmp_path / "ws", PROJECT)
    clone = Path(journey.clone_path or "")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_change_screen(pilot)
        checklist = str(screen.query_one("#change-checklist", Static).render())
        # practice/hello-docs asks for a DCO sign-off (.github/dco.yml and its CONTRIBUTING).
        assert "signed off" in checklist and "dco.yml asks for it" in checklist
        assert not screen.query_one("#open-pull").display  # nothing committed yet

        # Edit in the in-app editor: choose the file, select the typo, type the fix.
        await open_in_tree(pilot, screen, "docs", "getting-started.md")
        editor = screen.query_one(CloneEditor)
        area = editor.query_one(TextArea)
        assert editor.path == (clone / "docs" / "getting-started.md").resolve()
        # Highlighted as Markdown (textual[syntax]'s tree-sitter grammars are installed).
        assert area.language == "markdown" and "markdown" in area.available_languages
        row, line = next(
            (i, text) for i, text in enumerate(area.text.split("\n")) if "recieve" in text
        )
        column = line.index("recieve")
        area.selection = area.selection.__class__((row, column), (row, column + len("recieve")))
        await pilot.press(*"receive")
        assert editor.dirty and "unsaved" in str(screen.query_one("#editor-file").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "recieve" not in (clone / "docs" / "getting-started.md").read_text()
        assert "saved" in str(screen.query_one("#editor-file").render())
        diff = screen.query_one("#change-diff", Static).content
        assert isinstance(diff, Syntax) and diff.lexer is not None and diff.lexer.name == "Diff"
        assert "-to recieve" in diff.code.replace("  ", " ") or "recieve" in diff.code
        assert any(line.startswith("+") and "receive" in line for line in diff.code.splitlines())
        assert "docs/getting-started.md" in str(screen.query_one("#change-status").render())

        # The project keeps news fragments in changelog.d/: the checklist names the file, and
        # the button creates it and opens it in the editor.
        assert "Add changelog.d/1.doc.md" in str(screen.query_one("#change-checklist").render())
        await pilot.click("#add-fragment")
        await settle(pilot)
        assert app.screen.query_one("#new-file-path", Input).value == "changelog.d/1.doc.md"
        await pilot.press("enter")
        await settle(pilot)
        assert editor.path == (clone / "changelog.d" / "1.doc.md").resolve()
        await pilot.press(*"Fixed a typo.", "ctrl+s")
        await settle(pilot)
        assert (clone / "changelog.d" / "1.doc.md").read_text() == "Fixed a typo."
        assert not screen.query_one("#add-fragment").display

        # Commit: the dialog drafts the message and previews the commit, sign-off included.
        await pilot.press("ctrl+g")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CommitDialog)
        message = dialog.query_one("#commit-message", TextArea).text
        assert message.startswith("Fix a typo") and "Fixes #1" in message
        preview = str(dialog.query_one("#commit-preview", Static).render())
        assert "Signed-off-by: Test Learner <learner@practice.invalid>" in preview
        assert "docs/getting-started.md" in preview and "changelog.d/1.doc.md" in preview
        await pilot.click("#do-commit")
        await settle(pilot)
        assert isinstance(app.screen, ChangeScreen)
        stored = git(clone, "log", "-1", "--format=%B")
        assert stored.startswith("Fix a typo")
        assert stored.endswith("Signed-off-by: Test Learner <learner@practice.invalid>")
        assert stored in preview  # what was previewed is what was made
        assert git(clone, "status", "--porcelain") == ""
        checklist = str(screen.query_one("#change-checklist", Static).render())
        assert "○" not in checklist  # all done

        # The pull request starts from the project's template, with Fixes #1 put in.
        assert screen.query_one("#open-pull").display
        await pilot.click("#open-pull")
        await settle(pilot)
        assert isinstance(app.screen, PublicActionDialog)
        body = app.screen.query_one("#dialog-text", TextArea).text
        assert body == TEMPLATE.replace("Fixes #", "Fixes #1")
        await pilot.click("#confirm")
        await settle(pilot)
        number = app.journey.pull_request
        assert number is not None
        pull = practice_forge.store.get_issue(PROJECT, number)
        assert pull is not None and pull["body"] == body and pull["pull"]["draft"] is True
        assert screen.query_one("#push").display

        # The checklist is done: "Ready for review" asks first, then the draft is a draft no more.
        assert screen.query_one("#ready").display
        await pilot.click("#ready")
        await settle(pilot)
        assert isinstance(app.screen, PublicActionDialog)
        assert "ready for review" in str(app.screen.query_one("#dialog-summary").render())
        await pilot.press("escape")  # cancelled: still a draft
        await settle(pilot)
        pull = practice_forge.store.get_issue(PROJECT, number)
        assert pull is not None and pull["pull"]["draft"] is True
        await pilot.click("#ready")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        pull = practice_forge.store.get_issue(PROJECT, number)
        assert pull is not None and pull["pull"]["draft"] is False

        # The simulated maintainer asks for a change; the fix is made here too, then pushed.
        client = GitHubForge(forge_config)
        repo = RepoRef.parse(PROJECT)
        assert [r.state for r in client.pull_facts(repo, number).reviews] == ["CHANGES_REQUESTED"]
        area.focus()
        area.move_cursor((0, 0))
        await pilot.press(*"Thanks: ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, CommitDialog)
        await pilot.click("#do-commit")
        await settle(pilot)
        assert git(clone, "status", "--porcelain") == ""
        await pilot.click("#push")
        await settle(pilot)
        assert isinstance(app.screen, PublicActionDialog)
        await pilot.click("#confirm")
        await settle(pilot)
        assert git(clone, "rev-parse", f"origin/{app.journey.work_branch}") == git(
            clone, "rev-parse", "HEAD"
        )
        for _ in range(5):  # the maintainer acts on reads: approval, then the merge
            facts = client.pull_facts(repo, number)
            if facts.merged:
                break
        assert "APPROVED" in [review.state for review in facts.reviews] and facts.merged


async def test_git_is_told_who_you_are_in_the_clone_only_and_with_consent(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
    isolated_home: Path,
) -> None:
    journey = set_up(forge_config, state_store, tmp_path / "ws", PROJECT)
    clone = Path(journey.clone_path or "")
    (isolated_home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_change_screen(pilot, via_bar=True)
        assert "git knows your name" in str(screen.query_one("#change-checklist").render())
        (clone / "docs" / "index.md").write_text("# Welcome\n")  # changed on disk this time
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CommitDialog)
        dialog.query_one("#identity-name", Input).value = "Kim Doe"
        dialog.query_one("#identity-email", Input).value = "kim@example.org"
        await pilot.pause()
        assert "Author: Kim Doe <kim@example.org>" in str(
            dialog.query_one("#commit-preview").render()
        )
        await pilot.click("#do-commit")  # no consent yet: nothing is written
        await pilot.pause()
        assert isinstance(app.screen, CommitDialog)
        assert "Tick the box" in str(dialog.query_one("#commit-problem").render())
        dialog.query_one("#identity-consent", Checkbox).value = True
        await click_again(pilot, "#do-commit")
        await settle(pilot)
        assert git(clone, "config", "--local", "user.email") == "kim@example.org"
        assert "kim" not in (isolated_home / ".gitconfig").read_text()
        assert git(clone, "log", "-1", "--format=%an <%ae>") == "Kim Doe <kim@example.org>"

        # The project's tests are offered through the set-up screen and its consent.
        await pilot.click("#run-tests")
        await settle(pilot)
        assert isinstance(app.screen, ProjectSetupScreen)

        # My contributions' "back to the change" (after changes requested) comes here too.
        await app.pop_screen()
        await app.pop_screen()
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        app.open_make_change(RepoRef.parse(PROJECT), 1)
        await settle(pilot)
        assert isinstance(app.screen, ChangeScreen) and app.screen.issue.number == 1
