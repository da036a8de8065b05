"""The jinja2 environment for the generated pages and the feed.

Autoescaping is on for every template: record text is untrusted, and only values the
plugin made safe itself (``Markup`` from :mod:`.inline_markdown`) are printed as HTML.
"""

from __future__ import annotations

import datetime as dt
import functools

import jinja2

WEEKDAYS = "월화수목금토일"


def date_long(date: dt.date) -> str:
    """``2024년 2월 14일 (수)``: how a day is named in headings."""
    return f"{date.year}년 {date.month}월 {date.day}일 ({WEEKDAYS[date.weekday()]})"


def date_short(date: dt.date) -> str:
    """``2024년 2월 14일``: how a day is named in links and descriptions."""
    return f"{date.year}년 {date.month}월 {date.day}일"


def month_long(date: dt.date) -> str:
    """``2024년 2월``: how a month is named."""
    return f"{date.year}년 {date.month}월"


@functools.cache
def environment() -> jinja2.Environment:
    """One environment per process; templates are compiled once and cached by jinja2."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.plugin", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(date_long=date_long, date_short=date_short, month_long=month_long)
    return env
