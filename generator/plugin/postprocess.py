"""Changes to a finished page's HTML: pure functions of the page, tested on their own.

MkDocs and Material write the page around our content; these add what the theme has no
place for (the header's search box, links in the head) and shrink generated pages. Each
finds its place by a marker of Material's templates; a page that has the part but not
the marker (a theme override changed it) raises :class:`MissingMarker` naming what was
looked for, so a change of theme is never a silently missing search box.
"""

from __future__ import annotations

import re

_INDENTATION = re.compile(r"\n\s+")
#: Where the header's search box goes: before the repository link, else at the end of
#: the header's navigation (Material's header is ``<nav class="md-header__inner ...">``).
#: Any ``<header>`` element counts as a header: one of a site's own, without Material's
#: attributes, still wants its search box, and was once taken for no header at all.
_HEADER = re.compile(r"<header[\s>]", re.I)
_HEADER_SOURCE = '<div class="md-header__source">'
_HEADER_NAV = re.compile(r'<nav class="md-header__inner[^"]*"[^>]*>.*?(?=</nav>)', re.S)
#: The start of Material's page content.
_CONTENT = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>')


class MissingMarker(Exception):
    """A page lacks the place where something goes; ``marker`` says what was looked for."""

    def __init__(self, what: str, marker: str) -> None:
        super().__init__(f"found no place for {what}: looked for {marker}")
        self.what = what
        self.marker = marker


def collapse_indentation(html: str) -> str:
    """Line breaks with their indentation become single line breaks.

    Only for the generated pages, whose ``<pre>`` (a BibTeX entry) has no indented line
    and whose ``<textarea>`` is empty: the same page, a tenth smaller.
    """
    return _INDENTATION.sub("\n", html)


def add_to_head(html: str, tags: str) -> str:
    """``tags`` at the end of the page's ``<head>``."""
    if not tags:
        return html
    if "</head>" not in html:
        raise MissingMarker("the head's links", "</head>")
    return html.replace("</head>", f"{tags}\n</head>", 1)


def add_search_box(html: str, box: str) -> str:
    """The search ``box`` in Material's header (a page without a header keeps none)."""
    if _HEADER_SOURCE in html:
        return html.replace(_HEADER_SOURCE, box + _HEADER_SOURCE, 1)
    match = _HEADER_NAV.search(html)
    if match is None:
        if _HEADER.search(html) is None:
            return html  # a page whose template has no header at all
        raise MissingMarker(
            "the header's search box",
            f'{_HEADER_SOURCE} or <nav class="md-header__inner"> inside the page\'s <header>',
        )
    return html[: match.end()] + box + html[match.end() :]


def add_to_content(html: str, block: str) -> str:
    """``block`` at the top of the page's content."""
    if not block:
        return html
    match = _CONTENT.search(html)
    if match is None:
        raise MissingMarker("the preview's record problems", '<article class="md-content__inner">')
    return html[: match.end()] + block + html[match.end() :]


def replace_marker(html: str, marker: str, content: str, what: str) -> str:
    """``html`` with its one ``marker`` replaced by ``content``."""
    if marker not in html:
        raise MissingMarker(what, marker)
    return html.replace(marker, content, 1)
