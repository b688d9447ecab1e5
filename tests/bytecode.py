"""Keep Python's bytecode caches for the suite, even where PYTHONDONTWRITEBYTECODE is set.

The suite starts many Python processes (a test worker per core and more, ``onboard`` run as a
program, web mode's server), and each compiles onboard and rewrites the tests anew when it may
not write ``.pyc`` files: seconds of CPU each, a good part of a run on two cores. So the tests
and the programs they start write them, in the usual ``__pycache__`` folders (ignored by git).

Not in a folder of their own (``sys.pycache_prefix``): Python then ignores the ``.pyc`` files
``pip install`` compiled for Textual, PyGithub and the rest, and on a fresh clone four workers
compiled all of them at once, each for itself: 22 s before the first test, ~100 s of CPU more.
"""

from __future__ import annotations

import os
import sys


def keep_bytecode() -> None:
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # and for the programs the tests start


keep_bytecode()
