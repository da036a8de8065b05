"""Running one job per item (a date, a paper) with bounded concurrency and a progress bar.

Servers rate-limit us (the Hugging Face API allows about 500 anonymous requests per five
minutes), so commands that work on many items use a small thread pool rather than one
request at a time or all at once. Results come back in input order so output is stable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

import click

T = TypeVar("T")
R = TypeVar("R")


def run_bounded(
    items: Sequence[T],
    work: Callable[[T], R],
    *,
    workers: int,
    label: str,
) -> Iterator[tuple[T, R]]:
    """Yield ``(item, work(item))`` in input order, running at most ``workers`` at once.

    ``work`` must not raise for an expected failure: it returns its outcome (success or
    error) so one bad item never stops the rest. A progress bar is drawn on standard error
    when it is a terminal and there is more than one item. When the caller is interrupted
    or stops iterating, work not yet started is cancelled.
    """
    if len(items) <= 1 or workers <= 1:
        for item in items:
            yield item, work(item)
        return
    show = sys.stderr.isatty()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(work, item) for item in items]
        try:
            if show:
                with click.progressbar(length=len(items), label=label, file=sys.stderr) as bar:
                    for _ in as_completed(futures):
                        bar.update(1)
            for item, future in zip(items, futures, strict=True):
                yield item, future.result()
        except BaseException:
            # Ctrl-C, an error, or a consumer that stopped early: drop the queued work
            # (each item may be a paid API call) and wait only for what is running.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
