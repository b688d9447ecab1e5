"""The batcher keeps a chatty command from flooding the UI, yet shows a quiet line at once."""

from __future__ import annotations

import threading
import time

from onboard.ui.batching import Batcher


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.times: list[float] = []
        self.arrived = threading.Event()

    def __call__(self, batch: list[int]) -> None:
        self.batches.append(batch)
        self.times.append(time.monotonic())
        self.arrived.set()


def test_a_flood_arrives_in_few_batches_in_order() -> None:
    recorder = Recorder()
    started = time.monotonic()
    with Batcher(recorder, interval=0.05) as batcher:
        for number in range(20_000):
            batcher.add(number)
            if number % 1000 == 0:
                time.sleep(0.01)  # a command printing steadily for ~0.2 s
    elapsed = time.monotonic() - started
    delivered = [n for batch in recorder.batches for n in batch]
    assert delivered == list(range(20_000))
    assert len(recorder.batches) <= elapsed / 0.05 + 3
    gaps = [b - a for a, b in zip(recorder.times, recorder.times[1:], strict=False)]
    assert all(gap >= 0.04 for gap in gaps[:-1])  # the last one is close()'s final flush


def test_a_single_quiet_line_is_delivered_without_waiting_for_more() -> None:
    recorder = Recorder()
    batcher = Batcher(recorder, interval=0.05)
    try:
        batcher.add(1)
        assert recorder.arrived.wait(1.0)
        assert recorder.batches == [[1]]
    finally:
        batcher.close()


def test_close_delivers_what_is_left_before_returning() -> None:
    recorder = Recorder()
    batcher = Batcher(recorder, interval=10.0)
    batcher.add(1)
    assert recorder.arrived.wait(1.0)  # the first is delivered at once
    batcher.add(2)
    batcher.add(3)
    time.sleep(0.05)  # the batcher is now waiting out its 10 s interval
    started = time.monotonic()
    batcher.close()
    assert time.monotonic() - started < 1.0
    assert recorder.batches == [[1], [2, 3]]
