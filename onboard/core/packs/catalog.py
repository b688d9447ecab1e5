"""What the app lists from the loaded packs: each guide pack once, each project once.

Packs come from different curators, so two of them may well name the same repository (a team's
pack listing ``psf/black``, which the starter pack has too), and a pack without projects (the
general guides) is both "general" and "for this forge". Lists built straight from the packs
would show such entries twice, and a screen keyed by name cannot hold the same key twice. The
rules here decide once, without a terminal, what is shown:

- a repository is listed once, from the first pack that names it, in load order (built-in
  packs, then installed ones by folder name). Its details (setup steps, labels, mentor, chat)
  are that pack's: entries are never mixed, since setup steps are consented to per pack. The
  other packs that name it are kept in :attr:`Listing.also_in`, so the card can say so.
- repository names are compared ignoring case, as GitHub does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from onboard.core.models import Project
from onboard.core.packs.loading import Pack


@dataclass(frozen=True)
class Listing:
    """One project as listed: the pack whose entry is used, and the others that name it."""

    pack: Pack
    project: Project
    also_in: tuple[Pack, ...] = ()


def repo_key(full_name: str) -> str:
    """How repositories are told apart: GitHub's names are case-insensitive."""
    return full_name.lower()


def guide_packs(general: Iterable[Pack], visible: Iterable[Pack]) -> list[Pack]:
    """``general`` packs first, then the ``visible`` ones, each pack (by name) once.

    A pack without projects is general *and*, for the forge it names, visible: in GitHub mode
    the general pack is both, which listed its guides twice.
    """
    shown: dict[str, Pack] = {}
    for pack in (*general, *visible):
        shown.setdefault(pack.name, pack)
    return list(shown.values())


def listed_projects(packs: Sequence[Pack]) -> list[Listing]:
    """Every project of ``packs`` once, in pack order, under the first pack naming it."""
    first: dict[str, int] = {}
    listings: list[Listing] = []
    for pack in packs:
        for project in pack.projects:
            key = repo_key(project.repo.full_name)
            if key in first:
                index = first[key]
                earlier = listings[index]
                if pack.name not in {p.name for p in (earlier.pack, *earlier.also_in)}:
                    listings[index] = Listing(
                        earlier.pack, earlier.project, (*earlier.also_in, pack)
                    )
                continue
            first[key] = len(listings)
            listings.append(Listing(pack, project))
    return listings


def find_listing(packs: Sequence[Pack], full_name: str | None) -> Listing | None:
    """The listing of ``full_name`` (any case), as :func:`listed_projects` lists it."""
    if not full_name:
        return None
    wanted = repo_key(full_name)
    for listing in listed_projects(packs):
        if repo_key(listing.project.repo.full_name) == wanted:
            return listing
    return None
