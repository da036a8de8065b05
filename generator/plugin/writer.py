"""One way to write a generated page: its view rendered into the frame of its kind.

Pages of the kinds in the site's navigation (the few top-level pages) go through MkDocs
as any page does: their HTML is handed over in ``on_page_content``. All the others are
*deferred*: they are rendered only as they are written, into a frame (:mod:`.frames`)
that the first page of each frame renders through the theme, so MkDocs never holds
their HTML and the theme's template runs once per frame, not once per page. Pages of
*bulk* kinds (one per paper, one per topic month) are not MkDocs files at all beyond the
first: the writer writes them in ``on_post_build``, their addresses following the
first's (:meth:`.directory.Directory.add_like`), and hands each to other plugins'
``on_post_page``, the one documented path by which other plugins see them.

Under ``mkdocs serve --dirty`` a deferred page whose value (:class:`PageValue`: its view
and everything its frame is filled with) equals the one it was last written with is not
written again; what it was written with is kept as a fingerprint (:mod:`.fingerprint`).
A pure page equal to the one last written, in a rebuild with the same settings and
addresses, is not even valued (:mod:`.memo`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.plugin import postprocess
from generator.plugin.decorate import Decorator
from generator.plugin.directory import Directory
from generator.plugin.fingerprint import Fingerprints
from generator.plugin.frames import Frames
from generator.plugin.kinds.base import Renderer, Site, SitePage, View
from generator.plugin.memo import PageMemo


@dataclass(frozen=True)
class PageValue:
    """A deferred page's view and the values its frame is filled with: equal values,
    equal pages."""

    view: View
    title: str
    description: str
    edit_url: str | None
    canonical_url: str | None
    preview: str
    problems: str


class PageWriter:
    """The generated pages of one build, from MkDocs files to written HTML.

    ``written`` is the fingerprint of what each deferred page was last written from,
    kept by the caller across the rebuilds of ``serve --dirty`` (``dirty``) with
    ``memo``, the pure pages written, and both brought up to date by :meth:`commit` once
    a build has succeeded.
    """

    def __init__(
        self,
        *,
        site: Site,
        renderer: Renderer,
        directory: Directory,
        decorator: Decorator,
        dirty: bool,
        written: dict[str, bytes],
        fingerprints: Fingerprints,
        memo: PageMemo | None = None,
    ) -> None:
        self.site = site
        self.renderer = renderer
        self.directory = directory
        self.decorator = decorator
        self.dirty = dirty
        self.written = written
        self.fingerprints = fingerprints
        self.memo = memo if dirty else None
        #: The fingerprint of the settings this build's pages are written with, and
        #: whether the memo's pages were written with the same (--dirty; once asked).
        self._settings: bytes | None = None
        self._kept: bool | None = None
        #: This build's pure pages (what the memo keeps once the build has succeeded).
        self._pure: list[SitePage] = []
        self.frames = Frames()
        #: The first page of each bulk kind, which MkDocs carries and renders the frame.
        self._owners: dict[str, File] = {}
        #: The other pages of bulk kinds: each with its URL and its path in the site.
        self.bulk: list[tuple[SitePage, str, str]] = []
        #: This build's fingerprints of deferred pages, remembered once it has succeeded.
        self._keys: dict[str, bytes] = {}
        #: Under ``--dirty``: the values computed to decide, kept until the page is filled.
        self._values: dict[str, PageValue] = {}
        #: While a page the writer wrote passes through other plugins' on_post_page.
        self.passing = False

    def files(self, pages: list[SitePage], config: MkDocsConfig) -> list[File]:
        """The MkDocs files of ``pages`` (all but the bulk kinds' later pages, which are
        written beside their first), each page's address entered in the directory."""
        found: list[File] = []
        self._pure = [page for page in pages if page.pure]
        for page in pages:
            owner = self._owners.get(page.kind) if page.bulk else None
            if owner is not None:
                url, dest = self.directory.add_like(owner, page.src_uri)
                self.bulk.append((page, url, dest))
                continue
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = GeneratedFile.generated(config, page.src_uri, content="", inclusion=inclusion)
            if page.bulk:
                self._owners[page.kind] = file
            found.append(file)
            self.directory.add(page.src_uri, file.url)
        return found

    def rendered(self, site_page: SitePage, page: Page) -> str:
        """The HTML of a page MkDocs renders as any other (the few in the navigation), its
        table of contents and anchors set for MkDocs."""
        rendered = self.renderer.render(site_page, self.renderer.view(site_page, page.url))
        page.toc = get_toc(
            [
                {"level": 2, "id": anchor, "name": title, "children": []}
                for anchor, title in rendered.toc
            ]
        )
        if not rendered.toc:
            page.meta["hide"] = ["toc"]  # the content takes the sidebar's width
        page.present_anchor_ids = {anchor for anchor, _ in rendered.toc} | set(rendered.anchors)
        return rendered.html

    def defer(self, site_page: SitePage, page: Page, config: MkDocsConfig) -> None:
        """A deferred page MkDocs carries, its title, description and edit link set: it
        renders its frame if it is the first of the frame written in this build. Under
        ``--dirty`` a page whose value is unchanged is not written (nor renders a frame:
        a day page is rewritten for its own records only), except the first page of a
        bulk kind, whose frame its kind's other pages are written from."""
        if (
            self.dirty
            and isinstance(page.file, GeneratedFile)
            and page.file is not self._owners.get(site_page.kind)
        ):
            if self.unchanged(site_page):
                page.file.unchanged = True
            else:
                value = self._values[site_page.src_uri] = self.value(site_page, page.url, config)
                key = self._keys[site_page.src_uri] = self.fingerprints.of(value)
                page.file.unchanged = self.written.get(site_page.src_uri) == key
            if page.file.unchanged:
                return
        self.frames.assign(page, site_page.frame)

    def content(self, site_page: SitePage, page: Page) -> str:
        """A deferred page's content as MkDocs holds it until the page is written: the
        frames' stand-in."""
        page.toc = get_toc([])
        page.meta["hide"] = ["toc"]
        page.present_anchor_ids = set(site_page.anchors(self.site))
        return self.frames.content

    def framed(
        self, site_page: SitePage, output: str, page: Page, config: MkDocsConfig, action: str
    ) -> str:
        """A deferred page's HTML: its content in the frame of its depth, which the first
        such page renders through the theme (``output``)."""
        where = page.file.src_uri
        if self.frames.owns(page, site_page.frame):
            if self.frames.content not in output:
                # Not a theme question: without its content the page is empty.
                raise PluginError(
                    f"daily-papers: {where}: found no place for its content: looked for "
                    f"{self.frames.content}; a plugin listed before daily-papers or a theme "
                    "override dropped the page's content"
                )
            frame = postprocess.collapse_indentation(output)
            if site_page.frame is None:  # the theme's template: our parts spliced in
                decorated = self.decorator.decorate(frame, action, where)
                frame = postprocess.add_to_head(decorated, self.frames.preview)
            elif self.frames.preview not in frame:  # ours prints them (frame_parts)
                raise PluginError(
                    f"daily-papers: {where}: the frame {site_page.frame} left out "
                    "daily_papers.preview; a frame must print every part of daily_papers"
                )
            self.frames.keep(page, site_page.frame, frame)
        value = self._values.pop(site_page.src_uri, None)
        return self._fill(site_page, page.url, value or self.value(site_page, page.url, config))

    def value(self, site_page: SitePage, url: str, config: MkDocsConfig) -> PageValue:
        """Everything a deferred page's HTML is made of besides its frame."""
        return PageValue(
            view=self.renderer.view(site_page, url),
            title=site_page.title,
            description=site_page.description,
            edit_url=site_page.edit_url(self.site),
            canonical_url=self.directory.absolute(url) if self.directory.site_url else None,
            preview=self.decorator.preview(self.site, site_page, url),
            problems=self.decorator.problems,
        )

    def _fill(self, site_page: SitePage, url: str, value: PageValue) -> str:
        """A deferred page's HTML from the frame of its depth, edit button and template."""
        frame = self.frames.frame(url, value.edit_url is not None, site_page.frame)
        if frame is None:
            raise PluginError(
                f"daily-papers: {site_page.src_uri}: its frame was not rendered first"
            )
        rendered = self.renderer.render(site_page, value.view)
        return self.frames.fill(
            frame,
            title=value.title,
            description=value.description,
            edit_url=value.edit_url,
            canonical_url=value.canonical_url,
            # Without the newlines at its ends: the frame has its own around the content,
            # and the theme's page, made whole, would have collapsed them into those.
            content=postprocess.collapse_indentation(rendered.html).strip("\n"),
            preview=value.preview,
        )

    def write_bulk(self, config: MkDocsConfig, plugin: object) -> None:
        """Write the later pages of bulk kinds from their frame, one at a time.

        MkDocs' own pipeline costs more per page than the page itself (a page object,
        every event, the template context, the template): 30,000 paper pages would take
        as long as the rest of the build. Other plugins' ``on_post_page`` still gets each
        page, as MkDocs would hand it over (``plugin``'s, ours, ran first for every page,
        so theirs sees final HTML), when there are such plugins.
        """
        others = [
            handler
            for handler in config.plugins.events["post_page"]
            if getattr(handler, "__self__", None) is not plugin
        ]
        site_dir = Path(config.site_dir)
        for site_page, url, dest in self.bulk:
            if self.unchanged(site_page):
                continue
            value = self.value(site_page, url, config)
            if self.dirty:
                key = self.fingerprints.of(value)
                if self.written.get(site_page.src_uri) == key:
                    continue
                self._keys[site_page.src_uri] = key
            html = self._fill(site_page, url, value)
            if others:
                file = GeneratedFile.generated(
                    config, site_page.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV
                )
                page = GeneratedPage(site_page.title, file, config)
                page.edit_url = site_page.edit_url(self.site)
                self.passing = True
                try:
                    html = config.plugins.on_post_page(html, page=page, config=config)
                finally:
                    self.passing = False
            write(site_dir / dest, html.encode("utf-8", errors="xmlcharrefreplace"))

    def unchanged(self, site_page: SitePage) -> bool:
        """Under ``--dirty``: whether ``site_page`` is the pure page last written, in a
        rebuild with the settings and addresses it was written with (.memo), so that its
        value need not be made."""
        memo = self.memo
        if memo is None or not site_page.pure or site_page.src_uri not in self.written:
            return False
        return self.holds() and memo.unchanged(site_page)

    def holds(self) -> bool:
        """Under ``--dirty``: whether this rebuild's settings and addresses are those the
        memo's pages and files were written with (decided once, when first asked)."""
        if self.memo is None:
            return False
        if self._kept is None:
            self._kept = self.memo.holds(self._settings_key(), self.directory)
        return self._kept

    def _settings_key(self) -> bytes:
        """The fingerprint of the settings this build's pages are made with."""
        if self._settings is None:
            self._settings = self.fingerprints.of((self.site.settings(), self.decorator.settings()))
        return self._settings

    def commit(self, files: dict[str, object]) -> None:
        """The build succeeded: remember what each deferred page was written from, and
        (``files``) each file besides pages."""
        self.written.update(self._keys)
        if self.memo is not None:
            self.memo.commit(self._pure, self._settings_key(), self.directory, files)


class GeneratedFile(File):
    """A generated page's file. ``mkdocs serve --dirty`` writes only the files that say
    they were modified; a deferred page whose value (and the preview's problem list) is
    what it was in the last rebuild says it was not, so it is neither rendered nor written
    again: an edited record then costs its own pages, not the whole site."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged


class GeneratedPage(Page):
    """A generated page for MkDocs: its HTML comes from its kind (``on_page_content``),
    never from Markdown, so the Markdown rendering MkDocs gives every page is skipped."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def write(path: Path, data: bytes) -> None:
    """``data`` as the file at ``path``, making its folder (one system call when the
    folder's parent exists, as it does for every paper page but the first)."""
    try:
        path.parent.mkdir()
    except FileExistsError:
        pass
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
