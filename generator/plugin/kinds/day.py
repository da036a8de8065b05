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


@dataclass(frozen=True, eq=False, kw_only=True)
class DayPage(SitePage):
    day: Day

    kind: ClassVar[str] = "day"
    deferred: ClassVar[bool] = True
    frame: ClassVar[str | None] = THIN_FRAME

    @classmethod
    def plan(cls, site: Site) -> Iterator[DayPage]:
        t = site.t
        for day in site.archive.days:
            description = t.text(
                "day_description",
                date=t.date_short(day.date),
                count=len(day.papers),
                top=day.top.title,
            )
            yield cls(layout.day(day.date), t.date_long(day.date), description, day=day)

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        day = self.day
        previous, following = site.archive.neighbours(day)
        month = site.archive.month_of(day)
        week = site.archive.week_of(day)
        return site.view(
            "day.html",
            anchors=self.anchors(site),
            day=day,
            cards=[site.card(paper) for paper in day.papers],
            link=link,
            previous=previous and Target(link.day(previous.date), t.date_short(previous.date)),
            following=following and Target(link.day(following.date), t.date_short(following.date)),
            up=Target(link.month(month), t.month_long(month.first)),
            week=Target(
                link.page(layout.week(week.year, week.week)),
                t.text("week_title", week=t.text("week_name", year=week.year, week=week.week)),
            ),
        )

    def anchors(self, site: Site) -> list[str]:
        return [paper.id for paper in self.day.papers]

    def top_card(self, site: Site) -> Card:
        return site.card(self.day.top)

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
