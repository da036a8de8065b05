"""The site's search index: one Pagefind record per paper and per hand-written page.

Pagefind splits its index into small chunks that the browser fetches per query, so
neither a page view nor a query grows with the archive (a lunr index is one file that
every reader downloads whole). Each paper becomes a small HTML document of its own,
rendered by the autoescaped template ``search_record.html``: title, authors, every
summary bullet, keywords and, where there is no Korean summary, the English abstract,
with the paper's date, votes and picture as metadata, year, month and "has code" as
filters, and votes and date as sort keys. A result links to the paper's anchor on its
day page.

The documents are written to a temporary folder and indexed in one request through
Pagefind's Python API. Adding them one request at a time costs about 0.1 s each (the
API's reader polls its pipe at that interval), which would be nine minutes for the
real archive; one folder takes a few seconds.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.plugin.cards import Card, abstract_paragraphs, safe_url
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


def paper_document(paper: Paper, card: Card, url: str) -> PaperDocument:
    """The search record of ``paper`` (whose day page is at ``url``, site-relative)."""
    image = card.image
    # The abstract is English: index it only where no Korean summary says the same.
    english_only = not card.summary or card.source == "huggingface"
    return PaperDocument(
        url=f"{url}#{paper.id}",
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
    )


class SearchIndex:
    """Collects the site's search documents in a temporary folder, then runs Pagefind."""

    def __init__(self, env: jinja2.Environment, language: str) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="daily-papers-search-")
        self._root = Path(self._folder.name)
        self._count = 0
        self._language = language
        self._paper = env.get_template("search_record.html")
        self._page = env.get_template("search_page_record.html")

    @property
    def count(self) -> int:
        """Documents added so far."""
        return self._count

    def add_paper(self, document: PaperDocument) -> None:
        self._write(self._paper.render(doc=document, language=self._language))

    def add_page(self, *, url: str, title: str, content: str) -> None:
        """A hand-written page: ``content`` is its HTML as MkDocs rendered it (trusted)."""
        self._write(
            self._page.render(url=url, title=title, content=content, language=self._language)
        )

    def _write(self, html: str) -> None:
        # Numbered files: a document's result URL comes from its ``url`` metadata, not
        # from where Pagefind found it.
        self._count += 1
        (self._root / f"{self._count:06d}.html").write_text(html, encoding="utf-8")

    def write(self, output: Path) -> int:
        """Index every document into ``output`` (Pagefind's bundle folder); the page count.

        Raises :class:`SearchIndexError` when Pagefind is missing or fails.
        """
        # In a thread of its own: the caller may be running an event loop already (a
        # build started from async code, or from Playwright's sync API in the tests).
        with ThreadPoolExecutor(max_workers=1) as pool:
            count = pool.submit(
                asyncio.run, _run_pagefind(self._root, output, self._language)
            ).result()
        for name in UNUSED_BUNDLE_FILES:
            (output / name).unlink(missing_ok=True)
        return count

    def close(self) -> None:
        """Remove the temporary documents."""
        self._folder.cleanup()


async def _run_pagefind(source: Path, output: Path, language: str) -> int:
    """Index ``source`` into ``output``, every record as ``language`` (the site's): one
    index for the whole site, whose English words (titles, terms in parentheses,
    abstracts) are found as well."""
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise SearchIndexError(
            f"Pagefind is not installed ({error}); pip install 'pagefind[bin]'"
        ) from None
    config: IndexConfig = {"force_language": language, "output_path": str(output)}
    try:
        async with PagefindIndex(config) as index:
            result: Mapping[str, Any] = await index.add_directory(str(source))
    # The service reports its own failures as plain ``Exception``s; a missing or broken
    # binary shows up as OSError. Either way the build must say so, not print a traceback.
    except Exception as error:
        raise SearchIndexError(f"Pagefind failed: {error}") from None
    return int(result.get("page_count", 0))
