"""The ``daily-papers`` MkDocs plugin: records in ``data/`` become pages, feeds and search.

Only MkDocs' events live here; each hands its work to the module that owns it.

- ``on_startup``: whether this is ``mkdocs serve`` (``--dirty``); a command's start
  drops what an earlier one kept.
- ``on_config``: the message table, the templates, the edit links, the head links.
- ``on_pre_build``: read every record once (:mod:`.archive`), failing the build on any
  error before MkDocs empties the site folder, so a bad record leaves the last good site.
- ``on_files``: plan the pages (:mod:`.kinds`), enter every page and file in the
  directory (:mod:`.directory`), check that each has an address of its own
  (:mod:`.clashes`), add them as in-memory files, start the search index. Nothing is
  written into ``docs/``.
- ``on_page_markdown`` / ``on_page_content``: a generated page has no Markdown; its
  title and edit link are set and its HTML is its view rendered (:mod:`.writer` for the
  deferred kinds). A hand-written page's HTML becomes its search record.
- ``on_page_context`` / ``on_post_page``: the thin frame's parts; a deferred page
  written into its frame; Material's pages decorated (:mod:`.decorate`).
- ``on_post_build``: the bulk pages, the sitemaps, the topics' feeds and the open data
  (:mod:`.emitters`), then the search index's bundle.
- ``on_serve``: rebuild when a record changes (:mod:`.watch`); between rebuilds, the
  last one's garbage is freed while the preview is idle (:mod:`.collector`).

What other plugins and hooks see of a generated page: our ``on_page_content`` and
``on_post_page`` run first (priority 100), so every plugin after us sees a page's final
content in ``on_page_content`` and its final HTML in ``on_post_page``, except that in
``on_page_content`` the deferred kinds (rendered only as they are written, to save
memory) still carry a stand-in comment. From ``on_post_page`` on, every page is final;
the bulk pages reach other plugins' ``on_post_page`` from the writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

import jinja2
from markupsafe import escape
from mkdocs.config.base import ConfigErrors, ConfigWarnings, ValidationError, get_schema
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from generator.plugin import layout, postprocess
from generator.plugin.archive import Archive
from generator.plugin.build import Plan, Session, Setup, configure, read_archive
from generator.plugin.options import DailyPapersConfig
from generator.plugin.phases import Phases
from generator.plugin.search_index import SearchIndex, SearchIndexError, start_index
from generator.plugin.templating import with_our_templates
from generator.plugin.watch import watch_records
from generator.plugin.writer import GeneratedPage

log = get_plugin_logger("daily-papers")

#: From this many papers on, ``mkdocs serve`` suggests ``--dirty``, which writes only
#: the pages that changed (the preview's figures: bench/README.md).
DIRTY_HINT_PAPERS = 2000


class DailyPapersPlugin(BasePlugin[DailyPapersConfig]):
    """Builds the day pages, the archive, the top papers, the feed and the search index."""

    def __init__(self) -> None:
        self._observer: Any = None
        self.phases = Phases(log)
        self.session = Session()
        self.setup: Setup | None = None
        self.plan: Plan | None = None
        self.archive = Archive([])
        self._index: SearchIndex | None = None
        self._files: Files | None = None

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
        serving = command == "serve"
        self.session = Session(serving=serving, dirty=serving and dirty)

    @property
    def indexing(self) -> bool:
        """Whether this build writes a search index (the preview does not: it takes a
        few seconds for a large archive, on every change)."""
        return self.config.search and not self.session.serving

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.plan = None  # the last build's, freed before the session settles
        self.setup = configure(config, self.config, self.session, log)
        if self.session.serving:
            self.session.check_templates(config.theme.dirs)
        self.session.settle()
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Before MkDocs empties the site folder: a bad record stops the build and leaves
        # the last good site where it was.
        assert self.setup is not None
        self.phases.start("records")
        self.archive = read_archive(self.config, self.setup, self.session, log)
        self.phases.end("records", f"{len(self.archive.papers):,} read")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.setup is not None
        self.phases.start("plan")
        self.plan = plan = Plan(
            config, self.config, self.setup, self.archive, self.session, indexing=self.indexing
        )
        others = plan.add_to(files, config)
        self._files = files
        if self.indexing:
            self.phases.start("search index")
            pages = plan.pages.values()
            documents = (doc for page in pages for doc in page.search_documents(plan.site))
            try:
                self._index = start_index(self.setup.env, self.setup.messages.language, documents)
            except SearchIndexError as error:
                raise PluginError(f"daily-papers: the search index: {error}") from None
        self.phases.end("plan", f"{len(plan.pages):,} pages and {others:,} other files planned")
        self.phases.start("pages")
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Generated pages outside the navigation get pages that skip MkDocs' Markdown
        # rendering (a Python-Markdown instance per page: about 2 ms, for nothing). MkDocs
        # made plain pages for them in get_navigation; nothing refers to those yet.
        assert self.plan is not None
        # By MkDocs' own mapping: get_file_from_path normalises its argument with
        # pathlib, 9 us a call, and the bulk pages (no file) make 50,000 calls at 30,000.
        by_uri = files.src_uris
        for src_uri, site_page in self.plan.pages.items():
            file = by_uri.get(src_uri)
            if file is not None and file.page is not None and not site_page.in_nav:
                GeneratedPage(site_page.title, file, config)  # (not the bulk pages: no page)
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        site_page = self.plan.page(page.file.src_uri) if self.plan else None
        if site_page is None or self.plan is None:
            return None
        # Escaped here: Material prints a page's title and description without escaping,
        # and both may quote a record (the top paper's title, an organization's name).
        page.meta["title"] = escape(site_page.title)
        if site_page.description:
            page.meta["description"] = escape(site_page.description)
        page.edit_url = site_page.edit_url(self.plan.site)
        if site_page.deferred:
            self.plan.writer.defer(site_page, page, config)
        return ""

    @event_priority(100)  # first, so plugins after us see the page's content
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        assert self.plan is not None
        site_page = self.plan.page(page.file.src_uri)
        if site_page is None:
            if self._index is not None and not _excluded_from_search(page):
                self._index.add_page(url=page.url, title=page.title or "", content=html)
            return None
        if site_page.deferred:  # rendered as it is written: MkDocs keeps every content
            return self.plan.writer.content(site_page, page)
        return self.plan.writer.rendered(site_page, page)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        # What the project's own frame prints where the theme's pages get it spliced in.
        site_page = self.plan.page(page.file.src_uri) if self.plan else None
        if site_page is None or site_page.frame is None or self.plan is None:
            return None
        assert self.setup is not None
        preview = self.plan.writer.frames.preview
        parts = self.setup.decorator.frame_parts(self._search_action(page), preview, page.url)
        # A key of our own beside MkDocs' (TemplateContext lists only those).
        cast(dict[str, Any], context)["daily_papers"] = parts
        return context

    @event_priority(100)  # first, so plugins and hooks after us see the final HTML
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        assert self.setup is not None and self.plan is not None
        if self.plan.writer.passing:  # a page the writer wrote itself, final already
            return output
        decorator = self.setup.decorator
        site_page = self.plan.page(page.file.src_uri)
        where, action = page.file.src_uri, self._search_action(page)
        if site_page is not None and site_page.deferred:
            return self.plan.writer.framed(site_page, output, page, config, action)
        if site_page is not None:
            output = postprocess.collapse_indentation(output)
        output = decorator.decorate(output, action, where)
        preview = decorator.preview(self.plan.site, site_page, page.url, page)
        return decorator.splice(postprocess.add_to_head, output, preview, where)

    def _search_action(self, page: Page) -> str:
        """The search page's address from ``page`` (the header's search box sends there)."""
        assert self.plan is not None
        return get_relative_url(self.plan.directory.url(layout.SEARCH), page.url)

    def on_pre_template(
        self, template: jinja2.Template, *, template_name: str, config: MkDocsConfig
    ) -> jinja2.Template | None:
        # MkDocs' sitemap lists every page with the build's date: ours is an index of
        # sitemaps, dated by the records (see .sitemap), and MkDocs writes it (and .gz).
        if template_name != "sitemap.xml" or not config.site_url or self._files is None:
            return None
        assert self.plan is not None
        text = self.plan.outputs.sitemap_index(self._files, self.plan.pages)
        return template.environment.from_string("{{ index }}", globals={"index": text})

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        # Static templates (404.html) are served at any address: absolute paths only.
        if not template_name.endswith(".html") or not config.site_url:
            return None
        assert self.setup is not None and self.plan is not None
        action = urlsplit(config.site_url).path + self.plan.directory.url(layout.SEARCH)
        return self.setup.decorator.decorate(output_content, action, template_name)

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        # Every page's content is rendered now, so every document is handed over: Pagefind
        # writes its bundle while MkDocs writes the pages.
        if self._index is not None:
            self._index.write(Path(config.site_dir) / layout.PAGEFIND)
        with_our_templates(env, self.session.theme_compiled)  # framed pages' (.frames)
        return env

    @event_priority(100)  # first: plugins after us find every page and file written
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.plan is not None
        index, self._index = self._index, None
        try:
            try:  # while Pagefind finishes its bundle
                self.plan.writer.write_bulk(config, self)
                self.phases.end("pages", f"{len(self.plan.pages):,} written")
                self.phases.start("feeds, sitemaps and open data")
                written = self.plan.outputs.write(Path(config.site_dir))
            except OSError as error:
                raise PluginError(f"daily-papers: writing the site: {error}") from None
            self.phases.end("feeds, sitemaps and open data", written)
            self.plan.commit()
            if index is None:
                return
            count = index.result()
        except SearchIndexError as error:
            raise PluginError(f"daily-papers: the search index: {error}") from None
        finally:
            if index is not None:
                index.close()
            self.session.rest()
        self.phases.end("search index", f"{count:,} records written to {layout.PAGEFIND}")

    def on_build_error(self, *, error: Exception) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self.session.rest()

    def on_shutdown(self) -> None:
        self.session.collector.close()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        if self._observer is None:  # one observer for the whole serve session
            self._observer = watch_records(server, self.config.data_dir)
            if not self.session.dirty and len(self.archive.papers) >= DIRTY_HINT_PAPERS:
                log.info(
                    "%d papers: every change rewrites the whole site; 'mkdocs serve --dirty' "
                    "rewrites only the pages that show a changed record",
                    len(self.archive.papers),
                )
        return server


def _excluded_from_search(page: Page) -> bool:
    """A page's own ``search: exclude: true`` front matter, as Material's search reads it."""
    setting = page.meta.get("search")
    return isinstance(setting, dict) and bool(setting.get("exclude"))
