"""Writing records: the one checked way, under a lock on the data folder.

Every command writes through :meth:`Store.apply`: it reads each record as it is on disk,
lets the command compute the new record from it, checks the result exactly as
validation would, and only then writes, all of the records or none.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import json
import logging
import os
import secrets
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from filelock import FileLock, Timeout

from generator.records.model import Paper
from generator.records.problems import errors
from generator.records.reading import (
    _TEMPORARY,
    GENERATION_NAME,
    JOURNAL_NAME,
    LOCK_NAME,
    read_record,
    record_files_by_id,
    shown_path,
)
from generator.records.rules import check_record, dump

log = logging.getLogger("daily-papers")

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
    commands running at once never lose each other's changes. A file beside the lock
    (never the lock itself, which filelock empties and removes) holds a generation: a
    fresh random token written by every write that adds a file. The ids on disk are
    listed once and listed again only when another command has added records since. The
    file may be deleted at any time: a missing or garbled one is never taken for the
    generation a store last saw (the ids are listed again), and tokens, unlike a counter
    that would start again at 1, never repeat one seen before.
    """

    def __init__(
        self, data_dir: Path, relative_to: Path | None = None, lock_timeout: float | None = None
    ) -> None:
        self.data_dir = data_dir
        self._base = relative_to.resolve() if relative_to is not None else None
        self._folders: dict[str, str | None] = {}
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

        The first time, a batch a stopped command left half-applied is completed and
        temporary files a killed command left behind are removed.
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

        A record is written where its date and id say it belongs, so an edit that
        changes the date (a paper found listed on an earlier day) moves the record, in
        the same batch. Raises :class:`StoreError` (and writes nothing) when a record on
        disk is broken, a change refuses, a new record would be invalid or would record a
        paper a second time, a path leads through a symbolic link, another command holds
        the lock too long, or a file cannot be written.
        """
        if not edits:
            return []
        with self.locked():
            staged: list[tuple[Path, bytes]] = []
            removed: list[Path] = []
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
                target = self.path(new)
                if target != edit.path:  # a new home day: the record moves there
                    shown = self.shown(target)
                    self._refuse_links(target, shown)
                    if target.exists() or target in (path for path, _ in staged):
                        raise StoreError(
                            shown, f"already exists, so {self.shown(edit.path)} cannot move there"
                        )
                    if current is not None:
                        removed.append(edit.path)
                if current is None:
                    self._refuse_second_file(new.id, target, shown)
                if target != edit.path or current is None:
                    created.append(target)
                text = dump(new).encode("utf-8")
                checked, problems = check_record(text, shown, self._location(target))
                if checked is None:
                    first = errors(problems)[0]
                    raise StoreError(
                        shown,
                        f"the new record would be invalid: {first.key}: {first.message}; "
                        "not written",
                    )
                staged.append((target, text))
                outcomes.append("new" if current is None else "updated")
            self._write_all(staged, removed)
            if created:
                self._record_added(created, removed)
            return outcomes

    def _location(self, path: Path) -> str:
        """Where ``path`` is inside the data folder, which is what the path rule judges
        (the displayed path may be relative to any folder, even a day's). Temporary
        files are named absolute, so both sides are made absolute."""
        return path.absolute().relative_to(self.data_dir.absolute()).as_posix()

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
        records since this store last looked (the generation changed). Under the lock."""
        generation = self._read_generation()
        if generation is None:
            # None on disk (never written, deleted, garbled): start a new one, so the ids
            # listed now are listed once, not on every call.
            generation = self._new_generation()
        elif self._ids is not None and generation == self._generation:
            return self._ids
        self._ids = {
            paper_id: paths[0] for paper_id, paths in record_files_by_id(self.data_dir).items()
        }
        self._generation = generation
        return self._ids

    def _read_generation(self) -> str | None:
        """The generation on disk; None when there is none to trust (missing, garbled)."""
        try:
            text = (self.data_dir / GENERATION_NAME).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text if text.isalnum() else None

    def _new_generation(self) -> str:
        """Write a fresh generation and return it. Tokens, unlike a counter that would
        start again at 1 once the file is deleted, never repeat one a store has seen."""
        generation = secrets.token_hex(8)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / GENERATION_NAME).write_text(generation + "\n", encoding="ascii")
        return generation

    def _record_added(self, paths: list[Path], removed: list[Path]) -> None:
        """Tell other commands' stores (through the generation) that files were added
        (or moved)."""
        ids = self._current_ids()
        for path in removed:
            if ids.get(path.stem) == path:
                del ids[path.stem]
        ids.update((path.stem, path) for path in paths)
        self._generation = self._new_generation()

    def _sweep(self) -> None:
        """Finish the batch a stopped command left half-applied, then remove the
        temporary files a killed command left (safe: the lock is held)."""
        self._recover()
        leftovers = [
            *self.data_dir.glob(f"**/{_TEMPORARY}"),
            self.data_dir / (JOURNAL_NAME + ".tmp"),
        ]
        for leftover in leftovers:
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink(missing_ok=True)
        self._swept = True

    def _write_all(self, staged: list[tuple[Path, bytes]], removed: list[Path]) -> None:
        """Write each file next to its target first; only when all are written, put them
        in place, all of them or (after a crash, once the next command has looked) none.

        A full disk or a missing permission then leaves every record as it was. A batch
        of more than one change is listed first in a journal beside the lock; a command
        stopped while renaming leaves it behind, and the next command that takes the lock
        completes the batch (:meth:`_recover`). One file needs no journal: a rename is
        whole or not at all.
        """
        temporary: list[tuple[Path, Path]] = []
        try:
            for path, data in staged:
                try:
                    temporary.append((Path(_stage(path, data)), path))
                except OSError as error:
                    raise StoreError(
                        self.shown(path),
                        f"cannot be written: {error.strerror or error}; nothing was written",
                    ) from None
            journal = len(temporary) + len(removed) > 1
            if journal:
                self._write_journal(temporary, removed)
            try:
                for tmp, path in temporary:
                    try:
                        _rename(tmp, path)
                    except OSError as error:
                        raise StoreError(
                            self.shown(path), f"cannot be replaced: {error.strerror or error}"
                        ) from None
                for path in removed:
                    path.unlink(missing_ok=True)
            except StoreError:
                if journal:
                    self._recover()  # completes what it can, and reports it
                raise
            if journal:
                (self.data_dir / JOURNAL_NAME).unlink()
        finally:
            for tmp, _ in temporary:
                tmp.unlink(missing_ok=True)

    def _write_journal(self, renames: list[tuple[Path, Path]], removed: list[Path]) -> None:
        entry = {
            "renames": [[self._location(tmp), self._location(path)] for tmp, path in renames],
            "removals": [self._location(path) for path in removed],
        }
        journal = self.data_dir / JOURNAL_NAME
        written = journal.with_name(JOURNAL_NAME + ".tmp")  # one writer: the lock is held
        try:
            _write_synced(written, json.dumps(entry).encode("utf-8"))
            written.replace(journal)  # whole or not at all
        except OSError as error:
            written.unlink(missing_ok=True)
            raise StoreError(
                self.shown(journal),
                f"cannot be written: {error.strerror or error}; nothing was written",
            ) from None

    def _recover(self) -> None:
        """Complete the batch a journal lists, if a stopped command left one.

        The journal was written whole (a rename) once every file of the batch was written
        and checked, so the batch is completed forward: each file still waiting is put in
        place, each record moved away removed. Only entries of the journal's own form are
        followed (a temporary file to a record's place, inside the data folder), and each
        file waiting is checked as a record again: a journal that is not ours changes
        nothing, and the error says so.
        """
        journal = self.data_dir / JOURNAL_NAME
        if not journal.is_file() or journal.is_symlink():
            return
        shown = self.shown(journal)
        try:
            entry = json.loads(journal.read_bytes())
            renames = [
                (self._inside(tmp, temporary=True), self._inside(path))
                for tmp, path in entry["renames"]
            ]
            removals = [self._inside(path) for path in entry["removals"]]
        except (OSError, ValueError, TypeError, KeyError) as error:
            raise StoreError(
                shown,
                f"is not a journal this version wrote ({error}); nothing was changed: "
                "look at it, then remove it",
            ) from None
        waiting = [(tmp, path) for tmp, path in renames if tmp.is_file()]
        for tmp, path in waiting:
            checked, _ = check_record(tmp.read_bytes(), self.shown(path), self._location(path))
            if checked is None:
                raise StoreError(
                    shown,
                    f"lists {self.shown(tmp)}, which is not a valid record; nothing was "
                    "changed: look at the journal, then remove it",
                )
        for tmp, path in waiting:
            _rename(tmp, path)
        for path in removals:
            path.unlink(missing_ok=True)
        journal.unlink()
        self._ids = None  # files moved: list them again
        log.warning(
            "%s: a command stopped while writing %d record(s); the %d not yet in place "
            "were completed from the journal",
            self.shown(self.data_dir),
            len(renames) + len(removals),
            len(waiting) + sum(1 for path in removals if path.exists()),
        )

    def _inside(self, relative: object, *, temporary: bool = False) -> Path:
        """A journal entry's path: inside the data folder and of the expected form."""
        if not isinstance(relative, str):
            raise TypeError(f"an entry is {type(relative).__name__}, not a path")
        path = self.data_dir / relative
        parts = Path(relative).parts
        name_ok = fnmatch.fnmatch(path.name, _TEMPORARY) if temporary else path.suffix == ".yaml"
        if ".." in parts or Path(relative).is_absolute() or len(parts) != 4 or not name_ok:
            raise ValueError(f"{relative!r} is not a record's place in the data folder")
        return path


def _rename(tmp: Path, path: Path) -> None:
    """Put one written file in place (tests stop a process here, between two renames)."""
    tmp.replace(path)


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
            _write_handle(handle, data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _write_synced(path: Path, data: bytes) -> None:
    """``data`` as the whole of ``path``, flushed to disk."""
    with path.open("wb") as handle:
        _write_handle(handle, data)


def _write_handle(handle: BinaryIO, data: bytes) -> None:
    handle.write(data)
    handle.flush()
    os.fsync(handle.fileno())
