"""The ``daily-papers`` MkDocs plugin: records in ``data/`` become pages, feeds and search.

MkDocs events, in build order:

- ``on_startup``: note whether this is ``mkdocs serve`` (the preview builds no index).
- ``on_config``: derive the record edit links and the head links, add the assets.
- ``on_pre_build``: read every record once (through :mod:`generator.records.reading`),
  failing the build on any error before MkDocs empties the site folder, so a bad record
  leaves the last good site in place.
- ``on_files``: plan the generated pages (:mod:`.kinds`: one object per page, whose kind
  answers everything asked of it here), check that every page and file has an address of
  its own (:mod:`.clashes`), and add the pages, feeds, OpenSearch description and assets
  as in-memory files. Nothing is written into ``docs/``.
- ``on_page_markdown`` / ``on_page_content``: a generated page has no Markdown; its
  title and edit link are set here and its HTML comes from its kind. A hand-written
  page's HTML becomes its search record.
- ``on_post_page``: a deferred page's HTML replaces its stand-in; the header's search
  box and the head links go into every page (:mod:`.postprocess`).
- search (:mod:`.search_index`), beside the build: ``on_files`` hands every paper to a
  Pagefind process, ``on_page_content`` every hand-written page, ``on_env`` (all pages
  rendered) asks for the bundle in ``pagefind/``, and ``on_post_build`` waits for it,
  after writing the open data below ``api/`` (one file at a time, not held in memory).
- ``on_serve``: rebuild when a record changes.

What other plugins and hooks see of a generated page: our ``on_page_content`` and
``on_post_page`` run first (priority 100), so every plugin after us sees a page's final
content in ``on_page_content`` and its final HTML in ``on_post_page``, except that in
``on_page_content`` the deferred kinds (day and week pages, rendered only as they are
written to save memory) still carry a stand-in comment. From ``on_post_page`` on, every
page is final.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape
from mkdocs.config.base import ConfigErrors, ConfigWarnings, ValidationError, get_schema
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_datetime, get_relative_url
from mkdocs.utils.templates import TemplateContext

from generator.plugin import archive as archive_module
from generator.plugin import layout, messages, postprocess, sitemap
from generator.plugin.archive import Archive, ArchiveError
from generator.plugin.cards import Card, CardSettings, make_card
from generator.plugin.clashes import ClashError, check_unique
from generator.plugin.directory import Directory
from generator.plugin.edit_links import EditLinkError, EditLinks, edit_links
from generator.plugin.feed import FEED_FILES, FeedBuilder, feed_files, topic_feed_files
from generator.plugin.frames import EMPTY_TEMPLATE, Frames
from generator.plugin.kinds import plan
from generator.plugin.kinds.base import Rendered, Renderer, Site, SitePage, View
from generator.plugin.kinds.orgs import org_pages
from generator.plugin.kinds.topics import label as topic_label
from generator.plugin.open_data import open_data_paths, write_open_data
from generator.plugin.options import DailyPapersConfig
from generator.plugin.phases import Phases
from generator.plugin.preview import Preview
from generator.plugin.search_index import SearchIndex, SearchIndexError
from generator.plugin.templating import environment
from generator.plugin.watch import watch_records
from generator.records.model import Paper
from generator.records.reading import ReadCache

log = get_plugin_logger("daily-papers")

#: From this many papers on, ``mkdocs serve`` suggests ``--dirty`` (measured: an edit
#: shows after 2.5 s at 5,400 papers without it, 1 s with it).
DIRTY_HINT_PAPERS = 2000

#: Assets shipped with the plugin, added to every site as in-memory files.
ASSETS = (layout.STYLESHEET, layout.SCRIPT, layout.SEARCH_SCRIPT)
#: Other search plugins: the site has one search, ours.
OTHER_SEARCH = ("search", "material/search")


class DailyPapersPlugin(BasePlugin[DailyPapersConfig]):
    """Builds the day pages, the archive, the top papers, the feed and the search index."""

    def __init__(self) -> None:
        self.serving = False
        self.dirty_serve = False
        self._observer: Any = None
        self.phases = Phases(log)
        self._start_session()
        self._reset()

    def _start_session(self) -> None:
        """State kept across the rebuilds of one ``mkdocs serve``, dropped when a command
        starts (MkDocs keeps one plugin object per process, whatever the command)."""
        #: Records by path (read again only when a file changes) and cards by paper (made
        #: again only when it changes).
        self._records: ReadCache = {}
        self._kept_cards: dict[str, tuple[Paper, Card]] = {}
        #: What the kept cards were made with: when it changes, none is kept.
        self._card_settings: CardSettings | None = None
        self._kept_pages: dict[str, tuple[View, Rendered]] = {}
        #: Under ``mkdocs serve --dirty``: what each deferred page and each day's open data
        #: file were last written from (see ``_GeneratedFile``).
        self._written_pages: dict[str, object] = {}
        self._written_days: dict[dt.date, tuple[Paper, ...]] = {}

    def _reset(self) -> None:
        """Per-build state: ``mkdocs serve`` runs many builds with one plugin object."""
        self.config_dir = Path.cwd()
        #: Under ``mkdocs serve`` only: the invalid records' problems, shown on every page.
        self.problems_html = ""
        self.messages = messages.load(messages.REFERENCE, {})
        self.env = environment(self.messages)
        self.edit: EditLinks | None = None
        self.feed_url: str | None = None
        self.head = ""
        self.site_description = ""
        self.archive = Archive([])
        self.site: Site | None = None
        self.pages: dict[str, SitePage] = {}
        self.directory = Directory()
        self.renderer: Renderer | None = None
        self._cards: dict[str, Card] = {}
        self.org_pages: dict[str, str] = {}
        self.topic_pages: dict[str, str] = {}
        self._index: SearchIndex | None = None
        self.frames = Frames()
        #: Pages of bulk kinds (one per paper): the first goes through MkDocs and renders
        #: their frame; the plugin writes the others from it in on_post_build.
        self._bulk_owners: dict[str, File] = {}
        #: The other pages of bulk kinds: each with its URL and its path in the site.
        self._bulk: list[tuple[SitePage, str, str]] = []
        #: While the plugin hands a page it wrote to other plugins' on_post_page.
        self._passing = False
        #: The sitemaps the index names, written in on_post_build (see .sitemap).
        self._sitemaps: list[tuple[str, list[sitemap.Entry]]] = []
        #: Where the feeds come from; the topics' are written in on_post_build.
        self._feeds: FeedBuilder | None = None
        self._files: Files | None = None
        #: This build's values of deferred pages, remembered once the build has succeeded.
        self._page_keys: dict[str, object] = {}
        #: Under ``--dirty``: the values computed to decide, kept until the page is filled.
        self._values: dict[str, _PageValue] = {}

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """MkDocs' checks of the options, with an unknown option an error, not a warning:
        a misspelt ``feed_sise`` would otherwise build a site without the setting."""
        errors, warnings = super().load_config(options, config_file_path)
        names = [name for name, _ in get_schema(self.config_class)]
        unknown = [key for key in options if key not in names]
        for key in unknown:
            errors.append((key, ValidationError(f"unknown option; known: {', '.join(names)}")))
        return errors, [(key, message) for key, message in warnings if key not in unknown]

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self._start_session()
        self.serving = command == "serve"
        #: ``mkdocs serve --dirty``: the site folder is kept between rebuilds and only
        #: modified files are written, so unchanged day and week pages can be skipped.
        self.dirty_serve = self.serving and dirty

    @property
    def indexing(self) -> bool:
        """Whether this build writes a search index (the preview does not: it takes a
        few seconds for a large archive, on every change)."""
        return self.config.search and not self.serving

    # --- configuration ----------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        # Paths in messages and edit links are relative to the folder of mkdocs.yml.
        self.config_dir = (
            Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        )
        config_dir = str(self.config_dir)
        language = self.config.language or config.theme.get("language") or messages.REFERENCE
        try:
            self.messages = messages.load(language, self.config.messages)
        except messages.MessagesError as error:
            raise PluginError(f"daily-papers: {error}") from None
        custom_dir = config.theme.custom_dir
        self.env = environment(self.messages, custom_dir)
        try:
            self.edit = edit_links(
                repo_url=config.repo_url,
                edit_uri=config.edit_uri,
                docs_dir=config.docs_dir,
                data_dir=self.config.data_dir,
                config_dir=config_dir,
                data_edit_uri=self.config.data_edit_uri,
            )
        except EditLinkError as error:
            raise PluginError(f"daily-papers: {error}") from None
        if self.config.feed:
            if config.site_url:
                self.feed_url = config.site_url + layout.FEED
            else:
                log.warning(
                    "the feed needs absolute links, so it is only written when "
                    "site_url is set; set site_url or 'feed: false'"
                )
        others = [name for name in OTHER_SEARCH if name in config.plugins]
        if others and self.config.search:
            log.warning(
                "plugin %s adds a second search beside daily-papers' own; remove it "
                "from 'plugins' in mkdocs.yml",
                " and ".join(others),
            )
        #: The site's own description, or the interface's stock one.
        self.site_description = config.site_description or self.messages.text("site_description")
        self.head = _head_links(config, self.feed_url is not None, self.messages)
        if layout.STYLESHEET not in config.extra_css:
            config.extra_css.append(layout.STYLESHEET)
        if layout.SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(layout.SCRIPT)
        return config

    # --- records and files ------------------------------------------------------------

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Before MkDocs empties the site folder: a bad record stops the build and leaves
        # the last good site where it was.
        self.phases.start("records")
        try:
            self.archive = archive_module.load(
                Path(self.config.data_dir),
                self.config_dir,
                cache=self._records if self.serving else None,
            )
        except ArchiveError as error:
            if not self.serving:
                raise PluginError(f"daily-papers: {error}") from None
            # The preview keeps serving the valid records and shows what is wrong on
            # every page: a build error would leave the browser waiting on every request.
            log.error("%s", error)
            self.archive = error.partial
            self.problems_html = self.env.get_template("record_problems.html").render(
                problems=error.problems, files=len({p.path for p in error.problems})
            )
        for problem in self.archive.warnings:
            log.info("%s", problem)
        self.phases.end("records", f"{len(self.archive.papers):,} read")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.phases.start("plan")
        self.org_pages = {org.name: layout.org(org.name) for org in org_pages(self.archive)}
        self.topic_pages = {topic.code: layout.topic(topic.code) for topic in self.archive.topics}
        settings = CardSettings(
            self.config.authors_shown, self.edit, self.messages, self.org_pages, self.topic_pages
        )
        if settings != self._card_settings:  # compared once a build, not once a card
            self._kept_cards.clear()
            self._card_settings = settings
        self.directory = Directory(config.site_url or None)
        self.site = site = Site(
            self.archive,
            directory=self.directory,
            card=self.card,
            env=self.env,
            t=self.messages,
            site_name=config.site_name,
            feed=self.feed_url is not None,
            top_papers=self.config.top_papers,
            search=self.indexing,
            edit=self.edit,
            org_pages=self.org_pages,
            paper_pages=self.config.paper_pages,
            site_url=config.site_url or None,
            feed_size=self.config.feed_size,
            trends=self.config.trends,
        )
        site_pages = plan(site)
        added: list[File] = []  # appended once checked against each other and docs/
        for page in site_pages:
            owner = self._bulk_owners.get(page.kind) if page.bulk else None
            if owner is not None:
                # Written by the plugin from the frame its kind's first page renders (see
                # _write_bulk); MkDocs never sees it. Its address follows the first's.
                url, dest = self.directory.add_like(owner, page.src_uri)
                self._bulk.append((page, url, dest))
                continue
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = _GeneratedFile.generated(config, page.src_uri, content="", inclusion=inclusion)
            if page.bulk:
                self._bulk_owners[page.kind] = file
            added.append(file)
            self.directory.add(page.src_uri, file.url)
        statics = list(ASSETS)
        if self.feed_url:
            statics += [path for path, _, _ in FEED_FILES]
            statics += [path for t in self.archive.topics for path in layout.topic_feeds(t.code)]
        if config.site_url:
            statics.append(layout.OPENSEARCH)
        self.directory.add_files(statics)
        self.pages = {page.src_uri: page for page in site_pages}
        self.renderer = Renderer(
            site,
            # Under --dirty an unchanged page is not rendered at all, so keeping every
            # page's HTML would only cost memory.
            kept=self._kept_pages if self.serving and not self.dirty_serve else None,
        )

        assets = resources.files("generator.plugin") / "assets"
        texts = {  # generated files other than pages, by path
            asset: (assets / Path(asset).name).read_text(encoding="utf-8") for asset in ASSETS
        }
        if self.feed_url:
            assert config.site_url
            builder = FeedBuilder(
                self.archive,
                site_url=config.site_url,
                directory=self.directory,
                card=self.card,
                env=self.env,
                messages=self.messages,
            )
            texts.update(
                feed_files(
                    builder,
                    size=self.config.feed_size,
                    site_name=config.site_name,
                    description=self.site_description,
                    build_date=get_build_datetime(),
                )
            )
            self._feeds = builder
        if config.site_url:
            texts[layout.OPENSEARCH] = self._opensearch(config)
        added += [File.generated(config, path, content=text) for path, text in texts.items()]
        self._check_unique(files, added, config, site_pages)
        for file in added:
            files.append(file)
        self._files = files
        if self.indexing:
            self.phases.start("search index")
            self._start_index(site_pages)
        self.phases.end("plan", f"{len(site_pages):,} pages and {len(texts):,} other files planned")
        self.phases.start("pages")
        return files

    def _check_unique(
        self, files: Files, added: list[File], config: MkDocsConfig, site_pages: list[SitePage]
    ) -> None:
        """Every page and file at an address of its own, before anything is written."""
        written = [(name, f"the theme's {name}") for name in config.theme.static_templates]
        written += [
            (dest, f"the generated {page.kind} page {page.title!r} ({page.src_uri})")
            for page, _, dest in self._bulk
        ]
        if self.feed_url:
            written += [
                (path, f"the feed of topic {topic.code}")
                for topic in self.archive.topics
                for path in layout.topic_feeds(topic.code)
            ]
        if self.config.open_data:
            written += [(path, "the open data") for path in open_data_paths(self.archive)]
        folders = [(sitemap.FOLDER + "/", "the sitemaps")]
        if self.indexing:
            folders.append((layout.PAGEFIND, "the search index"))
        try:
            check_unique(
                [*files, *added],
                config.docs_dir,
                {page.src_uri: f"{page.kind} page {page.title!r}" for page in site_pages},
                written,
                folders,
            )
        except ClashError as error:
            raise PluginError(f"daily-papers: {error}") from None

    def _start_index(self, site_pages: list[SitePage]) -> None:
        """Hand every paper to Pagefind now: it indexes them, in a process of its own,
        while MkDocs renders the pages."""
        try:
            index = SearchIndex(self.env, self.messages.language)
        except SearchIndexError as error:
            raise PluginError(f"daily-papers: the search index: {error}") from None
        self._index = index
        assert self.site is not None
        for page in site_pages:
            for document in page.search_documents(self.site):
                index.add_paper(document)

    def card(self, paper: Paper) -> Card:
        """A paper's display values, made once per build (home, day page and feed share);
        under ``mkdocs serve``, kept while the record and the card settings are equal."""
        card = self._cards.get(paper.id)
        if card is not None:
            return card
        kept = self._kept_cards.get(paper.id) if self.serving else None
        if kept is not None and kept[0] == paper:
            card = kept[1]
        else:
            assert self._card_settings is not None, "cards are made once files are planned"
            card = make_card(paper, self._card_settings)
            if self.serving:
                self._kept_cards[paper.id] = (paper, card)
        self._cards[paper.id] = card
        return card

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Generated pages outside the navigation get pages that skip MkDocs' Markdown
        # rendering (a Python-Markdown instance per page: about 2 ms, for nothing). MkDocs
        # made plain pages for them in get_navigation; nothing refers to those yet.
        for src_uri, site_page in self.pages.items():
            file = files.get_file_from_path(src_uri)
            if file is not None and file.page is not None and not site_page.in_nav:
                _GeneratedPage(site_page.title, file, config)  # (not the bulk pages: no page)
        return nav

    # --- pages ------------------------------------------------------------------------

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is None:
            return None
        # Escaped here: Material prints a page's title and description without escaping,
        # and both may quote a record (the top paper's title, an organization's name).
        page.meta["title"] = escape(site_page.title)
        if site_page.description:
            page.meta["description"] = escape(site_page.description)
        assert self.site is not None
        page.edit_url = site_page.edit_url(self.site)
        if site_page.deferred:
            self.frames.assign(page, site_page.frame)
        return ""

    @event_priority(100)  # first, so plugins after us see the page's content
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is None:
            if self._index is not None and not _excluded_from_search(page):
                self._index.add_page(url=page.url, title=page.title or "", content=html)
            return None
        assert self.renderer is not None and self.site is not None
        if site_page.deferred:
            # Rendered in on_post_page, as the page is written: MkDocs keeps every page's
            # content until the build ends, which is most of the site.
            if self.dirty_serve and isinstance(page.file, _GeneratedFile):
                value = self._values[site_page.src_uri] = self._value(site_page, page.url, config)
                page.file.unchanged = (
                    self._written_pages.get(site_page.src_uri) == value
                    # its frame is rendered every build
                    and not self.frames.owns(page, site_page.frame)
                )
                self._page_keys[site_page.src_uri] = value
            page.toc = get_toc([])
            page.meta["hide"] = ["toc"]
            page.present_anchor_ids = set(site_page.anchors(self.site))
            return self.frames.content
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

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        # What the project's own frame prints in place of what is spliced into the
        # theme's pages: the header's search box, the head's links and preview tags, the
        # preview's record problems (templates/frame.html).
        site_page = self.pages.get(page.file.src_uri)
        if site_page is None or site_page.frame is None:
            return None
        action = get_relative_url(self.directory.url(layout.SEARCH), page.url)
        # A key of our own beside MkDocs' (TemplateContext lists only those).
        cast(dict[str, Any], context)["daily_papers"] = {
            "search_box": Markup(self.env.get_template("search_box.html").render(action=action)),
            "head": Markup(self.head),
            "preview": Markup(self.frames.preview),
            "problems": Markup(self.problems_html),
            "sections": self.messages.text("sections"),
        }
        return context

    @event_priority(100)  # first, so plugins and hooks after us see the final HTML
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self._passing:  # a page the plugin wrote itself, final already
            return output
        site_page = self.pages.get(page.file.src_uri)
        where = page.file.src_uri
        action = get_relative_url(self.directory.url(layout.SEARCH), page.url)
        if site_page is not None and site_page.deferred:
            return self._framed(site_page, output, page, config, action)
        if site_page is not None:
            output = postprocess.collapse_indentation(output)
        output = self._decorate(output, action, where)
        preview = self._preview(site_page, page.url, config, page)
        return self._splice(postprocess.add_to_head, output, preview, where)

    def _framed(
        self, site_page: SitePage, output: str, page: Page, config: MkDocsConfig, action: str
    ) -> str:
        """A deferred page's HTML: its content in the frame of its depth (:mod:`.frames`),
        which the first such page renders through the theme."""
        assert self.renderer is not None and self.site is not None
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
                decorated = self._decorate(frame, action, where)
                frame = postprocess.add_to_head(decorated, self.frames.preview)
            elif self.frames.preview not in frame:  # ours prints them (on_page_context)
                raise PluginError(
                    f"daily-papers: {where}: the frame {site_page.frame} left out "
                    "daily_papers.preview; a frame must print every part of daily_papers"
                )
            self.frames.keep(page, site_page.frame, frame)
        value = self._values.pop(site_page.src_uri, None)
        return self._fill(site_page, page.url, value or self._value(site_page, page.url, config))

    def _value(self, site_page: SitePage, url: str, config: MkDocsConfig) -> _PageValue:
        """Everything a deferred page's HTML is made of besides its frame: equal values,
        equal pages (``serve --dirty`` writes a page again only when its value changed)."""
        assert self.renderer is not None and self.site is not None
        return _PageValue(
            view=self.renderer.view(site_page, url),
            title=site_page.title,
            description=site_page.description,
            edit_url=site_page.edit_url(self.site),
            # As MkDocs makes it (site_url ends with a slash): urljoin is slow at this rate.
            canonical_url=config.site_url + url if config.site_url else None,
            preview=self._preview(site_page, url, config),
            problems=self.problems_html,
        )

    def _fill(self, site_page: SitePage, url: str, value: _PageValue) -> str:
        """A deferred page's HTML from the frame of its depth and edit button."""
        assert self.renderer is not None
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
            content=postprocess.collapse_indentation(rendered.html),
            preview=value.preview,
        )

    def _write_bulk(self, config: MkDocsConfig) -> None:
        """Write the pages of bulk kinds from their frame, one at a time.

        MkDocs' own pipeline costs more per page than the page itself (a page object,
        every event, the template context, the template): 30,000 paper pages would take
        as long as the rest of the build. Other plugins' ``on_post_page`` still gets each
        page, as MkDocs would hand it over (this plugin's runs first for every page, so
        theirs sees final HTML), when there are such plugins.
        """
        others = [
            handler
            for handler in config.plugins.events["post_page"]
            if getattr(handler, "__self__", None) is not self
        ]
        assert self.site is not None
        site_dir = Path(config.site_dir)
        for site_page, url, dest in self._bulk:
            value = self._value(site_page, url, config)
            if self.dirty_serve:
                if self._written_pages.get(site_page.src_uri) == value:
                    continue
                self._page_keys[site_page.src_uri] = value
            html = self._fill(site_page, url, value)
            if others:
                file = _GeneratedFile.generated(
                    config, site_page.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV
                )
                page = _GeneratedPage(site_page.title, file, config)
                page.edit_url = site_page.edit_url(self.site)
                self._passing = True
                try:
                    html = config.plugins.on_post_page(html, page=page, config=config)
                finally:
                    self._passing = False
            _write(site_dir / dest, html.encode("utf-8", errors="xmlcharrefreplace"))

    def _preview(
        self, site_page: SitePage | None, url: str, config: MkDocsConfig, page: Page | None = None
    ) -> str:
        """The Open Graph and Twitter card tags of the page at ``url`` (:mod:`.preview`) and
        what its kind adds to the head (a paper's JSON-LD); a hand-written ``page`` gives
        its own title and description."""
        t = self.messages
        title: str | None = None
        description: str | None = None
        if site_page is not None:
            title, description = site_page.title, site_page.description
        elif page is not None:
            title, description = page.title, page.meta.get("description")
        absolute = config.site_url + url if config.site_url else None
        tags = Preview(
            site_name=config.site_name,
            title=title or config.site_name,
            description=description or self.site_description,
            locale=t.locale,
            type=site_page.preview_type if site_page else "website",
            url=absolute,
            image=self._preview_image(site_page),
        ).tags()
        if site_page is not None and self.site is not None:
            tags += site_page.head(self.site, absolute)
        return tags

    def _preview_image(self, site_page: SitePage | None) -> str | None:
        """The picture of the paper standing for the page: a day's, a week's top paper."""
        if site_page is None or self.site is None:
            return None
        top = site_page.top_paper(self.site)
        image = self.card(top).image if top else None
        return image.url if image else None

    def on_pre_template(
        self, template: jinja2.Template, *, template_name: str, config: MkDocsConfig
    ) -> jinja2.Template | None:
        # MkDocs' sitemap lists every page with the build's date: ours is an index of
        # sitemaps, dated by the records (see .sitemap), and MkDocs writes it (and .gz).
        if template_name != "sitemap.xml" or not config.site_url or self._files is None:
            return None
        self._sitemaps = list(sitemap.parts(self._sitemap_entries()))
        text = sitemap.index(config.site_url, self._sitemaps)
        return template.environment.from_string(
            "{{ sitemap_index }}", globals={"sitemap_index": text}
        )

    def _sitemap_entries(self) -> Iterator[sitemap.Entry]:
        """Every page of the site: the hand-written ones (undated), then the generated."""
        assert self._files is not None and self.site is not None
        for file in self._files.documentation_pages():
            if file.src_uri not in self.pages:
                yield sitemap.Entry(self.directory.absolute(file.url), None, "pages")
        for site_page in self.pages.values():
            yield sitemap.Entry(
                self.directory.address(site_page.src_uri),
                site_page.lastmod(self.site),
                site_page.sitemap_group(),
            )

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        # Static templates (404.html) are served at any address: absolute paths only.
        if not template_name.endswith(".html") or not config.site_url:
            return None
        action = urlsplit(config.site_url).path + self.directory.url(layout.SEARCH)
        return self._decorate(output_content, action, template_name)

    def _decorate(self, html: str, search_action: str, where: str) -> str:
        """The preview's problems, the header's search box and the head links."""
        box = self.env.get_template("search_box.html").render(action=search_action)
        html = self._splice(postprocess.add_to_content, html, self.problems_html, where)
        html = self._splice(postprocess.add_search_box, html, box, where)
        return self._splice(postprocess.add_to_head, html, self.head, where)

    def _splice(
        self, change: Callable[[str, str], str], html: str, addition: str, where: str
    ) -> str:
        """``change(html, addition)``; where the page has no place for it, a build error
        naming the marker (or, with ``missing_markers: warn``, a warning)."""
        try:
            return change(html, addition)
        except postprocess.MissingMarker as missing:
            message = (
                f"daily-papers: {where}: {missing}. A theme override (custom_dir) changed "
                "Material's markup; restore the marker, or set the plugin option "
                "'missing_markers: warn' to build without it"
            )
            if self.config.missing_markers == "error":
                raise PluginError(message) from None
            log.warning("%s", message)
            return html

    def _opensearch(self, config: MkDocsConfig) -> str:
        """The OpenSearch description, with absolute URLs (a browser stores it on its own)."""
        assert config.site_url
        return self.env.get_template("opensearch.xml").render(
            short_name=config.site_name[:16],
            description=self.site_description,
            search_url=self.directory.address(layout.SEARCH),
            self_url=config.site_url + layout.OPENSEARCH,
        )

    # --- search -----------------------------------------------------------------------

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        # Every page's content is rendered now, so every document is handed over: Pagefind
        # writes its bundle while MkDocs writes the pages.
        if self._index is not None:
            self._index.write(Path(config.site_dir) / layout.PAGEFIND)
        # What framed pages render through the theme: nothing (see .frames), and the
        # project's own frame, after the theme's folders (custom_dir overrides it).
        if env.loader is not None and not isinstance(env.loader, _WithEmpty):
            env.loader = _WithEmpty(
                [
                    jinja2.DictLoader({EMPTY_TEMPLATE: ""}),
                    env.loader,
                    jinja2.PrefixLoader({"daily-papers": _FRAME_LOADER}),
                ]
            )
        return env

    @event_priority(100)  # first: plugins after us find every page and file written
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index, self._index = self._index, None
        try:
            try:  # while Pagefind finishes its bundle
                self._write_bulk(config)
                self.phases.end("pages", f"{len(self.pages):,} written")
                self.phases.start("feeds, sitemaps and open data")
                sitemap.write(Path(config.site_dir), self._sitemaps)
                feeds = self._write_topic_feeds(config)
            except OSError as error:
                raise PluginError(f"daily-papers: writing the site: {error}") from None
            data = open_data_paths(self.archive) if self.config.open_data else []
            if data:
                try:
                    write_open_data(
                        self.archive,
                        Path(config.site_dir),
                        lambda paper: self.directory.absolute(self.directory.paper(paper)),
                        written=self._written_days if self.dirty_serve else None,
                    )
                except OSError as error:
                    raise PluginError(f"daily-papers: the open data: {error}") from None
            self.phases.end(
                "feeds, sitemaps and open data",
                f"{feeds:,} topic feeds, {len(self._sitemaps):,} sitemaps and "
                f"{len(data):,} open data files",
            )
            self._written_pages.update(self._page_keys)
            if index is None:
                return
            count = index.result()
        except SearchIndexError as error:
            raise PluginError(f"daily-papers: the search index: {error}") from None
        finally:
            if index is not None:
                index.close()
        self.phases.end("search index", f"{count:,} records written to {layout.PAGEFIND}")

    def _write_topic_feeds(self, config: MkDocsConfig) -> int:
        """Each topic's feeds, one topic at a time (not held in memory as MkDocs files);
        how many files that made."""
        if self._feeds is None or self.site is None:
            return 0
        written = 0
        build_date = get_build_datetime()
        for topic in self.archive.topics:
            name = topic_label(self.site, topic.code)
            files = topic_feed_files(
                self._feeds,
                code=topic.code,
                papers=topic.papers,
                title=self.messages.text("topic_feed_title", site=config.site_name, topic=name),
                description=self.messages.text(
                    "topic_description", topic=name, count=len(topic.papers)
                ),
                size=self.config.feed_size,
                build_date=build_date,
            )
            for path, text in files.items():
                _write(Path(config.site_dir) / path, text.encode("utf-8"))
                written += 1
        return written

    def on_build_error(self, *, error: Exception) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    # --- serve ------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        if self._observer is None:  # one observer for the whole serve session
            self._observer = watch_records(server, self.config.data_dir)
            if not self.dirty_serve and len(self.archive.papers) >= DIRTY_HINT_PAPERS:
                log.info(
                    "%d papers: every change rewrites the whole site; 'mkdocs serve --dirty' "
                    "rewrites only the pages that show a changed record",
                    len(self.archive.papers),
                )
        return server


@dataclass(frozen=True)
class _PageValue:
    """A deferred page's view and the values its frame is filled with (see ``_value``)."""

    view: View
    title: str
    description: str
    edit_url: str | None
    canonical_url: str | None
    preview: str
    problems: str


class _GeneratedFile(File):
    """A generated page's file. ``mkdocs serve --dirty`` writes only the files that say
    they were modified; a day or week page whose content key (and the preview's problem
    list) is what it was in the last rebuild says it was not, so it is neither rendered
    nor written again: an edited record then costs its own pages, not the whole site."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged


def _write(path: Path, data: bytes) -> None:
    """``data`` as the file at ``path``, making its folder (one system call when the
    folder's parent exists, as it does for every paper page but the first)."""
    try:
        path.parent.mkdir()
    except FileExistsError:
        pass
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class _GeneratedPage(Page):
    """A generated page for MkDocs: its HTML comes from its kind (``on_page_content``),
    never from Markdown, so the Markdown rendering MkDocs gives every page is skipped."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class _WithEmpty(jinja2.ChoiceLoader):
    """The theme's templates, the empty one framed pages render and the project's frame
    (see .frames)."""


#: The project's templates in the theme's environment, below ``daily-papers/``: its frame
#: (``daily-papers/frame.html``) and what that frame includes.
_FRAME_LOADER = jinja2.PackageLoader("generator.plugin", "templates")


def _excluded_from_search(page: Page) -> bool:
    """A page's own ``search: exclude: true`` front matter, as Material's search reads it."""
    setting = page.meta.get("search")
    return isinstance(setting, dict) and bool(setting.get("exclude"))


def _head_links(config: MkDocsConfig, feeds: bool, t: messages.Messages) -> str:
    """The ``<link>`` tags every page's head gets: the feeds and the OpenSearch description."""
    links = []
    if feeds and config.site_url:
        for path, mime, title in FEED_FILES:
            links.append(
                f'<link rel="alternate" type="{mime}" '
                f'title="{escape(t.text(title, site=config.site_name))}" '
                f'href="{escape(config.site_url + path)}">'
            )
    if config.site_url:
        links.append(
            f'<link rel="search" type="application/opensearchdescription+xml" '
            f'title="{escape(config.site_name)}" '
            f'href="{escape(config.site_url + layout.OPENSEARCH)}">'
        )
    return "\n".join(links)
