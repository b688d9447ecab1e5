"""Opening the draft pull request: one preview and one worker, wherever the learner asks for it.

The issue screen (``p``) and *Make the change* both offer it. The learner's title and
description are kept as a draft (``app.drafts``) from the moment they confirm until the pull
request really is open, so a push or a forge that fails loses none of their words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from onboard.core.models import Issue
from onboard.core.public_actions import ActionKind, PublicAction
from onboard.flows import act
from onboard.forge.base import ForgeError
from onboard.ui.threads import deliver
from onboard.workspace.gitenv import WorkspaceError

if TYPE_CHECKING:
    from onboard.ui.screens.base import JourneyScreen


def propose_draft_pull(
    screen: JourneyScreen,
    issue: Issue,
    *,
    title: str,
    body: str,
    done: Callable[[str], object],
    retry: str,
) -> None:
    """Preview the pull request (a saved draft wins over ``title``/``body``), then push the
    branch and open it in a worker; ``done`` gets the news on the UI thread, ``retry`` says
    how to try again after a failure."""
    from onboard.ui.screens.confirm import Confirmed, PublicActionDialog

    app = screen.onboard
    key = f"pull:{issue.repo}#{issue.number}"
    saved_title, _, saved_body = app.drafts.get(key, "").partition("\0")

    def confirmed(result: Confirmed | None) -> None:
        if result and result.title and result.text is not None:
            chosen_title, chosen_body = result.title, result.text
            app.drafts[key] = f"{chosen_title}\0{chosen_body}"
            screen.run_worker(
                lambda: _open(screen, issue, chosen_title, chosen_body, key, done, retry),
                thread=True,
                exclusive=True,
                group="pull",
            )

    screen.app.push_screen(
        PublicActionDialog(
            PublicAction(ActionKind.PULL, f"{issue.repo} (branch {app.journey.work_branch})"),
            heading="Open a draft pull request",
            button="Push and open draft",
            title=saved_title or title,
            text=saved_body or body,
            what="description",
        ),
        confirmed,
    )


def _open(
    screen: JourneyScreen,
    issue: Issue,
    title: str,
    body: str,
    key: str,
    done: Callable[[str], object],
    retry: str,
) -> None:
    """In a worker thread: push and open; the draft is dropped only once the pull is open."""
    app = screen.onboard
    try:
        created = act.open_draft_pull(
            app.forge, app.store, app.journey, issue, title=title, body=body
        )
    except (ForgeError, WorkspaceError, ValueError) as error:
        screen.app.call_from_thread(
            screen.notify,
            f"{error}\nYour title and description are kept: {retry}",
            severity="error",
            timeout=20,
        )
        return
    app.drafts.pop(key, None)
    message = f"Draft pull request #{created.number} is open."
    deliver(screen, done, message, news=message)
