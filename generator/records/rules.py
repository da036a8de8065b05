"""The field table: the record format in one place, and everything done by key.

:data:`FIELDS` lists each key in the order records are written, with its type (which
checks a value and dumps it, :mod:`.fields`), whether it is required, its limits and
who owns it when records merge. Everything that goes key by key walks this table:

- validation (:func:`check_record`): one :class:`~.problems.Problem` per fault, naming
  the key and the line; nothing here raises for a malformed file;
- the dump (:func:`to_mapping`, :func:`dump`): the table's key order, an optional key
  left out when it says nothing (``None``, ``[]``, ``false``);
- merging (:func:`merge`): what ``fetch`` refreshes and what ``import`` only fills in;
- the record-format page, which is tested against it, and the producers, which cap
  what they write with its limits.

Our own table rather than a schema library: a record's problems must name the line of
the key at fault, which pydantic and msgspec errors do not carry, and several checks
(bullets rendered through Markdown and nh3, the http(s)-only URL rule, dates against
the folder) are ours either way; the table is the few lines a library would replace.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from generator.records.fields import (
    Accounts,
    ArxivId,
    Bullets,
    Categories,
    Checker,
    Count,
    Date,
    DateList,
    Flag,
    Links,
    MediaList,
    OrganizationType,
    Source,
    Text,
    TextList,
    Url,
    ValueType,
    is_empty,
)
from generator.records.model import Paper
from generator.records.problems import Problem, errors
from generator.records.taxonomy import MAX_CATEGORIES
from generator.records.text import type_name
from generator.records.yamlio import Lines, Unreadable, decode, emit, parse

_PATH_RE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})/([^/]+)\.yaml$")

#: Who a key's value belongs to when a command brings a record up to date:
#:
#: - ``listing``: where and when the paper was listed (id, date, other days); each
#:   command computes these itself.
#: - ``source``: the source's facts (votes, links, media...). ``fetch`` refreshes them
#:   whenever the API gives a value; ``import`` only fills in what the record lacks.
#: - ``person``: what a person may have edited (title, authors). Filled in when the
#:   record lacks it, never replaced.
#: - ``summary``: the summary and its provenance, which only ``summarize`` writes over;
#:   ``fetch`` and ``import`` replace a summary only while the record awaits one.
Owner = Literal["listing", "source", "person", "summary"]


@dataclass(frozen=True)
class Field:
    """One key of a record: its type (with limits), whether it must be there, and who
    owns it. ``follows``: the key it belongs with, merged together with it (whether the
    author list is complete goes with the author list).

    An optional key that is absent or ``null`` is left out; every other value, even
    ``false``, ``""`` or ``0``, must be of the key's type.
    """

    key: str
    type: ValueType
    required: bool = False
    owner: Owner = "source"
    follows: str | None = None
    #: Written even when empty: ``categories: []`` says arXiv was asked and lists none,
    #: which an absent key (not asked yet) does not.
    write_empty: bool = False

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
    Field("id", ArxivId(), required=True, owner="listing"),
    Field("date", Date(), required=True, owner="listing"),
    Field("also_listed", DateList(max_items=50), owner="listing"),
    Field("title", Text(max_chars=500, one_line=True), required=True, owner="person"),
    Field("authors", TextList(max_items=5_000, max_chars=200), required=True, owner="person"),
    Field("authors_incomplete", Flag(), owner="person", follows="authors"),
    Field("author_accounts", Accounts(max_items=5_000, max_chars=200)),
    Field("votes", Count(), required=True),
    Field("comments", Count()),
    Field("published", Date()),
    Field("summary", Bullets(max_items=30, max_chars=1_500), required=True, owner="summary"),
    Field("summary_source", Source(max_chars=200), owner="summary", follows="summary"),
    Field("links", Links(URL)),
    Field("code_stars", Count()),
    Field("organization", OrganizationType(max_chars=200)),
    Field("categories", Categories(max_items=MAX_CATEGORIES), write_empty=True),
    Field("thumbnail", URL),
    Field("media", MediaList(max_items=50, url=URL)),
    Field("keywords", TextList(max_items=100, max_chars=100)),
    Field("abstract", Text(max_chars=10_000)),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
KEY_ORDER = tuple(f.key for f in FIELDS)
REQUIRED_KEYS = tuple(f.key for f in FIELDS if f.required)


# --- writing --------------------------------------------------------------------------


def to_mapping(paper: Paper) -> dict[str, Any]:
    """The record as plain data in the table's order; optional keys that say nothing
    left out, and the keys this version does not know kept after the others."""
    data: dict[str, Any] = {}
    for rule in FIELDS:
        value = getattr(paper, rule.key)
        if rule.required or not is_empty(value) or (rule.write_empty and value is not None):
            data[rule.key] = None if value is None else rule.type.dump(value)
    for key, value in paper.extra.items():
        data.setdefault(key, value)
    return data


def dump(paper: Paper) -> str:
    """The record's exact text (see :func:`~.yamlio.emit`)."""
    return emit(to_mapping(paper))


# --- merging --------------------------------------------------------------------------


def merge(existing: Paper, incoming: Paper, *, refresh: bool) -> Paper:
    """``existing`` brought up to date from ``incoming``, key by key as the table says.

    ``source`` keys take the incoming value when ``refresh`` is set (``fetch``) and it
    has one; otherwise (``import``) they, like ``person`` keys, take it only where the
    record has none. A key that ``follows`` another goes with it. ``listing`` and
    ``summary`` keys are left to the command, which knows the days and the summary rules.
    """
    changes: dict[str, Any] = {}
    for rule in FIELDS:
        if rule.owner in ("listing", "summary") or rule.follows is not None:
            continue
        old, new = getattr(existing, rule.key), getattr(incoming, rule.key)
        value = rule.type.combine(old, new, prefer_new=refresh and rule.owner == "source")
        changes[rule.key] = value
        for follower in _FOLLOWERS.get(rule.key, ()):
            source = incoming if value is not old else existing
            changes[follower] = getattr(source, follower)
    return dataclasses.replace(existing, **changes)


_FOLLOWERS: dict[str, list[str]] = {}
for _rule in FIELDS:
    if _rule.follows is not None:
        _FOLLOWERS.setdefault(_rule.follows, []).append(_rule.key)


# --- checking -------------------------------------------------------------------------


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


def check_record(
    raw: bytes, path: str, location: str | None = None
) -> tuple[Paper | None, list[Problem]]:
    """Parse and check one record file's bytes; the Paper is None when any error was found.

    ``path`` is the path shown in messages; ``location`` (default: ``path``) is where the
    file is, whose last four parts must be YYYY/MM/DD/<id>.yaml.
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
    path_date, path_id, path_problem = _path_parts(location or path)
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
