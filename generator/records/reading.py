"""Reading record files: finding them below a folder, and reading and checking them.

Every command and the MkDocs plugin read records through :func:`read_record` and
:func:`scan`, so a record the site accepts is exactly one ``daily-papers validate``
accepts. Nothing below a data folder is skipped in silence (:func:`find_records`), and
a large archive is read by several processes.
"""

from __future__ import annotations

import fnmatch
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from generator.records.glossary import NAME as GLOSSARY_NAME
from generator.records.model import Paper
from generator.records.problems import Problem, errors
from generator.records.rules import check_record

RECORD_SUFFIXES = (".yaml", ".yml")
#: The lock every writing command takes, in the data folder (ignored by git and by scans).
#: It holds nothing: filelock empties it on every acquire (3.x opens it with O_TRUNC) and
#: removes it on release on Windows and with its soft-lock fallback.
LOCK_NAME = ".daily-papers.lock"
#: How many times commands have added records to the data folder (see ``Store``), beside
#: the lock; ignored by git and by scans like the lock.
GENERATION_NAME = ".daily-papers.generation"
#: The batch a command is putting in place, beside the lock while it renames (see
#: ``Store``); a stopped command leaves it for the next one to complete.
JOURNAL_NAME = ".daily-papers.journal"
#: The files beside the lock, which are the commands' and no record's.
_STATE_NAMES = frozenset({LOCK_NAME, GENERATION_NAME, JOURNAL_NAME, JOURNAL_NAME + ".tmp"})
#: Temporary files a killed command may have left: ``.<name>.yaml.<random>.tmp``.
_TEMPORARY = ".*.yaml.*.tmp"

#: Fewer files than this are read faster here than by starting processes.
PARALLEL_MIN_FILES = 400

Read = tuple[Paper | None, list[Problem]]


def read_record(path: Path, shown: str | None = None) -> Read:
    """Read and check one record file (``shown`` is the path used in messages).

    Where the file lies is judged from its whole path, not the one shown: inside a day's
    folder, ``2410.17243.yaml`` is a record's path as much as ``data/2024/10/25/...``.
    """
    name = shown if shown is not None else str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(name, 1, "file", f"cannot be read: {error.strerror or error}")]
    return check_record(raw, name, path.absolute().as_posix())


def record_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every record file named or found (recursively, sorted) below the given paths."""
    yield from find_records(paths)[0]


def find_records(
    paths: Iterable[Path], base: Path | None = None, roots: Sequence[Path] = ()
) -> tuple[list[Path], list[Problem]]:
    """The record files named or found below ``paths``, and what else was found there.

    Nothing below a data folder is skipped in silence: a symbolic link (file or folder),
    a record-like file with another suffix, a hidden one, or a record outside a
    ``YYYY/MM/DD/`` folder of the data folder (of ``roots``) it lies in is a problem;
    another file is a warning. Symbolic
    links are never followed, so a record is always a file inside the folder itself.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    folders: dict[str, str | None] = {}

    def problem(path: Path, message: str, warning: bool = False) -> None:
        problems.append(Problem(shown_path(path, base, folders), 1, "file", message, warning))

    for path in paths:
        if path.is_symlink():
            problem(path, _LINK)
        elif path.is_dir():
            _walk(path, path, files, problem)
        else:
            files.append(path)
    resolved = [(root, root.resolve()) for root in roots]
    records = []
    for path in files:
        for root, resolved_root in resolved:
            parts = _parts_inside(path, root, resolved_root)
            if parts is not None:
                if parts == (GLOSSARY_NAME,):
                    break  # the glossary, not a record (see .glossary)
                if len(parts) != 4 or not _DAY_PARTS.fullmatch("/".join(parts[:3])):
                    problem(path, _misplaced(parts, shown_path(root, base)))
                records.append(path)
                break
        else:
            records.append(path)
    return records, problems


_LINK = "is a symbolic link; records must be files inside the data folder itself"


def _walk(folder: Path, top: Path, files: list[Path], problem: Callable[..., None]) -> None:
    """Sort what ``folder`` holds, its files (by name) before its folders (by name, each
    walked in turn); ``top`` is the folder named. By :func:`os.scandir`, whose entries
    tell a link or a folder without a system call each (a stat per record was a third
    of the time it takes to find 30,000 records)."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    folders, linked, others = [], [], []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            folders.append(entry)
        elif entry.is_symlink() and entry.is_dir():
            linked.append(entry)
        else:
            others.append(entry)
    for entry in linked:
        problem(folder / entry.name, _LINK)  # never followed
    for entry in others:
        if not (folder is top and entry.name == GLOSSARY_NAME):  # not a record (.glossary)
            _sort_file(folder, entry.name, entry.is_symlink(), files, problem)
    for entry in folders:
        _walk(folder / entry.name, top, files, problem)


def _sort_file(
    folder: Path, name: str, link: bool, files: list[Path], problem: Callable[..., None]
) -> None:
    """The file ``name`` found in ``folder`` (``link``: a symbolic link): a record, or
    why it is not one."""
    if name in _STATE_NAMES or fnmatch.fnmatch(name, _TEMPORARY):
        return  # the lock and its state, and a write in progress (or a killed one's)
    path = folder / name
    if link:
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


def _parts_inside(path: Path, root: Path, resolved_root: Path) -> tuple[str, ...] | None:
    """The parts of ``path`` below the data folder ``root``; None when it is not below.

    Files found by walking ``root`` are below it as written, so resolving them (a system
    call per part of the path, for every record of every build) is only needed for a
    path named another way.
    """
    try:
        parts = path.relative_to(root).parts
        if ".." in parts:
            raise ValueError(parts)
    except ValueError:
        try:
            parts = path.resolve().relative_to(resolved_root).parts
        except ValueError:
            return None
    return parts


def _misplaced(parts: tuple[str, ...], root: str) -> str:
    """Why a file below the data folder ``root`` is in the wrong place, and the right one."""
    message = (
        f"is not in a day folder YYYY/MM/DD/ of {root}; records live at "
        f"{root}/YYYY/MM/DD/<arxiv-id>.yaml"
    )
    if len(parts) > 4 and _DAY_PARTS.fullmatch("/".join(parts[-4:-1])):
        message += f" (this one at {root}/{'/'.join(parts[-4:])})"
    return message


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


def shown_path(path: Path, base: Path | None, folders: dict[str, str | None] | None = None) -> str:
    """``path`` as messages show it: relative to ``base`` (resolved) when below it.

    ``folders`` caches resolved folders across calls, by their names as written:
    resolving costs a system call per path part, and a day's folder holds dozens of
    records. (Split as a string: a path's ``parent`` is a new path to parse and hash,
    half a second for the 30,000 records of a build.)
    """
    if base is None:
        return path.as_posix()
    folders = {} if folders is None else folders
    parent, name = os.path.split(path)
    if parent in folders:
        folder = folders[parent]
    else:
        try:
            folder = Path(parent).resolve().relative_to(base).as_posix()
        except ValueError:
            folder = None
        folders[parent] = folder
    if folder is None:
        return path.as_posix()
    return name if folder == "." else f"{folder}/{name}"


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
    roots: Sequence[Path] = (),
    cache: ReadCache | None = None,
) -> Scan:
    """Read and check records, also across files: the same paper id in two files is an error.

    Paths in messages are shown relative to ``relative_to`` when they lie below it; with
    ``roots`` (data folders), every record found below one must be in one of its day
    folders.
    Many files are read by several processes (see :func:`_read_all`); the result is the
    same. With a ``cache`` (``mkdocs serve`` keeps one across rebuilds), a file whose size
    and modification time have not changed is not read again.
    """
    base = relative_to.resolve() if relative_to is not None else None
    files, found_problems = find_records(paths, base, roots)
    result = Scan(problems=found_problems)
    first_seen: dict[str, str] = {}
    shown_dirs: dict[str, str | None] = {}
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
        if path not in keys or path not in cache or cache[path][0] != keys[path]
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
                return _shared([read for chunk in pool.map(_read_chunk, chunks) for read in chunk])
        except (OSError, BrokenProcessPool):
            pass  # no worker processes here (a sandbox, no /dev/shm): read them below
    return _read_chunk(items)


def _read_chunk(items: list[tuple[Path, str]]) -> list[Read]:
    return _shared([_read_listed(path, shown) for path, shown in items])


def _shared(reads: list[Read]) -> list[Read]:
    """``reads`` with each author's name, keyword and category one string wherever it
    is written (:func:`sys.intern`).

    They repeat across thousands of records, and each record parsed gets its own copies:
    at 30,000 papers in the bench the 515,000 names of authors are 100,000 distinct, and
    the repeats of names, keywords and categories took about 37 MB of the 245 MB the
    records hold. Done as records arrive from worker processes too (pickling copies).
    """
    for paper, _ in reads:
        if paper is not None:
            paper.authors[:] = map(sys.intern, paper.authors)
            paper.keywords[:] = map(sys.intern, paper.keywords)
            if paper.categories:
                paper.categories[:] = map(sys.intern, paper.categories)
    return reads


def _read_listed(path: Path, shown: str) -> Read:
    """One file named or found by :func:`scan`."""
    if not path.exists():
        return None, [Problem(shown, 1, "file", "no such file or folder")]
    if path.suffix == ".yml":
        return None, [Problem(shown, 1, "file", "record files end in .yaml, not .yml")]
    return read_record(path, shown)
