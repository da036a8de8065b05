"""The most voted papers of each month: the latest months (``top/``) and each year's
(``top/2024/``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import layout
from generator.plugin.archive import Year
from generator.plugin.kinds.base import Links, Site, SitePage, Target, View, toc_entry

#: Months listed in full on the top papers page; older ones are on the per-year pages.
TOP_RECENT_MONTHS = 12


@dataclass(frozen=True, eq=False)
class TopPage(SitePage):
    kind: ClassVar[str] = "top"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[TopPage]:
        yield cls(layout.TOP, site.t.text("top_title"), site.t.text("top_description"))

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        archive = site.archive
        months = list(reversed(archive.months))[:TOP_RECENT_MONTHS]
        toc = [toc_entry(f"{m.year:04d}-{m.month:02d}", t.month_long(m.first)) for m in months]
        if archive.years:
            toc.append(toc_entry("years", t.text("top_years")))
        return site.view(
            "top.html",
            toc=toc,
            heading=t.text("top_title"),
            months=months,
            years=archive.years,
            top_count=site.top_papers,
            link=link,
            previous=None,
            following=None,
            up=None,
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class TopYearPage(SitePage):
    year: Year

    kind: ClassVar[str] = "top_year"

    @classmethod
    def plan(cls, site: Site) -> Iterator[TopYearPage]:
        t = site.t
        for year in site.archive.years:
            yield cls(
                layout.top_year(year.year),
                t.text("top_year_title", year=year.year),
                t.text("top_year_description", year=year.year),
                year=year,
            )

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        year = self.year
        previous, following = site.archive.neighbours(year)
        months = list(reversed(year.months))
        return site.view(
            "top.html",
            toc=[toc_entry(f"{m.year:04d}-{m.month:02d}", t.month_long(m.first)) for m in months],
            heading=self.title,
            months=months,
            years=[],
            top_count=site.top_papers,
            link=link,
            previous=previous and Target(link.top_year(previous.year), t.year(previous.year)),
            following=following and Target(link.top_year(following.year), t.year(following.year)),
            up=Target(link.page(layout.TOP), t.text("top_title")),
        )
