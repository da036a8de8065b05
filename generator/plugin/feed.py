"""The RSS 2.0 feed of the newest papers (``feed.xml``).

One item per paper, newest day first and most votes first within a day. The guid is
the paper id, which never changes even if the site moves or a record is moved to
another day, so it is not a permalink (``isPermaLink="false"``). Item links and the
channel link are absolute, as RSS requires, so the feed needs ``site_url``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import format_datetime

import jinja2
from markupsafe import Markup

from generator.plugin import layout
from generator.plugin.archive import Archive
from generator.plugin.cards import Card, MediaItem
from generator.records.model import Paper
from generator.records.text import without_controls


def rfc822(date: dt.date | dt.datetime) -> str:
    """RFC 822 date-time (RSS 2.0 ``pubDate``); a day is its midnight in UTC."""
    if not isinstance(date, dt.datetime):
        date = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    return format_datetime(date.astimezone(dt.timezone.utc), usegmt=True)


def xml_text(value: str) -> str:
    """``value`` without characters XML cannot hold (keeping ``Markup`` as ``Markup``).

    Validation refuses them, but a record could carry them through YAML escapes
    (``"\x01"``) past it, and one would make the whole feed unreadable.
    """
    cleaned = without_controls(value)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    guid: str
    pub_date: str
    authors: str
    description: str
    enclosure: MediaItem | None
    keywords: tuple[str, ...]


def render_feed(
    archive: Archive,
    *,
    size: int,
    site_url: str,
    urls: Mapping[str, str],
    card: Callable[[Paper], Card],
    title: str,
    description: str,
    build_date: dt.datetime,
    env: jinja2.Environment,
) -> str:
    """The feed's XML text. ``site_url`` is absolute and ends with a slash."""
    item_html = env.get_template("feed_item.html")
    items: list[Item] = []
    seen: set[str] = set()
    for day in archive.latest_days(size):
        page_url = site_url + urls[layout.day(day.date)]
        for paper in day.papers:
            if len(items) == size:
                break
            if paper.id in seen:  # listed again on a newer day: one item per paper
                continue
            seen.add(paper.id)
            shown = card(paper)
            items.append(
                Item(
                    title=xml_text(paper.title),
                    link=f"{page_url}#{paper.id}",
                    guid=f"daily-papers:{paper.id}",
                    pub_date=rfc822(day.date),
                    authors=xml_text(", ".join(paper.authors)),
                    description=xml_text(item_html.render(card=shown).strip()),
                    enclosure=shown.image,
                    keywords=tuple(xml_text(k) for k in paper.keywords),
                )
            )
    return env.get_template("feed.xml").render(
        title=xml_text(title),
        link=site_url,
        description=xml_text(description),
        build_date=rfc822(build_date),
        self_url=site_url + layout.FEED,
        items=items,
    )
