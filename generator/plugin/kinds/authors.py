"""Authors: the index (``authors/``) of the authors with the most papers, and a page per
author with at least ``author_pages_min`` papers (``authors/<slug>/``, see
:mod:`generator.plugin.authors` for how names are matched and slugs made).

An author's page lists their papers newest first, one compact line each (title, day,
votes, the summary's first line), then the authors they write with most (linked when
those have a page), their organizations and topics, and a chart of their papers per
month. A prolific author's older papers go to further pages (``authors/<slug>/2/``), cut
so that no page passes 60 KB.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from markupsafe import escape

from generator.plugin import layout
from generator.plugin.authors import AuthorPapers, Authors
from generator.plugin.cards import Card
from generator.plugin.charts import Chart
from generator.plugin.directory import Directory
from generator.plugin.frames import THIN_FRAME
from generator.plugin.kinds.base import (
    Links,
    Site,
    SitePage,
    Target,
    View,
    shortened,
)
from generator.plugin.kinds.topics import label as topic_label
from generator.plugin.kinds.trends import papers_chart
from generator.records.model import Paper

#: How many authors the index lists, most papers first.
INDEX_AUTHORS = 300
#: How many organizations and topics an author's page names at most.
ORGS = 5
TOPICS = 6
#: The summary's first line on a paper's line is cut to this many characters.
LINE_CHARS = 90
#: The bytes of paper lines one page holds at most, and what a line costs besides its
#: title and summary line (links, the date, the votes: about 200 bytes). With the thin
#: frame (about 8 KB), the chart (at most about 8 KB) and the other lists, no page
#: passes 60 KB.
LIST_BYTES = 36_000
LINE_BYTES = 220


@dataclass(frozen=True)
class PaperLine:
    """One paper on an author's page (one object a paper, shared by its authors' pages
    within a build)."""

    paper: Paper
    #: Its card, whose picture stands for the author's page when it is their newest.
    card: Card
    summary: str
    #: Its bytes on a page (:data:`LINE_BYTES` besides its title and summary line),
    #: reckoned once: its authors' pages are cut by it.
    size: int = field(compare=False, repr=False)
    #: The latest day it was listed (its page's sitemap date), reckoned once too.
    listed: dt.date = field(compare=False, repr=False)
    #: What a page prints for it, by the page's link to the site's root: links to papers
    #: and days are alike from every page at one depth, and a paper is on the page of
    #: each of its authors with one (ten at 5,400 papers in the bench), so made once a
    #: build. Each with (a weak reference to) the build's directory: ``serve --dirty``
    #: keeps a line from one rebuild to the next with its unchanged page (.memo), and
    #: addresses and messages may have changed since.
    _printed: dict[str, tuple[weakref.ref[Directory], tuple[str, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def printed(self, site: Site, link: Links) -> tuple[str, ...]:
        """Its link, title, day's link, date, votes and summary line, from ``link``'s page."""
        root = link.root()
        found = self._printed.get(root)
        if found is not None and found[0]() is site.directory:
            return found[1]
        paper, t = self.paper, site.t
        votes = paper.votes if paper.votes is not None else t.text("votes_unknown")
        printed = (
            link.paper_or_card(paper),
            paper.title,
            link.day(paper.date),
            t.date_short(paper.date),
            t.text("votes", votes=votes),
            self.summary,
        )
        self._printed[root] = (weakref.ref(site.directory), printed)
        return printed


def parts(
    site: Site, author: AuthorPapers, lines: dict[str, PaperLine] | None = None
) -> list[tuple[list[PaperLine], dt.date]]:
    """The author's papers as lines, cut into pages of at most :data:`LIST_BYTES`, each
    with the latest day one of its papers was listed; ``lines`` keeps each paper's line
    for the next author (a paper has many)."""
    made = {} if lines is None else lines
    pages: list[tuple[list[PaperLine], dt.date]] = []
    size = LIST_BYTES
    for paper in author.papers:
        line = made.get(paper.id)
        if line is None:
            card = site.card(paper)
            summary = shortened(card.lead, LINE_CHARS)
            cost = LINE_BYTES + len(escape(paper.title).encode()) + len(escape(summary).encode())
            line = made[paper.id] = PaperLine(paper, card, summary, cost, paper.last_listed)
        if size + line.size > LIST_BYTES:
            pages.append(([], line.listed))
            size = 0
        page, latest = pages[-1]
        page.append(line)
        if line.listed > latest:
            pages[-1] = (page, line.listed)
        size += line.size
    return pages


def author_title(site: Site, author: AuthorPapers, part: int) -> str:
    t = site.t
    if part == 1:
        return t.text("author_title", name=author.name)
    return t.text("author_part_title", name=author.name, part=part)


@dataclass(frozen=True, eq=False)
class AuthorsPage(SitePage):
    kind: ClassVar[str] = "authors"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[AuthorsPage]:
        if site.authors is not None:
            t = site.t
            yield cls(layout.AUTHORS, t.text("authors_title"), t.text("authors_description"))

    def view(self, site: Site, link: Links) -> View:
        authors = site.authors
        assert authors is not None
        return site.view(
            "authors.html",
            heading=self.title,
            authors=[
                (Target(link.page(layout.author(a.slug)), a.name), len(a.papers))
                for a in authors.pages[:INDEX_AUTHORS]
            ],
            total=len(authors.counts),
            with_pages=len(authors.pages),
            minimum=authors.minimum,
            search=link.page(layout.SEARCH) if layout.SEARCH in site.directory else None,
        )


@dataclass(frozen=True, kw_only=True)
class AuthorPage(SitePage):
    """An author's newest papers, with who they write with, where and on what. Pure
    (:attr:`SitePage.pure`): what it shows of the archive is in its fields."""

    author: AuthorPapers
    part: int
    lines: tuple[PaperLine, ...]
    #: The latest day one of ``lines`` was listed (see :attr:`PaperLine.listed`).
    latest: dt.date = field(compare=False)
    #: How many pages the author's papers take.
    parts: int
    #: On the first page: the slug of each of ``author.coauthors`` who has a page, else
    #: None (the slugs the authors' count made: no string a co-author).
    coauthor_slugs: tuple[str | None, ...] = ()

    kind: ClassVar[str] = "author"
    deferred: ClassVar[bool] = True
    bulk: ClassVar[bool] = True
    pure: ClassVar[bool] = True
    frame: ClassVar[str | None] = THIN_FRAME

    @classmethod
    def plan(cls, site: Site) -> Iterator[SitePage]:
        if site.authors is None:
            return
        t = site.t
        made: dict[str, PaperLine] = {}
        for author in site.authors.pages:
            cut = parts(site, author, made)
            description = t.text(
                "author_description",
                name=author.name,
                count=len(author.papers),
                latest=author.papers[0].title,
            )
            for number, (lines, latest) in enumerate(cut, 1):
                kind: type[AuthorPage] = AuthorPage if number == 1 else AuthorPartPage
                yield kind(
                    layout.author(author.slug, number),
                    author_title(site, author, number),
                    description,
                    author=author,
                    part=number,
                    lines=tuple(lines),
                    latest=latest,
                    parts=len(cut),
                    coauthor_slugs=coauthor_slugs(author, site.authors) if number == 1 else (),
                )

    def view(self, site: Site, link: Links) -> View:
        author, t = self.author, site.t

        def part(number: int) -> Target | None:
            if not 1 <= number <= self.parts:
                return None
            return Target(
                link.page(layout.author(author.slug, number)), t.text("author_part", part=number)
            )

        first = self.part == 1
        return site.view(
            "author.html",
            heading=self.title,
            name=author.name,
            count=len(author.papers),
            account=author.account,
            lines=[line.printed(site, link) for line in self.lines],
            link=link,
            first=first,
            coauthors=[
                (name, link.page(layout.author(slug)) if slug else None, count)
                for (_, name, count), slug in zip(
                    author.coauthors if first else (), self.coauthor_slugs, strict=True
                )
            ],
            orgs=organizations(site, author, link) if first else [],
            topics=topics(site, author, link) if first else [],
            chart=author_chart(site, author) if first else None,
            search=link.page(layout.SEARCH) if layout.SEARCH in site.directory else None,
            key=author.key,
            previous=part(self.part - 1),
            following=part(self.part + 1),
            up=Target(link.page(layout.AUTHORS), t.text("authors_title")),
        )

    def anchors(self, site: Site) -> list[str]:
        return []

    def top_card(self, site: Site) -> Card | None:
        return self.lines[0].card if self.lines else None

    def lastmod(self, site: Site) -> dt.date | None:
        return self.latest


@dataclass(frozen=True, kw_only=True)
class AuthorPartPage(AuthorPage):
    """An author's older papers: a page of its own (there are few)."""

    kind: ClassVar[str] = "author_part"

    @classmethod
    def plan(cls, site: Site) -> Iterator[SitePage]:
        return iter(())  # planned with their author's page (AuthorPage.plan)


def coauthor_slugs(author: AuthorPapers, authors: Authors) -> tuple[str | None, ...]:
    """The slug of each of the author's co-authors (counted with the authors, see
    :func:`generator.plugin.authors.co_authors`) who has a page, else None."""
    paged = authors.by_key
    return tuple(paged[key].slug if key in paged else None for key, _, _ in author.coauthors)


def organizations(
    site: Site, author: AuthorPapers, link: Links
) -> list[tuple[str, str | None, int]]:
    """The organizations the author's papers are listed under: (name, its page or None,
    papers), most first."""
    found = Counter(
        (paper.organization.name, paper.organization.display_name)
        for paper in author.papers
        if paper.organization
    )
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0][0].lower()))[:ORGS]
    return [
        (shown, link.page(site.org_pages[name]) if name in site.org_pages else None, count)
        for (name, shown), count in ranked
    ]


def topics(site: Site, author: AuthorPapers, link: Links) -> list[tuple[str, str | None, int]]:
    """The main topics (primary categories) of the author's papers: (name, its page or
    None, papers), most first."""
    found = Counter(paper.primary_category for paper in author.papers if paper.primary_category)
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:TOPICS]
    return [
        (
            topic_label(site, code),
            link.page(layout.topic(code)) if layout.topic(code) in site.directory else None,
            count,
        )
        for code, count in ranked
    ]


def author_chart(site: Site, author: AuthorPapers) -> Chart | None:
    """The author's papers per month over their own months, as organization pages draw
    theirs."""
    return papers_chart(
        site, author.papers, site.t.text("author_chart_description"), own_months=True
    )
