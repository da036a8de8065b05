"""What a build spends its time on: one INFO line per phase of the plugin's work.

On a large archive ``mkdocs build`` runs for minutes; MkDocs itself says only that it
built. Each phase of ours (records read, pages planned, pages written, feeds and open
data, the search index) ends with one line naming its count and its seconds, such as
``pages: 5,512 written in 14.2 s``: a handful of lines a build, none per page, so a CI
log tells a slow phase from a stuck one and a maintainer knows where to look first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class Phases:
    """Times the plugin's phases on one clock and logs each as it ends."""

    def __init__(
        self,
        log: logging.Logger | logging.LoggerAdapter[logging.Logger],
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._log = log
        self._clock = clock
        self._started: dict[str, float] = {}

    def start(self, phase: str) -> None:
        """``phase`` begins now (again, if it ran before: a rebuild of ``serve``)."""
        self._started[phase] = self._clock()

    def end(self, phase: str, what: str) -> None:
        """``phase`` ends: log ``<phase>: <what> in <seconds> s``. A phase never started
        in this build (the index of a build without one) logs nothing."""
        started = self._started.pop(phase, None)
        if started is None:
            return
        self._log.info("%s: %s in %.1f s", phase, what, self._clock() - started)
