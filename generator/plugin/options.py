"""The plugin's options in ``mkdocs.yml``, checked by MkDocs' own config machinery.

A wrong value is reported by MkDocs as a configuration error naming the option, the
same way a wrong built-in setting is; the build never starts with a bad option.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError


class Count(c.Type[int]):
    """A whole number of at least ``minimum`` (YAML's ``true`` is not a number here)."""

    def __init__(self, minimum: int = 1, **kwargs: Any) -> None:
        super().__init__(int, **kwargs)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"Expected a whole number, but received: {value!r}")
        if value < self.minimum:
            raise ValidationError(
                f"Expected a number of at least {self.minimum}, but received: {value}"
            )
        return value


class DailyPapersConfig(Config):
    """Options of the ``daily-papers`` plugin (see CONTRIBUTING.md for the whole list)."""

    #: The records' folder, relative to mkdocs.yml. It must exist: a typo would
    #: otherwise publish an empty archive.
    data_dir = c.Dir(exists=True, default="data")
    #: Write ``feed.xml`` and announce it in every page's head.
    feed = c.Type(bool, default=True)
    #: How many papers (newest days first) the feed carries.
    feed_size = Count(default=100)
    #: Authors shown before the rest of the list is folded behind "+N".
    authors_shown = Count(default=5)
    #: Most voted papers listed per month on the top papers pages.
    top_papers = Count(default=10)
    #: Index every paper and hand-written page with Pagefind into ``pagefind/`` (not
    #: under ``mkdocs serve``, whose search page says so instead).
    search = c.Type(bool, default=True)
    #: Write the archive as open data: ``api/days.json`` and ``api/days/<date>.json``.
    open_data = c.Type(bool, default=True)
    #: A page per paper at ``papers/<id>/``, which everything naming a paper links to
    #: (off: a paper is its card on its day pages, as before).
    paper_pages = c.Type(bool, default=True)
    #: The trends page (``trends/``, charts of the archive month by month) and the chart
    #: of papers per month on every topic and organization page. Off, list no
    #: ``trends.md`` in ``nav``.
    trends = c.Type(bool, default=True)
    #: A page per author with at least ``author_pages_min`` papers (``authors/<slug>/``),
    #: which their names link to, and the authors' index (``authors/``). Off, list no
    #: ``authors.md`` in ``nav``.
    author_pages = c.Type(bool, default=True)
    #: 5, the fewest pages allowed: at 30,000 papers 13,923 authors of the bench have 5
    #: papers or more, 24,302 have 3, at 23 KB a page (bench/README.md).
    author_pages_min = Count(default=5)
    #: Up to five related papers on every paper page, and their ids in the open data.
    related = c.Type(bool, default=True)
    #: Where records are edited, below ``repo_url`` (such as ``edit/main/data/``).
    #: Default: derived from ``edit_uri`` by replacing the docs folder with ``data_dir``.
    data_edit_uri = c.Optional(c.Type(str))
    #: The interface's language: the message table ``generator/plugin/messages/<it>.yml``.
    #: Default: ``theme.language``, else Korean.
    language = c.Optional(c.Type(str))
    #: Interface text replacing the table's, by message key (every key, for a language
    #: that ships no table).
    messages = c.Type(dict, default={})
    #: A page that lacks the place for the header's search box or the head's links (a
    #: theme override changed Material's markup): ``error`` stops the build naming the
    #: marker; ``warn`` logs it and builds the page without them.
    missing_markers = c.Choice(("error", "warn"), default="error")
