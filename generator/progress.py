"""How far a long command has come: a bar at a terminal, a periodic line elsewhere.

``categories`` asks arXiv 100 papers every 3 seconds, ``summarize`` waits on a model for
each paper, ``import`` writes thousands of records and ``fetch`` over a range asks for
day after day: minutes of work in which a person (or a CI log) should be able to tell a
slow run from a hung one. Every such loop reports through one :class:`Progress`:

* at a terminal (standard error is a TTY), a bar with items done out of the total, the
  rate and the time left, redrawn at least every second;
* elsewhere (a CI log, a pipe), a plain line with the same numbers every
  :data:`ENV_INTERVAL` seconds (default 30), also while nothing moves, so a stuck run
  still says where it is stuck: ``categories: 3,100 of 8,586 papers (36%), 0.3
  papers/s, about 3 min left``;
* with ``--quiet`` (or for a single item), nothing.

Lines a command prints while it works (a failed paper) go through :meth:`Progress.echo`,
which prints them whole on a line of their own and redraws the bar after them, so the two
never mix. The commands' closing lines are printed after the progress has closed, as
before: workflows and tests read them.

The bar is drawn here rather than by ``click.progressbar``: click draws only a line that
differs from the last one it drew, so once a message has taken the bar's place the bar
stays away until its numbers change (for ``categories``, up to 3 seconds; for
``summarize`` behind a slow model, until the next paper), and its public interface has no
way to ask for a redraw. Drawing one line is a few lines of code.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import IO

from generator.http import seconds_setting
from generator.tally import plural

#: Seconds between two plain progress lines; tests make it short.
ENV_INTERVAL = "DAILY_PAPERS_PROGRESS_SECONDS"
DEFAULT_INTERVAL = 30.0
#: Seconds between two redraws of the bar while nothing moves (the rate and time left
#: still change).
REDRAW = 1.0
#: Erases the line the bar is on, before a message takes its place.
_CLEAR_LINE = "\r\x1b[K"


def interval_from_env(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between plain progress lines (``DAILY_PAPERS_PROGRESS_SECONDS``)."""
    return seconds_setting(environ, ENV_INTERVAL, DEFAULT_INTERVAL, minimum=0.05)


def duration(seconds: float) -> str:
    """``40 s``, ``3 min``, ``2 h 5 min``: a time left, as precise as it is worth."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def rate(done: int, elapsed: float, unit: str) -> str:
    """``3.2 papers/s`` or ``12 papers/min``, whichever reads as a number above one."""
    per_second = done / elapsed if elapsed > 0 else 0.0
    if per_second >= 1:
        return f"{per_second:.1f} {unit}s/s"
    return f"{per_second * 60:.1f} {unit}s/min"


class Progress:
    """The progress of ``total`` items of ``unit`` (a noun: ``paper``, ``day``).

    Use it as a context manager around the loop, :meth:`advance` as items finish and
    :meth:`echo` for every line printed meanwhile. Thread-safe: the plain lines and the
    bar's redraws also come from a timer thread of their own.
    """

    def __init__(
        self,
        label: str,
        total: int,
        unit: str,
        *,
        quiet: bool = False,
        stream: IO[str] | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self._shown = not quiet and total > 1
        self._terminal = self._shown and self._stream.isatty()
        self._interval = REDRAW if self._terminal else (interval or interval_from_env())

    def __enter__(self) -> Progress:
        self._started = self._clock()
        if self._shown:
            if self._terminal:
                self._draw()
            self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._ticker.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self._terminal:
            with self._lock:
                self._draw()
                self._write("\n")

    def advance(self, count: int = 1) -> None:
        """``count`` more items are done."""
        with self._lock:
            self.done = min(self.total, self.done + count)
            if self._terminal:
                self._draw()

    def echo(self, message: str) -> None:
        """Print ``message`` on standard error on a line of its own, never inside the bar."""
        with self._lock:
            if self._terminal:
                self._write(_CLEAR_LINE)
            self._write(message + "\n")
            if self._terminal:
                self._draw()

    def line(self) -> str:
        """The plain progress line: done of total, share, rate and time left."""
        return f"{self.label}: {self.done:,} of {plural(self.total, self.unit)} {self._numbers()}"

    def bar(self, width: int) -> str:
        """The bar's line, at most ``width`` characters: label, bar, done/total and pace."""
        numbers = f"{self.done:,}/{self.total:,} {self._numbers()}"
        room = width - len(self.label) - len(numbers) - 5
        if room < 10:
            return f"{self.label}: {numbers}"[: max(width - 1, 0)]
        filled = room * self.done // self.total if self.total else room
        return f"{self.label} [{'#' * filled}{'-' * (room - filled)}] {numbers}"

    def _numbers(self) -> str:
        """``(36%), 0.3 papers/s, about 3 min left``, as far as they are known."""
        share = math.floor(100 * self.done / self.total) if self.total else 100
        elapsed = self._clock() - self._started
        if not self.done or elapsed <= 0:
            return f"({share}%), time left not known yet"
        pace = f"({share}%), {rate(self.done, elapsed, self.unit)}"
        if self.done >= self.total:
            return pace
        left = (self.total - self.done) * elapsed / self.done
        return f"{pace}, about {duration(left)} left"

    def _draw(self) -> None:
        width = shutil.get_terminal_size().columns
        self._write(_CLEAR_LINE + self.bar(width))

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(self._interval):
            with self._lock:
                if self._terminal:
                    self._draw()
                else:
                    self._write(self.line() + "\n")
