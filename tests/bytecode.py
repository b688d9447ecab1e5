"""Keep Python's bytecode caches for the suite, even where PYTHONDONTWRITEBYTECODE is set.

The suite starts many Python processes (a test worker per core and more, ``onboard`` run as a
program, web mode's server), and each compiles onboard and rewrites the tests anew when it may
not write ``.pyc`` files: seconds of CPU each, a good part of a run on two cores. Where the
environment forbids them, they are written into the virtual environment's ``pycache`` folder
(``sys.pycache_prefix``) rather than next to the sources, so the checkout stays as clean as
that setting meant it to, and every later process reads them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def keep_bytecode() -> None:
    if not sys.dont_write_bytecode:
        return
    prefix = str(Path(sys.prefix) / "pycache")
    sys.dont_write_bytecode = False
    sys.pycache_prefix = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # and for the programs the tests start
    os.environ["PYTHONPYCACHEPREFIX"] = prefix


keep_bytecode()
