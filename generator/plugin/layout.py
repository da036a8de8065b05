"""Where every generated page lives: the site's URL scheme in one place.

Source paths are what MkDocs sees (``2024/02/14.md``); with ``use_directory_urls`` they
become ``/2024/02/14/``. Day, month and year pages stay out of the navigation: they are
reached through the archive and previous/next links, so no page lists all the others
and a page's size does not grow with the archive.
"""

from __future__ import annotations

import datetime as dt

HOME = "index.md"
ARCHIVE = "archive.md"
TOP = "top.md"
SEARCH = "search.md"
FEED = "feed.xml"
OPENSEARCH = "opensearch.xml"
STYLESHEET = "assets/daily-papers.css"
#: On every page: the header search box's keyboard shortcut.
SCRIPT = "assets/daily-papers.js"
#: On the search page only: the search itself, on Pagefind's browser API.
SEARCH_SCRIPT = "assets/search.js"
#: Pagefind's bundle (its script and index chunks), below the site's root.
PAGEFIND = "pagefind/"


def day(date: dt.date) -> str:
    return f"{date:%Y}/{date:%m}/{date:%d}.md"


def month(year: int, month_number: int) -> str:
    return f"{year:04d}/{month_number:02d}.md"


def year(year_number: int) -> str:
    return f"{year_number:04d}.md"


def top_year(year_number: int) -> str:
    return f"top/{year_number:04d}.md"
