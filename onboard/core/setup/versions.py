"""Reading tool versions and comparing them with what a project asks for.

Projects state versions in several dialects: PEP 440 (``>=3.10`` in ``requires-python``), npm
ranges (``^18.17 || >=20``, ``18.x``), Poetry carets (``^3.9``) and bare numbers (``1.70`` in
``rust-version``, ``go 1.22``, ``18`` in ``.nvmrc``). The doctor only needs "does the installed
version fit?", so PEP 440-looking specs go to :mod:`packaging` (the reference implementation pip
uses) and everything else gets a deliberately simple major/minor comparison. When a spec cannot
be understood (``lts/hydrogen``, ``latest``) the answer is ``None``, never a guess.
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

_DOTTED = re.compile(r"\d+(?:\.\d+)+")
_NUMBER = re.compile(r"\d+")
_COMPARATOR = re.compile(r"(===|==|!=|<=|>=|~=|<|>|=)\s*(v?[0-9][0-9A-Za-z.*+!-]*)")
_OPERATOR_START = re.compile(r"^\s*(===|==|!=|<=|>=|~=|<|>|=)")
_BARE = re.compile(r"^v?(\d+(?:\.\d+)*)(?:\.[x*X])*$")
#: Words that name a moving target rather than a version; nothing to compare with.
_UNVERSIONED = {"latest", "lts", "stable", "node", "system", "nightly", "beta", "current"}


def version_in_text(text: str) -> str | None:
    """The first version number in a tool's ``--version`` output.

    ``Python 3.11.7`` → ``3.11.7``; ``go version go1.22.0 linux/amd64`` → ``1.22.0``;
    ``cargo 1.75.0 (1d8b05cdd 2023-11-20)`` → ``1.75.0``. A dotted number is preferred to a
    plain one so a build number or a year in a banner is not mistaken for the version.
    """
    head = text[:4096]
    match = _DOTTED.search(head) or _NUMBER.search(head)
    return match.group() if match else None


def release(text: str) -> tuple[int, ...] | None:
    """``"3.11.7"`` → ``(3, 11, 7)``; the first dotted run of numbers in ``text``."""
    match = _DOTTED.search(text) or _NUMBER.search(text)
    if match is None:
        return None
    return tuple(int(part) for part in match.group().split("."))


def satisfies(found: str, wanted: str) -> bool | None:
    """Whether version ``found`` fits ``wanted``; ``None`` when ``wanted`` is not understood.

    ``a || b`` (npm) fits when either side fits; a bare ``18``/``3.11``/``1.22.x`` means "this
    major version, at least this release", which is how rust-version and go.mod read and a fair
    reading of ``.nvmrc``/``.python-version`` pins for a readiness check.
    """
    version = release(found)
    if version is None:
        return None
    answers = [_fits(version, part.strip()) for part in wanted.split("||")]
    if any(answer is True for answer in answers):
        return True
    if answers and all(answer is False for answer in answers):
        return False
    return None


def _fits(version: tuple[int, ...], spec: str) -> bool | None:
    if spec in ("", "*", "x", "X"):
        return True
    if spec.lower() in _UNVERSIONED or spec.lower().startswith("lts/"):
        return None
    if spec.startswith("^"):
        base = release(spec[1:])
        return None if base is None else version[0] == base[0] and version >= base
    if spec.startswith("~") and not spec.startswith("~="):
        base = release(spec[1:])
        if base is None:
            return None
        width = 2 if len(base) >= 2 else 1
        return version[:width] == base[:width] and version >= base
    if _OPERATOR_START.match(spec):
        return _fits_comparators(version, spec)
    bare = _BARE.match(spec)
    if bare is None:
        return None
    base = tuple(int(part) for part in bare.group(1).split("."))
    return version[0] == base[0] and version >= base


def _fits_comparators(version: tuple[int, ...], spec: str) -> bool | None:
    """``>=3.10``, ``>=3.8,<4``, npm's space-separated ``>=18 <21``: PEP 440 semantics."""
    pairs = _COMPARATOR.findall(spec)
    leftover = _COMPARATOR.sub("", spec).replace(",", "").strip()
    if not pairs or leftover:
        return None
    parts = [f"{'==' if op == '=' else op}{value.removeprefix('v')}" for op, value in pairs]
    try:
        specifier = SpecifierSet(",".join(parts))
        return specifier.contains(Version(".".join(map(str, version))), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return None
