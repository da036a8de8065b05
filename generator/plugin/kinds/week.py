"""An ISO week (``weeks/2024-W07/``): its most voted papers as full cards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import layout
from generator.plugin.archive import Week
from generator.plugin.cards import Card
from generator.plugin.frames import THIN_FRAME
from generator.plugin.kinds.base import Links, Site, SitePage, Target, View, latest_listing

#: Papers on a week's page (the home page lists fewer of them).
WEEK_TOP = 20


def week_name(site: Site, week: Week) -> str:
    """``2024년 7주``."""
    return site.t.text("week_name", year=week.year, week=week.week)


@dataclass(frozen=True, eq=False, kw_only=True)
class WeekPage(SitePage):
    week: Week

    kind: ClassVar[str] = "week"
    deferred: ClassVar[bool] = True
    frame: ClassVar[str | None] = THIN_FRAME

    @classmethod
    def plan(cls, site: Site) -> Iterator[WeekPage]:
        t = site.t
        for week in site.archive.weeks:
            top = week.top(1)[0]
            name = week_name(site, week)
            yield cls(
                layout.week(week.year, week.week),
                t.text("week_title", week=name),
                t.text("week_description", week=name, count=len(week.papers), top=top.title),
                week=week,
            )

    def view(self, site: Site, link: Links) -> View:
        week = self.week
        previous, following = site.archive.neighbours(week)

        def target(other: Week) -> Target:
            return Target(link.page(layout.week(other.year, other.week)), week_name(site, other))

        cards = [site.card(paper) for paper in week.top(WEEK_TOP)]
        return site.view(
            "week.html",
            anchors=self.anchors(site),
            week=week,
            cards=cards,
            heading=self.title,
            link=link,
            count=len(week.papers),
            previous=previous and target(previous),
            following=following and target(following),
            up=Target(link.page(layout.ARCHIVE), site.t.text("archive_title")),
        )

    def anchors(self, site: Site) -> list[str]:
        return [paper.id for paper in self.week.top(WEEK_TOP)]

    def top_card(self, site: Site) -> Card:
        return site.card(self.week.top(1)[0])

    def lastmod(self, site: Site) -> dt.date | None:
        return latest_listing(self.week.papers)
