"""The cyclic collector during a build: kept off what lives on, and under ``mkdocs
serve`` freeing what a rebuild left while the preview is idle.

A build holds many objects that live until it ends (three million at 30,000 papers:
records, cards, related lists, pages), and CPython makes a full collection, walking every
one not frozen, whenever the objects that reached its oldest generation since the last
full one exceed a quarter of those that one kept. As reading, planning and writing keep
ever more, a 30,000-paper build made 29 (7.5 of its 92 s, measured with a gc callback;
12, 0.5 of 13 s, at 5,400). So a build holds the collector (:func:`hold`): what is alive
at its start is frozen, and no full collection is made until it ends (:func:`release`).
Young collections go on and free the cycles that die young, which is where a build's
cyclic garbage dies (peak memory unchanged).

``mkdocs serve`` keeps its caches from one rebuild to the next, and what the last rebuild
left (MkDocs' pages and navigation are cycles: 7,500 objects holding 5.5 MB a rebuild at
5,400 papers) must still be freed, which takes one full pass over everything: 1.1 s at
30,000 papers, made as each rebuild started. :class:`Collector` makes it while the
preview is idle, :data:`IDLE_SECONDS` after a rebuild (when the browser has reloaded its
page); a rebuild that starts before then (edits in quick succession) makes it itself as
it starts. Either way, nothing a rebuild left is kept past the start of the next. A
rebuild holds the collector as a build does: after a pass while idle, its own first
collection keeps few objects, and by the rule above a full pass followed every few
thousand kept (12 in a rebuild at 30,000 papers, 1.1 s, measured without the hold).
"""

from __future__ import annotations

import gc
import threading

#: The interpreter's thresholds, restored by :func:`release`.
_THRESHOLDS = gc.get_threshold()
#: Young collections between two full ones while held: more than a build makes.
_NO_FULL = 2**30


#: The preview whose pass while idle may run: a build that starts since takes the
#: collector, and the pass waits for the preview's next rest (gc is the process's: a
#: test process runs many builds and previews one after another).
_resting: Collector | None = None


def hold() -> None:
    """Freeze what is alive now, and make no full collection until :func:`release`."""
    global _resting
    _resting = None
    gc.freeze()
    gc.set_threshold(_THRESHOLDS[0], _THRESHOLDS[1], _NO_FULL)


def release() -> None:
    """Full collections as the interpreter makes them again (frozen objects stay so)."""
    gc.set_threshold(*_THRESHOLDS)


#: Seconds after a rebuild before its garbage is freed: the browser has asked for the
#: rebuilt page by then (the full pass holds the interpreter, the server's thread too).
IDLE_SECONDS = 2.0


class Collector:
    """When the preview's full collections happen: at a rebuild's start, or while idle."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: The pending pass while idle, if any.
        self._timer: threading.Timer | None = None
        #: Whether a full pass was made since the last rebuild started.
        self._rested = False

    def settle(self) -> None:
        """A rebuild starts: free what was left since the last full pass, and freeze what
        lives on. Cheap after a pass while idle; else the full pass, made now."""
        with self._lock:
            self._cancel()
            rested, self._rested = self._rested, False
            if not rested:
                gc.unfreeze()
            gc.collect()
            hold()

    def rest(self) -> None:
        """A rebuild ended (built or failed): make the full pass once the preview is idle."""
        global _resting
        timer = threading.Timer(IDLE_SECONDS, self._idle)
        timer.daemon = True  # never keeps the server's process alive
        with self._lock:
            self._cancel()
            release()
            self._timer = timer
            _resting = self
        timer.start()

    def close(self) -> None:
        """The preview stops: no pass after it."""
        with self._lock:
            self._cancel()
            release()

    def _idle(self) -> None:
        with self._lock:
            if self._timer is not threading.current_thread() or _resting is not self:
                return  # a build started, or a later rebuild ended, since it was set
            self._timer = None
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._rested = True

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
