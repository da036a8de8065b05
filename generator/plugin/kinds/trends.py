"""The trends page (``trends/``): how the field moves, month by month, in charts; and
the small chart of papers per month that topic and organization pages carry.

The numbers are :mod:`generator.plugin.trends`' (from the records the build read), the
drawing :mod:`generator.plugin.charts`'; this module names and describes each chart in
the site's language and links what a chart names to its page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlencode

from generator.plugin import layout, trends
from generator.plugin.cards import topic_name
from generator.plugin.charts import Area, Cell, Chart, Table, draw, rows_of
from generator.plugin.kinds.base import Links, Site, SitePage, View, toc_entry
from generator.records.model import Paper


def latest_month(site: Site) -> trends.Period | None:
    """The archive's latest month, where the small charts end; None where the site has
    no charts (the ``trends`` option) or no papers."""
    latest = site.archive.latest
    if not site.trends or latest is None:
        return None
    return latest.date.year, latest.date.month


def papers_chart(
    site: Site, papers: Sequence[Paper], description: str, *, own_months: bool = False
) -> Chart | None:
    """A topic's or an organization's papers per month, from its first month to the
    archive's latest; with ``own_months`` (an author's) to its own last month only, its
    table only the months with papers, as there are thousands of them (None without
    papers, or where the site has no charts)."""
    if own_months:  # (not the archive's: an author's page shows nothing else of it)
        last = max(map(trends.month_of, papers)) if papers and site.trends else None
    else:
        last = latest_month(site)
    if not papers or last is None:
        return None
    months = trends.span(papers, last)
    counts = trends.per_month(papers, months)
    # An author's table lists only the months with papers: there are thousands of author
    # pages, and most months of most authors have none.
    shown = [(month, n) for month, n in zip(months, counts, strict=True) if n or not own_months]
    table = _months_table(
        site,
        [month for month, _ in shown],
        (Cell(site.t.text("trends_papers")),),
        [[n] for _, n in shown],
    )
    series = Area(tuple(trends.month_label(month) for month in months), tuple(counts))
    title = site.t.text("trends_papers_title")
    return Chart("papers-per-month", title, description, table, series)


@dataclass(frozen=True, eq=False)
class TrendsPage(SitePage):
    kind: ClassVar[str] = "trends"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[TrendsPage]:
        if site.trends:
            t = site.t
            yield cls(layout.TRENDS, t.text("trends_title"), t.text("trends_description"))

    def view(self, site: Site, link: Links) -> View:
        papers = site.archive.papers
        monthly = trends.monthly(papers)  # for both the papers' and the votes' chart
        sections = [
            ("papers", *_papers(site, monthly, len(papers))),
            ("votes", *_votes(site, monthly)),
            ("topics", *_topics(site, link, papers)),
            ("orgs", *_orgs(site, link, papers)),
            ("keywords", *_keywords(site, link, papers)),
        ]
        return site.view(
            "trends.html",
            toc=[toc_entry(key, title) for key, title, _, _ in sections],
            heading=self.title,
            count=len(papers),
            sections=sections,
        )


#: A section of the trends page: its heading, its chart, or what stands for a chart that
#: has nothing to show yet.
Section = tuple[str, Chart | None, str]


def _months_table(
    site: Site,
    months: Sequence[trends.Period],
    columns: tuple[Cell, ...],
    values: Sequence[Sequence[float | None]],
    digits: int = 0,
    unit: str = "",
) -> Table:
    labels = [trends.month_label(month) for month in months]
    return Table(site.t.text("column_month"), columns, rows_of(labels, values), digits, unit)


def _papers(site: Site, rows: Sequence[trends.MonthVotes], count: int) -> Section:
    t = site.t
    title = t.text("trends_papers_title")
    if not rows:
        return title, None, t.text("nothing_yet")
    table = _months_table(
        site,
        [row.month for row in rows],
        (Cell(t.text("trends_papers")),),
        [[row.papers] for row in rows],
    )
    description = t.text("trends_papers_description", count=count)
    return title, draw("papers", title, description, table, "bars"), ""


def _votes(site: Site, monthly: Sequence[trends.MonthVotes]) -> Section:
    t = site.t
    title = t.text("trends_votes_title")
    rows = [row for row in monthly if row.top is not None]
    if not rows:
        return title, None, t.text("trends_votes_none")
    values = [[row.median, row.top] for row in rows]
    # A logarithmic axis keeps the median readable beside the top (ten to a hundred
    # times larger); it needs every value above zero.
    logarithmic = all(value for row in values for value in row)
    table = _months_table(
        site,
        [row.month for row in rows],
        (Cell(t.text("trends_votes_median")), Cell(t.text("trends_votes_top"))),
        values,
        digits=1,  # a median between two counts: 12.5
    )
    description = t.text(
        "trends_votes_description_log" if logarithmic else "trends_votes_description"
    )
    chart = draw("votes", title, description, table, "lines", logarithmic=logarithmic)
    return title, chart, ""


def _topics(site: Site, link: Links, papers: Sequence[Paper]) -> Section:
    t = site.t
    title = t.text("trends_topics_title")
    shares = trends.topic_shares(papers)
    if not shares.codes:
        return title, None, t.text("topics_none")
    columns = (
        *(Cell(topic_name(code, t), link.page(layout.topic(code))) for code in shares.codes),
        Cell(t.text("trends_other")),
    )
    rows = [
        (month, percent)
        for month, percent in zip(shares.months, shares.percent, strict=True)
        if percent is not None
    ]
    table = _months_table(
        site, [month for month, _ in rows], columns, [percent for _, percent in rows], 1, "%"
    )
    description = t.text("trends_topics_description", count=len(shares.codes))
    return title, draw("topics", title, description, table, "stacked"), ""


def _orgs(site: Site, link: Links, papers: Sequence[Paper]) -> Section:
    t = site.t
    title = t.text("trends_orgs_title")
    found = trends.org_quarters(papers)
    if not found.names:
        return title, None, t.text("orgs_none")
    shown = {org.name: org.display_name for org in site.archive.organizations}
    columns = tuple(
        Cell(shown.get(name, name), _maybe(link, site.org_pages.get(name))) for name in found.names
    )
    table = Table(
        t.text("column_quarter"),
        columns,
        rows_of([trends.quarter_label(q) for q in found.quarters], found.counts),
    )
    description = t.text("trends_orgs_description", count=len(found.names))
    return title, draw("orgs", title, description, table, "lines"), ""


def _keywords(site: Site, link: Links, papers: Sequence[Paper]) -> Section:
    t = site.t
    title = t.text("trends_keywords_title")
    rising = trends.rising_keywords(papers)
    if not rising.keywords:
        return title, None, t.text("trends_keywords_none", minimum=trends.KEYWORD_MIN_PAPERS)
    search = link.page(layout.SEARCH)
    rows = tuple(
        (
            Cell(k.keyword, f"{search}?{urlencode({'q': k.keyword})}"),
            (k.before, k.recent),
        )
        for k in rising.keywords
    )

    def window(months: Sequence[trends.Period]) -> str:
        return f"{trends.month_label(months[0])}–{trends.month_label(months[-1])}"

    table = Table(
        t.text("trends_keyword"),
        (
            Cell(t.text("trends_keywords_before", months=trends.BEFORE_MONTHS)),
            Cell(t.text("trends_keywords_recent", months=trends.RECENT_MONTHS)),
        ),
        rows,
        1,
        "%",
    )
    description = t.text(
        "trends_keywords_description",
        recent=trends.RECENT_MONTHS,
        recent_window=window(rising.recent),
        recent_papers=rising.recent_papers,
        before=trends.BEFORE_MONTHS,
        before_window=window(rising.before),
        before_papers=rising.before_papers,
        minimum=trends.KEYWORD_MIN_PAPERS,
    )
    return title, draw("keywords", title, description, table, "horizontal"), ""


def _maybe(link: Links, src_uri: str | None) -> str | None:
    return link.page(src_uri) if src_uri else None
