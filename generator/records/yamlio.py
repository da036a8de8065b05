"""Records as YAML text: parsing with line numbers, and the one deterministic dump.

Reading thousands of records is most of a site build, so a plain record is built
straight from libyaml's nodes; anything unusual (an alias, a duplicate key, an odd tag)
is read again carefully to point at the line at fault. Writing uses the pure-Python
emitter with fixed settings, so a record's bytes never depend on how PyYAML was built;
what to write, key by key, is the field table's (:mod:`.rules`).
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.records.problems import Problem, key_name
from generator.records.text import NotText, decode_text

try:  # libyaml's C parser is several times faster; the site reads every record each build
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Strings longer than this (or spanning lines) are written as literal block scalars,
#: so long Korean text reads as prose in a diff and in GitHub's editor.
LONG_TEXT = 80


class Unreadable(Exception):
    """A file that is not a YAML document a record could be read from."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class Lines:
    """Line numbers of the keys and items of a composed YAML document, by key path.

    Filled while parsing, or (for a document read by the fast path) from ``root`` the
    first time a line is asked for: a valid record never needs one.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.by_path: dict[tuple[Any, ...], int] = {}
        self.root: yaml.Node | None = None

    def get(self, *key_path: Any) -> int:
        """The line of the deepest known prefix of ``key_path`` (1 when nothing is known)."""
        if self.root is not None:
            root, self.root = self.root, None
            _walk(root, (), self, set())
        while key_path not in self.by_path:
            if not key_path:
                return 1
            key_path = key_path[:-1]
        return self.by_path[key_path]

    def problem(self, key_path: tuple[Any, ...], message: str, warning: bool = False) -> Problem:
        """A problem at ``key_path``'s line."""
        return Problem(self.path, self.get(*key_path), key_name(key_path), message, warning)


def decode(raw: bytes, path: str) -> str:
    """A record file's text (see :func:`~.text.decode_text`), or :class:`Unreadable`."""
    try:
        return decode_text(raw)
    except NotText as error:
        reason = f"{error.reason}; a record is text" if error.nul else error.reason
        raise Unreadable(Problem(path, error.line, "file", reason)) from None


def parse(text: str, lines: Lines) -> Any:
    """The document's data; raises :class:`Unreadable` with the line of what is wrong."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise Unreadable(lines.problem((), "the file is empty"))
        data = _construct_plain(loader, node)
        if data is not _UNUSUAL:
            lines.root = node
            return data
        _walk(node, (), lines, set())
        if not isinstance(node, yaml.MappingNode):
            return loader.construct_document(node)
        return {
            loader.construct_object(key_node, deep=True): _construct_value(
                loader, key_node, value_node, lines
            )
            for key_node, value_node in node.value
        }
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        last_line = max(1, len(text.splitlines()))
        line = min(mark.line + 1, last_line) if mark else 1
        detail = error.problem or error.context or "invalid YAML"
        if mark and "\t" in _line_text(text, mark.line):
            detail += " (this line has a tab: YAML is indented with spaces)"
        raise Unreadable(Problem(lines.path, line, "yaml", f"invalid YAML: {detail}")) from None
    except yaml.YAMLError as error:
        raise Unreadable(lines.problem((), f"invalid YAML: {error}")) from None
    except RecursionError:
        # PyYAML 6.0's parser takes thousands of nested brackets; walking them does not.
        raise Unreadable(
            lines.problem((), "invalid YAML: nested too deeply to be a record")
        ) from None
    except (ValueError, TypeError, OverflowError) as error:
        # The safe constructor raises plain errors for values such as 2024-02-30.
        raise Unreadable(lines.problem((), f"invalid value: {error}")) from None
    finally:
        loader.dispose()


def _line_text(text: str, index: int) -> str:
    all_lines = text.splitlines()
    return all_lines[index] if 0 <= index < len(all_lines) else ""


def _walk(node: yaml.Node, key_path: tuple[Any, ...], lines: Lines, seen: set[int]) -> None:
    """Record line numbers; reject aliases and duplicate keys (YAML would keep the last)."""
    if id(node) in seen:
        raise Unreadable(lines.problem(key_path, "anchors and aliases are not allowed in a record"))
    seen.add(id(node))
    lines.by_path.setdefault(key_path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                lines.by_path[key_path] = key_node.start_mark.line + 1
                raise Unreadable(
                    lines.problem(key_path, "keys must be plain words, not lists or mappings")
                )
            key = key_node.value
            child = (*key_path, key)
            lines.by_path[child] = key_node.start_mark.line + 1
            if key in keys:
                raise Unreadable(
                    lines.problem(child, "duplicate key (YAML would silently keep only the last)")
                )
            keys.add(key)
            _walk(value_node, child, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*key_path, index), lines, seen)


def _construct_value(loader: Any, key_node: yaml.Node, value_node: yaml.Node, lines: Lines) -> Any:
    """Build one top-level value, blaming a bad value (such as 2024-02-30) on its key."""
    try:
        return loader.construct_object(value_node, deep=True)
    except (ValueError, TypeError, OverflowError) as error:
        key = (key_node.value,) if isinstance(key_node, yaml.ScalarNode) else ()
        raise Unreadable(lines.problem(key, f"invalid value: {error}")) from None


_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
#: Scalar tags PyYAML converts (numbers, booleans, dates); anything else is unusual.
_CONVERTED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "timestamp")
)
_UNUSUAL = object()


class _Unusual(Exception):
    """A document the fast path leaves to the careful one."""


class _PlainBuilder:
    """Builds plain data from nodes (see :func:`_construct_plain`).

    A class rather than a closure: a closure referring to itself keeps the loader alive
    in a reference cycle until a garbage collection, and a build reads every record.
    """

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.seen: set[int] = set()

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self.seen:
            raise _Unusual
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return node.value
            if node.tag == _NULL_TAG:
                return None
            if node.tag in _CONVERTED_TAGS:
                try:  # the tag's own converter, without the constructor's bookkeeping
                    return self.loader.yaml_constructors[node.tag](self.loader, node)
                except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                    raise _Unusual from None
            raise _Unusual
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            return [self.build(item) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            data: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Unusual
                key = self.build(key_node)
                if key in data or not isinstance(key, (str, int, bool)) or key is None:
                    raise _Unusual
                data[key] = self.build(value_node)
            return data
        raise _Unusual


def _construct_plain(loader: Any, root: yaml.Node) -> Any:
    """The document's data, built directly from the nodes, or ``_UNUSUAL``.

    Records are plain mappings, lists and scalars; building the data here is several
    times faster than PyYAML's generic constructor and than recording every line up
    front. Anything unusual (an alias, a duplicate or non-scalar key, another tag, a
    value PyYAML refuses) returns ``_UNUSUAL`` and the careful path reads the file again
    with exact messages.
    """
    try:
        return _PlainBuilder(loader).build(root)
    except (_Unusual, RecursionError):
        return _UNUSUAL


# --- writing --------------------------------------------------------------------------


class Quoted(str):
    """A string always written double-quoted (the id, which would otherwise read as a float)."""


class Line(str):
    """A one-line string (title, author, URL) kept on its key's line however long it is."""


class _Dumper(yaml.SafeDumper):
    """The pure-Python emitter, so the bytes never depend on whether libyaml is installed."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value or len(value) > LONG_TEXT else None
    return dumper.represent_scalar(_STR_TAG, value, style=style)


def _represent_quoted(dumper: yaml.SafeDumper, value: Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar(_STR_TAG, str(value), style='"')


def _represent_line(dumper: yaml.SafeDumper, value: Line) -> yaml.ScalarNode:
    return dumper.represent_scalar(_STR_TAG, str(value))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Quoted, _represent_quoted)
_Dumper.add_representer(Line, _represent_line)


def emit(data: dict[str, Any]) -> str:
    """A record's exact text from its data (:func:`.rules.to_mapping`): the data's key
    order, block style, UTF-8 unescaped, a final newline."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1 << 30,
        indent=2,
    )
