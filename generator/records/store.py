"""Writing records: the one checked way, under a lock on the data folder.

Every command writes through :meth:`Store.apply`: it reads each record as it is on disk,
lets the command compute the new record from it, checks the result exactly as
validation would, and only then writes, all of the records or none.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from generator.records.model import Paper
from generator.records.problems import errors
from generator.records.reading import (
    _TEMPORARY,
    LOCK_NAME,
    read_record,
    record_files_by_id,
    shown_path,
)
from generator.records.rules import check_record, dump

#: How long a command waits for another one to finish writing before giving up.
LOCK_TIMEOUT = 60.0


class StoreError(Exception):
    """A write that did not happen (nothing of it did): which file, and why."""

    def __init__(self, shown: str, reason: str) -> None:
        super().__init__(f"{shown}: {reason}")
        self.shown = shown
        self.reason = reason


#: Given the record on disk (None: there is no file yet), the record to write, or None
#: to leave the file as it is. It may raise :class:`StoreError` to refuse the edit.
Change = Callable[[Paper | None], Paper | None]
Outcome = Literal["new", "updated", "unchanged"]


@dataclass(frozen=True)
class Edit:
    """One record to create or update: where, and how to compute it from what is there."""

    path: Path
    change: Change


class Store:
    """The records below one data folder, as the commands change them.

    Every write happens under a lock on the folder, shared by all processes and threads,
    and each edit is computed from the record as it is on disk at that moment, so two
    commands running at once never lose each other's changes. The lock file holds a
    generation number every write that adds a file increments: the ids on disk are
    listed once and listed again only when another command has added records since.
    """

    def __init__(
        self, data_dir: Path, relative_to: Path | None = None, lock_timeout: float | None = None
    ) -> None:
        self.data_dir = data_dir
        self._base = relative_to.resolve() if relative_to is not None else None
        self._folders: dict[Path, str | None] = {}
        timeout = LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        self._lock = FileLock(data_dir / LOCK_NAME, timeout=timeout, thread_local=True)
        self._guard = threading.RLock()
        self._ids: dict[str, Path] | None = None
        self._generation: str | None = None
        self._swept = False

    def path(self, paper: Paper) -> Path:
        """Where ``paper`` belongs below the data folder."""
        return self.data_dir / paper.relative_path()

    def shown(self, path: Path) -> str:
        """``path`` as messages show it."""
        return shown_path(path, self._base, self._folders)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the data folder's lock (re-entrant): no other command writes meanwhile.

        The first time, temporary files a killed command left behind are removed.
        """
        with self._guard:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            try:
                self._lock.acquire()
            except Timeout:
                raise StoreError(
                    self.shown(self.data_dir / LOCK_NAME),
                    f"another daily-papers command has been writing "
                    f"{self.shown(self.data_dir)} for {self._lock.timeout:g} s "
                    "(it holds this lock); run this one again when it has "
                    "finished",
                ) from None
            try:
                if not self._swept:
                    self._sweep()
                yield
            finally:
                self._lock.release()

    def check_writable(self, folders: Iterable[Path] = ()) -> None:
        """Raise :class:`StoreError` unless records can be written here now: the lock can
        be taken and the folders are writable. Commands that pay for their work (an LLM
        request per paper) check this before they start."""
        try:
            with self.locked():
                for folder in (self.data_dir, *folders):
                    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
                        raise StoreError(
                            self.shown(folder), "is not writable, so no record there can be written"
                        )
        except OSError as error:
            raise StoreError(
                self.shown(self.data_dir), f"cannot be written: {error.strerror or error}"
            ) from None

    def where(self, paper_id: str) -> Path | None:
        """The file holding ``paper_id`` now, or None (call it holding :meth:`locked`)."""
        with self.locked():
            return self._current_ids().get(paper_id)

    def put(self, papers: Iterable[Paper]) -> list[Outcome]:
        """Write these records as they are, replacing what is there (samples, benchmarks)."""
        return self.apply([Edit(self.path(paper), _replace_with(paper)) for paper in papers])

    def apply(self, edits: Sequence[Edit]) -> list[Outcome]:
        """Make every edit, or none: each new record is checked before anything is written.

        Raises :class:`StoreError` (and writes nothing) when a record on disk is broken,
        a change refuses, a new record would be invalid or would record a paper a second
        time, a path leads through a symbolic link, another command holds the lock too
        long, or a file cannot be written.
        """
        if not edits:
            return []
        with self.locked():
            staged: list[tuple[Path, bytes]] = []
            created: list[Path] = []
            outcomes: list[Outcome] = []
            for edit in edits:
                shown = self.shown(edit.path)
                self._refuse_links(edit.path, shown)
                current = self._current(edit.path, shown)
                new = edit.change(current)
                if new is None or new == current:
                    outcomes.append("unchanged")
                    continue
                if current is None:
                    self._refuse_second_file(new.id, edit.path, shown)
                    created.append(edit.path)
                text = dump(new).encode("utf-8")
                checked, problems = check_record(text, shown)
                if checked is None:
                    first = errors(problems)[0]
                    raise StoreError(
                        shown,
                        f"the new record would be invalid: {first.key}: {first.message}; "
                        "not written",
                    )
                staged.append((edit.path, text))
                outcomes.append("new" if current is None else "updated")
            self._write_all(staged)
            if created:
                self._record_added(created)
            return outcomes

    def _current(self, path: Path, shown: str) -> Paper | None:
        """The record at ``path`` now, None when there is none; a broken one refuses."""
        if not path.exists():
            return None
        paper, problems = read_record(path, shown)
        if paper is None:
            first = errors(problems)[0]
            raise StoreError(
                shown,
                f"has an error ({first.key}: {first.message}); left as "
                f"it is: fix it (see 'daily-papers validate {shown}') and "
                "run again",
            )
        return paper

    def _refuse_links(self, path: Path, shown: str) -> None:
        """A record is written only inside the data folder: never through a symbolic link."""
        try:
            inside = path.relative_to(self.data_dir)
        except ValueError:
            raise StoreError(shown, f"is not inside {self.shown(self.data_dir)}") from None
        here = self.data_dir
        for part in inside.parts:
            here = here / part
            if here.is_symlink():
                raise StoreError(
                    shown,
                    f"{self.shown(here)} is a symbolic link; records are "
                    "only written inside the data folder itself",
                )

    def _refuse_second_file(self, paper_id: str, path: Path, shown: str) -> None:
        other = self._current_ids().get(paper_id)
        if other is not None and other != path:
            raise StoreError(
                shown,
                f"paper {paper_id} is already recorded in "
                f"{self.shown(other)}; a paper has one record",
            )

    def _current_ids(self) -> dict[str, Path]:
        """Every record file by paper id, listed again only when another command added
        records since this store last looked (the lock file's generation changed)."""
        generation = self._read_generation()
        if self._ids is None or generation != self._generation:
            self._ids = {
                paper_id: paths[0] for paper_id, paths in record_files_by_id(self.data_dir).items()
            }
            self._generation = generation
        return self._ids

    def _read_generation(self) -> str:
        try:
            return (self.data_dir / LOCK_NAME).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    def _record_added(self, paths: list[Path]) -> None:
        """Tell other commands' stores (through the generation) that files were added."""
        ids = self._current_ids()
        ids.update((path.stem, path) for path in paths)
        previous = self._generation or ""
        generation = str(int(previous) + 1 if previous.isdigit() else 1)
        (self.data_dir / LOCK_NAME).write_text(generation + "\n", encoding="ascii")
        self._generation = generation

    def _sweep(self) -> None:
        """Remove the temporary files a killed command left (safe: the lock is held)."""
        for leftover in self.data_dir.glob(f"**/{_TEMPORARY}"):
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink(missing_ok=True)
        self._swept = True

    def _write_all(self, staged: list[tuple[Path, bytes]]) -> None:
        """Write each file next to its target first; only when all are written, rename them.

        A full disk or a missing permission then leaves every record as it was; a crash
        between the renames leaves whole files, old or new, never half of one.
        """
        temporary: list[tuple[str, Path]] = []
        try:
            for path, data in staged:
                try:
                    temporary.append((_stage(path, data), path))
                except OSError as error:
                    raise StoreError(
                        self.shown(path),
                        f"cannot be written: {error.strerror or error}; nothing was written",
                    ) from None
            for tmp, path in temporary:
                try:
                    Path(tmp).replace(path)
                except OSError as error:
                    raise StoreError(
                        self.shown(path), f"cannot be replaced: {error.strerror or error}"
                    ) from None
        finally:
            for tmp, _ in temporary:
                Path(tmp).unlink(missing_ok=True)


def _replace_with(paper: Paper) -> Change:
    return lambda current: paper


@functools.cache
def _file_mode() -> int:
    """The mode a new file gets from the process's umask (``mkstemp`` would give 0600).

    Read once: reading the umask means setting it, which is not safe while other threads
    create files.
    """
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _stage(path: Path, data: bytes) -> str:
    """``data`` in a new temporary file beside ``path``, flushed to disk; its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp
