"""One build, from ``mkdocs.yml`` to the planned site: what the plugin's events call.

:class:`Setup` is what ``mkdocs.yml`` decides (the message table, the templates, the edit
links, the decorations), :func:`read_archive` the records, and :class:`Plan` every page
and file of the site: the pages of the kinds (:mod:`.kinds`), their addresses
(:mod:`.directory`), the writer that renders them (:mod:`.writer`) and the other files
(:mod:`.emitters`), checked to each have an address of their own (:mod:`.clashes`).
:class:`Session` is what ``mkdocs serve`` keeps from one rebuild to the next.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generator.plugin import archive as archive_module
from generator.plugin import collector, layout, messages
from generator.plugin.archive import Archive, ArchiveError
from generator.plugin.authors import AuthorsCache
from generator.plugin.cards import CardMaker, CardSettings
from generator.plugin.clashes import ClashError, check_unique
from generator.plugin.collector import Collector
from generator.plugin.decorate import Decorator
from generator.plugin.directory import Directory
from generator.plugin.edit_links import EditLinkError, EditLinks, edit_links
from generator.plugin.emitters import Outputs
from generator.plugin.fingerprint import Fingerprints
from generator.plugin.icons import FrameIcons, sprite
from generator.plugin.kinds import plan
from generator.plugin.kinds.base import Rendered, Renderer, Site, SitePage
from generator.plugin.kinds.orgs import org_pages
from generator.plugin.memo import PageMemo
from generator.plugin.options import DailyPapersConfig
from generator.plugin.related import RelatedCache
from generator.plugin.templating import TEMPLATES, CompiledTemplates, environment, template_files
from generator.plugin.writer import PageWriter
from generator.records.glossary import NAME as GLOSSARY_NAME
from generator.records.glossary import Glossary, read_glossary
from generator.records.reading import ReadCache

if TYPE_CHECKING:  # LoggerAdapter is subscriptable at run time from Python 3.11 on
    Log = logging.Logger | logging.LoggerAdapter[logging.Logger]

#: Other search plugins: the site has one search, ours.
OTHER_SEARCH = ("search", "material/search")


@dataclass
class Session:
    """What ``mkdocs serve`` keeps across its rebuilds; a command's start makes a new one."""

    serving: bool = False
    #: ``serve --dirty``: the site folder is kept and only modified files are written.
    dirty: bool = False
    #: Records by path (read again only when a file changes).
    records: ReadCache = field(default_factory=dict)
    #: Cards by paper (made again only when the record or the card settings change).
    cards: CardMaker = field(default_factory=CardMaker)
    #: Each paper's terms for related papers (made again only when its record changes),
    #: and the last lists (found again only when a term changed).
    related: RelatedCache = field(default_factory=RelatedCache)
    #: The last count of the authors, with the bylines it was made from (made again only
    #: when a byline changed).
    authors: AuthorsCache = field(default_factory=AuthorsCache)
    #: Pages by their view's fingerprint (rendered again only when their view changes).
    #: Under --dirty only those MkDocs renders (the few in the navigation): an unchanged
    #: deferred page is not rendered at all, and keeping each one written would hold
    #: the whole site.
    pages: dict[str, tuple[bytes, Rendered]] = field(default_factory=dict)
    #: Under ``--dirty``: the fingerprints of what each deferred page and each day's open
    #: data file were last written from.
    written_pages: dict[str, bytes] = field(default_factory=dict)
    written_days: dict[dt.date, bytes] = field(default_factory=dict)
    #: Under ``--dirty``: the pure pages last written, to skip valuing those unchanged.
    memo: PageMemo = field(default_factory=PageMemo)
    #: What compares them: the digests of records and cards still in use are kept.
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    #: Compiled templates, ours and the theme's (compiled again only when edited; one
    #: cache each, as the two environments compile one source differently).
    compiled: CompiledTemplates = field(default_factory=CompiledTemplates)
    theme_compiled: CompiledTemplates = field(default_factory=CompiledTemplates)
    #: The glossary of the last rebuild, which keeps the entries each record names.
    glossary: Glossary = field(default_factory=Glossary)
    #: The template files pages were last rendered from (:func:`.templating.template_files`).
    templates: frozenset[tuple[str, int, int]] = frozenset()
    #: When the cyclic collector walks what the session holds.
    collector: Collector = field(default_factory=Collector)

    def keep_glossary(self, glossary: Glossary) -> Glossary:
        """``glossary``, or the last rebuild's where it is the same (entries and problems),
        with what it found in the records that did not change."""
        same = glossary == self.glossary and glossary.problems == self.glossary.problems
        if self.serving and same:
            return self.glossary
        self.glossary = glossary
        return glossary

    def check_templates(self, folders: list[str]) -> None:
        """Forget every page kept or written when a template changed: a page's view says
        what it shows, not how its templates (ours, the theme's, a site's overrides)
        print it, so an edited template must render every page again."""
        found = template_files([*folders, TEMPLATES])
        if found != self.templates:
            self.pages.clear()
            self.written_pages.clear()
            self.memo.clear()
            self.templates = found

    def settle(self) -> None:
        """A build starts: keep what lives on (the caches above, the plugin) out of the
        cyclic collector's way until it ends; a rebuild of ``mkdocs serve`` first frees
        what the last one left (:mod:`.collector`)."""
        if self.serving:
            self.collector.settle()
        else:
            gc.unfreeze()  # what an interrupted build or a preview before it left frozen
            collector.hold()

    def rest(self) -> None:
        """A build ended (built or failed): its objects are the collector's again; a
        rebuild of ``mkdocs serve`` frees what it left once the preview is idle."""
        if self.serving:
            self.collector.rest()
        else:
            gc.unfreeze()
            collector.release()


@dataclass
class Setup:
    """What ``mkdocs.yml`` decides for a build."""

    config_dir: Path
    #: Whether the site has feeds: asked for, and absolute links possible (site_url).
    feeds: bool
    messages: messages.Messages
    env: jinja2.Environment
    edit: EditLinks | None
    decorator: Decorator


def configure(
    config: MkDocsConfig, options: DailyPapersConfig, session: Session, log: Log
) -> Setup:
    """The build's setup; the site's stylesheet and script added to ``config``."""
    # Paths in messages and edit links are relative to the folder of mkdocs.yml.
    config_dir = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    language = options.language or config.theme.get("language") or messages.REFERENCE
    try:
        table = messages.load(language, options.messages)
        edit = edit_links(
            repo_url=config.repo_url,
            edit_uri=config.edit_uri,
            docs_dir=config.docs_dir,
            data_dir=options.data_dir,
            config_dir=str(config_dir),
            data_edit_uri=options.data_edit_uri,
        )
    except (messages.MessagesError, EditLinkError) as error:
        raise PluginError(f"daily-papers: {error}") from None
    feeds = options.feed and bool(config.site_url)
    if options.feed and not config.site_url:
        log.warning(
            "the feed needs absolute links, so it is only written when "
            "site_url is set; set site_url or 'feed: false'"
        )
    others = [name for name in OTHER_SEARCH if name in config.plugins]
    if others and options.search:
        log.warning(
            "plugin %s adds a second search beside daily-papers' own; remove it "
            "from 'plugins' in mkdocs.yml",
            " and ".join(others),
        )
    env = environment(table, config.theme.custom_dir, session.compiled)
    icons = FrameIcons.of(config.theme)
    try:
        drawn = sprite(config.theme.get_env(), icons.names())
    except ValueError as error:
        raise PluginError(f"daily-papers: {error}") from None
    decorator = Decorator(
        env=env,
        messages=table,
        config=config,
        description=config.site_description or table.text("site_description"),
        feeds=feeds,
        missing_markers=options.missing_markers,
        log=log,
        icons=icons,
        sprite=drawn,
    )
    if layout.STYLESHEET not in config.extra_css:
        config.extra_css.append(layout.STYLESHEET)
    if layout.SCRIPT not in config.extra_javascript:
        config.extra_javascript.append(layout.SCRIPT)
    if layout.READER_SCRIPT not in [str(script) for script in config.extra_javascript]:
        # A module: me.js imports what it shares with it.
        reader = ExtraScriptValue(layout.READER_SCRIPT)
        reader.type = "module"
        config.extra_javascript.append(reader)
    return Setup(config_dir, feeds, table, env, edit, decorator)


def read_archive(options: DailyPapersConfig, setup: Setup, session: Session, log: Log) -> Archive:
    """Every record, read once. A bad record stops the build; the preview instead keeps
    serving the valid records and shows what is wrong on every page (a build error would
    leave the browser waiting on every request)."""
    try:
        archive = archive_module.load(
            Path(options.data_dir),
            setup.config_dir,
            cache=session.records if session.serving else None,
        )
    except ArchiveError as error:
        if not session.serving:
            raise PluginError(f"daily-papers: {error}") from None
        log.error("%s", error)
        archive = error.partial
        setup.decorator.problems = setup.env.get_template("record_problems.html").render(
            problems=error.problems, files=len({p.path for p in error.problems})
        )
    for problem in archive.warnings:
        log.info("%s", problem)
    return archive


class Plan:
    """Every page and file of one build."""

    def __init__(
        self,
        config: MkDocsConfig,
        options: DailyPapersConfig,
        setup: Setup,
        archive: Archive,
        session: Session,
        *,
        indexing: bool,
    ) -> None:
        self.indexing = indexing
        orgs = {org.name: layout.org(org.name) for org in org_pages(archive)}
        topics = {topic.code: layout.topic(topic.code) for topic in archive.topics}
        authors = None
        if options.author_pages:
            authors = session.authors.find(
                archive.papers, options.author_pages_min, keep=session.serving
            )
        glossary = session.keep_glossary(
            read_glossary(Path(options.data_dir), f"{options.data_dir}/{GLOSSARY_NAME}")
        )
        for problem in glossary.problems:  # validate fails on them; the site leaves them out
            logging.getLogger("mkdocs.plugins.daily-papers").warning("%s", problem)
        related = None
        if options.related:
            related = session.related.find(archive.papers, keep=session.serving)
        settings = CardSettings(
            options.authors_shown,
            setup.edit,
            setup.messages,
            orgs,
            topics,
            {a.key: layout.author(a.slug) for a in authors.pages} if authors else {},
        )
        session.cards.start(settings, keep=session.serving)
        self.directory = Directory(config.site_url or None)
        self.site = Site(
            archive,
            directory=self.directory,
            card=session.cards.card,
            env=setup.env,
            t=setup.messages,
            site_name=config.site_name,
            feed=setup.feeds,
            top_papers=options.top_papers,
            search=indexing,
            edit=setup.edit,
            org_pages=orgs,
            paper_pages=options.paper_pages,
            site_url=config.site_url or None,
            feed_size=options.feed_size,
            trends=options.trends,
            authors=authors,
            related=related,
            glossary=glossary,
        )
        # Under --dirty, an unchanged pure page is the one last written (.memo).
        self.pages = {page.src_uri: session.memo.last(page) for page in plan(self.site)}
        kept = session.pages if session.serving else None
        fingerprints = session.fingerprints
        fingerprints.start()
        self.renderer = Renderer(
            self.site, kept=kept, fingerprints=fingerprints, keep_deferred=not session.dirty
        )
        self.writer = PageWriter(
            site=self.site,
            renderer=self.renderer,
            directory=self.directory,
            decorator=setup.decorator,
            dirty=session.dirty,
            written=session.written_pages,
            fingerprints=fingerprints,
            memo=session.memo,
        )
        self.outputs = Outputs(
            self.site,
            self.directory,
            setup.decorator,
            feeds=self.site.feed,
            open_data=options.open_data,
            written_days=session.written_days if session.dirty else None,
            fingerprints=fingerprints,
            memo=session.memo if session.dirty else None,
            holds=self.writer.holds,
        )

    def add_to(self, files: Files, config: MkDocsConfig) -> int:
        """Add the pages and the in-memory files to MkDocs' ``files``, once every page
        and file is checked to have an address of its own; how many files besides pages."""
        added = self.writer.files(list(self.pages.values()), config)
        self.directory.add_files(self.outputs.paths())
        texts = self.outputs.in_memory()
        added += [File.generated(config, path, content=text) for path, text in texts.items()]
        written = [(name, f"the theme's {name}") for name in config.theme.static_templates]
        written += [
            (dest, f"the generated {page.kind} page {page.title!r} ({page.src_uri})")
            for page, _, dest in self.writer.bulk
        ]
        folders = self.outputs.folders()
        if self.indexing:
            folders.append((layout.PAGEFIND, "the search index"))
        try:
            check_unique(
                [*files, *added],
                config.docs_dir,
                {page.src_uri: f"{page.kind} page {page.title!r}" for page in self.pages.values()},
                written + self.outputs.declared(),
                folders,
            )
        except ClashError as error:
            raise PluginError(f"daily-papers: {error}") from None
        for file in added:
            files.append(file)
        return len(texts)

    def commit(self) -> None:
        """The build succeeded: keep what ``serve --dirty`` compares next time."""
        self.writer.commit(self.outputs.values)

    def page(self, src_uri: str) -> SitePage | None:
        """The generated page at ``src_uri``, or None for a hand-written one."""
        return self.pages.get(src_uri)
