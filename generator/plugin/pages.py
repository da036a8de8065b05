"""The generated pages: which exist, and their HTML (jinja2 templates, autoescaped).

MkDocs only sees an empty Markdown source for these pages; the plugin hands over the
HTML rendered here, so records never pass through Python-Markdown as a whole (where raw
HTML would be let through) and a large archive builds without parsing Markdown for
every page. Links between pages are relative, like MkDocs' own, so the site works
under any path prefix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mkdocs.utils import get_relative_url

from generator.plugin import layout
from generator.plugin.archive import Archive, Day, Month, Year
from generator.plugin.cards import Card
from generator.plugin.templating import date_long, date_short, environment, month_long
from generator.records.model import Paper

#: Months listed in full on the top papers page; older ones are on the per-year pages.
TOP_RECENT_MONTHS = 12

#: What the search page's script says (``{name}`` is filled in by the script).
SEARCH_MESSAGES = {
    "prompt": "검색어를 입력하거나 연도, 월 같은 조건을 고르세요.",
    "searching": "찾는 중…",
    "count": "{count}건을 찾았습니다.",
    "none": "찾는 결과가 없습니다. 다른 낱말이나 더 짧은 낱말로 찾아보세요.",
    "more": "결과 더 보기",
    "failed": "검색 색인을 불러오지 못했습니다. 잠시 뒤에 다시 시도해 주세요.",
    "unavailable": "미리보기(mkdocs serve)에서는 검색 색인을 만들지 않습니다. "
    "mkdocs build로 만든 사이트에서 검색할 수 있습니다.",
    "date": "{year}년 {month}월 {day}일",
    "votes": "추천 {votes}",
    "page": "안내 문서",
}


PageKind = Literal["home", "archive", "top", "search", "year", "top_year", "month", "day"]


@dataclass(frozen=True)
class SitePage:
    """One generated page: where it lives, what it shows, how MkDocs should treat it."""

    src_uri: str
    kind: PageKind
    title: str
    description: str = ""
    item: Day | Month | Year | None = None
    #: Day, month and year pages are reached through the archive, not the sidebar.
    in_nav: bool = False


def plan(archive: Archive) -> list[SitePage]:
    """Every page the archive needs, top-level pages first."""
    pages = [
        SitePage(layout.HOME, "home", "최신 논문", in_nav=True),
        SitePage(layout.ARCHIVE, "archive", "아카이브", "날짜별 데일리 페이퍼 목록", in_nav=True),
        SitePage(layout.TOP, "top", "인기 논문", "달마다 추천을 가장 많이 받은 논문", in_nav=True),
        SitePage(layout.SEARCH, "search", "검색", "논문의 제목, 저자, 요약과 키워드로 찾기"),
    ]
    for year in archive.years:
        pages.append(
            SitePage(
                layout.year(year.year),
                "year",
                f"{year.year}년",
                f"{year.year}년의 데일리 페이퍼",
                year,
            )
        )
        pages.append(
            SitePage(
                layout.top_year(year.year),
                "top_year",
                f"{year.year}년 인기 논문",
                f"{year.year}년 달마다 추천을 가장 많이 받은 논문",
                year,
            )
        )
    for month in archive.months:
        pages.append(
            SitePage(
                layout.month(month.year, month.month),
                "month",
                month_long(month.first),
                f"{month_long(month.first)}의 데일리 페이퍼",
                month,
            )
        )
    for day in archive.days:
        pages.append(
            SitePage(
                layout.day(day.date),
                "day",
                date_long(day.date),
                f"{date_short(day.date)} Hugging Face 데일리 페이퍼 "
                f"{len(day.papers)}편과 한국어 요약",
                day,
            )
        )
    return pages


@dataclass(frozen=True)
class Rendered:
    """A page's HTML and what MkDocs needs besides it.

    ``toc``: the table of contents as (anchor id, escaped title) pairs; day pages have
    none (their cards are the list, and a second list of titles would be a sixth of
    every day page). ``anchors``: every id a link may point to.
    """

    html: str
    toc: list[tuple[str, str]] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    url: str
    label: str


class _Links:
    """Relative URLs from the page being rendered to any generated page."""

    def __init__(self, urls: Mapping[str, str], here: str) -> None:
        self._urls = urls
        self._here = here

    def page(self, src_uri: str, anchor: str | None = None) -> str:
        url = get_relative_url(self._urls[src_uri], self._here)
        return f"{url}#{anchor}" if anchor else url

    def root(self) -> str:
        """The site's root, relative to the page (``../`` from ``search/``)."""
        return get_relative_url(".", self._here).rstrip("/") + "/"

    def day(self, date: dt.date, anchor: str | None = None) -> str:
        return self.page(layout.day(date), anchor)

    def month(self, month: Month) -> str:
        return self.page(layout.month(month.year, month.month))

    def year(self, year: int) -> str:
        return self.page(layout.year(year))

    def top_year(self, year: int) -> str:
        return self.page(layout.top_year(year))

    def top_month(self, month: Month) -> str:
        return self.page(layout.top_year(month.year), f"{month.year:04d}-{month.month:02d}")


class Renderer:
    """Renders generated pages for one build (cards are made once and reused)."""

    def __init__(
        self,
        archive: Archive,
        *,
        urls: Mapping[str, str],
        card: Callable[[Paper], Card],
        site_name: str,
        feed: bool,
        top_papers: int,
        search: bool,
    ) -> None:
        self.archive = archive
        self.urls = urls
        self._card = card
        self.site_name = site_name
        self.feed = feed
        self.top_papers = top_papers
        #: Whether this build writes a search index (not in ``mkdocs serve``).
        self.search = search
        self._renderers: dict[PageKind, Callable[[SitePage, _Links], Rendered]] = {
            "home": self._home,
            "archive": self._archive,
            "top": self._top,
            "search": self._search,
            "year": self._year,
            "top_year": self._top_year,
            "month": self._month,
            "day": self._day,
        }

    def render(self, page: SitePage, url: str) -> Rendered:
        """The HTML of ``page``, whose own URL is ``url``."""
        return self._renderers[page.kind](page, _Links(self.urls, url))

    def _template(self, name: str, **context: Any) -> str:
        return environment().get_template(name).render(**context)

    def _day(self, page: SitePage, link: _Links) -> Rendered:
        day = page.item
        assert isinstance(day, Day)
        previous, following = self.archive.neighbours(day)
        cards = [self._card(paper) for paper in day.papers]
        month = self.archive.month_of(day)
        html = self._template(
            "day.html",
            day=day,
            cards=cards,
            previous=previous and _Target(link.day(previous.date), date_short(previous.date)),
            following=following and _Target(link.day(following.date), date_short(following.date)),
            up=_Target(link.month(month), month_long(month.first)),
        )
        return Rendered(html, anchors=[card.id for card in cards])

    def _search(self, page: SitePage, link: _Links) -> Rendered:
        html = self._template(
            "search.html",
            root=link.root(),
            script=link.page(layout.SEARCH_SCRIPT),
            archive=link.page(layout.ARCHIVE),
            years=self.archive.years,
            months=self.archive.months,
            available=self.search,
            messages=SEARCH_MESSAGES,
        )
        return Rendered(html)

    def _home(self, page: SitePage, link: _Links) -> Rendered:
        day = self.archive.latest
        cards = [self._card(paper) for paper in day.papers] if day else []
        html = self._template(
            "home.html",
            day=day,
            cards=cards,
            link=link,
            site_name=self.site_name,
            archive=layout.ARCHIVE,
            top=layout.TOP,
            feed=layout.FEED if self.feed else None,
        )
        return Rendered(html, anchors=[card.id for card in cards])

    def _archive(self, page: SitePage, link: _Links) -> Rendered:
        html = self._template("archive.html", archive=self.archive, link=link)
        return Rendered(html, [(str(y.year), f"{y.year}년") for y in reversed(self.archive.years)])

    def _year(self, page: SitePage, link: _Links) -> Rendered:
        year = page.item
        assert isinstance(year, Year)
        previous, following = self.archive.neighbours(year)
        html = self._template(
            "year.html",
            year=year,
            link=link,
            previous=previous and _Target(link.year(previous.year), f"{previous.year}년"),
            following=following and _Target(link.year(following.year), f"{following.year}년"),
            up=_Target(link.page(layout.ARCHIVE), "아카이브"),
        )
        toc = [(f"{m.month:02d}", f"{m.month}월") for m in reversed(year.months)]
        return Rendered(html, toc)

    def _month(self, page: SitePage, link: _Links) -> Rendered:
        month = page.item
        assert isinstance(month, Month)
        previous, following = self.archive.neighbours(month)
        html = self._template(
            "month.html",
            month=month,
            link=link,
            previous=previous and _Target(link.month(previous), month_long(previous.first)),
            following=following and _Target(link.month(following), month_long(following.first)),
            up=_Target(link.year(month.year), f"{month.year}년"),
        )
        return Rendered(html)

    def _top(self, page: SitePage, link: _Links) -> Rendered:
        months = list(reversed(self.archive.months))[:TOP_RECENT_MONTHS]
        html = self._template(
            "top.html",
            heading="인기 논문",
            months=months,
            years=self.archive.years,
            top_count=self.top_papers,
            link=link,
            previous=None,
            following=None,
            up=None,
        )
        toc = [(f"{m.year:04d}-{m.month:02d}", month_long(m.first)) for m in months]
        if self.archive.years:
            toc.append(("years", "연도별 인기 논문"))
        return Rendered(html, toc)

    def _top_year(self, page: SitePage, link: _Links) -> Rendered:
        year = page.item
        assert isinstance(year, Year)
        previous, following = self.archive.neighbours(year)
        months = list(reversed(year.months))
        html = self._template(
            "top.html",
            heading=page.title,
            months=months,
            years=[],
            top_count=self.top_papers,
            link=link,
            previous=previous and _Target(link.top_year(previous.year), f"{previous.year}년"),
            following=following and _Target(link.top_year(following.year), f"{following.year}년"),
            up=_Target(link.page(layout.TOP), "인기 논문"),
        )
        toc = [(f"{m.year:04d}-{m.month:02d}", month_long(m.first)) for m in months]
        return Rendered(html, toc)
