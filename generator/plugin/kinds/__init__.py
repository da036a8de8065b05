"""The kinds of generated page, and :func:`plan`: every page the archive needs.

Adding a kind: a module here with its :class:`~.base.SitePage` subclass (its ``plan``,
``view`` and whatever else it answers differently from the base), its template in
``templates/``, its words in the message table, and one line below.
"""

from __future__ import annotations

from generator.plugin.kinds.authors import AuthorPage, AuthorsPage
from generator.plugin.kinds.base import Site, SitePage
from generator.plugin.kinds.calendar import ArchivePage, MonthPage, YearPage
from generator.plugin.kinds.day import DayPage
from generator.plugin.kinds.glossary import GlossaryPage
from generator.plugin.kinds.home import HomePage
from generator.plugin.kinds.me import MePage
from generator.plugin.kinds.orgs import OrgPage, OrgsPage
from generator.plugin.kinds.paper import PaperPage
from generator.plugin.kinds.review import ReviewPage
from generator.plugin.kinds.search import SearchPage
from generator.plugin.kinds.top import TopPage, TopYearPage
from generator.plugin.kinds.topics import TopicPage, TopicsPage
from generator.plugin.kinds.trends import TrendsPage
from generator.plugin.kinds.week import WeekPage


def plan(site: Site) -> list[SitePage]:
    """Every generated page of the site, top-level pages first."""
    return [
        *HomePage.plan(site),
        *ArchivePage.plan(site),
        *TopPage.plan(site),
        *SearchPage.plan(site),
        *OrgsPage.plan(site),
        *TopicsPage.plan(site),
        *AuthorsPage.plan(site),
        *TrendsPage.plan(site),
        *ReviewPage.plan(site),
        *GlossaryPage.plan(site),
        *MePage.plan(site),
        *WeekPage.plan(site),
        *OrgPage.plan(site),
        *TopicPage.plan(site),  # and each topic's older months (TopicMonthPage)
        *YearPage.plan(site),
        *TopYearPage.plan(site),
        *MonthPage.plan(site),
        *DayPage.plan(site),
        *PaperPage.plan(site),
        *AuthorPage.plan(site),  # and each author's older papers (AuthorPartPage)
    ]
