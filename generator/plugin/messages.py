"""The site's interface text: one table of messages per language, chosen by configuration.

Every word the plugin prints (page titles, labels, dates, the search page's script text)
comes from a table in ``messages/<language>.yml``; nothing is spelt out in the templates
or the code. A site may override single messages under the plugin's ``messages`` option,
and a fork can publish in a language that ships no table by giving every message there.
Messages are the site owner's text, so they may hold markup; the values filled into them
(titles, names) are escaped unless the plugin made them safe itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

import yaml
from markupsafe import Markup

#: The language whose table is complete by definition: every other one is checked against it.
REFERENCE = "ko"


class MessagesError(Exception):
    """A message table that cannot work; the message names the key and what is wrong."""


@dataclass(frozen=True)
class Messages:
    """The interface text of one site."""

    language: str
    table: Mapping[str, str]

    def __call__(self, key: str, **values: object) -> Markup:
        """Message ``key`` as HTML, with ``values`` escaped into it (for templates)."""
        return Markup(self.table[key]).format(**values)

    def text(self, key: str, **values: object) -> str:
        """Message ``key`` as plain text (titles and descriptions MkDocs escapes itself)."""
        return self.table[key].format(**values)

    def date_long(self, date: dt.date) -> str:
        """``2024년 2월 14일 (수)``: how a day is named in headings."""
        weekday = self.table["weekdays"][date.weekday()]
        return self.text(
            "date_long", year=date.year, month=date.month, day=date.day, weekday=weekday
        )

    def date_short(self, date: dt.date) -> str:
        """``2024년 2월 14일``: how a day is named in links and descriptions."""
        return self.text("date_short", year=date.year, month=date.month, day=date.day)

    def month_long(self, date: dt.date) -> str:
        """``2024년 2월``: how a month is named."""
        return self.text("month_long", year=date.year, month=date.month)

    def year(self, year: int) -> str:
        """``2024년``."""
        return self.text("year", year=year)


@functools.cache
def shipped(language: str) -> dict[str, str] | None:
    """The table shipped for ``language``, or None when there is none.

    Read once per process (every build loads the reference table and the site's), so
    callers copy it rather than change it.
    """
    path = resources.files("generator.plugin") / "messages" / f"{language}.yml"
    if not path.is_file():
        return None
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in table.items()}


def load(language: str, overrides: Mapping[str, object]) -> Messages:
    """The messages of a site: the shipped table for ``language`` with ``overrides``.

    Raises :class:`MessagesError` for an unknown key, a message that uses a value it is
    not given, or a language without a table whose messages are not all given.
    """
    reference = shipped(REFERENCE)
    assert reference is not None, "the reference table ships with the package"
    base = shipped(language) or {}
    for key, value in overrides.items():
        if key not in reference:
            raise MessagesError(
                f"unknown message {key!r} (the keys are those of "
                f"generator/plugin/messages/{REFERENCE}.yml)"
            )
        if not isinstance(value, str):
            raise MessagesError(f"message {key!r} must be text, not {type(value).__name__}")
    table = {**base, **{str(key): str(value) for key, value in overrides.items()}}
    missing = [key for key in reference if key not in table]
    if missing:
        raise MessagesError(
            f"no interface text ships for language {language!r}: give every "
            f"message under 'messages' (missing: {', '.join(missing)})"
        )
    for key, value in table.items():
        _check_fields(key, value, _fields(reference[key]))
    if len(table["weekdays"]) != 7:
        raise MessagesError("message 'weekdays' must be seven characters, Monday first")
    return Messages(language, table)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _check_fields(key: str, value: str, allowed: set[str]) -> None:
    try:
        used = _fields(value)
    except ValueError as error:
        raise MessagesError(
            f"message {key!r} is not a valid template ({error}); write a "
            "literal brace as {{ or }}"
        ) from None
    unknown = sorted(used - allowed)
    if unknown:
        given = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "none"
        raise MessagesError(
            f"message {key!r} uses {{{unknown[0]}}}, which is not given (it may use: {given})"
        )
