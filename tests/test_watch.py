"""The preview's watcher: real file events on a real folder, a stand-in for the server.

MkDocs' server rebuilds when ``_want_rebuild`` is set under ``_rebuild_cond``; the stand-in
has just those two, so the test sees exactly what the watcher asks of the server.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from generator.plugin.watch import watch_records


class Server:
    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False

    def wanted(self, within: float) -> bool:
        """Whether a rebuild is asked for within ``within`` seconds (and reset it)."""
        with self._rebuild_cond:
            self._rebuild_cond.wait_for(lambda: self._want_rebuild, timeout=within)
            wanted, self._want_rebuild = self._want_rebuild, False
        return wanted


@pytest.fixture
def watched(tmp_path: Path) -> Any:
    record = tmp_path / "2024" / "02" / "14" / "2402.00001.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("title: A\n", encoding="utf-8")
    server = Server()
    observer = watch_records(server, str(tmp_path))  # type: ignore[arg-type]
    time.sleep(0.2)  # the observer's watches are in place
    yield server, record
    observer.stop()
    observer.join()


def test_the_watched_folder_is_named(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # mkdocs serve said "Watching paths for changes: 'docs', 'mkdocs.yml'" though record
    # edits rebuild too.
    with caplog.at_level("INFO"):
        observer = watch_records(Server(), str(tmp_path))  # type: ignore[arg-type]
    observer.stop()
    observer.join()
    assert f"Watching records for changes: '{tmp_path}'" in caplog.text


def test_writing_a_record_asks_for_a_rebuild(watched: Any) -> None:
    server, record = watched
    record.write_text("title: B\n", encoding="utf-8")
    assert server.wanted(within=5)


def test_reading_a_record_does_not(watched: Any) -> None:
    # The rebuild reads the changed record: if reading asked for a rebuild, every edit
    # would build the site twice (measured: a fifth of a core busy after each edit).
    server, record = watched
    record.read_text(encoding="utf-8")
    record.stat()
    assert not server.wanted(within=0.5)


def test_adding_removing_and_renaming_records_ask_for_a_rebuild(watched: Any) -> None:
    server, record = watched
    other = record.with_name("2402.00002.yaml")
    other.write_text("title: C\n", encoding="utf-8")
    assert server.wanted(within=5)
    other.rename(record.with_name("2402.00003.yaml"))
    assert server.wanted(within=5)
    record.unlink()
    assert server.wanted(within=5)


def test_the_real_server_has_what_the_watcher_needs() -> None:
    # The attributes are MkDocs' private ones: a MkDocs release that renames them must
    # fail here, not quietly fall back to polling on every user's machine.
    from mkdocs.livereload import LiveReloadServer

    from generator.plugin.watch import has_rebuild_request

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root="/tmp")
    assert has_rebuild_request(server)


def test_a_server_without_them_is_polled_and_the_user_told(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class OldServer:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = OldServer()
    with caplog.at_level("WARNING"):
        assert watch_records(server, str(tmp_path)) is None  # type: ignore[arg-type]
    assert server.watched == [str(tmp_path)]
    assert "polling" in caplog.text and "_rebuild_cond" in caplog.text
