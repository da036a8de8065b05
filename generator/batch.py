"""Running one job per item (a date, a paper) with bounded concurrency.

Servers rate-limit us (the Hugging Face API allows about 500 anonymous requests per five
minutes), so commands that work on many items use a small thread pool rather than one
request at a time or all at once. Results come back in input order so output is stable;
the caller reports progress (:mod:`generator.progress`) as it takes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def run_bounded(
    items: Sequence[T],
    work: Callable[[T], R],
    *,
    workers: int,
) -> Iterator[tuple[T, R]]:
    """Yield ``(item, work(item))`` in input order, running at most ``workers`` at once.

    ``work`` must not raise for an expected failure: it returns its outcome (success or
    error) so one bad item never stops the rest. When the caller is interrupted or stops
    iterating, work not yet started is cancelled.
    """
    if len(items) <= 1 or workers <= 1:
        for item in items:
            yield item, work(item)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(work, item) for item in items]
        try:
            for item, future in zip(items, futures, strict=True):
                yield item, future.result()
        except BaseException:
            # Ctrl-C, an error, or a consumer that stopped early: drop the queued work
            # (each item may be a paid API call) and wait only for what is running.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
