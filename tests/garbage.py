"""Run Python's full garbage collections less often in the test processes.

A Pilot test keeps a whole Textual app alive (some 300,000 objects: each rendered line caches
its pieces), and with Python's default thresholds a full collection ran every few hundred
milliseconds and scanned all of them: a quarter of a run's CPU time on two cores (measured with
``gc.callbacks``: 87 s of 330 s). Collections of the young generations still run often, so
garbage without cycles goes at once; the full ones now come about ten times less often.
Only the test processes change: programs the tests start collect as users' do.
"""

from __future__ import annotations

import gc

#: Allocations before a young collection, and young collections before each older one.
THRESHOLDS = (2000, 10, 50)

gc.set_threshold(*THRESHOLDS)
