"""The feeds: the newest papers and each week's best, as RSS 2.0 and as JSON Feed 1.1.

``feed.xml`` / ``feed.json``: one item per paper, newest day first and most votes first
within a day. ``feed-weekly.xml`` / ``feed-weekly.json``: the ten most voted papers of
each of the latest weeks, for readers who want less. ``feed-topic-<code>.xml`` /
``.json`` and ``feed-org-<name>.xml`` / ``.json``: a topic's or an organization's
newest papers (written by the plugin, one at a time). Their items are compact (the
summary's first bullet, the links): there are hundreds of them, and full items made
each about 300 KB at 30,000 papers.
A guid names the paper (and, in the weekly feed, the week), never its address, so it
is not a permalink (``isPermaLink="false"``) and survives the site moving. Links are
absolute, as feed readers need, so the feeds need ``site_url``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import format_datetime

import jinja2
from markupsafe import Markup

from generator.plugin import layout
from generator.plugin.archive import Archive
from generator.plugin.cards import Card, MediaItem
from generator.plugin.directory import Directory
from generator.plugin.messages import Messages
from generator.records.model import Paper
from generator.records.text import without_controls

#: Papers per week in the weekly feed, and how many weeks it carries.
WEEKLY_TOP = 10
WEEKLY_WEEKS = 10
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def rfc822(date: dt.date | dt.datetime) -> str:
    """RFC 822 date-time (RSS 2.0 ``pubDate``); a day is its midnight in UTC."""
    return format_datetime(_moment(date), usegmt=True)


def _moment(date: dt.date | dt.datetime) -> dt.datetime:
    if not isinstance(date, dt.datetime):
        date = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    return date.astimezone(dt.timezone.utc)


def xml_text(value: str) -> str:
    """``value`` without characters XML cannot hold (keeping ``Markup`` as ``Markup``).

    Validation refuses them, but a record could carry them through YAML escapes
    (``"\\x01"``) past it, and one would make the whole feed unreadable.
    """
    cleaned = without_controls(value)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


@dataclass(frozen=True)
class Item:
    """One feed entry, in the terms both formats share."""

    title: str
    link: str
    guid: str
    published: dt.date
    authors: tuple[str, ...]
    description: str
    enclosure: MediaItem | None
    keywords: tuple[str, ...]

    @property
    def pub_date(self) -> str:
        return rfc822(self.published)


@dataclass(frozen=True)
class Feed:
    """A feed's channel and items; rendered as RSS by :func:`rss`, as JSON by :func:`json_feed`."""

    title: str
    description: str
    home: str
    rss_url: str
    json_url: str
    language: str
    items: list[Item]


class FeedBuilder:
    """Items from the archive, with absolute links (from the directory, which needs the
    site's ``site_url``)."""

    def __init__(
        self,
        archive: Archive,
        *,
        directory: Directory,
        card: Callable[[Paper], Card],
        env: jinja2.Environment,
        messages: Messages,
    ) -> None:
        self.archive = archive
        self.directory = directory
        self.card = card
        self.env = env
        self.t = messages
        self._item_html = env.get_template("feed_item.html")

    def _item(
        self,
        paper: Paper,
        *,
        title: str,
        link: str,
        guid: str,
        published: dt.date,
        compact: bool = False,
    ) -> Item:
        shown = self.card(paper)
        return Item(
            title=xml_text(title),
            link=link,
            guid=guid,
            published=published,
            authors=tuple(xml_text(a) for a in paper.authors),
            description=xml_text(self._item_html.render(card=shown, compact=compact).strip()),
            enclosure=shown.image,
            keywords=tuple(xml_text(k) for k in paper.keywords),
        )

    def _paper_item(
        self, paper: Paper, page_url: str, published: dt.date, *, compact: bool = False
    ) -> Item:
        """An item of one paper, as the daily, topic and organization feeds carry it: the
        same id in all, so a reader subscribed to several sees the paper as one."""
        return self._item(
            paper,
            title=paper.title,
            link=self.paper_url(paper, page_url),
            guid=f"daily-papers:{paper.id}",
            published=published,
            compact=compact,
        )

    def paper_url(self, paper: Paper, page_url: str) -> str:
        """Where an item about ``paper`` leads: its own page, else its card on the page
        at ``page_url``. (Its guid stays the paper's id, so readers see no duplicate.)"""
        own = layout.paper(paper.id)
        if own in self.directory:
            return self.directory.address(own)
        return f"{page_url}#{paper.id}"

    def daily(self, size: int) -> list[Item]:
        """The newest ``size`` papers, each once (a paper listed again: its newest day)."""
        items: list[Item] = []
        seen: set[str] = set()
        for day in self.archive.latest_days(size):
            page_url = self.directory.address(layout.day(day.date))
            for paper in day.papers:
                if len(items) == size:
                    break
                if paper.id in seen:
                    continue
                seen.add(paper.id)
                items.append(self._paper_item(paper, page_url, day.date))
        return items

    def newest(self, papers: Sequence[Paper], size: int) -> list[Item]:
        """The newest ``size`` of ``papers`` (newest first), compact, each dated by its
        record's day and leading to its page."""
        return [
            self._paper_item(
                paper, self.directory.address(layout.day(paper.date)), paper.date, compact=True
            )
            for paper in papers[:size]
        ]

    def weekly(self) -> list[Item]:
        """The ten most voted papers of each of the latest weeks, newest week first."""
        items: list[Item] = []
        for week in reversed(self.archive.weeks[-WEEKLY_WEEKS:]):
            page_url = self.directory.address(layout.week(week.year, week.week))
            name = self.t.text("week_name", year=week.year, week=week.week)
            last_day = week.days[-1].date
            for rank, paper in enumerate(week.top(WEEKLY_TOP), 1):
                items.append(
                    self._item(
                        paper,
                        title=self.t.text(
                            "feed_weekly_item", week=name, rank=rank, title=paper.title
                        ),
                        link=self.paper_url(paper, page_url),
                        guid=f"daily-papers:{week.year}-W{week.week:02d}:{paper.id}",
                        published=last_day,
                    )
                )
        return items


def rss(feed: Feed, env: jinja2.Environment, build_date: dt.datetime) -> str:
    """The feed as RSS 2.0."""
    return env.get_template("feed.xml").render(
        title=xml_text(feed.title),
        link=feed.home,
        description=xml_text(feed.description),
        build_date=rfc822(build_date),
        self_url=feed.rss_url,
        items=feed.items,
    )


def json_feed(feed: Feed) -> str:
    """The feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed.json_url,
        "description": feed.description,
        "language": feed.language,
        "items": [
            {
                "id": item.guid,
                "url": item.link,
                "title": item.title,
                "content_html": item.description,
                "date_published": _moment(item.published).isoformat(),
                **({"authors": [{"name": a} for a in item.authors]} if item.authors else {}),
                **({"image": item.enclosure.url} if item.enclosure else {}),
                **({"tags": list(item.keywords)} if item.keywords else {}),
            }
            for item in feed.items
        ],
    }
    # Compact, as the open data: an indent makes json use its pure-Python encoder (half
    # of the feeds' time at every build and preview, 140 feeds at 5,400 papers) and adds
    # a quarter to the files; feed readers read either.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


#: Every feed file, announced in every page's head: (path, MIME type, message of its title).
FEED_FILES = (
    (layout.FEED, "application/rss+xml", "feed_rss_title"),
    (layout.JSON_FEED, "application/feed+json", "feed_json_title"),
    (layout.WEEKLY_FEED, "application/rss+xml", "feed_weekly_title"),
    (layout.WEEKLY_JSON_FEED, "application/feed+json", "feed_weekly_json_title"),
)


def subject_feed_files(
    builder: FeedBuilder,
    *,
    paths: tuple[str, str],
    page: str,
    papers: Sequence[Paper],
    title: str,
    description: str,
    size: int,
    build_date: dt.datetime,
) -> dict[str, str]:
    """The feeds of a topic or an organization (whose page is at ``page``) by path
    (``paths``, RSS then JSON Feed): its newest ``size`` papers, compact."""
    rss_path, json_path = paths
    home = builder.directory.address(page)
    feed = Feed(
        title,
        description,
        home,
        builder.directory.address(rss_path),
        builder.directory.address(json_path),
        builder.t.language,
        builder.newest(papers, size),
    )
    return {rss_path: rss(feed, builder.env, build_date), json_path: json_feed(feed)}


def feed_files(
    builder: FeedBuilder, *, size: int, site_name: str, description: str, build_date: dt.datetime
) -> dict[str, str]:
    """Every feed file's text by its path: the daily and the weekly feed, in both formats."""
    t, address = builder.t, builder.directory.address
    home = builder.directory.absolute("")
    daily = Feed(
        site_name,
        description,
        home,
        address(layout.FEED),
        address(layout.JSON_FEED),
        t.language,
        builder.daily(size),
    )
    weekly = Feed(
        t.text("feed_weekly_title", site=site_name),
        description,
        home,
        address(layout.WEEKLY_FEED),
        address(layout.WEEKLY_JSON_FEED),
        t.language,
        builder.weekly(),
    )
    return {
        layout.FEED: rss(daily, builder.env, build_date),
        layout.JSON_FEED: json_feed(daily),
        layout.WEEKLY_FEED: rss(weekly, builder.env, build_date),
        layout.WEEKLY_JSON_FEED: json_feed(weekly),
    }
