"""Record files on disk: finding them, reading them, and the one checked way to write.

Every command and the MkDocs plugin read records through :func:`read_record` and
:func:`scan`, so a record the site accepts is exactly one ``daily-papers validate``
accepts. Every command writes through :meth:`Store.apply`: it reads each record as it
is on disk, lets the command compute the new record from it, checks the result exactly
as validation would, and only then writes, all of the records or none.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import multiprocessing
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from generator.records.model import Paper
from generator.records.problems import Problem, errors
from generator.records.rules import check_record
from generator.records.yamlio import dump

RECORD_SUFFIXES = (".yaml", ".yml")
#: The lock every writing command takes, in the data folder (ignored by git and by scans).
LOCK_NAME = ".daily-papers.lock"
#: How long a command waits for another one to finish writing before giving up.
LOCK_TIMEOUT = 60.0
#: Temporary files a killed command may have left: ``.<name>.yaml.<random>.tmp``.
_TEMPORARY = ".*.yaml.*.tmp"

#: Fewer files than this are read faster here than by starting processes.
PARALLEL_MIN_FILES = 400

Read = tuple[Paper | None, list[Problem]]


def read_record(path: Path, shown: str | None = None) -> Read:
    """Read and check one record file (``shown`` is the path used in messages)."""
    name = shown if shown is not None else str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(name, 1, "file", f"cannot be read: {error.strerror or error}")]
    return check_record(raw, name)


def record_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every record file named or found (recursively, sorted) below the given paths."""
    yield from find_records(paths)[0]


def find_records(
    paths: Iterable[Path], base: Path | None = None, root: Path | None = None
) -> tuple[list[Path], list[Problem]]:
    """The record files named or found below ``paths``, and what else was found there.

    Nothing below a data folder is skipped in silence: a symbolic link (file or folder),
    a record-like file with another suffix, a hidden one, or a record outside a
    ``YYYY/MM/DD/`` folder of ``root`` is a problem; another file is a warning. Symbolic
    links are never followed, so a record is always a file inside the folder itself.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    folders: dict[Path, str | None] = {}

    def problem(path: Path, message: str, warning: bool = False) -> None:
        problems.append(Problem(shown_path(path, base, folders), 1, "file", message, warning))

    for path in paths:
        if path.is_symlink():
            problem(path, _LINK)
        elif path.is_dir():
            for folder, dirs, names in os.walk(path):
                here = Path(folder)
                for name in sorted(dirs):
                    if (here / name).is_symlink():
                        problem(here / name, _LINK)
                dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
                for name in sorted(names):
                    _sort_file(here / name, files, problem)
        else:
            files.append(path)
    if root is not None:
        for path in files:
            if _outside_day_folders(path, root):
                problem(
                    path,
                    f"is not in a day folder YYYY/MM/DD/ of {shown_path(root, base)}; "
                    "records live at YYYY/MM/DD/<arxiv-id>.yaml",
                )
    return files, problems


_LINK = "is a symbolic link; records must be files inside the data folder itself"


def _sort_file(path: Path, files: list[Path], problem: Callable[..., None]) -> None:
    """File ``path`` found in a folder: a record, or why it is not one."""
    name = path.name
    if name == LOCK_NAME or fnmatch.fnmatch(name, _TEMPORARY):
        return  # the lock, and a write in progress (or one a killed command left)
    if path.is_symlink():
        problem(path, _LINK)
    elif path.suffix.lower() not in RECORD_SUFFIXES:
        problem(
            path, "is not a record (YYYY/MM/DD/<arxiv-id>.yaml); the site ignores it", warning=True
        )
    elif name.startswith("."):
        problem(path, "is a hidden file, so it would be skipped; a record's name is its arXiv id")
    elif path.suffix != ".yaml":
        problem(path, f"record files end in .yaml, not {path.suffix}")
    else:
        files.append(path)


def _outside_day_folders(path: Path, root: Path) -> bool:
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False  # named on the command line from elsewhere: its path is checked
    return len(parts) != 4 or not _DAY_PARTS.fullmatch("/".join(parts[:3]))


_DAY_PARTS = re.compile(r"[0-9]{4}/[0-9]{2}/[0-9]{2}")


def record_files_by_id(data_dir: Path) -> dict[str, list[Path]]:
    """Record files already below ``data_dir`` by paper id (from their names, not read).

    Commands that add records use it so one paper never gets a second file.
    """
    found: dict[str, list[Path]] = {}
    if data_dir.is_dir():
        for path in record_files([data_dir]):
            found.setdefault(path.stem, []).append(path)
    return found


def shown_path(path: Path, base: Path | None, folders: dict[Path, str | None] | None = None) -> str:
    """``path`` as messages show it: relative to ``base`` (resolved) when below it.

    ``folders`` caches resolved folders across calls: resolving costs a system call per
    path part, and a day's folder holds dozens of records.
    """
    if base is None:
        return path.as_posix()
    folders = {} if folders is None else folders
    if path.parent not in folders:
        try:
            folders[path.parent] = path.parent.resolve().relative_to(base).as_posix()
        except ValueError:
            folders[path.parent] = None
    folder = folders[path.parent]
    if folder is None:
        return path.as_posix()
    return path.name if folder == "." else f"{folder}/{path.name}"


# --- reading many ---------------------------------------------------------------------


@dataclass
class Scan:
    """The result of reading many records: the good papers and every problem found."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)


#: Records read before, by path, with the size and modification time they had then.
ReadCache = dict[Path, tuple[tuple[int, int], Read]]


def scan(
    paths: Iterable[Path],
    relative_to: Path | None = None,
    root: Path | None = None,
    cache: ReadCache | None = None,
) -> Scan:
    """Read and check records, also across files: the same paper id in two files is an error.

    Paths in messages are shown relative to ``relative_to`` when they lie below it; with
    ``root`` (the data folder), every record found must be in one of its day folders.
    Many files are read by several processes (see :func:`_read_all`); the result is the
    same. With a ``cache`` (``mkdocs serve`` keeps one across rebuilds), a file whose size
    and modification time have not changed is not read again.
    """
    base = relative_to.resolve() if relative_to is not None else None
    files, found_problems = find_records(paths, base, root)
    result = Scan(problems=found_problems)
    first_seen: dict[str, str] = {}
    shown_dirs: dict[Path, str | None] = {}
    items = [(path, shown_path(path, base, shown_dirs)) for path in files]
    for (_, shown), (paper, problems) in zip(items, _read_cached(items, cache), strict=True):
        result.problems.extend(problems)
        if paper is None:
            continue
        if paper.id in first_seen:
            result.problems.append(
                Problem(
                    shown,
                    1,
                    "id",
                    f"duplicate: paper {paper.id} is also recorded in {first_seen[paper.id]}",
                )
            )
            continue
        first_seen[paper.id] = shown
        result.papers.append(paper)
    return result


def _read_cached(items: list[tuple[Path, str]], cache: ReadCache | None) -> list[Read]:
    """Every listed file's result, read again only when it changed since it was cached."""
    if cache is None:
        return _read_all(items)
    keys = {}
    for path, _ in items:
        try:
            status = path.stat()
            keys[path] = (status.st_size, status.st_mtime_ns)
        except OSError:
            pass  # read below, which reports why it cannot be
    stale = [
        (path, shown)
        for path, shown in items
        if path not in keys or cache.get(path, ((-1, -1), (None, [])))[0] != keys[path]
    ]
    fresh = dict(zip((path for path, _ in stale), _read_all(stale), strict=True))
    for gone in set(cache) - set(keys):
        del cache[gone]
    for path, read in fresh.items():
        if path in keys:
            cache[path] = (keys[path], read)
    return [fresh[path] if path in fresh else cache[path][1] for path, _ in items]


def _read_all(items: list[tuple[Path, str]]) -> list[Read]:
    """Every listed file's result, in order.

    Reading is CPU-bound in PyYAML (threads would not help), and an archive of 25,000
    records takes seconds, so large lists are split among forked worker processes, one
    per available CPU. Forking is only safe in a process running a single thread (a
    ``mkdocs build``, ``daily-papers validate``); elsewhere, and where processes cannot
    be started, the files are read here, one by one.
    """
    # CPUs this process may use; without sched_getaffinity (macOS, Windows), where fork
    # is unsafe or missing, files are read one by one.
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if (
        workers > 1
        and len(items) >= PARALLEL_MIN_FILES
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    ):
        size = -(-len(items) // (workers * 4))
        chunks = [items[start : start + size] for start in range(0, len(items), size)]
        try:
            with ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("fork")
            ) as pool:
                return [read for chunk in pool.map(_read_chunk, chunks) for read in chunk]
        except (OSError, BrokenProcessPool):
            pass  # no worker processes here (a sandbox, no /dev/shm): read them below
    return _read_chunk(items)


def _read_chunk(items: list[tuple[Path, str]]) -> list[Read]:
    return [_read_listed(path, shown) for path, shown in items]


def _read_listed(path: Path, shown: str) -> Read:
    """One file named or found by :func:`scan`."""
    if not path.exists():
        return None, [Problem(shown, 1, "file", "no such file or folder")]
    if path.suffix == ".yml":
        return None, [Problem(shown, 1, "file", "record files end in .yaml, not .yml")]
    return read_record(path, shown)


# --- writing --------------------------------------------------------------------------


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
