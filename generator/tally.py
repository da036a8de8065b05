"""Counting what a command did, for its report: one way to count and to phrase it.

Commands count outcomes per item (a record ``new``, ``updated`` or ``unchanged``; a
digest's paper ``written`` or ``failed``) in a :class:`collections.Counter`, so totals
are sums of counters and every report line is phrased by :func:`counts`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def plural(count: int, noun: str) -> str:
    """``1 paper``, ``2 papers``."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def counts(tally: Counter[str], labels: Sequence[tuple[str, str]]) -> str:
    """``3 new, 1 updated``: each outcome's count and label, in ``labels`` order."""
    return ", ".join(f"{tally[key]:,} {label}" for key, label in labels)


def total(tallies: Iterable[Counter[str]]) -> Counter[str]:
    """The sum of several tallies, keeping outcomes counted zero times."""
    result: Counter[str] = Counter()
    for tally in tallies:
        result.update(tally)
    return result
