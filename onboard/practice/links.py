"""References between issues and pull requests, and review decisions, with GitHub's rules.

GitHub links a pull request to an issue of the same repository when the pull request's title or
body uses a closing keyword (``close``/``closes``/``closed``, ``fix``/``fixes``/``fixed``,
``resolve``/``resolves``/``resolved``, any case, optionally followed by a colon) before ``#N`` or
``owner/repo#N``. Any other ``#N`` is only a mention, which shows on the issue's timeline as a
``cross-referenced`` event. These pure functions work on the store's plain data (already locked).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

Data = Mapping[str, Any]

_REPO = r"(?P<repo>[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+)"
CLOSING = re.compile(
    r"(?<![\w-])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?:\s*:\s*|\s+)"
    rf"{_REPO}?#(?P<number>\d+)\b",
    re.IGNORECASE,
)
MENTION = re.compile(rf"(?<![\w/&#-]){_REPO}?#(?P<number>\d+)\b")


def _refs(pattern: re.Pattern[str], texts: Iterable[str | None], here: str) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for text in texts:
        for match in pattern.finditer(text or ""):
            repo = (match.group("repo") or here).casefold()
            found.add((repo, int(match.group("number"))))
    return found


def closing_refs(texts: Iterable[str | None], full_name: str) -> set[int]:
    """Numbers in ``full_name`` that ``texts`` close with a keyword (same repository only)."""
    here = full_name.casefold()
    return {n for repo, n in _refs(CLOSING, texts, here) if repo == here}


def mentions(texts: Iterable[str | None], full_name: str) -> set[tuple[str, int]]:
    """Every ``#N`` / ``owner/repo#N`` in ``texts`` as ``(casefolded repo, number)``."""
    return _refs(MENTION, texts, full_name.casefold())


def closing_links(data: Data, full_name: str) -> dict[int, set[int]]:
    """Issue number -> numbers of the pulls that close it, and pull number -> issues it closes.

    Open and closed pulls both count; a pull never links to itself or to another pull.
    """
    issues = data["issues"].get(full_name, {})
    links: dict[int, set[int]] = {}
    for record in issues.values():
        if record["pull"] is None:
            continue
        pull_number = record["number"]
        for number in closing_refs((record["title"], record["body"]), full_name):
            target = issues.get(str(number))
            if target is None or target["pull"] is not None or number == pull_number:
                continue
            links.setdefault(number, set()).add(pull_number)
            links.setdefault(pull_number, set()).add(number)
    return links


def cross_references(data: Data, full_name: str, number: int) -> list[tuple[str, Any, str, str]]:
    """Issues and pulls (in any repository) that mention ``full_name#number``.

    Returns ``(source repo, source record, actor, created_at)`` for each referencing issue or
    pull, once, at its earliest mention (its own text when opened, else its first comment).
    """
    target = (full_name.casefold(), number)
    found: list[tuple[str, Any, str, str]] = []
    for source_full, issues in data["issues"].items():
        comments = data["comments"].get(source_full, {})
        for record in issues.values():
            if source_full == full_name and record["number"] == number:
                continue
            if target in mentions((record["title"], record["body"]), source_full):
                found.append((source_full, record, record["user"], record["created_at"]))
                continue
            for comment in comments.get(str(record["number"]), []):
                if target in mentions((comment["body"],), source_full):
                    found.append((source_full, record, comment["user"], comment["created_at"]))
                    break
    return found


def cross_reference_index(data: Data) -> dict[tuple[str, int], list[tuple[str, Any, str, str]]]:
    """:func:`cross_references` of every issue at once: ``(casefolded repo, number)`` → them.

    One pass over all texts instead of one per issue, for answers (GraphQL) that list the
    references of a hundred issues at a time; same entries, same order.
    """
    index: dict[tuple[str, int], list[tuple[str, Any, str, str]]] = {}
    for source_full, issues in data["issues"].items():
        comments = data["comments"].get(source_full, {})
        here = source_full.casefold()
        for record in issues.values():
            itself = (here, record["number"])
            found = mentions((record["title"], record["body"]), source_full) - {itself}
            for target in found:
                index.setdefault(target, []).append(
                    (source_full, record, record["user"], record["created_at"])
                )
            for comment in comments.get(str(record["number"]), []):
                for target in mentions((comment["body"],), source_full) - found - {itself}:
                    found.add(target)
                    index.setdefault(target, []).append(
                        (source_full, record, comment["user"], comment["created_at"])
                    )
    return index


def submitted(reviews: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Reviews that are not drafts (``PENDING`` reviews are visible to their author only)."""
    return [r for r in reviews if r["state"] != "PENDING"]


def review_decision(reviews: Iterable[Mapping[str, Any]]) -> str:
    """GitHub's ``reviewDecision`` when one approving review is required before merging.

    Each reviewer's latest approving or change-requesting review counts (comments don't, a
    dismissal cancels): any change request wins, else any approval, else a review is required.
    """
    latest: dict[str, str] = {}
    for review in sorted(submitted(reviews), key=lambda r: (r["submitted_at"], r["id"])):
        if review["state"] in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[review["user"].casefold()] = review["state"]
    states = set(latest.values())
    if "CHANGES_REQUESTED" in states:
        return "CHANGES_REQUESTED"
    if "APPROVED" in states:
        return "APPROVED"
    return "REVIEW_REQUIRED"
