"""Where a summary's text comes from: the paper's HTML version, else its PDF, else the
abstract the record holds.

Full texts come from ``<base>/html/<id>`` and ``<base>/pdf/<id>``; ``<base>`` is arXiv's
(``https://arxiv.org``) unless ``--fulltext-url`` or ``DAILY_PAPERS_FULLTEXT_URL`` names
another server (a mirror, a test server). Every request goes through arXiv's client
(:func:`generator.arxiv.arxiv_client`): one connection, one request every 3 seconds
shared with every other command, a User-Agent naming the project.

What was read is kept in a cache folder outside ``data/`` (full texts are not ours to
publish): ``$DAILY_PAPERS_CACHE_DIR``, else ``.cache/daily-papers/`` beside
``mkdocs.yml`` (ignored by git). The extracted text is kept, and so is an answer that
will not change (no HTML version, a withdrawn paper, a PDF without text), so a second
run asks arXiv for nothing. A failure that may pass (arXiv down, a timeout) is not
kept: the next run asks again. Each fallback is one line saying why; none is an error.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from filelock import FileLock

from generator.fulltext.cap import capped, sections_of_text
from generator.fulltext.latexml import Document, read_html
from generator.fulltext.pdf import PdfTextError, read_pdf
from generator.http import Client, HTTPFailure
from generator.records.model import Paper

DEFAULT_FULLTEXT_URL = "https://arxiv.org"
ENV_FULLTEXT_URL = "DAILY_PAPERS_FULLTEXT_URL"
#: ``abstract``: summaries read the abstract only (``summarize --source``).
ENV_SUMMARY_SOURCE = "DAILY_PAPERS_SUMMARY_SOURCE"
ENV_CACHE_DIR = "DAILY_PAPERS_CACHE_DIR"
#: A full text larger than this is not read (arXiv's largest PDFs are about 50 MB).
MAX_FULLTEXT_BYTES = 60 * 1024 * 1024
#: A text shorter than this is no paper (an error page, a withdrawal notice).
MIN_TEXT_CHARS = 500
#: Answers that will not change: kept, never asked again.
_FINAL_STATUSES = (404, 410)

SourceKind = Literal["html", "pdf", "abstract"]


@dataclass(frozen=True)
class Source:
    """The text a summary is made from: which source, the text (capped for the model)
    and one line per source that could not be used, saying why."""

    kind: SourceKind
    text: str
    notes: tuple[str, ...] = ()


class Unusable(Exception):
    """A source that cannot be used for a paper; ``final`` when it never will be (kept
    in the cache), the message says why."""

    def __init__(self, message: str, *, final: bool) -> None:
        super().__init__(message)
        self.final = final


def cache_dir(project_dir: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """The folder full texts are kept in (see the module's docstring)."""
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR]) / "fulltext"
    return project_dir / ".cache" / "daily-papers" / "fulltext"


@dataclass
class FullTexts:
    """Full texts for one run: ``client`` is arXiv's (paced), ``base_url`` the server."""

    client: Client
    folder: Path
    base_url: str = DEFAULT_FULLTEXT_URL
    #: Requests made (for the run's report and the tests).
    requests: int = field(default=0, init=False)
    #: One request at a time, whatever the threads: arXiv asks for one connection (the
    #: pace spaces the starts; a PDF can take longer than the 3 seconds between them).
    _one_at_a_time: threading.Lock = field(default_factory=threading.Lock, init=False)

    def source(self, paper: Paper) -> Source:
        """The best source for ``paper``: its HTML, its PDF, else its abstract."""
        notes: list[str] = []
        kinds: tuple[SourceKind, ...] = ("html", "pdf")
        for kind in kinds:
            try:
                text = self._cached(paper.id, kind)
            except Unusable as why:
                following = "the PDF" if kind == "html" else "the abstract"
                notes.append(f"{paper.id}: {kind.upper()} not used ({why}); using {following}")
                continue
            return Source(kind, text, tuple(notes))
        return Source("abstract", paper.abstract or "", tuple(notes))

    def _cached(self, paper_id: str, kind: str) -> str:
        """The capped text of one source, from the cache or from the server."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{_safe(paper_id)}.{kind}"
        text_file = self.folder / f"{stem}.txt"
        missing_file = self.folder / f"{stem}.missing"
        with FileLock(str(self.folder / f"{stem}.lock")):
            if text_file.is_file():
                return text_file.read_text(encoding="utf-8")
            if missing_file.is_file():
                reason = missing_file.read_text(encoding="utf-8").strip()
                raise Unusable(f"{reason} (kept from an earlier run)", final=True)
            try:
                text = self._read(paper_id, kind)
            except Unusable as why:
                if why.final:
                    _write(missing_file, f"{why}\n")
                raise
            _write(text_file, text)
            return text

    def _read(self, paper_id: str, kind: str) -> str:
        url = f"{self.base_url.rstrip('/')}/{kind}/{paper_id}"
        try:
            with self._one_at_a_time:
                self.requests += 1
                response = self.client.request("GET", url)
        except HTTPFailure as failure:
            status = failure.response.status_code if failure.response is not None else None
            raise Unusable(str(failure), final=status in _FINAL_STATUSES) from None
        if kind == "html":
            document = read_html(response.text)
            if not document.sections:
                raise Unusable("the HTML page has no sections", final=True)
        else:
            try:
                text = read_pdf(response.content)
            except PdfTextError as error:
                raise Unusable(str(error), final=True) from None
            document = Document(sections=sections_of_text(text))
        if len(document.text()) < MIN_TEXT_CHARS:
            raise Unusable(
                f"its text is {len(document.text()):,} characters, too short for a paper",
                final=True,
            )
        return capped(document)


def _safe(paper_id: str) -> str:
    """A file name for a paper id (ids are checked, but a name must never be a path)."""
    kept = "".join(c for c in paper_id if c.isalnum() or c in ".-")
    return kept if kept == paper_id else hashlib.sha256(paper_id.encode()).hexdigest()[:16]


def _write(path: Path, text: str) -> None:
    """``text`` as the file at ``path``, whole or not at all (a temporary file, renamed)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
