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

import jinja2
from markupsafe import escape
from mkdocs.utils import get_relative_url

from generator.plugin import layout
from generator.plugin.archive import Archive, Day, Month, OrgPapers, Week, Year
from generator.plugin.cards import Card
from generator.plugin.messages import Messages
from generator.records.model import Paper

#: Months listed in full on the top papers page; older ones are on the per-year pages.
TOP_RECENT_MONTHS = 12

#: What the search page's script says, by its names (``{name}`` is filled in by the script).
SEARCH_SCRIPT_MESSAGES = {
    "prompt": "search_prompt",
    "searching": "search_searching",
    "count": "search_count",
    "none": "search_none",
    "more": "search_more",
    "failed": "search_failed",
    "unavailable": "search_unavailable",
    "date": "date_short",
    "votes": "votes",
    "page": "search_page",
}


PageKind = Literal[
    "home", "archive", "top", "search", "year", "top_year", "month", "day", "week", "orgs", "org"
]
#: Papers on a week's page, and in the home page's list of the week's best.
WEEK_TOP = 20
HOME_WEEK_TOP = 5
#: An organization gets a page from this many papers; the page lists the newest ones.
ORG_MIN_PAPERS = 3
ORG_PAGE_PAPERS = 50


@dataclass(frozen=True)
class SitePage:
    """One generated page: where it lives, what it shows, how MkDocs should treat it."""

    src_uri: str
    kind: PageKind
    title: str
    description: str = ""
    item: Day | Month | Year | Week | OrgPapers | None = None
    #: Day, month and year pages are reached through the archive, not the sidebar.
    in_nav: bool = False


def plan(archive: Archive, t: Messages) -> list[SitePage]:
    """Every page the archive needs, top-level pages first."""
    pages = [
        SitePage(layout.HOME, "home", t.text("home_title"), in_nav=True),
        SitePage(
            layout.ARCHIVE,
            "archive",
            t.text("archive_title"),
            t.text("archive_description"),
            in_nav=True,
        ),
        SitePage(layout.TOP, "top", t.text("top_title"), t.text("top_description"), in_nav=True),
        SitePage(layout.SEARCH, "search", t.text("search_title"), t.text("search_description")),
        SitePage(
            layout.ORGS, "orgs", t.text("orgs_title"), t.text("orgs_description"), in_nav=True
        ),
    ]
    for week in archive.weeks:
        top = week.top(1)[0]
        name = t.text("week_name", year=week.year, week=week.week)
        pages.append(
            SitePage(
                layout.week(week.year, week.week),
                "week",
                t.text("week_title", week=name),
                t.text("week_description", week=name, count=len(week.papers), top=top.title),
                week,
            )
        )
    for org in org_pages(archive):
        pages.append(
            SitePage(
                layout.org(org.name),
                "org",
                t.text("org_title", org=org.display_name),
                t.text(
                    "org_description",
                    org=org.display_name,
                    count=len(org.papers),
                    latest=org.papers[0].title,
                ),
                org,
            )
        )
    for year in archive.years:
        pages.append(
            SitePage(
                layout.year(year.year),
                "year",
                t.year(year.year),
                t.text("year_description", year=year.year),
                year,
            )
        )
        pages.append(
            SitePage(
                layout.top_year(year.year),
                "top_year",
                t.text("top_year_title", year=year.year),
                t.text("top_year_description", year=year.year),
                year,
            )
        )
    for month in archive.months:
        name = t.month_long(month.first)
        pages.append(
            SitePage(
                layout.month(month.year, month.month),
                "month",
                name,
                t.text("month_description", month=name),
                month,
            )
        )
    for day in archive.days:
        description = t.text(
            "day_description", date=t.date_short(day.date), count=len(day.papers), top=day.top.title
        )
        pages.append(SitePage(layout.day(day.date), "day", t.date_long(day.date), description, day))
    return pages


def org_pages(archive: Archive) -> list[OrgPapers]:
    """The organizations with a page of their own (enough papers to be worth one)."""
    return [org for org in archive.organizations if len(org.papers) >= ORG_MIN_PAPERS]


#: Kinds of page whose HTML is made only as MkDocs writes the page, never held for the
#: whole build (they are most of the site's bytes: 130 MB of HTML at 30,000 papers).
#: They have no table of contents, and :meth:`Renderer.anchors` knows their ids.
DEFERRED_KINDS = frozenset({"day", "week"})


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
        env: jinja2.Environment,
        messages: Messages,
        kept: dict[str, tuple[tuple[object, ...], Rendered]] | None = None,
    ) -> None:
        self.archive = archive
        #: Day and week pages rendered by earlier builds (``mkdocs serve``), with what they
        #: depended on.
        self.kept = kept
        self._settings = (
            tuple(sorted(messages.table.items())),
            site_name,
            feed,
            top_papers,
            search,
        )
        self.env = env
        self.t = messages
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
            "week": self._week,
            "orgs": self._orgs,
            "org": self._org,
        }

    def render(self, page: SitePage, url: str) -> Rendered:
        """The HTML of ``page``, whose own URL is ``url``.

        With ``kept`` (``mkdocs serve`` keeps it across rebuilds), a day or week page
        whose cards, neighbours and settings are all as they were is not rendered again.
        """
        key = self.content_key(page, url) if self.kept is not None else None
        if key is not None and self.kept is not None:
            hit = self.kept.get(page.src_uri)
            if hit is not None and hit[0] == key:
                return hit[1]
        rendered = self._renderers[page.kind](page, _Links(self.urls, url))
        if key is not None and self.kept is not None:
            self.kept[page.src_uri] = (key, rendered)
        return rendered

    def anchors(self, page: SitePage) -> list[str]:
        """The ids of a day's or week's page, known without rendering it: its cards'."""
        item = page.item
        if isinstance(item, Day):
            return [paper.id for paper in item.papers]
        assert isinstance(item, Week), f"no anchors for a {page.kind} page"
        return [paper.id for paper in item.top(WEEK_TOP)]

    def content_key(self, page: SitePage, url: str) -> tuple[object, ...] | None:
        """Everything a day or week page's HTML depends on; None for other pages (they
        are few, and depend on the whole archive). Equal keys, equal HTML."""
        item = page.item
        if isinstance(item, Day):
            previous, following = self.archive.neighbours(item)
            return (
                url,
                self._settings,
                tuple(self._card(p) for p in item.papers),
                previous and previous.date,
                following and following.date,
                item.date.isocalendar()[:2],
            )
        if isinstance(item, Week):
            before, after = self.archive.neighbours(item)
            return (
                url,
                self._settings,
                tuple(self._card(p) for p in item.top(WEEK_TOP)),
                len(item.papers),
                item.days[0].date,
                item.days[-1].date,
                before and (before.year, before.week),
                after and (after.year, after.week),
            )
        return None

    def _template(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)

    def _toc(self, anchor: str, title: str) -> tuple[str, str]:
        return anchor, str(escape(title))

    def _day(self, page: SitePage, link: _Links) -> Rendered:
        t = self.t
        day = page.item
        assert isinstance(day, Day)
        previous, following = self.archive.neighbours(day)
        cards = [self._card(paper) for paper in day.papers]
        month = self.archive.month_of(day)
        week = self.archive.week_of(day)
        html = self._template(
            "day.html",
            day=day,
            cards=cards,
            link=link,
            previous=previous and _Target(link.day(previous.date), t.date_short(previous.date)),
            following=following and _Target(link.day(following.date), t.date_short(following.date)),
            up=_Target(link.month(month), t.month_long(month.first)),
            week=_Target(
                link.page(layout.week(week.year, week.week)),
                t.text("week_title", week=t.text("week_name", year=week.year, week=week.week)),
            ),
        )
        return Rendered(html, anchors=self.anchors(page))

    def _week(self, page: SitePage, link: _Links) -> Rendered:
        week = page.item
        assert isinstance(week, Week)
        t = self.t
        previous, following = self.archive.neighbours(week)

        def target(other: Week) -> _Target:
            name = t.text("week_name", year=other.year, week=other.week)
            return _Target(link.page(layout.week(other.year, other.week)), name)

        cards = [self._card(paper) for paper in week.top(WEEK_TOP)]
        html = self._template(
            "week.html",
            week=week,
            cards=cards,
            heading=page.title,
            link=link,
            count=len(week.papers),
            previous=previous and target(previous),
            following=following and target(following),
            up=_Target(link.page(layout.ARCHIVE), t.text("archive_title")),
        )
        return Rendered(html, anchors=self.anchors(page))

    def _orgs(self, page: SitePage, link: _Links) -> Rendered:
        orgs = org_pages(self.archive)
        html = self._template(
            "orgs.html",
            orgs=orgs,
            link=link,
            minimum=ORG_MIN_PAPERS,
            page_of={org.name: layout.org(org.name) for org in orgs},
        )
        return Rendered(html)

    def _org(self, page: SitePage, link: _Links) -> Rendered:
        org = page.item
        assert isinstance(org, OrgPapers)
        html = self._template(
            "org.html",
            org=org,
            heading=page.title,
            papers=org.papers[:ORG_PAGE_PAPERS],
            link=link,
            up=_Target(link.page(layout.ORGS), self.t.text("orgs_title")),
        )
        return Rendered(html)

    def _search(self, page: SitePage, link: _Links) -> Rendered:
        t = self.t
        html = self._template(
            "search.html",
            root=link.root(),
            script=link.page(layout.SEARCH_SCRIPT),
            archive=link.page(layout.ARCHIVE),
            years=self.archive.years,
            months=self.archive.months,
            orgs=sorted(org_pages(self.archive), key=lambda org: org.display_name.lower()),
            available=self.search,
            messages={name: t.table[key] for name, key in SEARCH_SCRIPT_MESSAGES.items()},
        )
        return Rendered(html)

    def _home(self, page: SitePage, link: _Links) -> Rendered:
        day = self.archive.latest
        cards = [self._card(paper) for paper in day.papers] if day else []
        week = self.archive.week_of(day) if day else None
        week_top = [self._card(paper) for paper in week.top(HOME_WEEK_TOP)] if week else []
        week_url = link.page(layout.week(week.year, week.week)) if week else None
        html = self._template(
            "home.html",
            day=day,
            cards=cards,
            link=link,
            site_name=self.site_name,
            archive=layout.ARCHIVE,
            top=layout.TOP,
            feed=layout.FEED if self.feed else None,
            week=week,
            week_top=week_top,
            week_url=week_url,
        )
        return Rendered(html, anchors=[card.id for card in cards])

    def _archive(self, page: SitePage, link: _Links) -> Rendered:
        week = self.archive.weeks[-1] if self.archive.weeks else None
        html = self._template(
            "archive.html",
            archive=self.archive,
            link=link,
            orgs=link.page(layout.ORGS),
            latest_week=week and link.page(layout.week(week.year, week.week)),
        )
        years = reversed(self.archive.years)
        return Rendered(html, [self._toc(str(y.year), self.t.year(y.year)) for y in years])

    def _year(self, page: SitePage, link: _Links) -> Rendered:
        t = self.t
        year = page.item
        assert isinstance(year, Year)
        previous, following = self.archive.neighbours(year)
        html = self._template(
            "year.html",
            year=year,
            weeks=[
                _Target(link.page(layout.week(w.year, w.week)), t.text("week_number", week=w.week))
                for w in self.archive.weeks
                if w.year == year.year
            ],
            link=link,
            previous=previous and _Target(link.year(previous.year), t.year(previous.year)),
            following=following and _Target(link.year(following.year), t.year(following.year)),
            up=_Target(link.page(layout.ARCHIVE), t.text("archive_title")),
        )
        toc = [
            self._toc(f"{m.month:02d}", t.text("month_only", month=m.month))
            for m in reversed(year.months)
        ]
        return Rendered(html, toc)

    def _month(self, page: SitePage, link: _Links) -> Rendered:
        t = self.t
        month = page.item
        assert isinstance(month, Month)
        previous, following = self.archive.neighbours(month)
        html = self._template(
            "month.html",
            month=month,
            link=link,
            previous=previous and _Target(link.month(previous), t.month_long(previous.first)),
            following=following and _Target(link.month(following), t.month_long(following.first)),
            up=_Target(link.year(month.year), t.year(month.year)),
        )
        return Rendered(html)

    def _top(self, page: SitePage, link: _Links) -> Rendered:
        t = self.t
        months = list(reversed(self.archive.months))[:TOP_RECENT_MONTHS]
        html = self._template(
            "top.html",
            heading=t.text("top_title"),
            months=months,
            years=self.archive.years,
            top_count=self.top_papers,
            link=link,
            previous=None,
            following=None,
            up=None,
        )
        toc = [self._toc(f"{m.year:04d}-{m.month:02d}", t.month_long(m.first)) for m in months]
        if self.archive.years:
            toc.append(self._toc("years", t.text("top_years")))
        return Rendered(html, toc)

    def _top_year(self, page: SitePage, link: _Links) -> Rendered:
        t = self.t
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
            previous=previous and _Target(link.top_year(previous.year), t.year(previous.year)),
            following=following and _Target(link.top_year(following.year), t.year(following.year)),
            up=_Target(link.page(layout.TOP), t.text("top_title")),
        )
        toc = [self._toc(f"{m.year:04d}-{m.month:02d}", t.month_long(m.first)) for m in months]
        return Rendered(html, toc)
