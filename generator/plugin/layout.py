"""Where every generated page lives: the site's URL scheme in one place.

Source paths are what MkDocs sees (``2024/02/14.md``); with ``use_directory_urls`` they
become ``/2024/02/14/``. Papers are ``papers/2402.08093/``, weeks ``weeks/2024-W07/``,
organizations ``orgs/<name>/``;
feeds and open data (``api/``) are files at fixed paths, so others can rely on them.
Day, month, year, week and organization pages stay out of the navigation: they are
reached through the archive and previous/next links, so no page lists all the others
and a page's size does not grow with the archive.
"""

from __future__ import annotations

import datetime as dt

HOME = "index.md"
ARCHIVE = "archive.md"
TOP = "top.md"
SEARCH = "search.md"
#: The summaries whose check against the paper found problems (see generator.checks).
REVIEW = "review.md"
#: The glossary page (data/glossary.yaml).
GLOSSARY = "glossary.md"
FEED = "feed.xml"
OPENSEARCH = "opensearch.xml"
STYLESHEET = "assets/daily-papers.css"
#: On every page: the header search box's keyboard shortcut.
SCRIPT = "assets/daily-papers.js"
#: The thin frame's palette: the reader's colours, restored before the page is painted.
PALETTE_SCRIPT = "assets/daily-papers-palette.js"
#: On the search page only: the search itself, on Pagefind's browser API.
SEARCH_SCRIPT = "assets/search.js"
#: On every page: follow, mute and save buttons, muted papers folded, the home page's
#: count of new papers (the reader's choices, kept in the browser).
READER_SCRIPT = "assets/reader.js"
#: On the reader's own page (me/) only: their feed, follows and reading list.
ME_SCRIPT = "assets/me.js"
#: The reader's own page.
ME = "me.md"
#: The thin frame's icons, drawn once for every page (see .icons).
ICONS = "assets/daily-papers-icons.svg"
#: Pagefind's bundle (its script and index chunks), below the site's root.
PAGEFIND = "pagefind/"


def day(date: dt.date) -> str:
    # Numbers, not strftime: it is called for every link to a day.
    return f"{date.year:04d}/{date.month:02d}/{date.day:02d}.md"


def month(year: int, month_number: int) -> str:
    return f"{year:04d}/{month_number:02d}.md"


def year(year_number: int) -> str:
    return f"{year_number:04d}.md"


def top_year(year_number: int) -> str:
    return f"top/{year_number:04d}.md"


#: The organizations' index, and one page per organization with enough papers.
ORGS = "orgs.md"
#: The weekly feed (the top papers of each week) and the JSON Feed versions of both.
WEEKLY_FEED = "feed-weekly.xml"
JSON_FEED = "feed.json"
WEEKLY_JSON_FEED = "feed-weekly.json"
#: The archive as open data: an index of days, and each day's records.
DAYS_INDEX = "api/days.json"


def week(year_number: int, week_number: int) -> str:
    """An ISO week's page: ``weeks/2024-W07.md``."""
    return f"weeks/{year_number:04d}-W{week_number:02d}.md"


def org(name: str) -> str:
    """An organization's page, in a folder of its own: an organization named ``index``
    or ``README`` would otherwise be MkDocs' index of ``orgs/``, the organizations' page."""
    return f"orgs/{name}/index.md"


def org_feeds(name: str) -> tuple[str, str]:
    """An organization's feeds, RSS and JSON Feed, at the site's root as the topics'
    (:func:`topic_feeds` says why): ``feed-org-<name>.xml`` and ``.json``."""
    return f"feed-org-{name}.xml", f"feed-org-{name}.json"


#: The trends page: charts of the whole archive.
TRENDS = "trends.md"

#: The topics' index, a page per topic (its newest month) and one per older month.
TOPICS = "topics.md"


def topic(code: str) -> str:
    """A topic's page: ``topics/cs.CL/``."""
    return f"topics/{code}/index.md"


def topic_month(code: str, year_number: int, month_number: int, part: int = 1) -> str:
    """A month of a topic's papers: ``topics/cs.CL/2024-02/`` (``2024-02-2`` for the
    second part of a month too long for one page)."""
    suffix = f"-{part}" if part > 1 else ""
    return f"topics/{code}/{year_number:04d}-{month_number:02d}{suffix}.md"


def topic_feeds(code: str) -> tuple[str, str]:
    """A topic's feeds, RSS and JSON Feed: ``feed-topic-cs.CL.xml`` and ``.json``.

    They sit at the site's root, beside the site's own feeds, because Material fetches
    ``sitemap.xml`` from the folder of every ``<link rel="alternate">`` in a page's head
    (to map alternate-language pages): a feed in ``topics/cs.CL/`` cost every topic page
    two requests that fail."""
    return f"feed-topic-{code}.xml", f"feed-topic-{code}.json"


#: The authors' index, and a page per author with enough papers (see .authors).
AUTHORS = "authors.md"


def author(slug: str, part: int = 1) -> str:
    """An author's page, in a folder of its own as an organization's: ``authors/<slug>/``;
    their older papers ``authors/<slug>/2/`` and on."""
    return f"authors/{slug}/index.md" if part == 1 else f"authors/{slug}/{part}.md"


def paper(paper_id: str) -> str:
    """A paper's own page: ``papers/2402.08093/``."""
    return f"papers/{paper_id}.md"


def day_data(date: dt.date) -> str:
    """One day's records as JSON: ``api/days/2024-10-25.json``."""
    return f"api/days/{date.isoformat()}.json"
