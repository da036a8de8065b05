"""Changes to a finished page's HTML: pure functions of the page, tested on their own.

MkDocs and Material write the page around our content; these add what the theme has no
place for (the header's search box, links in the head) and shrink generated pages.
"""

from __future__ import annotations

import re

_INDENTATION = re.compile(r"\n\s+")
#: Where the header's search box goes: before the repository link, else at the end of
#: the header's navigation (Material's header is ``<nav class="md-header__inner ...">``).
_HEADER_SOURCE = '<div class="md-header__source">'
_HEADER_NAV = re.compile(r'<nav class="md-header__inner[^"]*"[^>]*>.*?(?=</nav>)', re.S)
#: The start of Material's page content.
_CONTENT = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>')


def collapse_indentation(html: str) -> str:
    """Line breaks with their indentation become single line breaks.

    Only for pages without ``<pre>`` or ``<textarea>`` (the generated ones): the same
    page, a tenth smaller.
    """
    return _INDENTATION.sub("\n", html)


def add_to_head(html: str, tags: str) -> str:
    """``tags`` at the end of the page's ``<head>`` (unchanged without one)."""
    if not tags or "</head>" not in html:
        return html
    return html.replace("</head>", f"{tags}\n</head>", 1)


def add_search_box(html: str, box: str) -> str:
    """The search ``box`` in Material's header (unchanged on a page without that header)."""
    if _HEADER_SOURCE in html:
        return html.replace(_HEADER_SOURCE, box + _HEADER_SOURCE, 1)
    match = _HEADER_NAV.search(html)
    if match is None:
        return html
    return html[: match.end()] + box + html[match.end() :]


def add_to_content(html: str, block: str) -> str:
    """``block`` at the top of the page's content (unchanged on a page without one)."""
    match = _CONTENT.search(html)
    if match is None or not block:
        return html
    return html[: match.end()] + block + html[match.end() :]
