"""Reading records: parse, check every field, and report problems by file, line and key.

``daily-papers validate``, the other commands and the MkDocs plugin all read records
through :func:`read_record` and :func:`scan`, so a record the site accepts is exactly a
record the validator accepts. Nothing here raises for a malformed file: every way a file
can be broken becomes a :class:`Problem`.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.record import (
    ARXIV_ID_RE,
    CONTROL_CHARS,
    KEY_ORDER,
    LINK_KEYS,
    MEDIA_KINDS,
    REQUIRED_KEYS,
    SUMMARY_KINDS,
    Media,
    Paper,
    SummarySource,
    type_name,
    url_problem,
)

try:  # libyaml's C parser is several times faster; the site reads every record each build
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

RECORD_SUFFIXES = (".yaml", ".yml")
_PATH_RE = re.compile(r"(\d{4})/(\d{2})/(\d{2})/([^/]+)\.yaml$")
# A tag starts with "<" directly followed by a letter, "/", "!" or "?" (HTML tokenizer
# rules); "a < b" is text, which is what the error message tells people to write.
_HTML_RE = re.compile(r"<[A-Za-z/!?]")
_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1", re.S)
_MD_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]*)")
_FINGERPRINT_RE = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record, pointing at the line a person must fix."""

    path: str
    line: int
    key: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {self.key}: {prefix}{self.message}"

    def github(self) -> str:
        """The problem as a GitHub Actions workflow command, annotating the line in a PR."""
        level = "warning" if self.warning else "error"
        message = f"{self.key}: {self.message}".replace("%", "%25")
        message = message.replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::{level} file={path},line={self.line}::{message}"


class _Lines:
    """Line numbers of the keys and items of a composed YAML document, by key path.

    Filled while parsing, or (for a document read by the fast path) from ``root`` the
    first time a line is asked for: a valid record never needs one.
    """

    def __init__(self) -> None:
        self.by_path: dict[tuple[Any, ...], int] = {}
        self.root: yaml.Node | None = None

    def get(self, *path: Any) -> int:
        """The line of the deepest known prefix of ``path`` (1 when nothing is known)."""
        if self.root is not None:
            root, self.root = self.root, None
            _walk(root, (), self, set(), _Checker("", self))
        while path not in self.by_path:
            if not path:
                return 1
            path = path[:-1]
        return self.by_path[path]


@dataclass
class _Checker:
    """Collects the problems of one record while its fields are converted."""

    path: str
    lines: _Lines
    problems: list[Problem] = field(default_factory=list)

    def error(self, key_path: tuple[Any, ...], message: str, warning: bool = False) -> None:
        self.problems.append(
            Problem(self.path, self.lines.get(*key_path), _key_name(key_path), message, warning)
        )


def _key_name(key_path: tuple[Any, ...]) -> str:
    name = ""
    for part in key_path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "file"


def _walk(node: yaml.Node, key_path: tuple[Any, ...], lines: _Lines, seen: set[int],
          checker: _Checker) -> None:
    """Record line numbers; reject aliases and duplicate keys (YAML would keep the last)."""
    if id(node) in seen:
        checker.error(key_path, "anchors and aliases are not allowed in a record")
        raise _Abort
    seen.add(id(node))
    lines.by_path.setdefault(key_path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                lines.by_path[key_path] = key_node.start_mark.line + 1
                checker.error(key_path, "keys must be plain words, not lists or mappings")
                raise _Abort
            key = key_node.value
            child = (*key_path, key)
            if key in keys:
                lines.by_path[child] = key_node.start_mark.line + 1
                checker.error(child, "duplicate key (YAML would silently keep only the last)")
                raise _Abort
            keys.add(key)
            lines.by_path[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines, seen, checker)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*key_path, index), lines, seen, checker)


class _Abort(Exception):
    """Stop checking a record whose structure is already known to be unusable."""


_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
#: Scalar tags PyYAML converts (numbers, booleans, dates); anything else is unusual.
_CONVERTED_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                            for name in ("int", "float", "bool", "timestamp"))
_UNUSUAL = object()


def _construct_plain(loader: Any, root: yaml.Node) -> Any:
    """The document's data, built directly from the nodes, or ``_UNUSUAL``.

    Records are plain mappings, lists and scalars, and reading thousands of them is
    most of a site build; building the data here is several times faster than PyYAML's
    generic constructor and than recording every line up front. Anything unusual (an
    alias, a duplicate or non-scalar key, another tag, a value PyYAML refuses) returns
    ``_UNUSUAL`` and the careful path reads the file again with exact messages.
    """
    seen: set[int] = set()

    def build(node: yaml.Node) -> Any:
        if id(node) in seen:
            raise _Unusual
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return node.value
            if node.tag == _NULL_TAG:
                return None
            if node.tag in _CONVERTED_TAGS:
                try:  # the tag's own converter, without the constructor's bookkeeping
                    return loader.yaml_constructors[node.tag](loader, node)
                except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                    raise _Unusual from None
            raise _Unusual
        if isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
            return [build(item) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
            data: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Unusual
                key = build(key_node)
                if key in data or not isinstance(key, (str, int, bool)) or key is None:
                    raise _Unusual
                data[key] = build(value_node)
            return data
        raise _Unusual

    try:
        return build(root)
    except (_Unusual, RecursionError):
        return _UNUSUAL


class _Unusual(Exception):
    """A document the fast path leaves to the careful one."""


def _parse_yaml(text: str, checker: _Checker) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            checker.error((), "the file is empty")
            raise _Abort
        data = _construct_plain(loader, node)
        if data is not _UNUSUAL:
            checker.lines.root = node
            return data
        _walk(node, (), checker.lines, set(), checker)
        if not isinstance(node, yaml.MappingNode):
            return loader.construct_document(node)
        return {
            loader.construct_object(key_node, deep=True):
                _construct_value(loader, key_node, value_node, checker)
            for key_node, value_node in node.value
        }
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        last_line = max(1, len(text.splitlines()))
        line = min(mark.line + 1, last_line) if mark else 1
        detail = error.problem or error.context or "invalid YAML"
        if mark and "\t" in _line_text(text, mark.line):
            detail += " (this line has a tab: YAML is indented with spaces)"
        checker.problems.append(Problem(checker.path, line, "yaml", f"invalid YAML: {detail}"))
        raise _Abort from None
    except yaml.YAMLError as error:
        checker.error((), f"invalid YAML: {error}")
        raise _Abort from None
    except (ValueError, TypeError, OverflowError) as error:
        # The safe constructor raises plain errors for values such as 2024-02-30.
        checker.error((), f"invalid value: {error}")
        raise _Abort from None
    finally:
        loader.dispose()


def _line_text(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def _construct_value(loader: Any, key_node: yaml.Node, value_node: yaml.Node,
                     checker: _Checker) -> Any:
    """Build one top-level value, blaming a bad value (such as 2024-02-30) on its key."""
    try:
        return loader.construct_object(value_node, deep=True)
    except (ValueError, TypeError, OverflowError) as error:
        key = (key_node.value,) if isinstance(key_node, yaml.ScalarNode) else ()
        checker.error(key, f"invalid value: {error}")
        raise _Abort from None


def _decode(raw: bytes, checker: _Checker) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        checker.problems.append(
            Problem(checker.path, line, "file", f"not UTF-8 text (byte {raw[error.start]:#04x})")
        )
        raise _Abort from None
    if "\x00" in text:
        checker.problems.append(
            Problem(checker.path, text[: text.index("\x00")].count("\n") + 1, "file",
                    "contains a NUL byte; a record is text")
        )
        raise _Abort
    return text.removeprefix("\ufeff")


def _path_parts(path: str) -> tuple[dt.date | None, str | None, str | None]:
    """Date and id implied by a record's path, or the reason the path is not a record's."""
    match = _PATH_RE.search(path.replace("\\", "/"))
    if not match:
        return None, None, "a record's path must end in YYYY/MM/DD/<arxiv-id>.yaml"
    year, month, day, stem = match.groups()
    try:
        return dt.date(int(year), int(month), int(day)), stem, None
    except ValueError:
        return None, stem, f"folder {year}/{month}/{day} is not a valid date"


def _string(c: _Checker, data: dict[str, Any], key: str, *, one_line: bool = False,
            required: bool = False) -> str | None:
    if key not in data or data[key] is None:
        if required:
            c.error((key,), "must be a non-empty string")
        return None
    value = data[key]
    if not isinstance(value, str):
        c.error((key,), f"must be a string, not {type_name(value)}")
        return None
    if not value.strip():
        c.error((key,), "must not be empty")
        return None
    control = _control_problem(value)
    if control:
        c.error((key,), control)
        return None
    if one_line and (value != " ".join(value.split())):
        c.error((key,), "must be one line with single spaces, no leading or trailing space")
        return None
    return value


def _control_problem(text: str) -> str | None:
    found = CONTROL_CHARS.search(text)
    if found is None:
        return None
    return f"contains an invisible control character (U+{ord(found.group()):04X}); remove it"


def _count(c: _Checker, data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        c.error((key,), f"must be a whole number or null, not {type_name(value)}")
        return None
    if value < 0:
        c.error((key,), f"must not be negative, got {value}")
        return None
    return value


def _date(c: _Checker, data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if isinstance(value, dt.datetime):
        c.error((key,), "must be a date (YYYY-MM-DD) without a time")
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    c.error((key,), f"must be a date written YYYY-MM-DD, not {value!r}")
    return None


def _string_list(c: _Checker, data: dict[str, Any], key: str, *, one_line: bool = False,
                 required: bool = False) -> list[str] | None:
    value = data.get(key)
    if value is None:
        if required and key in data:
            c.error((key,), "must be a list (use [] for none)")
            return None
        return []
    if not isinstance(value, list):
        c.error((key,), f"must be a list, not {type_name(value)}")
        return None
    ok = True
    for index, item in enumerate(value):
        if not isinstance(item, str):
            c.error((key, index), f"must be a string, not {type_name(item)}")
            ok = False
        elif not item.strip():
            c.error((key, index), "must not be empty")
            ok = False
        elif control := _control_problem(item):
            c.error((key, index), control)
            ok = False
        elif one_line and "\n" in item.strip():
            c.error((key, index), "must be one line")
            ok = False
    return value if ok else None


def summary_item_problem(item: str) -> str | None:
    """Why a summary bullet may not be published, or None. Shared with the summarizer.

    Bullets are inline Markdown: raw HTML is refused (outside code spans), and so is any
    link whose target is not an absolute http(s) URL.
    """
    without_code = _CODE_SPAN_RE.sub("", item)
    html = _HTML_RE.search(without_code)
    if html:
        snippet = without_code[html.start(): html.start() + 12]
        return (f"contains raw HTML ({snippet!r}); write plain text or Markdown, "
                "or put spaces around '<'")
    for target in _MD_LINK_RE.findall(without_code):
        problem = url_problem(target)
        if problem:
            return f"link target {problem}"
    return None


def _summary(c: _Checker, data: dict[str, Any]) -> list[str] | None:
    items = _string_list(c, data, "summary", one_line=True, required=True)
    if not items:
        return items
    ok = True
    for index, item in enumerate(items):
        problem = summary_item_problem(item)
        if problem:
            c.error(("summary", index), problem)
            ok = False
    return [item.strip() for item in items] if ok else None


def _summary_source(c: _Checker, data: dict[str, Any]) -> SummarySource | None:
    value = data.get("summary_source")
    if value is None:
        return None
    if not isinstance(value, dict):
        c.error(("summary_source",), f"must be a mapping, not {type_name(value)}")
        return None
    kind = value.get("kind")
    if kind not in SUMMARY_KINDS:
        c.error(("summary_source", "kind"), f"must be one of {', '.join(SUMMARY_KINDS)}, "
                                            f"not {kind!r}")
        return None
    fields: dict[str, str | None] = {}
    for key in ("model", "language", "fingerprint"):
        item = value.get(key)
        if item is not None and not isinstance(item, str):
            c.error(("summary_source", key), f"must be a string, not {type_name(item)}")
            return None
        fields[key] = item
    if fields["fingerprint"] is not None and not _FINGERPRINT_RE.fullmatch(fields["fingerprint"]):
        c.error(("summary_source", "fingerprint"), "must be 16 lowercase hex digits")
        return None
    for key in value:
        if key not in ("kind", "model", "language", "fingerprint"):
            c.error(("summary_source", key), f"unknown key {key!r} (ignored)", warning=True)
    return SummarySource(kind=kind, **fields)


def _url(c: _Checker, key_path: tuple[Any, ...], value: Any) -> str | None:
    problem = url_problem(value)
    if problem:
        c.error(key_path, problem)
        return None
    return value


def _links(c: _Checker, data: dict[str, Any]) -> dict[str, str] | None:
    value = data.get("links")
    if value is None:
        return {}
    if not isinstance(value, dict):
        c.error(("links",), f"must be a mapping of link names to URLs, not {type_name(value)}")
        return None
    links: dict[str, str] = {}
    for key, url in value.items():
        if url is None:
            continue
        if key not in LINK_KEYS:
            c.error(("links", key), f"unknown link {key!r}; known: {', '.join(LINK_KEYS)}",
                    warning=True)
        if _url(c, ("links", key), url) is not None:
            links[str(key)] = url
    return links if len(links) == sum(1 for u in value.values() if u is not None) else None


def _media(c: _Checker, data: dict[str, Any]) -> list[Media] | None:
    value = data.get("media")
    if value is None:
        return []
    if not isinstance(value, list):
        c.error(("media",), f"must be a list, not {type_name(value)}")
        return None
    media: list[Media] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            c.error(("media", index), f"must be a mapping with kind and url, not {type_name(item)}")
            continue
        kind = item.get("kind")
        if kind not in MEDIA_KINDS:
            c.error(("media", index, "kind"), f"must be image or video, not {kind!r}")
            continue
        url = _url(c, ("media", index, "url"), item.get("url"))
        if url is None:
            continue
        for key in item:
            if key not in ("kind", "url"):
                c.error(("media", index, key), f"unknown key {key!r} (ignored)", warning=True)
        media.append(Media(kind=kind, url=url))
    return media if len(media) == len(value) else None


def check_record(raw: bytes, path: str) -> tuple[Paper | None, list[Problem]]:
    """Parse and check one record file's bytes; the Paper is None when any error was found.

    ``path`` is the path shown in messages; its last four parts must be YYYY/MM/DD/<id>.yaml.
    """
    c = _Checker(path, _Lines())
    try:
        data = _parse_yaml(_decode(raw, c), c)
    except _Abort:
        return None, c.problems
    if not isinstance(data, dict):
        c.error((), f"a record must be a mapping of keys to values, not {type_name(data)}")
        return None, c.problems

    for key in REQUIRED_KEYS:
        if key not in data:
            c.error((key,), "required key is missing")

    path_date, path_id, path_problem = _path_parts(path)
    if path_problem:
        c.problems.append(Problem(path, 1, "file", path_problem))

    paper_id = data.get("id")
    if "id" in data:
        if isinstance(paper_id, (int, float)) and not isinstance(paper_id, bool):
            c.error(("id",), f'must be a quoted string like "2402.08093", not a number '
                             f"(YAML reads {paper_id!r})")
            paper_id = None
        elif not isinstance(paper_id, str) or not ARXIV_ID_RE.fullmatch(paper_id):
            c.error(("id",), f"must be an arXiv id like \"2402.08093\", not {paper_id!r}")
            paper_id = None
        elif path_id is not None and paper_id != path_id:
            c.error(("id",), f"{paper_id!r} does not match the file name {path_id + '.yaml'!r}")

    date = _date(c, data, "date") if "date" in data else None
    if date is not None and path_date is not None and date != path_date:
        c.error(("date",), f"{date.isoformat()} does not match the folder "
                           f"{path_date:%Y/%m/%d}")

    title = _string(c, data, "title", one_line=True, required="title" in data)
    authors = _string_list(c, data, "authors", one_line=True, required=True)
    votes = _count(c, data, "votes")
    summary = _summary(c, data)
    comments = _count(c, data, "comments")
    published = _date(c, data, "published") if data.get("published") is not None else None
    source = _summary_source(c, data)
    links = _links(c, data)
    thumbnail = _url(c, ("thumbnail",), data["thumbnail"]) if data.get("thumbnail") else None
    media = _media(c, data)
    keywords = _string_list(c, data, "keywords", one_line=True)
    abstract = _string(c, data, "abstract")

    extra = {key: value for key, value in data.items() if key not in KEY_ORDER}
    for key in extra:
        c.error((key,), f"unknown key {str(key)!r} (kept, but the site ignores it)",
                warning=True)

    if any(not p.warning for p in c.problems):
        return None, c.problems
    assert isinstance(paper_id, str) and date is not None and title is not None
    paper = Paper(
        id=paper_id,
        date=date,
        title=title,
        authors=list(authors or []),
        votes=votes,
        summary=list(summary or []),
        comments=comments,
        published=published,
        summary_source=source,
        links=dict(links or {}),
        thumbnail=thumbnail,
        media=list(media or []),
        keywords=list(keywords or []),
        abstract=abstract,
        extra={str(k): v for k, v in extra.items()},
    )
    return paper, c.problems


def read_record(path: Path, shown: str | None = None) -> tuple[Paper | None, list[Problem]]:
    """Read and check one record file (``shown`` is the path used in messages)."""
    name = shown if shown is not None else str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(name, 1, "file", f"cannot be read: {error.strerror or error}")]
    return check_record(raw, name)


def record_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every record file named or found (recursively, sorted) below the given paths."""
    for path in paths:
        if path.is_dir():
            found = [p for p in path.rglob("*") if p.suffix in RECORD_SUFFIXES and p.is_file()
                     and not p.name.startswith(".")]
            yield from sorted(found)
        else:
            yield path


def record_files_by_id(data_dir: Path) -> dict[str, list[Path]]:
    """Record files already below ``data_dir`` by paper id (from their names, not read).

    Commands that add records use it so one paper never gets a second file.
    """
    found: dict[str, list[Path]] = {}
    if data_dir.is_dir():
        for path in record_files([data_dir]):
            found.setdefault(path.stem, []).append(path)
    return found


@dataclass
class Scan:
    """The result of reading many records: the good papers and every problem found."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


def scan(paths: Iterable[Path], relative_to: Path | None = None) -> Scan:
    """Read and check records, also across files: the same paper id in two files is an error.

    Paths in messages are shown relative to ``relative_to`` when they lie below it. Many
    files are read by several processes (see :func:`_read_all`); the result is the same.
    """
    result = Scan()
    first_seen: dict[str, str] = {}
    base = relative_to.resolve() if relative_to is not None else None
    shown_dirs: dict[Path, str | None] = {}
    items = [(path, shown_path(path, base, shown_dirs)) for path in record_files(paths)]
    for (_, shown), (paper, problems) in zip(items, _read_all(items)):
        result.problems.extend(problems)
        if paper is None:
            continue
        if paper.id in first_seen:
            result.problems.append(Problem(shown, 1, "id",
                                           f"duplicate: paper {paper.id} is also recorded in "
                                           f"{first_seen[paper.id]}"))
            continue
        first_seen[paper.id] = shown
        result.papers.append(paper)
    return result


#: Fewer files than this are read faster here than by starting processes.
PARALLEL_MIN_FILES = 400

_Read = tuple[Paper | None, list[Problem]]


def _read_all(items: list[tuple[Path, str]]) -> list[_Read]:
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
    if (workers > 1 and len(items) >= PARALLEL_MIN_FILES and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()):
        size = -(-len(items) // (workers * 4))
        chunks = [items[start:start + size] for start in range(0, len(items), size)]
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) \
                    as pool:
                return [read for chunk in pool.map(_read_chunk, chunks) for read in chunk]
        except (OSError, BrokenProcessPool):
            pass  # no worker processes here (a sandbox, no /dev/shm): read them below
    return _read_chunk(items)


def _read_chunk(items: list[tuple[Path, str]]) -> list[_Read]:
    return [_read_listed(path, shown) for path, shown in items]


def _read_listed(path: Path, shown: str) -> _Read:
    """One file named or found by :func:`scan`."""
    if not path.exists():
        return None, [Problem(shown, 1, "file", "no such file or folder")]
    if path.suffix == ".yml":
        return None, [Problem(shown, 1, "file", "record files end in .yaml, not .yml")]
    return read_record(path, shown)


def shown_path(path: Path, base: Path | None,
               folders: dict[Path, str | None] | None = None) -> str:
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
