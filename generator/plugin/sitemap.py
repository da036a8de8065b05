"""The sitemap: an index (``sitemap.xml``) of sitemaps of at most 50,000 addresses each.

MkDocs' own sitemap lists every page with the build's date. With a page per paper that
is 5,500 to 30,000 entries, which Material reads on every cold page view (once per
``<link rel="alternate">``: four times with our feeds), and a daily build would tell
search engines that every page changed. Here ``sitemap.xml`` is a small index, pointing
to ``sitemaps/pages.xml`` (every page but the papers') and ``sitemaps/papers-YYYY.xml``
(the papers recorded in that year, cut into parts of 50,000); each ``lastmod`` is the
latest day a record the page shows was listed, so it changes only when the records do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

#: The most addresses one sitemap may hold (sitemaps.org).
MAX_URLS = 50_000
FOLDER = "sitemaps"
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class Entry:
    """One address in a sitemap; ``group`` names the sitemap it goes in."""

    url: str
    lastmod: dt.date | None
    group: str


def _lastmod(date: dt.date | None) -> str:
    return f"<lastmod>{date.isoformat()}</lastmod>" if date else ""


def sitemap(entries: Iterable[Entry]) -> str:
    """One sitemap of ``entries``."""
    body = "".join(
        f"<url><loc>{escape(entry.url)}</loc>{_lastmod(entry.lastmod)}</url>\n" for entry in entries
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NAMESPACE}">\n{body}</urlset>\n'
    )


def parts(entries: Iterable[Entry]) -> Iterator[tuple[str, list[Entry]]]:
    """The sitemaps' paths (below the site) and entries, group by group, in parts of at
    most :data:`MAX_URLS`: ``sitemaps/papers-2024.xml``, ``sitemaps/papers-2024-2.xml``."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.group, []).append(entry)
    for group, members in groups.items():
        for start in range(0, len(members), MAX_URLS):
            number = start // MAX_URLS + 1
            suffix = f"-{number}" if number > 1 else ""
            yield f"{FOLDER}/{group}{suffix}.xml", members[start : start + MAX_URLS]


def index(site_url: str, written: Iterable[tuple[str, list[Entry]]]) -> str:
    """The index of the sitemaps at these paths, each with its newest ``lastmod``."""
    body = ""
    for path, entries in written:
        dates = [entry.lastmod for entry in entries if entry.lastmod is not None]
        body += (
            f"<sitemap><loc>{escape(site_url + path)}</loc>"
            f"{_lastmod(max(dates) if dates else None)}</sitemap>\n"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NAMESPACE}">\n'
        f"{body}</sitemapindex>\n"
    )


def write(site_dir: Path, written: Iterable[tuple[str, list[Entry]]]) -> None:
    """Write each sitemap below ``site_dir``."""
    for path, entries in written:
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(sitemap(entries), encoding="utf-8")
