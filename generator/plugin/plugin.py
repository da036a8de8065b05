"""The ``daily-papers`` MkDocs plugin: records in ``data/`` become pages and a feed.

MkDocs events, in build order:

- ``on_config``: derive the record edit links, add the stylesheet.
- ``on_files``: read every record once (through :mod:`generator.validate`, failing the
  build on any error), then add the generated pages, the feed and the stylesheet as
  in-memory files. Nothing is written into ``docs/``.
- ``on_page_markdown`` / ``on_page_content``: a generated page has no Markdown; its
  title, search settings and edit link are set here and its HTML comes from
  :mod:`.pages`.
- ``on_page_context``: let the search plugin index a short text per paper (title,
  authors, first summary bullet) instead of the whole day page.
- ``on_post_page``: announce the feed in every page's head; drop the indentation of
  generated pages.
- ``on_post_build``: store the search index as UTF-8 instead of ``\\uXXXX`` escapes.
- ``on_serve``: rebuild when a record changes.
"""

from __future__ import annotations

import json
import logging
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_datetime
from markupsafe import escape

from generator.plugin import archive as archive_module
from generator.plugin import layout
from generator.plugin.archive import Archive, ArchiveError, Day
from generator.plugin.cards import Card, make_card
from generator.plugin.edit_links import EditLinkError, EditLinks, edit_links
from generator.plugin.feed import render_feed
from generator.plugin.options import DailyPapersConfig
from generator.plugin.pages import Renderer, SitePage, plan
from generator.record import Paper

log = logging.getLogger("mkdocs.plugins.daily-papers")

DEFAULT_DESCRIPTION = "Hugging Face 데일리 페이퍼의 한국어 요약"
_INDENTATION = re.compile(r"\n\s+")


class DailyPapersPlugin(BasePlugin[DailyPapersConfig]):
    """Builds the day pages, the archive, the top papers and the feed from ``data_dir``."""

    def __init__(self) -> None:
        self.edit: EditLinks | None = None
        self.feed_url: str | None = None
        self.archive = Archive([])
        self.pages: dict[str, SitePage] = {}
        self.renderer: Renderer | None = None
        self._cards: dict[str, Card] = {}
        #: Full HTML of a page while the search plugin reads its search text instead.
        self._held: dict[str, str] = {}
        self._search: dict[str, str] = {}

    # --- configuration ----------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config_dir = os.path.dirname(config.config_file_path or os.path.abspath("mkdocs.yml"))
        try:
            self.edit = edit_links(
                repo_url=config.repo_url, edit_uri=config.edit_uri, docs_dir=config.docs_dir,
                data_dir=self.config.data_dir, config_dir=config_dir,
                data_edit_uri=self.config.data_edit_uri)
        except EditLinkError as error:
            raise PluginError(f"daily-papers: {error}") from None
        if self.config.feed:
            if config.site_url:
                self.feed_url = config.site_url + layout.FEED
            else:
                log.warning("daily-papers: the feed needs absolute links, so it is only "
                            "written when site_url is set; set site_url or 'feed: false'")
        if layout.STYLESHEET not in config.extra_css:
            config.extra_css.append(layout.STYLESHEET)
        return config

    # --- files ------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        config_dir = os.path.dirname(config.config_file_path or os.path.abspath("mkdocs.yml"))
        try:
            self.archive = archive_module.load(Path(self.config.data_dir), Path(config_dir))
        except ArchiveError as error:
            raise PluginError(f"daily-papers: {error}") from None
        for problem in self.archive.warnings:
            log.info("daily-papers: %s", problem)

        site_pages = plan(self.archive)
        generated = [page.src_uri for page in site_pages] + [layout.STYLESHEET]
        if self.feed_url:
            generated.append(layout.FEED)
        taken = [uri for uri in generated if files.get_file_from_path(uri) is not None]
        if taken:
            raise PluginError(
                "daily-papers: these files in docs/ have the paths of generated pages; "
                "rename or remove them: " + ", ".join(sorted(taken)))

        urls: dict[str, str] = {}
        for page in site_pages:
            file = File.generated(
                config, page.src_uri, content="",
                inclusion=InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV)
            files.append(file)
            urls[page.src_uri] = file.url
        urls[layout.FEED] = layout.FEED  # a static file's URL is its path
        self.pages = {page.src_uri: page for page in site_pages}
        self.renderer = Renderer(self.archive, urls=urls, card=self.card,
                                 site_name=config.site_name, feed=self.feed_url is not None,
                                 top_papers=self.config.top_papers)

        stylesheet = resources.files("generator.plugin") / "assets" / "daily-papers.css"
        files.append(File.generated(config, layout.STYLESHEET,
                                    content=stylesheet.read_text(encoding="utf-8")))
        if self.feed_url:
            assert config.site_url
            files.append(File.generated(config, layout.FEED, content=render_feed(
                self.archive, size=self.config.feed_size, site_url=config.site_url,
                urls=urls, card=self.card, title=config.site_name,
                description=config.site_description or DEFAULT_DESCRIPTION,
                build_date=get_build_datetime())))
        return files

    def card(self, paper: Paper) -> Card:
        """A paper's display values, made once per build (home, day page and feed share)."""
        card = self._cards.get(paper.id)
        if card is None:
            card = make_card(paper, authors_shown=self.config.authors_shown, edit=self.edit)
            self._cards[paper.id] = card
        return card

    # --- pages ------------------------------------------------------------------------

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is None:
            return None
        page.meta["title"] = site_page.title
        if site_page.description:
            page.meta["description"] = site_page.description
        if not site_page.searchable:
            page.meta["search"] = {"exclude": True}
        day = site_page.item
        page.edit_url = (self.edit.folder(day.date)
                         if self.edit and isinstance(day, Day) else None)
        return ""

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is None:
            return None
        assert self.renderer is not None
        rendered = self.renderer.render(site_page, page.url)
        page.toc = get_toc([{"level": 2, "id": anchor, "name": title, "children": []}
                            for anchor, title in rendered.toc])
        if not rendered.toc:
            page.meta["hide"] = ["toc"]  # the content takes the sidebar's width
        page.present_anchor_ids = {anchor for anchor, _ in rendered.toc} | set(rendered.anchors)
        if rendered.search is not None:
            self._search[page.file.src_uri] = rendered.search
        return rendered.html

    # The search plugin indexes ``page.content`` in its own ``on_page_context``. For a day
    # page, that would be every card in full: most of the index would be summary text
    # (over 2 KB per paper in the JSON) and parsing it would be the slowest step of a
    # build. So, just around the search plugin, the page's content is its search text.
    @event_priority(100)
    def _swap_in_search_text(self, context: Any, *, page: Page, config: MkDocsConfig,
                             nav: Any) -> None:
        search = self._search.pop(page.file.src_uri, None)
        if search is not None and page.content is not None:
            self._held[page.file.src_uri] = page.content
            page.content = search

    @event_priority(-100)
    def _swap_back_page_content(self, context: Any, *, page: Page, config: MkDocsConfig,
                                nav: Any) -> None:
        held = self._held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = held

    on_page_context = CombinedEvent(_swap_in_search_text, _swap_back_page_content)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if page.file.src_uri in self.pages:
            # Generated pages hold no <pre> or <textarea>, so line breaks with their
            # indentation can become single line breaks: the same page, a tenth smaller.
            output = _INDENTATION.sub("\n", output)
        return self._announce_feed(output, config)

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str | None:
        return self._announce_feed(output_content, config) if template_name.endswith(
            ".html") else None

    def _announce_feed(self, html: str, config: MkDocsConfig) -> str:
        """Add ``<link rel="alternate">`` for the feed to the page's head."""
        if not self.feed_url or "</head>" not in html:
            return html
        title = escape(f"{config.site_name} RSS")
        tag = (f'<link rel="alternate" type="application/rss+xml" title="{title}" '
               f'href="{escape(self.feed_url)}">')
        return html.replace("</head>", f"{tag}\n</head>", 1)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Rewrite the search index with UTF-8 text instead of ``\\uXXXX`` escapes.

        The search plugin writes ASCII-only JSON, six bytes for every Hangul syllable;
        as UTF-8 it is three. The data is unchanged, and every reader downloads the file.
        """
        path = Path(config.site_dir) / "search" / "search_index.json"
        if not path.is_file():
            return
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")

    # --- serve ------------------------------------------------------------------------

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer:
        server.watch(self.config.data_dir)
        return server
