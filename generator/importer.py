"""``daily-papers import``: turning an archive of legacy digests into records.

Every digest is parsed first (:mod:`generator.digest`), so a paper listed more than once,
in one file or on several days, becomes one record: the earliest listing gives its date
and the others are merged into it and reported as duplicates. Each paper is then written
as a record, or merged into the record that already exists for it:

* a new record gets everything the digest has, its summary marked ``imported``;
* an existing record keeps every field it has (a fetch knows votes and authors better than
  an old digest) and only gains what it lacks: authors, votes, thumbnail, media, links;
* its summary is kept unless it is empty or an unedited English fallback from the API,
  or ``--overwrite`` is given; a kept summary that differs from the digest is reported.

Records are validated before they are written, written atomically, and only when a byte
changes, so importing the same archive again changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.batch import run_bounded
from generator.digest import Digest, DigestPaper, is_digest_name, read_digest
from generator.progress import Progress
from generator.records import rules
from generator.records.model import (
    Paper,
    SummarySource,
    add_listing,
    default_links,
    record_relpath,
    summary_fingerprint,
)
from generator.records.problems import Problem, errors
from generator.records.reading import record_files_by_id, shown_path
from generator.records.store import Edit, Store, StoreError
from generator.tally import plural, total

#: Threads writing records: enough to overlap the fsync of one file with the next.
WORKERS = min(8, (os.cpu_count() or 1) + 2)


ImportOutcome = Literal["written", "unchanged", "failed"]


@dataclass
class FileReport:
    """What became of one digest's papers; ``papers`` equals the sum of the tally."""

    path: str
    papers: int = 0
    #: Papers by outcome (:data:`ImportOutcome`, and ``duplicates`` merged into another).
    tally: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        tally = self.tally
        return (
            f"{self.path}: {plural(self.papers, 'paper')} found, "
            f"{plural(tally['written'], 'record')} written, {tally['unchanged']} unchanged, "
            f"{plural(tally['duplicates'], 'duplicate')} merged, "
            f"{tally['failed']} not imported"
        )


@dataclass
class ImportReport:
    """The outcome of one import: per-file tallies and every problem, by file and line."""

    files: list[FileReport] = field(default_factory=list)
    #: Problems not tied to one digest (a Markdown file skipped while searching a folder).
    problems: list[Problem] = field(default_factory=list)

    @property
    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for f in self.files for p in f.problems)]

    @property
    def errors(self) -> list[Problem]:
        return errors(self.all_problems)

    def lines(self) -> Iterator[str]:
        """The report as printed: each file's problems, then its tally; a total at the end."""
        yield from (str(p) for p in sorted(self.problems))
        for report in self.files:
            yield from (str(p) for p in sorted(report.problems))
            yield report.line()
        everything = FileReport(
            f"All {plural(len(self.files), 'digest')}",
            papers=sum(f.papers for f in self.files),
            tally=total(f.tally for f in self.files),
        )
        warnings = len(self.all_problems) - len(self.errors)
        yield (
            f"{everything.line()}; {plural(len(self.errors), 'error')}, "
            f"{plural(warnings, 'warning')}"
        )


def find_digests(paths: Iterable[Path], base: Path | None) -> tuple[list[Path], list[Problem]]:
    """The digest files named or found below the given paths, each once, in path order.

    In a folder only files named like a day (``YYYY/MM/DD.md``, ``YYYY-MM-DD.md``) are
    digests; other Markdown files there are listed as warnings, so none is skipped unseen.
    """
    paths = list(paths)
    found = {path.resolve(): path for path in paths if not path.is_dir()}
    skipped: list[Problem] = []
    for path in paths:
        if not path.is_dir():
            continue
        for candidate in sorted(path.rglob("*.md")):
            if not candidate.is_file() or candidate.name.startswith("."):
                continue
            if is_digest_name(candidate):
                found.setdefault(candidate.resolve(), candidate)
            elif candidate.resolve() not in found:
                skipped.append(
                    Problem(
                        shown_path(candidate, base),
                        1,
                        "file",
                        "not named like a day (YYYY/MM/DD.md or YYYY-MM-DD.md), "
                        "so not imported; name it on the command line to import "
                        "it",
                        warning=True,
                    )
                )
    return sorted(found.values(), key=lambda p: shown_path(p, base)), skipped


def import_digests(
    paths: Iterable[Path],
    data_dir: Path,
    *,
    overwrite: bool = False,
    relative_to: Path | None = None,
    quiet: bool = False,
) -> ImportReport:
    """Import digest files and folders into records below ``data_dir``, showing how far
    the writing has come (``quiet``: not)."""
    base = relative_to.resolve() if relative_to is not None else None
    files, skipped = find_digests(paths, base)
    report = ImportReport(problems=skipped)
    digests = [read_digest(path, shown_path(path, base)) for path in files]
    by_path: dict[str, FileReport] = {}
    for digest in digests:
        by_path[digest.path] = FileReport(
            digest.path, papers=digest.headings, problems=list(digest.problems)
        )
        by_path[digest.path].tally["failed"] = digest.headings - len(digest.papers)
        report.files.append(by_path[digest.path])

    groups = _group_by_id(digests)
    store = Store(data_dir, relative_to)
    existing = record_files_by_id(data_dir)
    jobs = []
    for occurrences in groups:
        paper, problems = _merge_occurrences(occurrences)
        for problem in problems:
            by_path[problem.path].problems.append(problem)
        for duplicate in occurrences[1:]:
            by_path[duplicate.path].tally["duplicates"] += 1
        jobs.append((paper, existing.get(paper.id, [])))

    def work(job: tuple[DigestPaper, list[Path]]) -> tuple[ImportOutcome, list[Problem]]:
        return _import_paper(job[0], job[1], store, overwrite)

    with Progress("import", len(jobs), "paper", quiet=quiet) as progress:
        for (paper, _), (outcome, problems) in run_bounded(jobs, work, workers=WORKERS):
            progress.advance()
            file_report = by_path[paper.path]
            file_report.tally[outcome] += 1
            file_report.problems.extend(problems)
    return report


def _group_by_id(digests: list[Digest]) -> list[list[DigestPaper]]:
    """Listings of the same paper together, earliest first (by date, file, line)."""
    groups: dict[str, list[DigestPaper]] = defaultdict(list)
    for digest in digests:
        for paper in digest.papers:
            groups[paper.id].append(paper)
    ordered = [sorted(group, key=lambda p: (p.date, p.path, p.line)) for group in groups.values()]
    return sorted(ordered, key=lambda g: (g[0].date, g[0].path, g[0].line))


def _merge_occurrences(occurrences: list[DigestPaper]) -> tuple[DigestPaper, list[Problem]]:
    """One paper from all its listings; each later listing is reported as a duplicate.

    The earliest listing gives date, title and summary; the other days it was listed on
    become ``also_listed``, so the paper shows on every one of them. Later listings add
    what the first lacks: a longer or complete author list (the script sometimes cut
    lists short), a known vote count (the highest, votes only grow), a thumbnail and
    videos.
    """
    first = occurrences[0]
    merged = dataclasses.replace(first, authors=list(first.authors), media=list(first.media))
    also: set[dt.date] = set()
    problems = []
    for other in occurrences[1:]:
        where = f"{first.path}:{first.line}"
        when = "" if other.date == first.date else f" on {first.date}"
        message = f"paper {other.id} is also listed{when} at {where}; merged into one record"
        if other.date != first.date:
            message += ", shown on both days"
        if other.summary and merged.summary and other.summary != merged.summary:
            message += " (its summary differs; the one listed first is kept)"
        problems.append(Problem(other.path, other.line, "duplicate", message, warning=True))
        if other.date != first.date:
            also.add(other.date)
        if len(other.authors) > len(merged.authors) or (
            merged.authors_incomplete
            and not other.authors_incomplete
            and other.authors
            and len(other.authors) >= len(merged.authors)
        ):
            merged.authors = list(other.authors)
            merged.authors_incomplete = other.authors_incomplete
        if other.votes is not None and (merged.votes is None or other.votes > merged.votes):
            merged.votes = other.votes
        merged.thumbnail = merged.thumbnail or other.thumbnail
        merged.media += [m for m in other.media if m not in merged.media]
        merged.summary = merged.summary or other.summary
    merged.also_listed = sorted(also)
    return merged, problems


def _imported_source(summary: list[str]) -> SummarySource | None:
    if not summary:
        return None
    return SummarySource(kind="imported", language="ko", fingerprint=summary_fingerprint(summary))


def _new_record(paper: DigestPaper) -> Paper:
    return Paper(
        id=paper.id,
        date=paper.date,
        title=paper.title,
        authors=list(paper.authors),
        authors_incomplete=paper.authors_incomplete and bool(paper.authors),
        votes=paper.votes,
        summary=list(paper.summary),
        summary_source=_imported_source(paper.summary),
        links=default_links(paper.id),
        thumbnail=paper.thumbnail,
        media=list(paper.media),
        also_listed=list(paper.also_listed),
    )


def _describe(record: Paper) -> str:
    source = record.summary_source
    if record.summary_is_human:
        who = "written or edited by a person"
    else:
        assert source is not None
        who = f"from {source.kind}" + (f" ({source.model})" if source.model else "")
    return f"{plural(len(record.summary), 'bullet')}, {who}"


def _merge_into(record: Paper, paper: DigestPaper, overwrite: bool) -> tuple[Paper, str | None]:
    """The existing record with what the digest adds; and a note about its summary, if any."""
    merged = record
    for day in (paper.date, *paper.also_listed):
        merged = add_listing(merged, day)
    # Only what the record lacks (the field table's merge without refreshing): a fetch
    # knows votes and authors better than an old digest.
    merged = rules.merge(merged, _new_record(paper), refresh=False)
    if not paper.summary or paper.summary == record.summary:
        return merged, None
    if record.awaits_summary or overwrite:
        merged.summary = list(paper.summary)
        merged.summary_source = _imported_source(paper.summary)
        if record.awaits_summary:
            return merged, None
        return merged, f"summary replaced with the digest's (was {_describe(record)})"
    return merged, (
        f"keeps its own summary ({_describe(record)}), which differs from the "
        "digest's; --overwrite replaces it"
    )


def _import_paper(
    paper: DigestPaper, existing: list[Path], store: Store, overwrite: bool
) -> tuple[ImportOutcome, list[Problem]]:
    """Write or update one paper's record: ``(outcome, problems)``, never an exception."""
    at_date = store.data_dir / record_relpath(paper.date, paper.id)
    target = at_date if at_date in existing else (existing[0] if existing else at_date)
    shown = store.shown(target)
    problems: list[Problem] = []

    def problem(message: str, warning: bool = False) -> None:
        problems.append(Problem(paper.path, paper.line, "record", message, warning))

    def change(record: Paper | None) -> Paper:
        if record is None:
            return _new_record(paper)
        if record.date < paper.date:
            problem(
                f"{shown}: paper {paper.id} is already recorded on {record.date}; merged there, "
                f"and listed on {paper.date} too",
                warning=True,
            )
        elif record.date > paper.date:
            problem(
                f"{shown}: paper {paper.id} was recorded on {record.date}; moved to "
                f"{paper.date}, its earliest listing, and listed on {record.date} too",
                warning=True,
            )
        merged, note = _merge_into(record, paper, overwrite)
        if note:
            problem(f"{shown}: {note}", warning=True)
        return merged

    try:
        (outcome,) = store.apply([Edit(target, change)])
    except StoreError as error:
        problem(str(error))
        return "failed", problems
    return ("unchanged" if outcome == "unchanged" else "written"), problems
