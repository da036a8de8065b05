"""A server's pace kept across processes: arXiv's one request every 3 seconds, per client.

arXiv's terms ask for at most one request every three seconds from a client, not from
each process. The in-process rate limit (:class:`generator.http.RateLimiter`) kept it
within one command only: the publish workflow runs ``fetch`` (which asks arXiv for the
new papers' categories) and then ``categories``, and the two sent requests 1.26 s apart.

So the time of the next free slot is kept in a file of the user's state folder, under a
file lock, where every command (and every thread) that talks to the same server sees it.
A request takes the next slot, at least ``per`` seconds after the one before, writes it
and releases the lock before waiting for it, so the commands queue up slot by slot
rather than by who wakes first. Times in the file are wall-clock seconds, the one clock
two processes share.

The folder is ``$DAILY_PAPERS_STATE_DIR``, else ``$XDG_STATE_HOME/daily-papers``, else
``~/.local/state/daily-papers``. When it cannot be written, the pace falls back to this
process alone and says so once.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger("daily-papers")

ENV_STATE_DIR = "DAILY_PAPERS_STATE_DIR"
#: Seconds to wait for another command to take its slot before pacing alone.
LOCK_WAIT = 30.0


def state_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The per-user folder for state shared by every command (not records: not ``data/``)."""
    if environ.get(ENV_STATE_DIR):
        return Path(environ[ENV_STATE_DIR])
    base = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "daily-papers"


class SharedPace:
    """At most one request start every ``per`` seconds for ``name``, across processes.

    ``wall`` gives the shared time (seconds since the epoch), ``sleep`` waits: tests pass
    fakes of both.
    """

    def __init__(
        self,
        name: str,
        per: float,
        *,
        folder: Path | None = None,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.per = per
        folder = folder if folder is not None else state_dir()
        self.path = folder / f"pace-{name}"
        self._lock_path = folder / f"pace-{name}.lock"
        self._wall = wall
        self._sleep = sleep
        self._alone = threading.Lock()
        self._alone_next = 0.0
        self._warned = False

    def wait(self, left: float | None = None) -> bool:
        """Wait for the next slot; False (without taking one) when it is more than
        ``left`` seconds away."""
        try:
            start = self._take_shared(left)
        except (OSError, Timeout) as error:
            if not self._warned:
                self._warned = True
                log.warning(
                    "the pace of requests to %s is kept by this command alone: %s", self.name, error
                )
            with self._alone:
                start = self._take(left, self._alone_next)
                if start is not None:
                    self._alone_next = start + self.per
        if start is None:
            return False
        delay = start - self._wall()
        if delay > 0:
            self._sleep(delay)
        return True

    def _take_shared(self, left: float | None) -> float | None:
        """The next slot from the shared file, written as taken; None when too far."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(self._lock_path, timeout=LOCK_WAIT):
            try:
                free = float(self.path.read_text(encoding="ascii").strip() or 0)
            except FileNotFoundError:
                free = 0.0
            except ValueError:
                free = 0.0  # a damaged file: the worst it can cost is one early request
            start = self._take(left, free)
            if start is not None:
                temporary = self.path.with_name(self.path.name + ".tmp")
                temporary.write_text(f"{start + self.per:.3f}\n", encoding="ascii")
                temporary.replace(self.path)
            return start

    def _take(self, left: float | None, free: float) -> float | None:
        """The start of the next slot at or after ``free``; None when more than ``left``
        seconds away. Under the caller's lock."""
        now = self._wall()
        start = max(now, free)
        if left is not None and start - now > left:
            return None
        return start
