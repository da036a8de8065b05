"""The site's search index: one Pagefind record per paper and per hand-written page.

Pagefind splits its index into small chunks that the browser fetches per query, so a
page view loads no index at all and a query loads the chunks of its words (a lunr index
is one file that every reader downloads whole). What a query loads still grows with the
archive, more slowly: Pagefind's list of pages, read before the first query, holds
about 11 bytes per record. Each paper becomes a small HTML document of its own,
rendered by the autoescaped template ``search_record.html``: title, authors, every
summary bullet, keywords and, where there is no Korean summary, the English abstract,
with the paper's date, votes and picture as metadata, year, month and "has code" as
filters, and votes and date as sort keys. A result links to the paper's own page (or,
with ``paper_pages: false``, to its card on its day page).

The documents go to Pagefind as the build makes them (:mod:`.pagefind_service`): the
papers' when the records are read, the hand-written pages' as MkDocs renders them, and
the bundle is written while MkDocs writes the pages, so indexing runs beside the build.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.plugin.authors import name_keys
from generator.plugin.cards import Card, abstract_paragraphs, safe_url
from generator.plugin.pagefind_service import Indexer, PagefindError
from generator.records.glossary import Glossary
from generator.records.model import Paper

#: What Pagefind writes besides the index that the site does not use: its ready-made
#: interfaces (the search page has its own) and the highlighting script.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says what it reported."""


@dataclass(frozen=True)
class PaperDocument:
    """What one paper's search record holds, before it becomes HTML."""

    url: str
    title: str
    date: str
    votes: int | None
    image: str | None
    authors: tuple[str, ...]
    keywords: tuple[str, ...]
    summary: tuple[Markup, ...]
    abstract: tuple[str, ...]
    has_code: bool
    #: The organization's Hugging Face name (the filter's value), when the API gave one.
    organization: str | None = None
    #: Its arXiv categories (each a value of the topic filter).
    topics: tuple[str, ...] = ()
    #: Its authors' keys (see .authors): the values of the author filter.
    author_keys: tuple[str, ...] = ()
    #: The glossary's terms it names, each with its Korean rendering, so a search for
    #: either finds it (어텐션 finds a summary that wrote 주의(attention)).
    aliases: tuple[str, ...] = ()


def paper_document(
    paper: Paper, card: Card, url: str, glossary: Glossary | None = None
) -> PaperDocument:
    """The search record of ``paper``, shown at ``url`` (site-relative): its own page, or
    its card on a day page."""
    image = card.image
    # The abstract is English: index it only where no Korean summary says the same.
    english_only = not card.summary or card.source == "huggingface"
    return PaperDocument(
        url=url,
        title=paper.title,
        date=paper.date.isoformat(),
        votes=paper.votes,
        image=image.url if image else None,
        authors=card.authors + card.folded,
        keywords=tuple(paper.keywords),
        summary=card.summary,
        abstract=abstract_paragraphs(paper.abstract) if english_only else (),
        has_code=safe_url(paper.links.get("github")) is not None,
        organization=paper.organization.name if paper.organization else None,
        topics=tuple(paper.categories or ()),
        author_keys=tuple(key for key, _ in name_keys(paper.authors)),
        aliases=tuple(f"{e.term} {e.ko}" for e in glossary.used_by(paper)) if glossary else (),
    )


class SearchIndex:
    """The site's documents, handed to a Pagefind process that indexes them meanwhile."""

    def __init__(self, env: jinja2.Environment, language: str) -> None:
        self._language = language
        self._paper = env.get_template("search_record.html")
        self._page = env.get_template("search_page_record.html")
        try:
            self._indexer = Indexer(language)
        except PagefindError as error:
            raise SearchIndexError(str(error)) from None
        self._done: Future[int] | None = None
        self._output: Path | None = None

    def add_paper(self, document: PaperDocument) -> None:
        self._indexer.add(document.url, self._paper.render(doc=document, language=self._language))

    def add_page(self, *, url: str, title: str, content: str) -> None:
        """A hand-written page: ``content`` is its HTML as MkDocs rendered it (trusted)."""
        self._indexer.add(
            url, self._page.render(url=url, title=title, content=content, language=self._language)
        )

    def write(self, output: Path) -> None:
        """Have the bundle written into ``output`` (Pagefind's folder) once every document
        added so far is indexed; :meth:`result` waits for it."""
        self._output = output
        self._done = self._indexer.finish(output)

    def result(self) -> int:
        """The number of documents in the written bundle.

        Raises :class:`SearchIndexError` when Pagefind failed.
        """
        assert self._done is not None and self._output is not None, "write() first"
        try:
            count = self._done.result()
        except PagefindError as error:
            raise SearchIndexError(f"Pagefind failed: {error}") from None
        for name in UNUSED_BUNDLE_FILES:
            (self._output / name).unlink(missing_ok=True)
        return count

    def close(self) -> None:
        """Stop Pagefind (at once, if the bundle is not written)."""
        self._indexer.close()


def start_index(
    env: jinja2.Environment, language: str, documents: Iterable[PaperDocument]
) -> SearchIndex:
    """A Pagefind process with every paper handed over: it indexes them while MkDocs
    renders the pages."""
    index = SearchIndex(env, language)
    for document in documents:
        index.add_paper(document)
    return index
