"""Regenerate ``screenshots/``: the README's pictures of each main screen.

The pictures are the SVG snapshots that ``tests/ui/test_snapshots.py`` checks, rendered against a
fresh practice forge, so what the README shows is exactly what the tests hold the app to.
Run: ``python scripts/screenshots.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "tests" / "ui" / "__snapshots__"
#: The test modules whose snapshots are pictures here.
MODULES = ("tests/ui/test_snapshots.py", "tests/ui/test_ospo_screen.py")
SCREENSHOTS = ROOT / "screenshots"
NAMES = {
    "test_snapshots/test_projects_screen": "1-choose-a-project",
    "test_snapshots/test_setup_screen_done": "2-set-up-the-repo",
    "test_snapshots/test_issues_screen": "3-good-first-issues",
    "test_snapshots/test_issue_screen": "4-read-an-issue",
    "test_snapshots/test_guide_screen": "5-guide",
    "test_snapshots/test_offline_screen": "6-offline",
    "test_snapshots/test_repo_search_screen": "7-search-github",
    "test_snapshots/test_project_setup_screen": "8-project-setup-steps",
    "test_snapshots/test_guided_mode_agenda": "9-guided-mode",
    "test_snapshots/test_guided_mode_im_stuck": "10-im-stuck",
    "test_snapshots/test_mentor_dashboard": "11-mentor-dashboard",
    "test_snapshots/test_keys_help_80x24": "12-keys",
    "test_ospo_screen/test_ospo_screen_snapshot": "13-ospo-view",
    "test_snapshots/test_contributions_screen": "14-my-contributions",
    "test_snapshots/test_change_screen": "15-make-the-change",
}


def main() -> int:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            *MODULES,
            "--snapshot-update",
        ],
        cwd=ROOT,
        check=True,
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    for snapshot, name in NAMES.items():
        shutil.copyfile(SNAPSHOTS / f"{snapshot}.svg", SCREENSHOTS / f"{name}.svg")
        print(f"screenshots/{name}.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
