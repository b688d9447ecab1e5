"""Package URLs (``pkg:pypi/requests@2.31.0``), the identifiers SBOMs use for components.

The purl specification's parsing rules fit in one function, so a dependency would buy little:
split off ``#subpath``, ``?qualifiers``, ``@version``, the type, then the ``/``-separated
namespace and name, percent-decoding each part. The only leniency is for a scoped npm name
written with a literal ``@`` (``pkg:npm/@babel/core``): generators do emit it, and a reader that
rejects it would lose the dependency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

_TYPE = re.compile(r"[A-Za-z.+-][A-Za-z0-9.+-]*")


@dataclass(frozen=True)
class PackageURL:
    type: str
    namespace: str | None
    name: str
    version: str | None = None
    qualifiers: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    subpath: str | None = None

    @property
    def full_name(self) -> str:
        """The package's name as its own ecosystem spells it (``@babel/core``, ``owner/repo``)."""
        return f"{self.namespace}/{self.name}" if self.namespace else self.name


def parse_purl(text: str) -> PackageURL:
    """Parse ``text``; raises ValueError saying what is wrong when it is not a package URL."""
    value = text.strip()
    scheme, colon, rest = value.partition(":")
    if not colon or scheme.lower() != "pkg":
        raise ValueError(f"{_short(text)} is not a package URL; expected pkg:TYPE/NAME")
    rest = rest.lstrip("/")
    rest, _, subpath = rest.partition("#")
    rest, _, query = rest.partition("?")
    kind, slash, path = rest.partition("/")
    if not slash or not _TYPE.fullmatch(kind):
        raise ValueError(f"{_short(text)} has no package type; expected pkg:TYPE/NAME")
    version: str | None = None
    last_slash = path.rfind("/")
    at = path.rfind("@")
    if at > last_slash and at > 0:
        path, version = path[:at], unquote(path[at + 1 :]) or None
    segments = [unquote(segment) for segment in path.strip("/").split("/") if segment]
    if not segments or not segments[-1]:
        raise ValueError(f"{_short(text)} has no package name; expected pkg:TYPE/NAME")
    kind = kind.lower()
    namespace = "/".join(segments[:-1]) or None
    name = segments[-1]
    if kind in ("github", "bitbucket", "gitlab"):
        namespace = namespace.lower() if namespace else None
        name = name.lower()
    elif kind == "pypi":
        name = re.sub(r"[-_.]+", "-", name).lower()
    qualifiers = {}
    for pair in filter(None, query.split("&")):
        key, _, item = pair.partition("=")
        if key and item:
            qualifiers[key.lower()] = unquote(item)
    return PackageURL(kind, namespace, name, version, qualifiers, unquote(subpath) or None)


def _short(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")
