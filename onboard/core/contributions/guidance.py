"""What to do when nobody answers, and a polite ping the learner edits before it is posted.

Silence is the barrier newcomers name most often; the guidance says it is normal, what to
check first, and when a short, friendly ping is fine. The template keeps a placeholder so an
unedited ping is refused by :func:`onboard.core.public_actions.text_problem`.
"""

from __future__ import annotations

WHEN_NOBODY_ANSWERS = (
    "When nobody answers\n\n"
    "Silence is normal: maintainers are often volunteers, busy, or away. It is not a verdict "
    "on you or your work.\n\n"
    "1. Check your side first: are the checks passing, is the description clear, did you "
    "answer every review comment?\n"
    "2. After about a week, one short, friendly ping on the pull request (or issue) is fine. "
    "Say what you did and ask whether anything is missing.\n"
    "3. Still nothing after another week or two? Ask in the project's chat or forum, or "
    "mention that you are happy to hand the work over.\n"
    "4. Never ping every day, and never tag many people at once."
)


def ping_template(kind: str, quiet_days: int) -> str:
    """A polite ping for a pull request (``kind`` "pull") or a claim ("claim")."""
    what = "this pull request" if kind == "pull" else "this issue"
    return (
        f"Hi! Just a friendly ping on {what}: it has been quiet for {quiet_days} days. "
        "<one sentence on what you did or what you are waiting for>.\n\n"
        "Is there anything I should change or add? Thanks for your time!"
    )
