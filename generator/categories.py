"""Records' arXiv categories, filled from arXiv: ``daily-papers categories`` and the last
step of ``daily-papers fetch``.

Papers without ``categories`` are asked for in batches of 100, and each batch's answer is
written at once through :meth:`Store.apply` (whole or not at all), so an interrupted run
keeps every batch it finished and the next run asks only for the rest. A paper arXiv
does not return is remembered as ``categories: []`` ("arXiv lists none"), so it is not
asked for on every run, once its latest listing is :data:`GRACE_DAYS` old: a paper
listed today may not be in arXiv's API yet. ``--again`` asks for those too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.arxiv import BATCH, Arxiv
from generator.http import HTTPFailure
from generator.progress import Progress
from generator.records.model import Paper
from generator.records.store import Change, Edit, Store, StoreError
from generator.tally import plural

#: Days after its latest listing that a paper arXiv does not return is recorded as
#: having no categories.
GRACE_DAYS = 7


@dataclass
class Report:
    """What asking arXiv did."""

    asked: int = 0
    filled: int = 0
    #: Papers recorded as having no categories (arXiv did not return them, or listed
    #: none of the taxonomy's).
    none: list[str] = field(default_factory=list)
    #: Papers still without categories: not answered yet, or too new to be given up on.
    pending: list[str] = field(default_factory=list)
    #: Codes arXiv gave that the shipped taxonomy lacks (left out), by paper.
    unknown: dict[str, list[str]] = field(default_factory=dict)
    #: Why asking stopped early (arXiv down, an unreadable answer, a record not written).
    error: str | None = None

    def lines(self) -> list[str]:
        """The report as printed, one line per paper worth a word, and a summary."""
        found = [
            f"{paper_id}: arXiv returned no categories of its taxonomy; recorded as none"
            for paper_id in self.none
        ]
        found += [
            f"{paper_id}: left out unknown categories {', '.join(codes)} (not in "
            "generator/records/arxiv_categories.yml)"
            for paper_id, codes in self.unknown.items()
        ]
        return [*found, self.summary()]

    def summary(self) -> str:
        if self.error:
            return (
                f"categories pending for {plural(len(self.pending), 'paper')}: {self.error}; "
                "the next run asks again"
            )
        text = (
            f"categories: {plural(self.asked, 'paper')} asked of arXiv, {self.filled} filled, "
            f"{len(self.none)} with none"
        )
        if self.pending:
            text += (
                f", {len(self.pending)} pending (listed in the last {GRACE_DAYS} days and "
                "not in arXiv's answer yet)"
            )
        return text


def wanting(papers: Iterable[Paper], *, again: bool = False) -> list[Paper]:
    """The papers to ask arXiv about: without categories (``again``: or with none)."""
    return [p for p in papers if p.categories is None or (again and not p.categories)]


def fill(
    store: Store,
    papers: Sequence[Paper],
    arxiv: Arxiv,
    *,
    today: dt.date | None = None,
    quiet: bool = False,
) -> Report:
    """Ask arXiv for ``papers``' categories and write them, batch by batch, showing how
    far it has come (``quiet``: not)."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    with Progress("categories", len(papers), "paper", quiet=quiet) as progress:
        return _fill(store, papers, arxiv, today, progress)


def _fill(
    store: Store, papers: Sequence[Paper], arxiv: Arxiv, today: dt.date, progress: Progress
) -> Report:
    report = Report()
    for start in range(0, len(papers), BATCH):
        batch = papers[start : start + BATCH]
        try:
            answer = arxiv.categories([paper.id for paper in batch])
        except HTTPFailure as error:
            report.error = str(error)
            report.pending += [paper.id for paper in papers[start:]]
            break
        report.asked += len(batch)
        report.unknown.update(answer.unknown)
        edits = []
        for paper in batch:
            codes = answer.found.get(paper.id)
            if codes is None and (today - paper.last_listed).days < GRACE_DAYS:
                report.pending.append(paper.id)
                continue
            codes = codes or []
            if codes:
                report.filled += 1
            else:
                report.none.append(paper.id)
            path = store.where(paper.id) or store.path(paper)
            edits.append(Edit(path, _setting(codes)))
        try:
            store.apply(edits)
        except StoreError as error:
            report.error = str(error)
            report.pending += [paper.id for paper in papers[start + BATCH :]]
            break
        progress.advance(len(batch))
    return report


def _setting(codes: list[str]) -> Change:
    """A record change: these categories, unless someone set them meanwhile."""

    def change(record: Paper | None) -> Paper | None:
        if record is None or (record.categories and record.categories != codes):
            return None  # gone, or categories a person (or another run) set meanwhile
        return dataclasses.replace(record, categories=list(codes))

    return change
