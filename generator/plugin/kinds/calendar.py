"""The archive (``archive/``) and the pages of each year (``2024/``) and month
(``2024/02/``): the days, with their paper counts and top papers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import layout
from generator.plugin.archive import Month, Year
from generator.plugin.kinds.base import (
    Links,
    Site,
    SitePage,
    Target,
    View,
    latest_listing,
    toc_entry,
)


@dataclass(frozen=True, eq=False)
class ArchivePage(SitePage):
    kind: ClassVar[str] = "archive"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[ArchivePage]:
        t = site.t
        yield cls(layout.ARCHIVE, t.text("archive_title"), t.text("archive_description"))

    def view(self, site: Site, link: Links) -> View:
        archive = site.archive
        week = archive.weeks[-1] if archive.weeks else None
        years = reversed(archive.years)
        return site.view(
            "archive.html",
            toc=[toc_entry(str(y.year), site.t.year(y.year)) for y in years],
            archive=archive,
            link=link,
            orgs=link.page(layout.ORGS),
            latest_week=week and link.page(layout.week(week.year, week.week)),
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class YearPage(SitePage):
    year: Year

    kind: ClassVar[str] = "year"

    @classmethod
    def plan(cls, site: Site) -> Iterator[YearPage]:
        t = site.t
        for year in site.archive.years:
            yield cls(
                layout.year(year.year),
                t.year(year.year),
                t.text("year_description", year=year.year),
                year=year,
            )

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        year = self.year
        previous, following = site.archive.neighbours(year)
        toc = [toc_entry(f"{m.month:02d}", t.month_only(m.month)) for m in reversed(year.months)]
        return site.view(
            "year.html",
            toc=toc,
            year=year,
            weeks=[
                Target(link.page(layout.week(w.year, w.week)), t.text("week_number", week=w.week))
                for w in site.archive.weeks
                if w.year == year.year
            ],
            link=link,
            previous=previous and Target(link.year(previous.year), t.year(previous.year)),
            following=following and Target(link.year(following.year), t.year(following.year)),
            up=Target(link.page(layout.ARCHIVE), t.text("archive_title")),
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class MonthPage(SitePage):
    month: Month

    kind: ClassVar[str] = "month"
    deferred: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[MonthPage]:
        t = site.t
        for month in site.archive.months:
            name = t.month_long(month.first)
            yield cls(
                layout.month(month.year, month.month),
                name,
                t.text("month_description", month=name),
                month=month,
            )

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        month = self.month
        previous, following = site.archive.neighbours(month)
        return site.view(
            "month.html",
            month=month,
            link=link,
            previous=previous and Target(link.month(previous), t.month_long(previous.first)),
            following=following and Target(link.month(following), t.month_long(following.first)),
            up=Target(link.year(month.year), t.year(month.year)),
        )

    def anchors(self, site: Site) -> list[str]:
        return []

    def lastmod(self, site: Site) -> dt.date | None:
        return latest_listing(self.month.papers)
