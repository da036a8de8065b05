"""The field table, and checking a record's data against it.

:data:`FIELDS` is the record format in one place: each key, in the order records are
written, with its type, whether it is required and its limits. Validation walks the
table; the record-format page is tested against it; producers cap what they write with
the same limits. A record that breaks a rule gets one :class:`~.problems.Problem` per
fault, naming the key and the line; nothing here raises for a malformed file.
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
    Media,
    Organization,
    Paper,
    SummarySource,
)
from generator.records.problems import Problem, errors
from generator.records.text import control_problem, is_one_line, type_name
from generator.records.urls import url_problem
from generator.records.yamlio import Lines, Unreadable, decode, parse

_PATH_RE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})/([^/]+)\.yaml$")
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
class Text:
    """Free text (``one_line``: a name or title, on one line with single spaces)."""

    max_chars: int
    one_line: bool = False

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        return _check_text(c, at, value, one_line=self.one_line, max_chars=self.max_chars)


@dataclass(frozen=True)
class TextList:
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
class Bullets:
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


@dataclass(frozen=True)
class Count:
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
class Date:
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
class DateList:
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


@dataclass(frozen=True)
class Flag:
    """``true`` (write nothing, or ``false``, for the usual case)."""

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if not isinstance(value, bool):
            return c.error(at, f"must be true or false, not {type_name(value)}")
        return value


@dataclass(frozen=True)
class ArxivId:
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


@dataclass(frozen=True)
class Url:
    """An absolute http(s) URL (see :func:`~.urls.url_problem`)."""

    max_chars: int

    def check(self, c: Checker, at: KeyPath, value: Any) -> Any:
        if isinstance(value, str) and len(value) > self.max_chars:
            return c.error(
                at, f"is {len(value):,} characters long; at most {self.max_chars:,} are allowed"
            )
        problem = url_problem(value)
        return c.error(at, problem) if problem else value


@dataclass(frozen=True)
class Links:
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


@dataclass(frozen=True)
class MediaList:
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


@dataclass(frozen=True)
class OrganizationType:
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


_SOURCE_TEXT_KEYS = ("model", "language", "fingerprint")


@dataclass(frozen=True)
class Source:
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
        for key in value:
            if key != "kind" and key not in _SOURCE_TEXT_KEYS:
                c.error((*at, key), f"unknown key {key!r} (ignored)", warning=True)
        return SummarySource(
            kind=kind, model=details["model"], language=details["language"], fingerprint=fingerprint
        )


@dataclass(frozen=True)
class Field:
    """One key of a record: its type (with limits) and whether it must be there.

    An optional key that is absent or ``null`` is left out; every other value, even
    ``false``, ``""`` or ``0``, must be of the key's type.
    """

    key: str
    type: (
        Text
        | TextList
        | Bullets
        | Count
        | Date
        | DateList
        | Flag
        | ArxivId
        | Url
        | Links
        | MediaList
        | Source
        | OrganizationType
    )
    required: bool = False

    @property
    def limits(self) -> dict[str, int]:
        """The type's limits by name (``max_chars``, ``max_items``), for docs and producers."""
        return {
            name: value
            for name, value in vars(self.type).items()
            if isinstance(value, int) and name.startswith("max_")
        }


URL = Url(max_chars=2_000)

#: The record format: every key in the order it is written.
FIELDS: tuple[Field, ...] = (
    Field("id", ArxivId(), required=True),
    Field("date", Date(), required=True),
    Field("also_listed", DateList(max_items=50)),
    Field("title", Text(max_chars=500, one_line=True), required=True),
    Field("authors", TextList(max_items=5_000, max_chars=200), required=True),
    Field("authors_incomplete", Flag()),
    Field("votes", Count(), required=True),
    Field("comments", Count()),
    Field("published", Date()),
    Field("summary", Bullets(max_items=30, max_chars=1_500), required=True),
    Field("summary_source", Source(max_chars=200)),
    Field("links", Links(URL)),
    Field("code_stars", Count()),
    Field("organization", OrganizationType(max_chars=200)),
    Field("thumbnail", URL),
    Field("media", MediaList(max_items=50, url=URL)),
    Field("keywords", TextList(max_items=100, max_chars=100)),
    Field("abstract", Text(max_chars=10_000)),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
KEY_ORDER = tuple(f.key for f in FIELDS)
REQUIRED_KEYS = tuple(f.key for f in FIELDS if f.required)


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


def latest_day() -> dt.date:
    """The last day a Daily Papers list can be for: tomorrow in UTC (time zones ahead of
    UTC publish early). A record dated later would top the home page and the feed."""
    return dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)


def _check_days(c: Checker, date: Any, also: Any) -> None:
    """The listing days: none in the future, and the record's own not listed again."""
    latest = latest_day()
    if isinstance(date, dt.date) and date > latest:
        c.error(
            ("date",),
            f"{date.isoformat()} is in the future (after {latest}, tomorrow "
            "in UTC); a Daily Papers day cannot be",
        )
    if not isinstance(also, list):
        return
    for index, day in enumerate(also):
        if day == date:
            c.error(("also_listed", index), "is the record's own date; list only other days")
        elif day > latest:
            c.error(
                ("also_listed", index),
                f"{day.isoformat()} is in the future (after {latest}, tomorrow in UTC)",
            )


def check_record(raw: bytes, path: str) -> tuple[Paper | None, list[Problem]]:
    """Parse and check one record file's bytes; the Paper is None when any error was found.

    ``path`` is the path shown in messages; its last four parts must be YYYY/MM/DD/<id>.yaml.
    """
    lines = Lines(path)
    try:
        data = parse(decode(raw, path), lines)
    except Unreadable as unreadable:
        return None, [unreadable.problem]
    c = Checker(lines)
    if not isinstance(data, dict):
        c.error((), f"a record must be a mapping of keys to values, not {type_name(data)}")
        return None, c.problems

    for key in REQUIRED_KEYS:
        if key not in data:
            c.error((key,), "required key is missing")
    path_date, path_id, path_problem = _path_parts(path)
    if path_problem:
        c.problems.append(Problem(path, 1, "file", path_problem))

    values: dict[str, Any] = {}
    for rule in FIELDS:
        value = data.get(rule.key)
        if value is None and not (rule.required and rule.key in data):
            continue  # absent, or an optional key left null
        values[rule.key] = rule.type.check(c, (rule.key,), value)

    paper_id, date = values.get("id"), values.get("date")
    if isinstance(paper_id, str) and path_id is not None and paper_id != path_id:
        c.error(("id",), f"{paper_id!r} does not match the file name {path_id + '.yaml'!r}")
    if isinstance(date, dt.date) and path_date is not None and date != path_date:
        c.error(("date",), f"{date.isoformat()} does not match the folder {path_date:%Y/%m/%d}")
    _check_days(c, date, values.get("also_listed"))

    extra = {str(key): value for key, value in data.items() if key not in FIELDS_BY_KEY}
    for key in extra:
        c.error((key,), f"unknown key {key!r} (kept, but the site ignores it)", warning=True)

    if errors(c.problems):
        return None, c.problems
    return Paper(**values, extra=extra), c.problems
