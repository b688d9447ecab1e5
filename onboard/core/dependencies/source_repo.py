"""From the many ways packages name their source code to one GitHub ``owner/repo``.

Package metadata spells a repository as a web page (``https://github.com/o/r/tree/main/pkg``),
a git remote (``git+ssh://git@github.com/o/r.git``, ``git@github.com:o/r.git``), an npm shorthand
(``github:o/r``, plain ``o/r``) or a Go module path (``github.com/o/r/v2``). Only repositories are
accepted: GitHub's own pages (sponsors, orgs, marketplace…) and gists share the host but are not
projects one can contribute to, and another host yields ``None`` (with :func:`foreign_source`
saying which host it was, so a newcomer learns why a package has no row to act on).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from onboard.core.models import RepoRef

GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
#: First path segments of github.com that are GitHub's own pages, never an account.
RESERVED_OWNERS = frozenset(
    {
        "about",
        "account",
        "apps",
        "blog",
        "codespaces",
        "collections",
        "contact",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "gist",
        "issues",
        "join",
        "login",
        "logout",
        "marketplace",
        "new",
        "notifications",
        "organizations",
        "orgs",
        "pricing",
        "pulls",
        "readme",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "stars",
        "topics",
        "trending",
        "users",
    }
)
#: Hosts that serve source code; a link there means "the source is elsewhere", not "no source".
CODE_HOSTS = frozenset(
    {
        "gitlab.com",
        "bitbucket.org",
        "codeberg.org",
        "git.sr.ht",
        "sr.ht",
        "hg.sr.ht",
        "salsa.debian.org",
        "gitea.com",
        "sourceforge.net",
        "launchpad.net",
        "foss.heptapod.net",
        "gitlab.gnome.org",
        "gitlab.freedesktop.org",
        "invent.kde.org",
        "pagure.io",
        "go.googlesource.com",
    }
)
#: Project-URL labels in order of preference, normalised as PEP 753 says (lowercase, no
#: punctuation or spaces): a label naming the source beats the home page, which often is docs.
LABEL_PREFERENCE = ("source", "sourcecode", "repository", "code", "github", "homepage")
_SOURCE_LABELS = frozenset({"source", "sourcecode", "repository", "code", "vcs", "git", "scm"})
#: npm's shorthands for other hosts (``gitlab:owner/repo``).
_SHORTHAND_HOSTS = {"gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}
_SCP_LIKE = re.compile(r"^(?:[\w.+-]+@)?(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,}):(?!//)(?P<path>.+)$")
_SHORTHAND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
_HOST_PATH = re.compile(r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/")
MAX_URL_LENGTH = 2000


def normal_label(label: str) -> str:
    """A Project-URL label the way PEP 753 compares them: ``Source Code`` → ``sourcecode``."""
    return re.sub(r"[\W_]+", "", label.casefold())


def github_repo(text: str) -> RepoRef | None:
    """The GitHub repository ``text`` points to, or None (another host, not a repository)."""
    location = _locate(text)
    if location is None:
        return None
    host, path = location
    if host not in GITHUB_HOSTS:
        return None
    parts = [part for part in path.split("/") if part]
    if len(parts) < 2 or parts[0].casefold() in RESERVED_OWNERS:
        return None
    name = parts[1].split("@", 1)[0].removesuffix(".git")  # git+https://…/r.git@v1.0
    try:
        return RepoRef.parse(f"{parts[0]}/{name}")
    except ValueError:
        return None


def host_of(text: str) -> str | None:
    """The host ``text`` points to (``gitlab.com``), without ``www.``; None if it is no URL."""
    location = _locate(text)
    return location[0] if location else None


def choose_repo(urls: Iterable[tuple[str, str]]) -> tuple[RepoRef, str] | None:
    """The best GitHub repository among labelled URLs, with the label it came from.

    Labels are tried in :data:`LABEL_PREFERENCE` order, then every other label in the order
    given (a "Bug Tracker" at ``github.com/o/r/issues`` still names the repository).
    """
    pairs = [(label, url) for label, url in urls if isinstance(url, str)]
    rank = {label: index for index, label in enumerate(LABEL_PREFERENCE)}
    ordered = sorted(
        enumerate(pairs),
        key=lambda item: (rank.get(normal_label(item[1][0]), len(rank)), item[0]),
    )
    for _, (label, url) in ordered:
        repo = github_repo(url)
        if repo is not None:
            return repo, label
    return None


def foreign_source(urls: Iterable[tuple[str, str]]) -> str | None:
    """The host of a source link that is not GitHub (``gitlab.com``), or None.

    A link counts when its label says "source", its host is a code host, or it is a git URL:
    a documentation home page on another host does not mean the code lives there.
    """
    for label, url in urls:
        if not isinstance(url, str):
            continue
        host = host_of(url)
        if host is None or host in GITHUB_HOSTS:
            continue
        gitish = url.strip().startswith(("git+", "git://", "ssh://", "git@")) or url.rstrip(
            "/"
        ).endswith(".git")
        if normal_label(label) in _SOURCE_LABELS or host in CODE_HOSTS or gitish:
            return host
    return None


def _locate(text: str) -> tuple[str, str] | None:
    """``(host, path)`` of any spelling of a repository location, or None."""
    if not isinstance(text, str):
        return None
    value = text.strip()
    if not value or len(value) > MAX_URL_LENGTH or any(c.isspace() for c in value):
        return None
    prefix, colon, rest = value.partition(":")
    if colon and prefix == "github":
        return "github.com", rest
    if colon and prefix in _SHORTHAND_HOSTS:
        return _SHORTHAND_HOSTS[prefix], rest
    if colon and prefix == "gist":
        return "gist.github.com", rest
    if _SHORTHAND.fullmatch(value):  # npm's "owner/repo" means GitHub
        return "github.com", value
    scp = _SCP_LIKE.match(value)
    if scp and "://" not in value:
        return _host(scp.group("host")), scp.group("path")
    if "://" not in value and _HOST_PATH.match(value):  # a Go module path: github.com/o/r/v2
        value = f"https://{value}"
    value = value.removeprefix("git+")
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "git", "ssh") or not hostname:
        return None
    return _host(hostname), parts.path


def _host(name: str) -> str:
    return name.lower().removeprefix("www.")
