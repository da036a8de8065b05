"""The home page (``index.md``): the latest day's papers and the week's best so far."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import follows, layout
from generator.plugin.cards import Card
from generator.plugin.kinds.base import Links, Site, SitePage, View

#: Papers in the home page's list of the week's best.
HOME_WEEK_TOP = 5


@dataclass(frozen=True, eq=False)
class HomePage(SitePage):
    kind: ClassVar[str] = "home"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[HomePage]:
        yield cls(layout.HOME, site.t.text("home_title"))

    def view(self, site: Site, link: Links) -> View:
        archive = site.archive
        day = archive.latest
        cards = [site.card(paper) for paper in day.papers] if day else []
        week = archive.week_of(day) if day else None
        week_top = [site.card(paper) for paper in week.top(HOME_WEEK_TOP)] if week else []
        week_url = link.page(layout.week(week.year, week.week)) if week else None
        return site.view(
            "home.html",
            anchors=[card.id for card in cards],
            day=day,
            cards=cards,
            link=link,
            site_name=site.site_name,
            archive=layout.ARCHIVE,
            top=layout.TOP,
            trends=layout.TRENDS if site.trends else None,
            feed=layout.FEED if site.feed else None,
            week=week,
            week_top=week_top,
            week_url=week_url,
            me=layout.ME,
            follow_index=follows.INDEX,
        )

    def top_card(self, site: Site) -> Card | None:
        latest = site.archive.latest
        return site.card(latest.top) if latest else None
