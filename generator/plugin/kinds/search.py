"""The search page (``search/``): a form that ``assets/search.js`` runs on Pagefind's
index. The filters' choices come from the archive, so the form is complete before any
script runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import layout
from generator.plugin.kinds.base import Links, Site, SitePage, View
from generator.plugin.kinds.orgs import org_pages
from generator.plugin.kinds.topics import label

#: What the search page's script says, by its names (``{name}`` is filled in by the script).
SEARCH_SCRIPT_MESSAGES = {
    "prompt": "search_prompt",
    "searching": "search_searching",
    "count": "search_count",
    "none": "search_none",
    "more": "search_more",
    "failed": "search_failed",
    "unavailable": "search_unavailable",
    "date": "date_short",
    "votes": "votes",
    "page": "search_page",
}


@dataclass(frozen=True, eq=False)
class SearchPage(SitePage):
    kind: ClassVar[str] = "search"

    @classmethod
    def plan(cls, site: Site) -> Iterator[SearchPage]:
        t = site.t
        yield cls(layout.SEARCH, t.text("search_title"), t.text("search_description"))

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        archive = site.archive
        return site.view(
            "search.html",
            root=link.root(),
            script=link.page(layout.SEARCH_SCRIPT),
            archive=link.page(layout.ARCHIVE),
            # What the filters print, not the years, months and organizations (whose
            # papers would make every edit a new view of this page).
            years=[year.year for year in archive.years],
            months=[(month.year, month.month, month.first) for month in archive.months],
            orgs=[
                (org.name, org.display_name)
                for org in sorted(org_pages(archive), key=lambda org: org.display_name.lower())
            ],
            # Most papers first, as on the topics' index.
            topics=[(topic.code, label(site, topic.code)) for topic in archive.topics],
            available=site.search,
            # Dates the table leaves to Babel are written by the browser (null here).
            messages={name: t.table.get(key) for name, key in SEARCH_SCRIPT_MESSAGES.items()},
        )
