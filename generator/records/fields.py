"""The kinds of value a record's keys hold: each checks a value read from YAML and turns
a checked value back into data to write.

A type's ``check`` reports every fault as a :class:`~.problems.Problem` naming the key
and the line, and returns the value in its in-memory form (or :data:`INVALID`); its
``dump`` gives the plain data a record file holds for that value, with the YAML style
each part is written in; ``combine`` is how two values of the key merge when one record
is brought up to date from another (:func:`.rules.merge`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from generator.records.bullets import bullet_problem
from generator.records.model import (
    ARXIV_ID_RE,
    LINK_KEYS,
    MEDIA_KINDS,
    ORGANIZATION_NAME_RE,
    SUMMARY_KINDS,
    TEXT_SOURCES,
    Media,
    Organization,
    SummarySource,
)
from generator.records.problems import Problem
from generator.records.taxonomy import category_problem
from generator.records.text import control_problem, is_one_line, type_name
from generator.records.urls import url_problem
from generator.records.yamlio import Line, Lines, Quoted

#: How a date is written; Python 3.11's fromisoformat also takes 2024-W43-5 and 20241025.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FINGERPRINT_RE = re.compile(r"[0-9a-f]{16}")


class _Invalid:
    """The result of a check that reported a problem (distinct from a valid None)."""


INVALID = _Invalid()
KeyPath = tuple[Any, ...]


@dataclass
class Checker:
    """Collects the problems of one record while its values are checked."""

    lines: Lines
    problems: list[Problem] = field(default_factory=list)

    def error(self, key_path: KeyPath, message: str, warning: bool = False) -> _Invalid:
        self.problems.append(self.lines.problem(key_path, message, warning))
        return INVALID


# --- value types: each checks one value and says what it must be ------------------------


class ValueType:
    """What every value type does unless it says otherwise."""

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        """The value as a record file holds it (plain data, with its YAML style)."""
        return value

    def combine(self, old: Any, new: Any, *, prefer_new: bool) -> Any:
        """The value a merge keeps: the preferred one when it is there, else the other."""
        if prefer_new:
            return old if is_empty(new) else new
        return new if is_empty(old) else old


def is_empty(value: Any) -> bool:
    """Whether a value says nothing (an optional key holding it is not written)."""
    return value is None or value is False or value in ("", [], {})


def _check_text(
    c: Checker, at: KeyPath, value: Any, *, one_line: bool, max_chars: int | None
) -> str | _Invalid:
    """A non-empty string without control characters, within ``max_chars``."""
    if not isinstance(value, str):
        hint = (
            " (a ': ' inside text starts a mapping in YAML: put the text in quotes)"
            if isinstance(value, dict)
            else ""
        )
        return c.error(at, f"must be a string, not {type_name(value)}{hint}")
    if not value.strip():
        return c.error(at, "must not be empty")
    if problem := control_problem(value):
        return c.error(at, problem)
    if one_line and not is_one_line(value):
        return c.error(at, "must be one line with single spaces, no leading or trailing space")
    if max_chars is not None and len(value) > max_chars:
        return c.error(at, f"is {len(value):,} characters long; at most {max_chars:,} are allowed")
    return value


@dataclass(frozen=True)
class Text(ValueType):
    """Free text (``one_line``: a name or title, on one line with single spaces)."""

    max_chars: int
    one_line: bool = False

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        return _check_text(c, at, value, one_line=self.one_line, max_chars=self.max_chars)

    def dump(self, value: str) -> str:
        # A one-line value stays on its key's line however long it is; free text longer
        # than a line is written as a block, which reads as prose in a diff.
        return Line(value) if self.one_line else value


@dataclass(frozen=True)
class TextList(ValueType):
    """A list of one-line strings (``[]`` for none)."""

    max_items: int
    max_chars: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        items = _list(c, at, value, self.max_items)
        if isinstance(items, _Invalid):
            return items
        checked = [
            _check_text(c, (*at, index), item, one_line=True, max_chars=self.max_chars)
            for index, item in enumerate(items)
        ]
        return INVALID if any(isinstance(item, _Invalid) for item in checked) else checked

    def dump(self, value: list[str]) -> list[str]:
        return [Line(item) for item in value]


def _list(c: Checker, at: KeyPath, value: Any, max_items: int) -> list[Any] | _Invalid:
    """``value`` when it is a list of at most ``max_items`` (null reaches here only for a
    required key, which needs ``[]`` for none)."""
    if value is None:
        return c.error(at, "must be a list (use [] for none)")
    if not isinstance(value, list):
        return c.error(at, f"must be a list, not {type_name(value)}")
    if len(value) > max_items:
        return c.error(at, f"has {len(value):,} items; at most {max_items:,} are allowed")
    return value


@dataclass(frozen=True)
class Bullets(ValueType):
    """Summary bullets: one-line inline Markdown each, following :mod:`.bullets`."""

    max_items: int
    max_chars: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        items = _list(c, at, value, self.max_items)
        if isinstance(items, _Invalid):
            return items
        bullets: list[str] = []
        for index, item in enumerate(items):
            where = (*at, index)
            text = _check_text(c, where, item, one_line=False, max_chars=self.max_chars)
            if isinstance(text, _Invalid):
                continue
            stripped = text.strip()
            if "\n" in stripped:
                c.error(where, "must be one line")
            elif problem := bullet_problem(stripped):
                c.error(where, problem)
            else:
                if stripped != text:
                    c.error(
                        where,
                        "starts or ends with spaces or a line break (a '|' block "
                        "keeps the final one; use '|-'); they are removed when the "
                        "record is next written",
                        warning=True,
                    )
                bullets.append(stripped)
        return bullets if len(bullets) == len(items) else INVALID

    def dump(self, value: list[str]) -> list[str]:
        return list(value)


@dataclass(frozen=True)
class Count(ValueType):
    """A whole number of zero or more (``null``: not known)."""

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            return c.error(at, f"must be a whole number or null, not {type_name(value)}")
        if value < 0:
            return c.error(at, f"must not be negative, got {value}")
        return value


@dataclass(frozen=True)
class Date(ValueType):
    """A calendar day written ``YYYY-MM-DD``."""

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return c.error(at, "must be a date (YYYY-MM-DD) without a time")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _DATE_RE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as error:
                return c.error(at, f"invalid value: {error}")
        return c.error(at, f"must be a date written YYYY-MM-DD, not {value!r}")


@dataclass(frozen=True)
class DateList(ValueType):
    """Days written ``YYYY-MM-DD``, each once, in order."""

    max_items: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        items = _list(c, at, value, self.max_items)
        if isinstance(items, _Invalid):
            return items
        dates = [Date().check(c, (*at, index), item) for index, item in enumerate(items)]
        if any(isinstance(date, _Invalid) for date in dates):
            return INVALID
        if dates != sorted(set(dates)):
            return c.error(at, "must list each day once, oldest first")
        return dates

    def dump(self, value: list[dt.date]) -> list[dt.date]:
        return list(value)


@dataclass(frozen=True)
class Flag(ValueType):
    """``true`` (write nothing, or ``false``, for the usual case)."""

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if not isinstance(value, bool):
            return c.error(at, f"must be true or false, not {type_name(value)}")
        return value


@dataclass(frozen=True)
class ArxivId(ValueType):
    """An arXiv id as a quoted string (unquoted, YAML reads it as a number)."""

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return c.error(
                at,
                f'must be a quoted string like "2402.08093", not a number (YAML reads {value!r})',
            )
        if not isinstance(value, str) or not ARXIV_ID_RE.fullmatch(value):
            return c.error(at, f'must be an arXiv id like "2402.08093", not {value!r}')
        return value

    def dump(self, value: str) -> str:
        return Quoted(value)  # unquoted, YAML would read 2402.08093 as a number


@dataclass(frozen=True)
class Url(ValueType):
    """An absolute http(s) URL (see :func:`~.urls.url_problem`)."""

    max_chars: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if isinstance(value, str) and len(value) > self.max_chars:
            return c.error(
                at, f"is {len(value):,} characters long; at most {self.max_chars:,} are allowed"
            )
        problem = url_problem(value)
        return c.error(at, problem) if problem else value

    def dump(self, value: str) -> str:
        return Line(value)  # a URL in a block would be hidden in a diff


@dataclass(frozen=True)
class Links(ValueType):
    """A mapping of link names (:data:`~.model.LINK_KEYS`) to URLs."""

    url: Url

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if not isinstance(value, dict):
            return c.error(at, f"must be a mapping of link names to URLs, not {type_name(value)}")
        links: dict[str, str] = {}
        ok = True
        for key, url in value.items():
            if url is None:
                continue
            if key not in LINK_KEYS:
                c.error(
                    (*at, key), f"unknown link {key!r}; known: {', '.join(LINK_KEYS)}", warning=True
                )
            checked = self.url.check(c, (*at, key), url)
            if isinstance(checked, _Invalid):
                ok = False
            else:
                links[str(key)] = checked
        return links if ok else INVALID

    def dump(self, value: dict[str, str]) -> dict[str, str]:
        """The known links in :data:`~.model.LINK_KEYS` order, then any others."""
        known = {key: Line(value[key]) for key in LINK_KEYS if value.get(key)}
        return {**known, **{k: Line(v) for k, v in value.items() if k not in LINK_KEYS}}

    def combine(
        self, old: dict[str, str], new: dict[str, str], *, prefer_new: bool
    ) -> dict[str, str]:
        """Link by link: a link only one side has is kept (a project link a person added)."""
        return {**old, **new} if prefer_new else {**new, **old}


@dataclass(frozen=True)
class Accounts(ValueType):
    """A mapping of author names (as ``authors`` writes them) to Hugging Face user names."""

    max_items: int
    max_chars: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if not isinstance(value, dict):
            return c.error(
                at,
                f"must be a mapping of author names to Hugging Face users, not {type_name(value)}",
            )
        if len(value) > self.max_items:
            return c.error(at, f"has {len(value):,} items; at most {self.max_items:,} are allowed")
        accounts: dict[str, str] = {}
        ok = True
        for name, user in value.items():
            checked = _check_text(
                c, (*at, str(name)), name, one_line=True, max_chars=self.max_chars
            )
            if isinstance(checked, _Invalid):
                ok = False
            elif not isinstance(user, str) or not ORGANIZATION_NAME_RE.fullmatch(user):
                c.error(
                    (*at, checked),
                    f"must be a Hugging Face user name (letters, digits, '.', '_', '-'), "
                    f"not {user!r}",
                )
                ok = False
            else:
                accounts[checked] = user
        return accounts if ok else INVALID

    def dump(self, value: dict[str, str]) -> dict[str, str]:
        return {Line(name): Line(user) for name, user in value.items()}


@dataclass(frozen=True)
class MediaList(ValueType):
    """Images and videos: a list of mappings with ``kind`` and ``url``."""

    max_items: int
    url: Url

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        items = _list(c, at, value, self.max_items)
        if isinstance(items, _Invalid):
            return items
        media: list[Media] = []
        for index, item in enumerate(items):
            where = (*at, index)
            if not isinstance(item, dict):
                c.error(where, f"must be a mapping with kind and url, not {type_name(item)}")
                continue
            kind = item.get("kind")
            if kind not in MEDIA_KINDS:
                c.error((*where, "kind"), f"must be image or video, not {kind!r}")
                continue
            url = self.url.check(c, (*where, "url"), item.get("url"))
            if isinstance(url, _Invalid):
                continue
            for key in item:
                if key not in ("kind", "url"):
                    c.error((*where, key), f"unknown key {key!r} (ignored)", warning=True)
            media.append(Media(kind=kind, url=url))
        return media if len(media) == len(items) else INVALID

    def dump(self, value: list[Media]) -> list[dict[str, str]]:
        return [{"kind": item.kind, "url": self.url.dump(item.url)} for item in value]


@dataclass(frozen=True)
class OrganizationType(ValueType):
    """An organization: its Hugging Face ``name`` and its ``display_name``."""

    max_chars: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if not isinstance(value, dict):
            return c.error(
                at, f"must be a mapping with name and display_name, not {type_name(value)}"
            )
        name = value.get("name")
        if not isinstance(name, str) or not ORGANIZATION_NAME_RE.fullmatch(name):
            return c.error(
                (*at, "name"),
                f"must be a Hugging Face organization name (letters, "
                f"digits, '.', '_', '-'), not {name!r}",
            )
        shown = _check_text(
            c,
            (*at, "display_name"),
            value.get("display_name"),
            one_line=True,
            max_chars=self.max_chars,
        )
        if isinstance(shown, _Invalid):
            return shown
        for key in value:
            if key not in ("name", "display_name"):
                c.error((*at, key), f"unknown key {key!r} (ignored)", warning=True)
        return Organization(name=name, display_name=shown)

    def dump(self, value: Organization) -> dict[str, str]:
        return {"name": Line(value.name), "display_name": Line(value.display_name)}


@dataclass(frozen=True)
class Categories(ValueType):
    """arXiv category codes (:mod:`.taxonomy`), the primary one first, each once; ``[]``
    says arXiv was asked and lists none (absent: not asked yet)."""

    max_items: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        items = _list(c, at, value, self.max_items)
        if isinstance(items, _Invalid):
            return items
        ok = True
        for index, code in enumerate(items):
            if problem := category_problem(code):
                c.error((*at, index), problem)
                ok = False
        if ok and len(set(items)) != len(items):
            return c.error(at, "must list each category once")
        return list(items) if ok else INVALID

    def dump(self, value: list[str]) -> list[str]:
        return list(value)

    def combine(self, old: Any, new: Any, *, prefer_new: bool) -> Any:
        """Known categories over none; "arXiv lists none" (``[]``) over not asked."""
        chosen = super().combine(old, new, prefer_new=prefer_new)
        return chosen if chosen is not None else (new if old is None else old)


_SOURCE_TEXT_KEYS = ("model", "language", "fingerprint", "source", "prompt")
#: What the check against the source found in a summary (``summary_source.problems``).
_PROBLEMS = TextList(max_items=30, max_chars=300)


@dataclass(frozen=True)
class Source(ValueType):
    """Who wrote the summary: ``kind`` (:data:`~.model.SUMMARY_KINDS`) and details."""

    max_chars: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if not isinstance(value, dict):
            return c.error(at, f"must be a mapping, not {type_name(value)}")
        kind = value.get("kind")
        if kind not in SUMMARY_KINDS:
            return c.error(
                (*at, "kind"), f"must be one of {', '.join(SUMMARY_KINDS)}, not {kind!r}"
            )
        details: dict[str, str | None] = {}
        for key in _SOURCE_TEXT_KEYS:
            item = value.get(key)
            if item is not None:
                item = _check_text(c, (*at, key), item, one_line=True, max_chars=self.max_chars)
                if isinstance(item, _Invalid):
                    return INVALID
            details[key] = item
        fingerprint = details["fingerprint"]
        if fingerprint is not None and not _FINGERPRINT_RE.fullmatch(fingerprint):
            return c.error((*at, "fingerprint"), "must be 16 lowercase hex digits")
        source = details["source"]
        if source is not None and source not in TEXT_SOURCES:
            return c.error(
                (*at, "source"), f"must be one of {', '.join(TEXT_SOURCES)}, not {source!r}"
            )
        problems: list[str] = []
        if value.get("problems") is not None:
            checked = _PROBLEMS.check(c, (*at, "problems"), value["problems"])
            if isinstance(checked, _Invalid):
                return INVALID
            problems = checked
        for key in value:
            if key not in ("kind", "problems") and key not in _SOURCE_TEXT_KEYS:
                c.error((*at, key), f"unknown key {key!r} (ignored)", warning=True)
        return SummarySource(
            kind=kind,
            model=details["model"],
            language=details["language"],
            fingerprint=fingerprint,
            source=source,  # checked above
            prompt=details["prompt"],
            problems=problems,
        )

    def dump(self, value: SummarySource) -> dict[str, object]:
        written: dict[str, object] = {"kind": value.kind}
        written.update(
            (key, item) for key in _SOURCE_TEXT_KEYS if (item := getattr(value, key)) is not None
        )
        if value.problems:
            written["problems"] = _PROBLEMS.dump(value.problems)
        return written
