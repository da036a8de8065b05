"""What a generated page is: one object per page, whose kind's class answers everything
the plugin asks of a page.

A kind is a subclass of :class:`SitePage` in a module of its own (``kinds/day.py``...):
its ``plan`` lists its pages, and each page knows its path (``src_uri``), title and
description, its view (:meth:`SitePage.view`: the template and every value it prints),
its anchors, the paper that stands for it in a link preview, its edit link and its
search records. The plugin holds a list of these objects and never asks which kind a
page is.

A page's HTML is its view rendered, and nothing else: the template sees the view's
values and the message table, and reading anything else is an error (the environment's
undefined is strict). So whether a kept page (``mkdocs serve``) or a written one
(``serve --dirty``) must be rendered again is decided by comparing its view with the
last one, never by a list of what the template reads written beside it: such lists
drift (the paper page's once missed its keywords).

MkDocs only sees an empty Markdown source for these pages; the plugin hands over the
HTML rendered here, so records never pass through Python-Markdown as a whole (where raw
HTML would be let through) and a large archive builds without parsing Markdown for
every page. Links between pages are relative, like MkDocs' own, so the site works
under any path prefix.
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import jinja2
from markupsafe import Markup, escape
from mkdocs.utils import get_relative_url

from generator.plugin import layout
from generator.plugin.archive import Archive, Month
from generator.plugin.authors import Authors
from generator.plugin.cards import Card
from generator.plugin.directory import Directory
from generator.plugin.edit_links import EditLinks
from generator.plugin.fingerprint import Fingerprints
from generator.plugin.messages import Messages
from generator.plugin.related import RelatedPapers
from generator.plugin.search_index import PaperDocument
from generator.records.glossary import Glossary
from generator.records.model import Paper


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
class View:
    """Everything a page's HTML is made of: its template, the values it prints and the
    message table that words them. Equal views render equal HTML.

    ``toc``: the table of contents as (anchor id, escaped title) pairs; day pages have
    none (their cards are the list, and a second list of titles would be a sixth of
    every day page). ``anchors``: every id a link may point to besides those.
    """

    template: str
    context: Mapping[str, object]
    messages: Messages
    toc: tuple[tuple[str, str], ...] = ()
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """A link a template prints: where it goes and what it says."""

    url: str
    label: str


@dataclass(frozen=True)
class Site:
    """What every page of one build may ask of it: the archive, the other pages' URLs,
    the papers' cards, the templates and the messages, and the site's settings."""

    archive: Archive
    #: Every generated page's and file's address (filled in by the plugin once MkDocs has
    #: made its files, before any page renders).
    directory: Directory
    card: Callable[[Paper], Card]
    env: jinja2.Environment
    t: Messages
    site_name: str
    feed: bool
    top_papers: int
    #: Whether this build writes a search index (not in ``mkdocs serve``).
    search: bool
    edit: EditLinks | None = None
    #: The source path of each organization's page, by its Hugging Face name.
    org_pages: Mapping[str, str] = field(default_factory=dict)
    #: Whether every paper has a page of its own (the ``paper_pages`` option).
    paper_pages: bool = True
    #: The site's address (for what must be absolute, such as feed links in a head).
    site_url: str | None = None
    #: How many papers a feed carries (the ``feed_size`` option).
    feed_size: int = 100
    #: Whether the site has its trends page and charts (the ``trends`` option).
    trends: bool = True
    #: The archive's authors and those with a page (None: ``author_pages: false``).
    authors: Authors | None = None
    #: Every paper's related papers (None: ``related: false``).
    related: RelatedPapers | None = None
    #: The glossary (data/glossary.yaml; empty without one).
    glossary: Glossary = field(default_factory=Glossary)

    def settings(self) -> tuple[object, ...]:
        """Everything of the site but what it knows of the archive (:data:`ARCHIVE_FIELDS`):
        with its pure pages' fields and their addresses, all that their values are made
        of. A field added to :class:`Site` is a setting unless named there."""
        return tuple(getattr(self, name) for name in _SETTINGS)

    def view(
        self,
        template: str,
        *,
        toc: Iterable[tuple[str, str]] = (),
        anchors: Iterable[str] = (),
        **context: object,
    ) -> View:
        """The view of a page rendered by ``template`` from ``context``."""
        return View(template, context, self.t, tuple(toc), tuple(anchors))

    def render(self, view: View) -> Rendered:
        """A view's HTML."""
        html = self.env.get_template(view.template).render(**view.context)
        return Rendered(html, list(view.toc), list(view.anchors))


#: The fields of :class:`Site` that hold the archive (or, ``env``, the templates, which
#: the preview compares by their files): a pure page's view never reads them, as its
#: fields hold what it shows of them (tests/test_pure_pages.py builds them without).
ARCHIVE_FIELDS = frozenset(
    {"archive", "directory", "card", "env", "authors", "related", "glossary"}
)
_SETTINGS = tuple(f.name for f in dataclasses.fields(Site) if f.name not in ARCHIVE_FIELDS)


@dataclass(frozen=True)
class Links:
    """Relative URLs from the page at ``here`` to any generated page.

    Part of a page's view, so equal by ``here`` alone: every URL in the directory
    follows from its page's source path (MkDocs' ``use_directory_urls`` rule), and which
    pages exist follows from the records and settings the rest of the view already holds.
    """

    _directory: Directory = field(compare=False, repr=False)
    _here: str

    @functools.cached_property
    def _folders(self) -> tuple[str, ...]:
        """The folders of the page's URL (its file's name left out, as MkDocs'
        ``get_relative_url`` leaves it out): split once, not at each of its links."""
        folder, _, name = self._here.rpartition("/")
        return _segments(folder if "." in name else self._here)

    @functools.cached_property
    def _up(self) -> str:
        """From the page's folder up to the site's root: ``../`` a folder."""
        return "../" * len(self._folders)

    def page(self, src_uri: str, anchor: str | None = None) -> str:
        """The page or file at ``src_uri``, relative to this page: what MkDocs'
        ``get_relative_url`` gives, for the clean URLs of the directory (no ``..``), made
        without normalising both paths at every call (a build makes 400,000 of these)."""
        url = self._directory.url(src_uri)
        here = self._folders
        first = url.partition("/")[0]
        if (
            here
            and first != here[0]
            and first not in _NOT_A_FOLDER
            and "//" not in url
            and "/." not in url
        ):
            # Nothing in common (most links: a paper page's to its day, topics, authors):
            # up to the root, then down the URL as it is.
            relative = self._up + url
        else:
            target = _segments(url)
            common = 0
            for mine, theirs in zip(here, target, strict=False):
                if mine != theirs:
                    break
                common += 1
            relative = "/".join([".."] * (len(here) - common) + list(target[common:])) or "."
            if url.endswith("/"):
                relative += "/"
        return f"{relative}#{anchor}" if anchor else relative

    def root(self) -> str:
        """The site's root, relative to the page (``../`` from ``search/``)."""
        return get_relative_url(".", self._here).rstrip("/") + "/"

    def day(self, date: dt.date, anchor: str | None = None) -> str:
        return self.page(layout.day(date), anchor)

    def paper(self, paper: Paper | Card) -> str | None:
        """The paper's own page; None where papers have none (``paper_pages: false``)."""
        page = layout.paper(paper.id)
        return self.page(page) if page in self._directory else None

    def paper_or_card(self, paper: Paper | Card) -> str:
        """The paper's own page, else its card on the day page of its record."""
        return self.paper(paper) or self.day(paper.date, paper.id)

    def authors(self, card: Card, start: int = 0, end: int | None = None) -> Markup:
        """A card's authors from ``start`` to ``end`` (of its shown, then folded ones),
        comma-separated, each linked to their page where they have one. Made here, not
        by a template macro: every card of every page prints it, and a macro's loop cost
        the build seconds. Names and addresses are escaped as the templates would, by
        ``escape`` itself: ``Markup.format`` goes through a Python formatter, which was
        most of this method's time on 120,000 linked names at 5,400 papers."""
        names = (card.authors + card.folded)[start:end]
        pages = card.author_pages[start:end]
        return Markup(
            ", ".join(
                f'<a href="{escape(self.page(page))}">{escape(name)}</a>' if page else escape(name)
                for name, page in zip(names, pages, strict=True)
            )
        )

    def month(self, month: Month) -> str:
        return self.page(layout.month(month.year, month.month))

    def year(self, year: int) -> str:
        return self.page(layout.year(year))

    def top_year(self, year: int) -> str:
        return self.page(layout.top_year(year))

    def top_month(self, month: Month) -> str:
        return self.page(layout.top_year(month.year), f"{month.year:04d}-{month.month:02d}")


#: A URL's first part that :meth:`Links.page` cannot take as a folder as it is.
_NOT_A_FOLDER = frozenset({"", ".", ".."})


def _segments(url: str) -> tuple[str, ...]:
    """A URL's path segments, without empty ones and ``.`` (``./`` is the root)."""
    return tuple(part for part in url.split("/") if part and part != ".")


def shortened(text: str, chars: int) -> str:
    """``text`` cut to at most ``chars`` characters, an ellipsis marking the cut."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def latest_listing(papers: Iterable[Paper]) -> dt.date | None:
    """The latest day any of ``papers`` was listed (None for none)."""
    return max((paper.last_listed for paper in papers), default=None)


def feed_links(site: Site, paths: tuple[str, str], title: str) -> str:
    """The ``<link>`` tags announcing a topic's or an organization's feeds (RSS and JSON
    Feed at ``paths``) in its pages' heads; none without feeds or a site address."""
    if not site.feed or site.site_url is None:
        return ""
    rss, json_feed = paths
    name = escape(title)
    return (
        f'<link rel="alternate" type="application/rss+xml" title="{name}" '
        f'href="{escape(site.site_url + rss)}">\n'
        f'<link rel="alternate" type="application/feed+json" title="{name}" '
        f'href="{escape(site.site_url + json_feed)}">'
    )


def toc_entry(anchor: str, title: str) -> tuple[str, str]:
    """One table-of-contents entry, its title escaped (MkDocs prints it as HTML)."""
    return anchor, str(escape(title))


@dataclass(frozen=True, eq=False)
class SitePage(abc.ABC):
    """One generated page. A kind's class says how every page of that kind behaves."""

    src_uri: str
    title: str
    description: str = ""

    #: The kind's name, for messages and the benchmark.
    kind: ClassVar[str]
    #: Whether the page is listed in the site's navigation (top-level pages only: day,
    #: month and year pages are reached through the archive).
    in_nav: ClassVar[bool] = False
    #: Rendered only as MkDocs writes the page, never held for the whole build (day and
    #: week pages are most of the site's bytes: 130 MB of HTML at 30,000 papers). Such a
    #: kind has no table of contents, and :meth:`anchors` knows its ids unrendered.
    deferred: ClassVar[bool] = False
    #: One page per paper: too many for MkDocs' per-page pipeline. The first goes through
    #: it (rendering the kind's frame); the plugin writes the others from that frame, and
    #: hands each to other plugins' ``on_post_page``. Bulk kinds are deferred ones.
    bulk: ClassVar[bool] = False
    #: Whether the page's fields hold all it shows of the archive: its view, edit link
    #: and preview read nothing else of the site but its settings (:meth:`Site.settings`)
    #: and addresses (its ``Links``), and its class compares pages by their fields. So
    #: ``serve --dirty`` does not make the value of a pure page equal to the one it last
    #: wrote (:mod:`generator.plugin.memo`): the kinds of the many pages are pure.
    pure: ClassVar[bool] = False
    #: What a link preview calls the page (Open Graph ``og:type``).
    preview_type: ClassVar[str] = "website"
    #: The frame of a deferred kind's pages: None for the theme's own page template, or
    #: the project's thin frame (:data:`generator.plugin.frames.THIN_FRAME`), without
    #: the sidebars a page of its kind does not need.
    frame: ClassVar[str | None] = None

    @abc.abstractmethod
    def view(self, site: Site, link: Links) -> View:
        """The page's view (:meth:`Site.view`), with ``link`` making URLs relative to it."""

    def anchors(self, site: Site) -> list[str]:
        """The ids a link may point to, known without rendering (deferred kinds)."""
        raise NotImplementedError(f"a deferred {self.kind} page must know its anchors")

    def top_card(self, site: Site) -> Card | None:
        """The card of the paper whose picture stands for the page in a link preview."""
        return None

    def edit_url(self, site: Site) -> str | None:
        """Where a reader proposes a change to what the page shows (the edit button)."""
        return None

    def search_documents(self, site: Site) -> Iterable[PaperDocument]:
        """The search records the page holds (a paper's, where it is shown as itself)."""
        return ()

    def lastmod(self, site: Site) -> dt.date | None:
        """The latest day a record the page shows was listed: when it last changed, for
        the sitemap (pages about the whole archive: its latest day)."""
        latest = site.archive.latest
        return latest.date if latest else None

    def sitemap_group(self) -> str:
        """Which sitemap lists the page (``pages``; papers go by year)."""
        return "pages"

    def head(self, site: Site, page_url: str | None) -> str:
        """HTML for the page's head besides the preview tags (a paper's JSON-LD); its
        absolute address is ``page_url`` when the site has one."""
        return ""


class Renderer:
    """Renders generated pages for one build; under ``mkdocs serve`` (``kept``: each
    page's HTML with its view's fingerprint), a page whose view is what it was in an
    earlier build is not rendered again (deferred pages too only with ``keep_deferred``:
    ``serve --dirty`` writes an unchanged one not at all, and would keep each written)."""

    def __init__(
        self,
        site: Site,
        kept: dict[str, tuple[bytes, Rendered]] | None,
        fingerprints: Fingerprints,
        *,
        keep_deferred: bool,
    ) -> None:
        self.site = site
        self.kept = kept
        self.fingerprints = fingerprints
        self.keep_deferred = keep_deferred

    def view(self, page: SitePage, url: str) -> View:
        """The view of ``page``, whose own URL is ``url``."""
        return page.view(self.site, Links(self.site.directory, url))

    def render(self, page: SitePage, view: View) -> Rendered:
        """The HTML of ``page`` from its ``view``."""
        if self.kept is None or (page.deferred and not self.keep_deferred):
            return self.site.render(view)
        key = self.fingerprints.of(view)
        hit = self.kept.get(page.src_uri)
        if hit is not None and hit[0] == key:
            return hit[1]
        rendered = self.site.render(view)
        self.kept[page.src_uri] = (key, rendered)
        return rendered
