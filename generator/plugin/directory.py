"""Where everything is: one directory of the site's generated pages and files.

Built once a build, as the plan's pages become MkDocs files: each page's URL is the one
MkDocs gave its file (or, for the pages of a bulk kind written beside the first, the one
that follows from the first's, :meth:`Directory.add_like`), each generated file's is its
path. Templates (through :class:`~.kinds.base.Links`), cards, feeds, sitemaps and the
open data ask it; nothing else computes an address. A paper's address is its own page,
or, where papers have none (``paper_pages: false``), its card on the day page of its
record: :meth:`Directory.paper`.
"""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.structure.files import File

from generator.plugin import layout
from generator.records.model import Paper


class Directory:
    """The URL (from the site's root) of every generated page and file, by source path."""

    def __init__(self, site_url: str | None = None) -> None:
        #: The site's absolute address, ending with a slash, where the site has one.
        self.site_url = site_url or None
        self._urls: dict[str, str] = {}

    def add(self, src_uri: str, url: str) -> None:
        """A page or file at ``url`` (MkDocs' URL for its file)."""
        self._urls[src_uri] = url

    def add_like(self, first: File, src_uri: str) -> tuple[str, str]:
        """A page written beside ``first``, its kind's first page, which MkDocs carries:
        its URL and its path in the site, made as MkDocs made the first's. MkDocs keeps a
        page's source path without ``.md`` and adds what use_directory_urls says
        (``papers/2402.08093/`` and ``papers/2402.08093/index.html``, or
        ``papers/2402.08093.html`` twice), so only that added tail is the first's. An
        ``index.md`` is its folder's page (``authors/x/index.md`` is ``authors/x/``), so
        its stem is the folder."""
        old, new = _stem(first.src_uri), _stem(src_uri)
        url, dest = new + first.url[len(old) :], new + first.dest_uri[len(old) :]
        self._urls[src_uri] = url
        return url, dest

    def add_files(self, paths: Iterable[str]) -> None:
        """Generated files other than pages (assets, feeds): a file's URL is its path."""
        self._urls.update((path, path) for path in paths)

    def same_addresses(self, other: Directory) -> bool:
        """Whether ``other`` has the same pages and files at the same URLs and absolute
        addresses."""
        return self.site_url == other.site_url and self._urls == other._urls

    def __contains__(self, src_uri: object) -> bool:
        return src_uri in self._urls

    def url(self, src_uri: str) -> str:
        """The URL of the page or file at ``src_uri``, from the site's root."""
        return self._urls[src_uri]

    def address(self, src_uri: str) -> str:
        """The absolute address of the page or file at ``src_uri`` (see :meth:`absolute`)."""
        return self.absolute(self._urls[src_uri])

    def paper(self, paper: Paper) -> str:
        """Where ``paper`` is: its own page, else its card on its record's day page."""
        own = self._urls.get(layout.paper(paper.id))
        return own if own is not None else f"{self._urls[layout.day(paper.date)]}#{paper.id}"

    def absolute(self, url: str) -> str:
        """``url`` (from the site's root) as an absolute address; as it is without a
        ``site_url`` (the open data then gives addresses from the site's root). The
        home page's URL (``./``) is the site's address itself."""
        url = "" if url == "./" else url
        return self.site_url + url if self.site_url else url


def _stem(src_uri: str) -> str:
    """What a page's URL and its path in the site begin with: its source path without
    ``.md``, and without ``index`` for a folder's page."""
    stem = src_uri.removesuffix(".md")
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem
