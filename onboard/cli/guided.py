"""``onboard --session FILE``: load a mentor's session file for guided mode, or say why not.

Refusing a broken file before the app starts is kinder than a half-guided workshop: the learner
sees the file, the line and what was expected, and can show it to the mentor. A session built on
practice packs needs the practice forge whatever the command, so it says so and the CLI starts it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from onboard.core.packs.loading import load_all_packs
from onboard.core.sessions.guided import needs_practice
from onboard.core.sessions.session import Session, SessionError, load_session
from onboard.core.text.sanitize import clean


@dataclass(frozen=True)
class GuidedSession:
    session: Session
    #: Every pack the session names is a practice-forge pack: run against the practice forge.
    needs_practice: bool


def load_guided_session(path: Path) -> GuidedSession | None:
    """The session at ``path``, or None after printing every problem to stderr."""
    packs, _errors = load_all_packs()
    try:
        session = load_session(path, known_packs=[pack.name for pack in packs])
    except SessionError as error:
        print(f"onboard: cannot use the session file {clean(str(path))}:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {clean(str(problem), one_line=True, max_length=1000)}", file=sys.stderr)
        print("Check it with: onboard session validate FILE", file=sys.stderr)
        return None
    return GuidedSession(session, needs_practice(session, packs))
