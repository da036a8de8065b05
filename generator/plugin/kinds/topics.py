"""Topics: arXiv's categories as pages. The index (``topics/``) with each topic's counts
and feeds; a page per topic (``topics/cs.CL/``) with its newest month; a page per older
month (``topics/cs.CL/2024-02/``), papers newest first. A month whose list would
outgrow :data:`LIST_BYTES` is cut into parts (``2024-02-2``), so no page passes 60 KB
(Material's frame is about 12 KB, the list of months a few more).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from markupsafe import escape

from generator.plugin import layout
from generator.plugin.archive import TopicPapers
from generator.plugin.cards import Card, topic_name
from generator.plugin.charts import Chart
from generator.plugin.frames import THIN_FRAME
from generator.plugin.kinds.base import (
    Links,
    Site,
    SitePage,
    Target,
    View,
    feed_links,
    latest_listing,
)
from generator.plugin.kinds.trends import latest_month, papers_chart
from generator.plugin.messages import Messages
from generator.plugin.trends import span
from generator.records.model import Paper
from generator.records.taxonomy import categories

#: The bytes of paper lines one topic page holds at most, and what a line costs besides
#: its title (the date, the link, the votes, the primary mark: about 170 bytes).
LIST_BYTES = 36_000
LINE_BYTES = 190

#: What the chart of papers per month on a topic's own page costs in bytes: its frame
#: and about this much a month (a point of its SVG and a row of its table).
CHART_BYTES = 1_800
CHART_MONTH_BYTES = 70

#: One page of a topic: (year, month, part) and its papers.
Part = tuple[tuple[int, int, int], list[Paper]]


def parts(topic: TopicPapers, reserve: int = 0) -> list[Part]:
    """A topic's pages, newest first: a month each, cut into parts of at most LIST_BYTES
    of lines (a title's escaped bytes and LINE_BYTES each); the first part (the topic's
    own page) holds ``reserve`` bytes less, the room of its chart."""
    found: list[Part] = []
    for (year, month), papers in topic.months():
        cut: list[list[Paper]] = [[]]
        size = reserve if not found else 0
        for paper in papers:
            line = LINE_BYTES + len(escape(paper.title).encode("utf-8"))
            if cut[-1] and size + line > LIST_BYTES:
                cut.append([])
                size = 0
            cut[-1].append(paper)
            size += line
        found += [((year, month, number), part) for number, part in enumerate(cut, 1)]
    return found


def chart_bytes(site: Site, topic: TopicPapers) -> int:
    """The bytes the chart of the topic's own page takes at most: its SVG, legend and
    table, CHART_BYTES and CHART_MONTH_BYTES a month (measured: 2.3 KB for a year,
    7.7 KB for eight, 11.3 KB for twelve and a half)."""
    last = latest_month(site)
    if last is None:
        return 0
    return CHART_BYTES + CHART_MONTH_BYTES * len(span(topic.papers, last))


def part_path(code: str, key: tuple[int, int, int], first: bool) -> str:
    return layout.topic(code) if first else layout.topic_month(code, *key)


def month_label(t: Messages, key: tuple[int, int, int]) -> str:
    """``2024년 2월``, and ``2024년 2월 (2)`` for the second part of a long month."""
    month = t.month_long(dt.date(key[0], key[1], 1))
    return month if key[2] == 1 else f"{month} ({key[2]})"


def label(site: Site, code: str) -> str:
    """``자연어 처리 (cs.CL)``."""
    return site.t.text("topic_name", name=topic_name(code, site.t), code=code)


def feed_title(site: Site, code: str) -> str:
    """The title of a topic's feeds."""
    return site.t.text("topic_feed_title", site=site.site_name, topic=label(site, code))


@dataclass(frozen=True)
class TopicCount:
    """A topic as the topics page lists it: its code and how many papers it has (as
    their primary category or at all)."""

    code: str
    papers: int
    primary: int


@dataclass(frozen=True, eq=False)
class TopicsPage(SitePage):
    kind: ClassVar[str] = "topics"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[TopicsPage]:
        t = site.t
        yield cls(layout.TOPICS, t.text("topics_title"), t.text("topics_description"))

    def view(self, site: Site, link: Links) -> View:
        groups: dict[str, list[TopicCount]] = {}
        for topic in site.archive.topics:
            category = categories().get(topic.code)
            groups.setdefault(category.group if category else topic.code, []).append(
                TopicCount(topic.code, len(topic.papers), topic.primary)
            )
        return site.view(
            "topics.html",
            groups=groups,
            link=link,
            labels={topic.code: label(site, topic.code) for topic in site.archive.topics},
            feeds=site.feed,
            feed_size=site.feed_size,
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class TopicPage(SitePage):
    """A topic's newest month (its first part), and every other month of it listed.
    Its fields hold all it shows of the archive (its later months are pure pages)."""

    code: str
    #: The topic's papers, and those whose primary category it is.
    total: int
    total_primary: int
    key: tuple[int, int, int]
    papers: tuple[Paper, ...]
    #: Every page of the topic, newest first: its key and how many papers it lists
    #: (one tuple, shared by the topic's pages).
    pages: tuple[tuple[tuple[int, int, int], int], ...]
    #: The card of its newest paper (its link preview's picture).
    top: Card | None
    #: The topic's papers per month (its first page's).
    chart: Chart | None = None

    kind: ClassVar[str] = "topic"
    deferred: ClassVar[bool] = True
    frame: ClassVar[str | None] = THIN_FRAME

    @classmethod
    def plan(cls, site: Site) -> Iterator[SitePage]:
        t = site.t
        for topic in site.archive.topics:
            name = label(site, topic.code)
            description = t.text("topic_description", topic=name, count=len(topic.papers))
            cut = parts(topic, chart_bytes(site, topic))
            pages = tuple((key, len(papers)) for key, papers in cut)
            primary = topic.primary
            for index, (key, papers) in enumerate(cut):
                if index == 0:
                    title = t.text("topic_title", topic=name)
                    kind: type[TopicPage] = TopicPage
                else:
                    title = t.text("topic_month_title", topic=name, month=month_label(t, key))
                    kind = TopicMonthPage
                path = part_path(topic.code, key, index == 0)
                yield kind(
                    path,
                    title,
                    description,
                    code=topic.code,
                    total=len(topic.papers),
                    total_primary=primary,
                    key=key,
                    papers=tuple(papers),
                    pages=pages,
                    top=site.card(papers[0]) if papers else None,
                    chart=papers_chart(site, topic.papers, t.text("topic_chart_description"))
                    if index == 0
                    else None,
                )

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        code = self.code
        pages = self.pages
        here = next(i for i, (key, _) in enumerate(pages) if key == self.key)

        def target(index: int) -> Target:
            key = pages[index][0]
            return Target(link.page(part_path(code, key, index == 0)), month_label(t, key))

        month = month_label(t, self.key)
        return site.view(
            "topic.html",
            heading=self.title,
            code=code,
            total=self.total,
            total_primary=self.total_primary,
            papers=self.papers,
            month=month,
            first=here == 0,
            chart=self.chart,
            months=[(target(i), count) for i, (_, count) in enumerate(pages)],
            here=here,
            link=link,
            feeds=[link.page(path) for path in layout.topic_feeds(code)] if site.feed else [],
            # Newer months before, older after (the topic's own page is the newest).
            previous=target(here - 1) if here else None,
            following=target(here + 1) if here + 1 < len(pages) else None,
            up=Target(link.page(layout.TOPICS), t.text("topics_title")),
        )

    def anchors(self, site: Site) -> list[str]:
        return []

    def top_card(self, site: Site) -> Card | None:
        return self.top

    def lastmod(self, site: Site) -> dt.date | None:
        return latest_listing(self.papers)

    def head(self, site: Site, page_url: str | None) -> str:
        code = self.code
        return feed_links(site, layout.topic_feeds(code), feed_title(site, code))


@dataclass(frozen=True, kw_only=True)
class TopicMonthPage(TopicPage):
    """An older month of a topic (or a later part of one): there are many, so they are
    written from their frame, and pure (:attr:`SitePage.pure`)."""

    kind: ClassVar[str] = "topic_month"
    bulk: ClassVar[bool] = True
    pure: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[SitePage]:
        return iter(())  # planned with their topic's page (TopicPage.plan)
