"""A Daily Papers day (``2024/02/14/``): every paper of the day as a card, most votes first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import layout
from generator.plugin.archive import Day
from generator.plugin.cards import Card
from generator.plugin.frames import THIN_FRAME
from generator.plugin.kinds.base import Links, Site, SitePage, Target, View, latest_listing
from generator.plugin.search_index import PaperDocument, paper_document


@dataclass(frozen=True, kw_only=True)
class DayPage(SitePage):
    """A day's papers. Pure (:attr:`SitePage.pure`): what it shows of the archive is in
    its fields."""

    day: Day
    cards: tuple[Card, ...]
    #: The card of its top paper (its link preview's picture).
    top: Card
    #: The days with papers before and after it.
    previous: dt.date | None
    following: dt.date | None
    #: Its ISO week: (year, week).
    week: tuple[int, int]

    kind: ClassVar[str] = "day"
    deferred: ClassVar[bool] = True
    pure: ClassVar[bool] = True
    frame: ClassVar[str | None] = THIN_FRAME

    @classmethod
    def plan(cls, site: Site) -> Iterator[DayPage]:
        t, archive = site.t, site.archive
        for day in archive.days:
            description = t.text(
                "day_description",
                date=t.date_short(day.date),
                count=len(day.papers),
                top=day.top.title,
            )
            previous, following = archive.neighbours(day)
            week = archive.week_of(day)
            yield cls(
                layout.day(day.date),
                t.date_long(day.date),
                description,
                day=day,
                cards=tuple(site.card(paper) for paper in day.papers),
                top=site.card(day.top),
                previous=previous.date if previous else None,
                following=following.date if following else None,
                week=(week.year, week.week),
            )

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        date = self.day.date
        year, week = self.week
        return site.view(
            "day.html",
            anchors=self.anchors(site),
            day=self.day,
            cards=self.cards,
            link=link,
            previous=self.previous and Target(link.day(self.previous), t.date_short(self.previous)),
            following=self.following
            and Target(link.day(self.following), t.date_short(self.following)),
            up=Target(
                link.page(layout.month(date.year, date.month)), t.month_long(date.replace(day=1))
            ),
            week=Target(
                link.page(layout.week(year, week)),
                t.text("week_title", week=t.text("week_name", year=year, week=week)),
            ),
        )

    def anchors(self, site: Site) -> list[str]:
        return [paper.id for paper in self.day.papers]

    def top_card(self, site: Site) -> Card:
        return self.top

    def lastmod(self, site: Site) -> dt.date | None:
        return latest_listing(self.day.papers)

    def edit_url(self, site: Site) -> str | None:
        # The day's folder, where every record of the day is one click away.
        return site.edit.folder(self.day.date) if site.edit else None

    def search_documents(self, site: Site) -> Iterable[PaperDocument]:
        """The papers recorded on this day, where papers have no pages of their own (a
        paper listed again is indexed once)."""
        if site.paper_pages:
            return
        url = site.directory.url(self.src_uri)
        for paper in self.day.papers:
            if paper.date == self.day.date:
                yield paper_document(paper, site.card(paper), f"{url}#{paper.id}", site.glossary)
