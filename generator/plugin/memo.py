"""What ``serve --dirty`` keeps of the pure pages it last wrote: an edit costs the pages
that show it, not a value made for every page of the site.

A pure page (:attr:`.kinds.base.SitePage.pure`: a paper's, an author's, a day's, a
topic's older month) holds in its fields everything it shows of the archive; the rest
of its value is the site's settings (:meth:`.kinds.base.Site.settings` and the
decorations, :meth:`.decorate.Decorator.settings`) and its addresses
(:class:`.directory.Directory`). So where the settings and every
address are what they were when the page was last written, a page equal to the one
written then has the value written then, and the writer neither makes that value nor
compares its fingerprint. Pages compare by their fields, most of them the very records,
cards and lists of the last rebuild (the session keeps those while their files are
unchanged), so a comparison costs microseconds where a value cost about a third of a
millisecond: at 30,000 papers, 46,000 values were 10 s of every preview rebuild.

A changed setting, a page added or removed anywhere (a new author page moves nothing,
but it is a page more) or an edited template (the session forgets the written pages) and
every page goes the way of the other kinds: its value made and compared by fingerprint.

The files besides pages (:mod:`.emitters`: the topics' and organizations' feeds, the
follow index, the open data) are kept alike, by path: each with what it shows of the
archive (its papers, their cards and related papers, as a tuple of the very objects),
the rest of it being the same settings and addresses. Where those hold, a file last
written from an equal tuple is neither made nor written (at 30,000 papers: 626 feeds,
2,049 follow files and 2,001 open data files, 2.4 s of every rebuild).
"""

from __future__ import annotations

from generator.plugin.directory import Directory
from generator.plugin.kinds.base import SitePage


class PageMemo:
    """The pure pages of the last successful rebuild, with the settings' fingerprint and
    the directory they were written with."""

    def __init__(self) -> None:
        self._pages: dict[str, SitePage] = {}
        #: What each file besides pages was last written from, by its path.
        self._files: dict[str, object] = {}
        self._settings: bytes | None = None
        self._directory: Directory | None = None

    def clear(self) -> None:
        """Forget every page and file (an edited template prints every one anew)."""
        self._pages = {}
        self._files = {}
        self._settings = None
        self._directory = None

    def holds(self, settings: bytes, directory: Directory) -> bool:
        """Whether this rebuild's settings and addresses are those the kept pages were
        written with (then :meth:`unchanged` may be asked)."""
        last = self._directory
        return settings == self._settings and last is not None and last.same_addresses(directory)

    def last(self, page: SitePage) -> SitePage:
        """The page last written at ``page``'s address where it equals ``page`` (then
        ``page`` is let go at once, and the rebuild holds one of the two, not both: at
        30,000 papers a rebuild holding both took 105 MB more), else ``page``."""
        if page.pure:
            last = self._pages.get(page.src_uri)
            if last is not None and last == page:
                return last
        return page

    def unchanged(self, page: SitePage) -> bool:
        """Whether ``page`` is the page last written at its address (as :meth:`last`
        gave it; ask only where :meth:`holds`)."""
        return page.pure and self._pages.get(page.src_uri) is page

    def wrote(self, path: str, value: object) -> bool:
        """Whether the file at ``path`` was last written from ``value`` (ask only where
        :meth:`holds`)."""
        return path in self._files and self._files[path] == value

    def commit(
        self,
        pages: list[SitePage],
        settings: bytes,
        directory: Directory,
        files: dict[str, object],
    ) -> None:
        """A rebuild succeeded, having written or kept ``pages`` and the files besides
        pages, each from its value in ``files``."""
        self._pages = {page.src_uri: page for page in pages if page.pure}
        self._files = files
        self._settings = settings
        self._directory = directory
