"""Reading versions from tools' banners and comparing them with the specs projects write."""

from __future__ import annotations

import pytest

from onboard.core.setup.versions import satisfies, version_in_text


@pytest.mark.parametrize(
    ("output", "version"),
    [
        ("Python 3.11.7\n", "3.11.7"),
        ("v20.11.1\n", "20.11.1"),
        ("go version go1.22.0 linux/amd64\n", "1.22.0"),
        ("cargo 1.75.0 (1d8b05cdd 2023-11-20)\n", "1.75.0"),
        ("GNU Make 4.3\nBuilt for x86_64-pc-linux-gnu\n", "4.3"),
        ("git version 2.39.5 (Apple Git-154)\n", "2.39.5"),
        ("4.11.4 from /usr/lib/python3/dist-packages/tox/__init__.py\n", "4.11.4"),
        ("pnpm 9\n", "9"),
        ("no digits here", None),
    ],
)
def test_version_in_text(output: str, version: str | None) -> None:
    assert version_in_text(output) == version


@pytest.mark.parametrize(
    ("found", "wanted", "fits"),
    [
        # PEP 440 (requires-python)
        ("3.11.7", ">=3.10", True),
        ("3.9.18", ">=3.10", False),
        ("3.12.1", ">=3.8,<3.12", False),
        ("3.11.0", ">=3.8, <4", True),
        ("3.11.4", "~=3.11.0", True),
        ("3.12.0", "~=3.11.0", False),
        ("3.11.2", "==3.11.*", True),
        # npm ranges (engines.node)
        ("20.11.1", ">=18 <21", True),
        ("22.1.0", ">=18 <21", False),
        ("18.19.0", "^18.0.0 || >=20.0.0", True),
        ("19.0.0", "^18.0.0 || >=20.0.0", False),
        ("18.2.0", "18.x", True),
        ("16.20.0", "18", False),
        ("18.17.5", "~18.17", True),
        ("18.19.0", "~18.17", False),  # npm's tilde allows patch releases only
        ("18.16.0", "~18.17", False),
        # Poetry caret (tool.poetry.dependencies.python)
        ("3.12.1", "^3.9", True),
        ("3.8.10", "^3.9", False),
        # bare minimums (rust-version, go directive, pins)
        ("1.75.0", "1.70", True),
        ("1.69.0", "1.70", False),
        ("1.22.3", "1.22", True),
        ("20.11.1", "v20.11.1", True),
        # nothing to compare with
        ("20.11.1", "lts/hydrogen", None),
        ("20.11.1", "latest", None),
        ("20.11.1", "*", True),
        ("20.11.1", ">=banana", None),
        ("unknown", ">=3", None),
    ],
)
def test_satisfies(found: str, wanted: str, fits: bool | None) -> None:
    assert satisfies(found, wanted) is fits
