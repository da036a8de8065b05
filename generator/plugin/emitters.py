"""The site's files besides its pages: the assets, the feeds, the OpenSearch description,
the sitemaps and the open data. (The search index is :mod:`.search_index`'s, beside the
build.)

Each is declared before anything is written, for the address check (:mod:`.clashes`):
:meth:`Outputs.in_memory` (small files MkDocs carries and writes), :meth:`Outputs.declared`
(files written after the pages, one at a time, never held whole: the topics' and
organizations' feeds, the follow index ``me/`` reads, the open data) and
:meth:`Outputs.folders`. Then :meth:`Outputs.write` writes the latter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path

from mkdocs.structure.files import Files
from mkdocs.utils import get_build_datetime

from generator.plugin import layout, sitemap
from generator.plugin.decorate import Decorator
from generator.plugin.directory import Directory
from generator.plugin.feed import FEED_FILES, FeedBuilder, feed_files, subject_feed_files
from generator.plugin.fingerprint import Fingerprints
from generator.plugin.follows import FollowFiles, follow_files
from generator.plugin.kinds import orgs, topics
from generator.plugin.kinds.base import Site, SitePage
from generator.plugin.memo import PageMemo
from generator.plugin.open_data import open_data_paths, write_open_data
from generator.plugin.related import Relation
from generator.plugin.writer import write
from generator.records.model import Paper

#: Assets shipped with the plugin, added to every site as in-memory files.
ASSETS = (
    layout.STYLESHEET,
    layout.SCRIPT,
    layout.SEARCH_SCRIPT,
    layout.PALETTE_SCRIPT,
    layout.READER_SCRIPT,
    layout.ME_SCRIPT,
)


class Outputs:
    """One build's files besides its pages."""

    def __init__(
        self,
        site: Site,
        directory: Directory,
        decorator: Decorator,
        *,
        feeds: bool,
        open_data: bool,
        written_days: dict[dt.date, bytes] | None,
        fingerprints: Fingerprints,
        memo: PageMemo | None,
        holds: Callable[[], bool],
    ) -> None:
        self.site = site
        self.directory = directory
        self.decorator = decorator
        self.open_data = open_data
        #: Under ``serve --dirty``: the papers each day's open data was last written with.
        self.written_days = written_days
        self.fingerprints = fingerprints
        #: Under ``serve --dirty``: the files last written (.memo), and whether this
        #: rebuild's settings and addresses are those they were written with.
        self._memo = memo
        self._holds = holds
        #: What each file :meth:`write` wrote or kept is made from, by path (what the
        #: memo keeps once the build has succeeded).
        self.values: dict[str, object] = {}
        self.feeds: FeedBuilder | None = None
        if feeds and directory.site_url:
            self.feeds = FeedBuilder(
                site.archive,
                directory=directory,
                card=site.card,
                env=site.env,
                messages=site.t,
            )
        #: The sitemaps the index names (see .sitemap), made when MkDocs asks for it.
        self.sitemaps: list[tuple[str, list[sitemap.Entry]]] = []
        self._build_date = get_build_datetime()
        self._follows: FollowFiles | None = None

    @property
    def follows(self) -> FollowFiles:
        """The follow index (made once, when first asked: it reads every card)."""
        if self._follows is None:
            self._follows = follow_files(self.site.archive, self.site.card)
        return self._follows

    def addition_inputs(
        self, paper: Paper
    ) -> tuple[Paper, tuple[str | None, ...], tuple[Relation, ...] | None]:
        """What :meth:`additions` makes a paper's from, but the addresses: the paper, its
        authors' pages as its card links them, its related papers (None without the
        ``related`` option). Under ``serve --dirty`` they are its day file's value too."""
        related = self.site.related
        return (
            paper,
            self.site.card(paper).author_pages,
            None if related is None else related.of(paper.id),
        )

    def additions(self, paper: Paper) -> dict[str, object]:
        """What the open data adds to a paper's record: its address, its related papers'
        ids (with the ``related`` option) and, where any of its authors has a page, each
        author's page address (None for one without), in the order of ``authors``."""
        paper, pages, related = self.addition_inputs(paper)
        directory = self.directory
        added: dict[str, object] = {"url": directory.absolute(directory.paper(paper))}
        if related is not None:
            added["related"] = [relation.paper.id for relation in related]
        if any(pages):
            added["author_urls"] = [directory.address(page) if page else None for page in pages]
        return added

    def paths(self) -> list[str]:
        """Every file's path (its URL too), for the directory."""
        found = [*ASSETS, layout.ICONS]
        if self.feeds is not None:
            found += [path for path, _, _ in FEED_FILES]
            found += [path for path, _ in self._subject_feeds()]
        if self.directory.site_url:
            found.append(layout.OPENSEARCH)
        return found + self.follows.paths()

    def in_memory(self) -> dict[str, str]:
        """The small files MkDocs carries, by path: assets (the thin frame's icons among
        them), site feeds, OpenSearch."""
        assets = resources.files("generator.plugin") / "assets"
        texts = {asset: (assets / Path(asset).name).read_text(encoding="utf-8") for asset in ASSETS}
        texts[layout.ICONS] = self.decorator.sprite
        if self.feeds is not None:
            texts.update(
                feed_files(
                    self.feeds,
                    size=self.site.feed_size,
                    site_name=self.site.site_name,
                    description=self.decorator.description,
                    build_date=self._build_date,
                )
            )
        if self.directory.site_url:
            texts[layout.OPENSEARCH] = self.decorator.env.get_template("opensearch.xml").render(
                short_name=self.site.site_name[:16],
                description=self.decorator.description,
                search_url=self.directory.address(layout.SEARCH),
                self_url=self.directory.address(layout.OPENSEARCH),
            )
        return texts

    def declared(self) -> list[tuple[str, str]]:
        """The files :meth:`write` writes, each with what it is (for the address check)."""
        found: list[tuple[str, str]] = []
        if self.feeds is not None:
            found += self._subject_feeds()
        found += [(path, "the follow index of me/") for path in self.follows.paths()]
        if self.open_data:
            found += [(path, "the open data") for path in open_data_paths(self.site.archive)]
        return found

    @staticmethod
    def folders() -> list[tuple[str, str]]:
        """Folders that are this module's alone."""
        return [(sitemap.FOLDER + "/", "the sitemaps")]

    def sitemap_index(self, files: Files, pages: Mapping[str, SitePage]) -> str:
        """The sitemap index MkDocs writes as ``sitemap.xml`` (and .gz); its sitemaps are
        written with the rest (:meth:`write`). Every page is listed: the hand-written ones
        undated, the generated ones dated by their records."""
        entries = [
            sitemap.Entry(self.directory.absolute(file.url), None, "pages")
            for file in files.documentation_pages()
            if file.src_uri not in pages
        ]
        entries += [
            sitemap.Entry(
                self.directory.address(page.src_uri),
                page.lastmod(self.site),
                page.sitemap_group(),
            )
            for page in pages.values()
        ]
        self.sitemaps = list(sitemap.parts(entries))
        assert self.directory.site_url is not None
        return sitemap.index(self.directory.site_url, self.sitemaps)

    def stale(self, path: str, value: object) -> bool:
        """Whether the file at ``path``, made from ``value`` (what it shows of the
        archive, as the very objects: papers, cards, related papers), is to be written:
        always, but under ``serve --dirty`` where it was last written from an equal value
        with this rebuild's settings and addresses (.memo)."""
        memo = self._memo
        if memo is None:  # a build: nothing is kept (the values would add to its peak)
            return True
        self.values[path] = value
        return not self._holds() or not memo.wrote(path, value)

    def _day_stale(self, path: str, papers: Sequence[Paper]) -> bool:
        """:meth:`stale` for a day's open data, whose value is its papers'
        :meth:`addition_inputs` (made only where kept: ``serve --dirty``)."""
        if self._memo is None:
            return True
        return self.stale(path, tuple(map(self.addition_inputs, papers)))

    def write(self, site_dir: Path) -> str:
        """Write the sitemaps, the topics' feeds and the open data; say how many."""
        sitemap.write(site_dir, self.sitemaps)
        feeds = self._write_subject_feeds(site_dir)
        for path, text in self.follows.texts(self.directory.paper, self.stale):
            write(site_dir / path, text.encode("utf-8"))
        data = 0
        if self.open_data:
            write_open_data(
                self.site.archive,
                site_dir,
                self.additions,
                written=self.written_days,
                fingerprints=self.fingerprints,
                stale=self._day_stale,
            )
            data = len(open_data_paths(self.site.archive))
        return (
            f"{feeds:,} topic and organization feeds, {len(self.sitemaps):,} sitemaps and "
            f"{data + len(self.follows.paths()):,} open data files"
        )

    def _subject_feeds(self) -> list[tuple[str, str]]:
        """The topics' and the organizations' feed files, each with what it is."""
        archive = self.site.archive
        found = [
            (path, f"the feed of topic {topic.code}")
            for topic in archive.topics
            for path in layout.topic_feeds(topic.code)
        ]
        found += [
            (path, f"the feed of organization {org.name}")
            for org in orgs.org_pages(archive)
            for path in layout.org_feeds(org.name)
        ]
        return found

    def _write_subject_feeds(self, site_dir: Path) -> int:
        """Each topic's and organization's feeds, one at a time (not held in memory as
        MkDocs files)."""
        if self.feeds is None:
            return 0
        site, t = self.site, self.site.t
        subjects = [
            (
                layout.topic_feeds(topic.code),
                layout.topic(topic.code),
                topic.papers,
                topics.feed_title(site, topic.code),
                t.text(
                    "topic_description",
                    topic=topics.label(site, topic.code),
                    count=len(topic.papers),
                ),
            )
            for topic in site.archive.topics
        ]
        subjects += [
            (
                layout.org_feeds(org.name),
                layout.org(org.name),
                org.papers,
                orgs.feed_title(site, org),
                t.text("org_feed_description", org=org.display_name, count=len(org.papers)),
            )
            for org in orgs.org_pages(site.archive)
        ]
        written = 0
        for paths, page, papers, title, description in subjects:
            newest = papers[: site.feed_size]
            value = (page, title, description, tuple(newest), tuple(map(site.card, newest)))
            if not self.stale(paths[0], value):
                written += len(paths)
                continue
            files = subject_feed_files(
                self.feeds,
                paths=paths,
                page=page,
                papers=papers,
                title=title,
                description=description,
                size=site.feed_size,
                build_date=self._build_date,
            )
            for path, text in files.items():
                write(site_dir / path, text.encode("utf-8"))
                written += 1
        return written
