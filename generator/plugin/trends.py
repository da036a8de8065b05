"""How the field moves, in numbers: what the trends page and the small charts of topic and
organization pages show, computed from the records the build already read.

Every paper counts once, in the month (or quarter) of its record's day: the first day
Hugging Face listed it. A paper listed again a month later is not counted twice, so a
topic's or an organization's months add up to its papers. The functions here are pure
(papers in, numbers out); :mod:`generator.plugin.charts` draws them.
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.records.model import Paper

#: A calendar month, ``(2024, 2)``, or a quarter, ``(2024, 1)`` for January to March.
Period = tuple[int, int]

#: How many topics and organizations the trends page follows, and how many keywords.
TOP_TOPICS = 10
TOP_ORGS = 10
TOP_KEYWORDS = 15
#: The rising keywords compare the latest RECENT_MONTHS with the BEFORE_MONTHS before,
#: and leave out a keyword fewer than KEYWORD_MIN_PAPERS recent papers name (one paper's
#: keywords would otherwise top the list in a quiet month).
RECENT_MONTHS = 3
BEFORE_MONTHS = 12
KEYWORD_MIN_PAPERS = 3


def month_of(paper: Paper) -> Period:
    return paper.date.year, paper.date.month


def quarter_of(paper: Paper) -> Period:
    return paper.date.year, (paper.date.month - 1) // 3 + 1


@functools.cache
def month_label(month: Period) -> str:
    """``2024-02``: how tables and axes name a month (kept: every topic, organization
    and author chart names its months, a million labels of a few hundred months at
    30,000 papers)."""
    return f"{month[0]:04d}-{month[1]:02d}"


def quarter_label(quarter: Period) -> str:
    """``2024-Q1``."""
    return f"{quarter[0]:04d}-Q{quarter[1]}"


def periods_between(first: Period, last: Period, per_year: int = 12) -> list[Period]:
    """Every month (or, with ``per_year=4``, quarter) from ``first`` to ``last``, both
    included (empty ones too: a gap in the archive is a month with no papers, not a month
    that did not happen)."""
    found = []
    year, number = first
    while (year, number) <= last:
        found.append((year, number))
        year, number = (year + 1, 1) if number == per_year else (year, number + 1)
    return found


def span(papers: Iterable[Paper], last: Period) -> list[Period]:
    """The months from the first of ``papers`` to ``last`` (the archive's latest month):
    a topic's or organization's own months, up to today's."""
    first = min((month_of(paper) for paper in papers), default=None)
    return periods_between(first, last) if first is not None else []


def per_month(papers: Iterable[Paper], months: Sequence[Period]) -> list[int]:
    """How many of ``papers`` fall in each of ``months``."""
    counts = Counter(month_of(paper) for paper in papers)
    return [counts[month] for month in months]


@dataclass(frozen=True)
class MonthVotes:
    """One month of the archive: its papers, and the median and highest votes among
    those whose votes are known (None when none are)."""

    month: Period
    papers: int
    median: float | None
    top: int | None


def monthly(papers: Sequence[Paper]) -> list[MonthVotes]:
    """Every month of the archive, oldest first."""
    by_month: dict[Period, list[Paper]] = {}
    for paper in papers:
        by_month.setdefault(month_of(paper), []).append(paper)
    if not by_month:
        return []
    found = []
    for month in periods_between(min(by_month), max(by_month)):
        listed = by_month.get(month, [])
        votes = [paper.votes for paper in listed if paper.votes is not None]
        median = statistics.median(votes) if votes else None
        found.append(
            MonthVotes(
                month,
                len(listed),
                # A whole median (an odd count, or two equal middles) is a whole number.
                int(median) if median is not None and float(median).is_integer() else median,
                max(votes) if votes else None,
            )
        )
    return found


@dataclass(frozen=True)
class Shares:
    """Per month, the share (percent) of papers whose primary category is each of
    ``codes``, and of all others (``other``), among the papers whose categories are
    known; ``known`` is how many those are (a month with none has no shares)."""

    codes: tuple[str, ...]
    months: tuple[Period, ...]
    known: tuple[int, ...]
    #: Per month, one percentage per code and the others' last.
    percent: tuple[tuple[float, ...] | None, ...]


def topic_shares(papers: Sequence[Paper], count: int = TOP_TOPICS) -> Shares:
    """The ``count`` most common primary categories over the whole archive, per month."""
    primaries = [paper.primary_category for paper in papers]
    totals = Counter(code for code in primaries if code is not None)
    codes = tuple(
        code for code, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:count]
    )
    months = tuple(span(papers, max(month_of(p) for p in papers))) if papers else ()
    by_month: dict[Period, Counter[str]] = {}
    for paper, code in zip(papers, primaries, strict=True):
        if code is not None:
            by_month.setdefault(month_of(paper), Counter())[code] += 1
    known = []
    percent: list[tuple[float, ...] | None] = []
    for month in months:
        counts = by_month.get(month, Counter())
        total = sum(counts.values())
        known.append(total)
        if not total:
            percent.append(None)
            continue
        ours = [counts[code] for code in codes]
        percent.append(tuple(100 * n / total for n in [*ours, total - sum(ours)]))
    return Shares(codes, months, tuple(known), tuple(percent))


@dataclass(frozen=True)
class OrgQuarters:
    """The organizations with the most papers (Hugging Face's names, most first) and
    their papers per quarter."""

    names: tuple[str, ...]
    quarters: tuple[Period, ...]
    #: Per quarter, one count per organization.
    counts: tuple[tuple[int, ...], ...]


def org_quarters(papers: Sequence[Paper], count: int = TOP_ORGS) -> OrgQuarters:
    """The ``count`` organizations with the most papers in the archive, per quarter from
    the first quarter any organization was named to the archive's latest."""
    named = [paper for paper in papers if paper.organization is not None]
    if not named:
        return OrgQuarters((), (), ())
    totals = Counter(paper.organization.name for paper in named if paper.organization)
    names = tuple(
        name
        for name, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0].lower()))[:count]
    )
    quarters = tuple(
        periods_between(min(quarter_of(p) for p in named), max(quarter_of(p) for p in papers), 4)
    )
    by_quarter = Counter(
        (quarter_of(paper), paper.organization.name) for paper in named if paper.organization
    )
    counts = tuple(tuple(by_quarter[(q, name)] for name in names) for q in quarters)
    return OrgQuarters(names, quarters, counts)


def keyword_key(keyword: str) -> str:
    """How two spellings of a keyword are found to be one: case and spacing aside."""
    return " ".join(keyword.casefold().split())


@dataclass(frozen=True)
class Keyword:
    """A keyword, as most papers spell it, and the share (percent) of papers with
    keywords that name it in each window, with how many they are."""

    keyword: str
    before: float
    recent: float
    before_papers: int
    recent_papers: int

    @property
    def rise(self) -> float:
        """Percentage points gained."""
        return self.recent - self.before


@dataclass(frozen=True)
class Rising:
    """The windows compared (months, oldest first), the papers with keywords in each,
    and the keywords that rose most, most first."""

    before: tuple[Period, ...]
    recent: tuple[Period, ...]
    before_papers: int
    recent_papers: int
    keywords: tuple[Keyword, ...]


def rising_keywords(
    papers: Sequence[Paper],
    count: int = TOP_KEYWORDS,
    recent_months: int = RECENT_MONTHS,
    before_months: int = BEFORE_MONTHS,
    minimum: int = KEYWORD_MIN_PAPERS,
) -> Rising:
    """Keywords whose share of papers rose most from the ``before_months`` to the latest
    ``recent_months`` of the archive.

    A keyword counts once per paper that lists it (spellings that differ only in case or
    spacing are one keyword); its share in a window is the papers naming it over the
    papers in the window that have keywords at all (imported digests have none, and
    would otherwise thin every share of their months). Only keywords that at least
    ``minimum`` recent papers name, and whose share rose, are listed.
    """
    if not papers:
        return Rising((), (), 0, 0, ())
    last = max(month_of(paper) for paper in papers)
    window = periods_between(_months_back(last, recent_months + before_months - 1), last)
    before, recent = window[:before_months], window[before_months:]
    in_before, in_recent = set(before), set(recent)
    spellings: dict[str, Counter[str]] = {}
    before_counts: Counter[str] = Counter()
    recent_counts: Counter[str] = Counter()
    before_papers = recent_papers = 0
    for paper in papers:
        month = month_of(paper)
        if not paper.keywords or (month not in in_before and month not in in_recent):
            continue
        counts = recent_counts if month in in_recent else before_counts
        if month in in_recent:
            recent_papers += 1
        else:
            before_papers += 1
        keys = set()
        for keyword in paper.keywords:
            key = keyword_key(keyword)
            spellings.setdefault(key, Counter())[keyword] += 1
            keys.add(key)
        counts.update(keys)
    if not before_papers or not recent_papers:
        return Rising(tuple(before), tuple(recent), before_papers, recent_papers, ())
    found = [
        Keyword(
            # The most common spelling; ties by the first in code point order.
            min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0],
            100 * before_counts[key] / before_papers,
            100 * recent_counts[key] / recent_papers,
            before_counts[key],
            recent_counts[key],
        )
        for key in recent_counts
        if recent_counts[key] >= minimum
    ]
    rising = sorted(
        (keyword for keyword in found if keyword.rise > 0),
        key=lambda k: (-k.rise, keyword_key(k.keyword)),
    )
    return Rising(tuple(before), tuple(recent), before_papers, recent_papers, tuple(rising[:count]))


def _months_back(month: Period, count: int) -> Period:
    """The month ``count`` months before ``month``."""
    index = month[0] * 12 + month[1] - 1 - count
    return index // 12, index % 12 + 1
