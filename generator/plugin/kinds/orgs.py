"""The organizations' index (``orgs/``) and a page per organization (``orgs/<name>/``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import layout
from generator.plugin.archive import Archive, OrgPapers
from generator.plugin.cards import Card
from generator.plugin.kinds.base import (
    Links,
    Site,
    SitePage,
    Target,
    View,
    feed_links,
    latest_listing,
)
from generator.plugin.kinds.trends import papers_chart

#: An organization gets a page from this many papers; the page lists the newest ones.
ORG_MIN_PAPERS = 3
ORG_PAGE_PAPERS = 50


def org_pages(archive: Archive) -> list[OrgPapers]:
    """The organizations with a page of their own (enough papers to be worth one)."""
    return [org for org in archive.organizations if len(org.papers) >= ORG_MIN_PAPERS]


@dataclass(frozen=True, eq=False)
class OrgsPage(SitePage):
    kind: ClassVar[str] = "orgs"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[OrgsPage]:
        t = site.t
        yield cls(layout.ORGS, t.text("orgs_title"), t.text("orgs_description"))

    def view(self, site: Site, link: Links) -> View:
        orgs = org_pages(site.archive)
        return site.view(
            "orgs.html",
            orgs=orgs,
            link=link,
            minimum=ORG_MIN_PAPERS,
            page_of={org.name: layout.org(org.name) for org in orgs},
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class OrgPage(SitePage):
    org: OrgPapers

    kind: ClassVar[str] = "org"
    deferred: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[OrgPage]:
        t = site.t
        for org in org_pages(site.archive):
            yield cls(
                layout.org(org.name),
                t.text("org_title", org=org.display_name),
                t.text(
                    "org_description",
                    org=org.display_name,
                    count=len(org.papers),
                    latest=org.papers[0].title,
                ),
                org=org,
            )

    def view(self, site: Site, link: Links) -> View:
        return site.view(
            "org.html",
            org=self.org,
            heading=self.title,
            papers=self.org.papers[:ORG_PAGE_PAPERS],
            chart=papers_chart(site, self.org.papers, site.t.text("org_chart_description")),
            link=link,
            up=Target(link.page(layout.ORGS), site.t.text("orgs_title")),
            feeds=[link.page(path) for path in layout.org_feeds(self.org.name)]
            if site.feed
            else [],
            follow=f"o:{self.org.name}",
        )

    def anchors(self, site: Site) -> list[str]:
        return []

    def top_card(self, site: Site) -> Card:
        return site.card(self.org.papers[0])

    def lastmod(self, site: Site) -> dt.date | None:
        return latest_listing(self.org.papers)

    def head(self, site: Site, page_url: str | None) -> str:
        return feed_links(site, layout.org_feeds(self.org.name), feed_title(site, self.org))


def feed_title(site: Site, org: OrgPapers) -> str:
    """The title of an organization's feeds."""
    return site.t.text("org_feed_title", site=site.site_name, org=org.display_name)
