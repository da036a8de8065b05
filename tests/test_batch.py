"""`generator.batch.run_bounded`: order, and no queued work left running after a stop."""

from __future__ import annotations

import threading
import time

import pytest

from generator.batch import run_bounded


def test_results_come_in_input_order() -> None:
    def work(n: int) -> int:
        time.sleep(0.01 * (5 - n))  # later items finish first
        return n * n

    assert list(run_bounded(range(5), work, workers=3)) == [(n, n * n) for n in range(5)]


def test_an_error_cancels_the_work_not_yet_started() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            started.append(n)
        if n == 0:
            raise RuntimeError("boom")
        time.sleep(0.02)
        return n

    with pytest.raises(RuntimeError, match="boom"):
        list(run_bounded(list(range(40)), work, workers=2))
    assert len(started) < 40


def test_a_consumer_that_stops_cancels_the_rest() -> None:
    started: list[int] = []

    def work(n: int) -> int:
        started.append(n)
        time.sleep(0.02)
        return n

    results = run_bounded(list(range(40)), work, workers=2)
    assert next(results) == (0, 0)
    results.close()
    assert len(started) < 40
