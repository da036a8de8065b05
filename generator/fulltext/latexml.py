"""A paper's text from arXiv's HTML version (``arxiv.org/html/<id>``), which LaTeXML makes.

What is kept, in document order: the title (``ltx_title_document``), the abstract
(``ltx_abstract``), and each section, subsection and appendix with its heading, its
paragraphs (``ltx_p``), its tables (one line per row, cells separated by `` | ``) and
its figures' and tables' captions. What is dropped: the bibliography, footnotes, the
page's navigation, header and footer, the authors' block, scripts and styles. Math is
its TeX source (``alttext``) rather than its MathML markup, so a figure written as
``$47.8\\%$`` is still in the text the summary is checked against.

The standard library's HTML parser reads it: the page is one document of known shape,
and nothing here needs a tree (a stack of the elements open is enough).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Elements whose whole content is dropped, by tag or by class.
_DROPPED_TAGS = frozenset({"nav", "header", "footer", "script", "style", "button", "head"})
_DROPPED_CLASSES = frozenset(
    {
        "ltx_bibliography",
        "ltx_note",  # footnotes
        "ltx_authors",
        "ltx_page_navbar",
        "ltx_page_header",
        "ltx_page_footer",
        "ltx_dates",
        "ltx_role_footnote",
        "ltx_TOC",
    }
)
#: Elements that hold a section of the paper.
_SECTION_CLASSES = frozenset(
    {"ltx_section", "ltx_subsection", "ltx_subsubsection", "ltx_appendix", "ltx_paragraph"}
)
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "col", "wbr", "source"})
_SPACES = re.compile(r"\s+")


@dataclass
class Section:
    """One section: its heading (numbered as the paper numbers it) and its blocks of
    text (paragraphs, table rows, captions), in order."""

    title: str
    blocks: list[str] = field(default_factory=list)


@dataclass
class Document:
    """What a paper's HTML says, in order."""

    title: str = ""
    abstract: str = ""
    sections: list[Section] = field(default_factory=list)

    def text(self) -> str:
        """The whole document as plain text: title, abstract, then each section."""
        parts = [self.title, self.abstract]
        for section in self.sections:
            parts.append(section.title)
            parts.extend(section.blocks)
        return "\n\n".join(part for part in parts if part)


class _Reader(HTMLParser):
    """Collects the document while the parser walks the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Document()
        #: The open elements: (tag, what they are for: "drop", "title", "abstract",
        #: "heading", "block", "row", "cell", "section" or "").
        self._open: list[tuple[str, str]] = []
        self._dropping = 0
        self._text: list[str] = []
        self._row: list[str] = []
        self._in_abstract = False

    # -- the walk ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "math":
            # Its TeX source stands for it; its MathML inside is skipped.
            self._add(dict(attrs).get("alttext") or "")
            role = "drop"
        elif tag in _DROPPED_TAGS or classes & _DROPPED_CLASSES:
            role = "drop"
        elif "ltx_title_document" in classes:
            role = "title"
        elif "ltx_abstract" in classes:
            role = "abstract"
        elif tag == "section" and classes & _SECTION_CLASSES:
            role = "section"
        elif tag in ("h2", "h3", "h4", "h5") and "ltx_title" in classes:
            role = "heading"
        elif tag == "h6" and "ltx_title_abstract" in classes:
            role = "drop"  # the word "Abstract"
        elif tag == "tr":
            role = "row"
        elif tag in ("td", "th"):
            role = "cell"
        elif tag == "figcaption" or (tag == "p" and "ltx_p" in classes):
            role = "block"
        else:
            role = ""
        if tag in _VOID:
            if tag == "br":
                self._add(" ")
            return
        if self._dropping and role != "drop":
            role = ""
        inside = {open_role for _, open_role in self._open}
        if role == "block" and inside & {"cell", "heading", "title", "block"}:
            role = ""  # a paragraph inside a table cell or a heading is part of it
        self._open.append((tag, role))
        if role == "drop":
            self._dropping += 1
        elif role == "section":
            self.document.sections.append(Section(""))
        elif role in ("title", "heading", "block", "cell"):
            self._text = []
        elif role == "row":
            self._row = []
        elif role == "abstract":
            self._in_abstract = True

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                for _, role in reversed(self._open[index:]):
                    self._close(role)
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._add(data)

    def close(self) -> None:
        super().close()
        for _, role in reversed(self._open):
            self._close(role)
        self._open.clear()

    # -- what each element leaves -----------------------------------------------------

    def _add(self, text: str) -> None:
        if not self._dropping:
            self._text.append(text)

    def _taken(self) -> str:
        text = _SPACES.sub(" ", "".join(self._text)).strip()
        self._text = []
        return text

    def _close(self, role: str) -> None:
        document = self.document
        if role == "drop":
            self._dropping -= 1
        elif role == "title":
            document.title = self._taken()
        elif role == "abstract":
            self._in_abstract = False
        elif role == "heading" and document.sections:
            document.sections[-1].title = self._taken()
        elif role == "cell":
            self._row.append(self._taken())
        elif role == "row":
            cells = [cell for cell in self._row if cell]
            if cells:
                self._block(" | ".join(cells))
            self._row = []
        elif role == "block":
            self._block(self._taken())

    def _block(self, text: str) -> None:
        if not text:
            return
        document = self.document
        if self._in_abstract:
            document.abstract = f"{document.abstract} {text}".strip()
        elif document.sections:
            document.sections[-1].blocks.append(text)


def read_html(html: str) -> Document:
    """The paper in ``html`` (arXiv's LaTeXML page); a page that is not one gives a
    document without sections, which the caller takes for no text at all."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    document = reader.document
    document.sections = [s for s in document.sections if s.title or s.blocks]
    return document
