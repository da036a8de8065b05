"""Watching the records under ``mkdocs serve`` with the system's file events.

MkDocs watches with watchdog's polling observer: it lists every watched file twice a
second, which for an archive of 25,000 records kept almost half a core busy while
nothing changed. The records are watched here with watchdog's native observer instead
(inotify on Linux, FSEvents on macOS), which costs nothing while idle, and a change asks
the server for a rebuild exactly as MkDocs' own watcher does.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

log = logging.getLogger("mkdocs.plugins.daily-papers")

#: Events that change what a build reads. Opening and closing a file unwritten are events
#: too (inotify reports them), and every rebuild opens the record that changed: reacting
#: to them built the site a second time after every edit.
_CHANGES = frozenset(
    {
        EVENT_TYPE_CREATED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_DELETED,
        EVENT_TYPE_MOVED,
        EVENT_TYPE_CLOSED,
    }
)


class _RebuildOnChange(FileSystemEventHandler):
    def __init__(self, server: Any) -> None:
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in _CHANGES:
            return
        with self.server._rebuild_cond:  # what MkDocs' own watcher does on a change
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()


def has_rebuild_request(server: object) -> bool:
    """Whether ``server`` has the two private attributes MkDocs 1.6's own watcher sets to
    ask for a rebuild (a lock's condition and a flag), of the types it uses."""
    return isinstance(getattr(server, "_rebuild_cond", None), threading.Condition) and isinstance(
        getattr(server, "_want_rebuild", None), bool
    )


def watch_records(server: LiveReloadServer, folder: str) -> Any:
    """Rebuild when a file below ``folder`` changes; returns the running observer.

    Falls back to MkDocs' own (polling) watcher, saying so, when the server does not have
    the rebuild request this relies on (a MkDocs version that changed it).
    """
    if not has_rebuild_request(server):
        log.warning(
            "this MkDocs version's server has no _rebuild_cond and _want_rebuild (MkDocs "
            "1.6 has them), so %s is watched by MkDocs' polling instead of the system's "
            "file events: rebuilds still work, at some CPU while idle",
            folder,
        )
        server.watch(folder)
        return None
    observer = Observer()
    observer.daemon = True
    observer.schedule(_RebuildOnChange(server), folder, recursive=True)
    observer.start()
    # MkDocs names only the paths it polls itself ('docs', 'mkdocs.yml').
    log.info("Watching records for changes: '%s'", _shown(folder))
    return observer


def _shown(folder: str) -> str:
    """``folder`` as MkDocs names watched paths: relative to here when below it."""
    relative = os.path.relpath(folder)
    return folder if relative.startswith("..") else relative
