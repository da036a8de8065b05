"""The archive as the site sees it: every valid record, grouped by day, month and year.

Records are read once per build through :func:`generator.records.reading.scan`, the same code
as ``daily-papers validate``, so the site accepts exactly the records the validator
accepts. Any error stops the build; nothing is rendered from a half-read archive.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from generator.records.model import Paper
from generator.records.problems import Problem
from generator.records.reading import ReadCache, scan


class ArchiveError(Exception):
    """Some records are invalid; ``problems`` are the validator's errors, in file order.

    ``partial`` is the archive of the valid records, for a preview that keeps working.
    """

    def __init__(self, problems: Sequence[Problem], partial: Archive) -> None:
        self.problems = list(problems)
        self.partial = partial
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(
            f"{len(self.problems)} error(s) in the records; "
            f"run 'daily-papers validate' after fixing them:\n{lines}"
        )


def by_votes(papers: Iterable[Paper]) -> list[Paper]:
    """Most votes first; unknown votes last; ties in id order, so pages are stable."""
    return sorted(papers, key=lambda p: (-(p.votes if p.votes is not None else -1), p.id))


@dataclass(frozen=True)
class Day:
    """One Daily Papers day: its papers, most votes first."""

    date: dt.date
    papers: tuple[Paper, ...]

    @property
    def top(self) -> Paper:
        """The most voted paper of the day (a day exists only when it has papers)."""
        return self.papers[0]


@dataclass(frozen=True)
class Month:
    """The days of one calendar month, oldest first."""

    year: int
    month: int
    days: tuple[Day, ...]

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def papers(self) -> list[Paper]:
        """The month's papers, each once."""
        return unique(itertools.chain.from_iterable(day.papers for day in self.days))

    @property
    def paper_count(self) -> int:
        return len(self.papers)

    def top(self, count: int) -> list[Paper]:
        """The month's ``count`` most voted papers."""
        return by_votes(self.papers)[:count]


@dataclass(frozen=True)
class Year:
    """The months of one year that have papers, oldest first."""

    year: int
    months: tuple[Month, ...]

    @property
    def days(self) -> list[Day]:
        return [day for month in self.months for day in month.days]

    @property
    def paper_count(self) -> int:
        return len(unique(p for month in self.months for p in month.papers))


@dataclass(frozen=True)
class Week:
    """The days of one ISO week (Monday to Sunday) that have papers, oldest first."""

    year: int
    week: int
    days: tuple[Day, ...]

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    @property
    def papers(self) -> list[Paper]:
        """The week's papers, each once."""
        return unique(p for day in self.days for p in day.papers)

    def top(self, count: int) -> list[Paper]:
        """The week's ``count`` most voted papers."""
        return by_votes(self.papers)[:count]


@dataclass(frozen=True)
class OrgPapers:
    """The papers Hugging Face lists under one organization, newest first."""

    name: str
    display_name: str
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class TopicPapers:
    """The papers arXiv files under one category (``cs.CL``): newest day first, most
    votes first within a day, as the main feed has them."""

    code: str
    papers: tuple[Paper, ...]

    @functools.cached_property
    def primary(self) -> int:
        """How many have it as their main category (asked by each of its pages)."""
        return sum(1 for paper in self.papers if paper.primary_category == self.code)

    def months(self) -> list[tuple[tuple[int, int], list[Paper]]]:
        """The papers by (year, month) of their record's day, newest month first."""
        found: dict[tuple[int, int], list[Paper]] = {}
        for paper in self.papers:
            found.setdefault((paper.date.year, paper.date.month), []).append(paper)
        return list(found.items())


_Unit = TypeVar("_Unit", Day, Month, Year, Week)


@dataclass
class Archive:
    """Every day with papers, oldest first, and lookups the pages need."""

    days: list[Day]
    #: Non-fatal problems (unknown keys), worth showing but not worth failing for.
    warnings: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        months = [
            Month(year, month, tuple(days))
            for (year, month), days in itertools.groupby(
                self.days, key=lambda d: (d.date.year, d.date.month)
            )
        ]
        self.months = months
        self.years = [
            Year(year, tuple(group))
            for year, group in itertools.groupby(months, key=lambda m: m.year)
        ]
        self._months = {(m.year, m.month): m for m in months}
        self.weeks = [
            Week(year, week, tuple(days))
            for (year, week), days in itertools.groupby(
                self.days, key=lambda d: d.date.isocalendar()[:2]
            )
        ]
        self._weeks = {(w.year, w.week): w for w in self.weeks}
        self._days = {d.date: d for d in self.days}
        self.organizations = _organizations(self.papers)
        self.topics = _topics(self.papers)
        #: Each day, month and year's place in its list, by identity: they compare by
        #: value (a page's view holds them) and their papers do not hash.
        self._places: dict[int, tuple[Sequence[object], int]] = {}
        for items in (self.days, self.months, self.years, self.weeks):
            self._places.update((id(item), (items, index)) for index, item in enumerate(items))

    @property
    def latest(self) -> Day | None:
        return self.days[-1] if self.days else None

    @property
    def papers(self) -> list[Paper]:
        """Every paper once, in the order of the day it was first recorded on."""
        return unique(p for day in self.days for p in day.papers if p.date == day.date)

    @property
    def paper_count(self) -> int:
        return len(self.papers)

    def neighbours(self, item: _Unit) -> tuple[_Unit | None, _Unit | None]:
        """The day, month or year before and after ``item`` (None at either end)."""
        items, index = self._places[id(item)]
        previous = items[index - 1] if index > 0 else None
        following = items[index + 1] if index + 1 < len(items) else None
        return cast(_Unit | None, previous), cast(_Unit | None, following)

    def week_of(self, day: Day) -> Week:
        """The ISO week a day belongs to."""
        return self._weeks[day.date.isocalendar()[:2]]

    def day_of(self, date: dt.date) -> Day:
        """The day of ``date`` (one that has papers)."""
        return self._days[date]

    def month_of(self, day: Day) -> Month:
        """The month a day belongs to."""
        return self._months[(day.date.year, day.date.month)]

    def latest_days(self, paper_limit: int) -> list[Day]:
        """The newest days holding at least ``paper_limit`` papers together, newest first."""
        chosen: list[Day] = []
        total = 0
        for day in reversed(self.days):
            if total >= paper_limit:
                break
            chosen.append(day)
            total += len(day.papers)
        return chosen


def from_papers(papers: Iterable[Paper], warnings: Sequence[Problem] = ()) -> Archive:
    """Group papers into days (for records already read and checked); a paper listed on
    several days is on each of those days."""
    listings = sorted(
        ((day, paper) for paper in papers for day in paper.listed), key=lambda listing: listing[0]
    )
    days = [
        Day(date, tuple(by_votes(paper for _, paper in group)))
        for date, group in itertools.groupby(listings, key=lambda listing: listing[0])
    ]
    return Archive(days, list(warnings))


def _organizations(papers: Iterable[Paper]) -> list[OrgPapers]:
    """Every organization with its papers, most papers first (ties by name)."""
    found: dict[str, list[Paper]] = {}
    for paper in papers:
        if paper.organization is not None:
            found.setdefault(paper.organization.name, []).append(paper)
    orgs = [
        OrgPapers(
            name,
            listed[-1].organization.display_name if listed[-1].organization else name,
            tuple(sorted(listed, key=lambda p: (p.date, p.id), reverse=True)),
        )
        for name, listed in found.items()
    ]
    return sorted(orgs, key=lambda org: (-len(org.papers), org.name.lower()))


def _topics(papers: Iterable[Paper]) -> list[TopicPapers]:
    """Every category a paper is filed under, with its papers newest first; most papers
    first (ties by code)."""
    found: dict[str, list[Paper]] = {}
    for paper in papers:
        for code in paper.categories or ():
            found.setdefault(code, []).append(paper)
    topics = [
        # Newest day first; within a day as by_votes orders it (the sort is stable).
        TopicPapers(code, tuple(sorted(by_votes(listed), key=lambda p: p.date, reverse=True)))
        for code, listed in found.items()
    ]
    return sorted(topics, key=lambda topic: (-len(topic.papers), topic.code))


def unique(papers: Iterable[Paper]) -> list[Paper]:
    """Each paper once (a paper listed on several days is in several days' lists)."""
    seen: set[str] = set()
    kept = []
    for paper in papers:
        if paper.id not in seen:
            seen.add(paper.id)
            kept.append(paper)
    return kept


def load(
    data_dir: Path, relative_to: Path | None = None, cache: ReadCache | None = None
) -> Archive:
    """Read and check every record under ``data_dir``; raise :class:`ArchiveError` on errors.

    Paths in messages are relative to ``relative_to`` (the folder of ``mkdocs.yml``), as
    ``daily-papers validate`` run from there would print them. ``cache`` keeps the
    records read, for the next rebuild of ``mkdocs serve``.
    """
    result = scan([data_dir], relative_to=relative_to, roots=[data_dir], cache=cache)
    warnings = sorted(p for p in result.problems if p.warning)
    archive = from_papers(result.papers, warnings)
    if result.errors:
        raise ArchiveError(sorted(result.errors), archive)
    return archive
