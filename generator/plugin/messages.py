"""The site's interface text: one table of messages per language, chosen by configuration.

Every word the plugin prints (page titles, labels, dates, the search page's script text)
comes from a table in ``messages/<language>.yml``; nothing is spelt out in the templates
or the code. Korean (``ko``, the reference: every key is there) and English (``en``)
ship. A site may override single messages under the plugin's ``messages`` option; for a
language without a table, or a key its table lacks, the English message is used, key by
key, so a fork translates as much as it likes.

How dates, months and years are written (:data:`DATE_KEYS`) is the language's own: its
table or overrides may give templates, and otherwise Babel (which Material brings) writes
them for the language, so a French fork gets French dates without a word of English.

A message is a ``str.format`` template, or, where a number decides the wording, a mapping
of CLDR plural categories (``one``, ``other``...) to templates: the form is chosen by the
``count`` value, or else by the one whole number given, under the language's plural rules.
Messages are the site owner's text, so they may hold markup; the values filled into them
(titles, names) are escaped unless the plugin made them safe itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from markupsafe import Markup, escape

#: The language whose table is complete by definition: every other one is checked against it.
REFERENCE = "ko"
#: What a key a language's table lacks falls back to.
FALLBACK = "en"
#: Keys of how dates are written: taken only from the language's own table or overrides
#: (never from the English fallback), else written by Babel for the language.
DATE_KEYS = frozenset(
    {"weekdays", "date_long", "date_short", "month_long", "month_only", "year", "locale"}
)
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")

#: One message: a template, or templates by plural category.
Message = str | Mapping[str, str]


class MessagesError(Exception):
    """A message table that cannot work; the message names the key and what is wrong."""


@dataclass(frozen=True)
class Messages:
    """The interface text of one site."""

    language: str
    table: Mapping[str, Message]
    _locale: Locale = field(init=False, repr=False, compare=False)
    #: Messages without values, as HTML: the same for every card of a build.
    _constants: dict[str, Markup] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_locale", babel_locale(self.language))
        object.__setattr__(self, "_constants", {})

    def __call__(self, key: str, **values: object) -> Markup:
        """Message ``key`` as HTML, with ``values`` escaped into it (for templates).

        The template is the site owner's markup; each value that is text is escaped
        before it is filled in (numbers as they are, so format specs still apply). This
        is what markupsafe's ``Markup.format`` does, without its Python-level formatter:
        every card of a build calls this a dozen times.
        """
        if not values:
            constant = self._constants.get(key)
            if constant is None:
                constant = self._constants[key] = Markup(self.template(key, values).format())
            return constant
        safe = {name: _escaped(value) for name, value in values.items()}
        return Markup(self.template(key, values).format(**safe))

    def text(self, key: str, **values: object) -> str:
        """Message ``key`` as plain text (titles and descriptions MkDocs escapes itself)."""
        return self.template(key, values).format(**values)

    def template(self, key: str, values: Mapping[str, object]) -> str:
        """The template of ``key`` for these values (its plural form, if it has forms)."""
        message = self.table[key]
        if isinstance(message, str):
            return message
        return message.get(self.plural(values), message["other"])

    def plural(self, values: Mapping[str, object]) -> str:
        """The plural category of ``count`` (or of the one whole number among ``values``)."""
        numbers = [v for v in values.values() if isinstance(v, int) and not isinstance(v, bool)]
        count = values.get("count")
        if isinstance(count, int) and not isinstance(count, bool):
            return str(self._locale.plural_form(count))
        return str(self._locale.plural_form(numbers[0])) if len(numbers) == 1 else "other"

    @property
    def locale(self) -> str:
        """``ko_KR``: the Open Graph locale (the table's, else the language's likely one)."""
        if "locale" in self.table:
            return self.text("locale")
        likely = get_global("likely_subtags").get(self._locale.language, "")
        territory = self._locale.territory or (likely.split("_")[-1] if likely else "")
        return f"{self._locale.language}_{territory}" if territory else self._locale.language

    def date_long(self, date: dt.date) -> str:
        """``2024년 2월 14일 (수)``: how a day is named in headings."""
        if "date_long" not in self.table:
            return format_date(date, "full", locale=self._locale)
        weekdays = self.table.get("weekdays", "")
        weekday = weekdays[date.weekday()] if isinstance(weekdays, str) and weekdays else ""
        return self.text(
            "date_long", year=date.year, month=date.month, day=date.day, weekday=weekday
        )

    def date_short(self, date: dt.date) -> str:
        """``2024년 2월 14일``: how a day is named in links and descriptions."""
        if "date_short" not in self.table:
            return format_date(date, "long", locale=self._locale)
        return self.text("date_short", year=date.year, month=date.month, day=date.day)

    def month_long(self, date: dt.date) -> str:
        """``2024년 2월``: how a month is named."""
        if "month_long" not in self.table:
            return format_skeleton("yMMMM", date, locale=self._locale)
        return self.text("month_long", year=date.year, month=date.month)

    def month_only(self, month: int) -> str:
        """``2월``: a month of a year already named."""
        if "month_only" not in self.table:
            return format_date(dt.date(2000, month, 1), "LLLL", locale=self._locale)
        return self.text("month_only", month=month)

    def year(self, year: int) -> str:
        """``2024년``."""
        if "year" not in self.table:
            return format_skeleton("y", dt.date(year, 1, 1), locale=self._locale)
        return self.text("year", year=year)


def _escaped(value: object) -> object:
    """A value as it may be filled into markup: numbers and markup as they are, anything
    else as escaped text."""
    if isinstance(value, (int, float, Markup)):
        return value
    return escape(str(value))


def babel_locale(language: str) -> Locale:
    """Babel's locale for a site language (``pt-BR`` as Material writes it); English for a
    language Babel does not know."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK)


@functools.cache
def shipped(language: str) -> dict[str, Message] | None:
    """The table shipped for ``language``, or None when there is none.

    Read once per process (every build loads the reference table and the site's), so
    callers copy it rather than change it.
    """
    path = resources.files("generator.plugin") / "messages" / f"{language}.yml"
    if not path.is_file():
        return None
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(key): _message(str(key), value) for key, value in table.items()}


def load(language: str, overrides: Mapping[str, object]) -> Messages:
    """The messages of a site: the shipped table for ``language`` with ``overrides``, and
    English for every other key (dates excepted, see :data:`DATE_KEYS`).

    Raises :class:`MessagesError` for an unknown key, a message that is neither text nor
    plural forms, a template that uses a value it is not given, or a broken template.
    """
    reference = shipped(REFERENCE)
    assert reference is not None, "the reference table ships with the package"
    for key in overrides:
        if key not in reference:
            raise MessagesError(
                f"unknown message {key!r} (the keys are those of "
                f"generator/plugin/messages/{REFERENCE}.yml)"
            )
    own = {**(shipped(language) or {}), **{k: _message(k, v) for k, v in overrides.items()}}
    fallback = {k: v for k, v in (shipped(FALLBACK) or {}).items() if k not in DATE_KEYS}
    table = {**fallback, **own}
    missing = [key for key in reference if key not in table and key not in DATE_KEYS]
    if missing:  # only a broken install: the English table has every other key
        raise MessagesError(f"no text for messages {', '.join(missing)}")
    for key, value in table.items():
        allowed = _fields(reference[key])
        for template in [value] if isinstance(value, str) else list(value.values()):
            _check_fields(key, template, allowed)
    weekdays = table.get("weekdays")
    if weekdays is not None and (not isinstance(weekdays, str) or len(weekdays) != 7):
        raise MessagesError("message 'weekdays' must be seven characters, Monday first")
    return Messages(language, table)


def _message(key: str, value: object) -> Message:
    """A table's or an override's value as a message, or why it cannot be one."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        forms = {str(form): text for form, text in value.items()}
        unknown = sorted(set(forms) - set(PLURAL_FORMS))
        if unknown or "other" not in forms:
            raise MessagesError(
                f"message {key!r}: plural forms are {', '.join(PLURAL_FORMS)}, 'other' "
                f"among them, not {', '.join(unknown) or 'without other'}"
            )
        if not all(isinstance(text, str) for text in forms.values()):
            raise MessagesError(f"message {key!r}: every plural form must be text")
        return forms
    raise MessagesError(
        f"message {key!r} must be text (or plural forms), not {type(value).__name__}"
    )


def _fields(message: Message) -> set[str]:
    templates = [message] if isinstance(message, str) else list(message.values())
    return {name for t in templates for _, name, _, _ in string.Formatter().parse(t) if name}


def _check_fields(key: str, value: str, allowed: set[str]) -> None:
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(value) if name}
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
