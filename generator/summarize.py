"""``daily-papers summarize``: give records without a summary a Korean one from an LLM.

Which records are touched is the whole point of summary provenance: an empty summary or
Hugging Face's English fallback is "no summary yet"; a summary the model wrote (or a
legacy digest brought) is replaced only with ``--force``; one a person wrote or edited
only with ``--force-human``. Each new summary is validated as part of its record and
written atomically the moment it arrives, so an interrupted run keeps what it got.

A summary is made from the paper's full text where arXiv has one (HTML, else PDF: see
:mod:`generator.fulltext`), else from the abstract; ``--source abstract`` reads the
abstract only. The record's ``summary_source`` says which, and the prompt's version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator.batch import run_bounded
from generator.fulltext.sources import FullTexts, Source
from generator.llm import ENV_API_KEY, ENV_MODEL, Result, Settings, Summarizer, prompt
from generator.progress import Progress
from generator.records.glossary import Glossary, read_glossary
from generator.records.model import Paper, SummarySource, day_dir, summary_fingerprint
from generator.records.reading import read_record, record_files
from generator.records.store import Edit, Store, StoreError
from generator.tally import counts

#: Requests in flight at once: enough to hide latency, few enough for rate limits and
#: for a local server that answers one request at a time anyway.
WORKERS = 4


@dataclass
class Record:
    """A record file as read, before its summary is asked for."""

    path: Path
    paper: Paper


@dataclass
class Outcome:
    """What happened to one record."""

    record: Record
    written: bool = False
    problem: str | None = None
    stopped: bool = False
    result: Result | None = None
    #: Why a full text could not be used (one line per source passed over).
    notes: tuple[str, ...] = ()


@dataclass
class Selection:
    """The records of the chosen dates, sorted into what to do with each."""

    todo: list[Record] = field(default_factory=list)
    skipped: list[Record] = field(default_factory=list)
    #: Lines worth telling the user about skipped records (why one was not touched).
    notes: list[str] = field(default_factory=list)


HUMAN = "summary written or edited by a person; kept (--force-human replaces it)"
DONE = "already summarised"
NO_ABSTRACT = "no abstract to summarise from"


def skip_reason(paper: Paper, force: bool, force_human: bool) -> str | None:
    """Why this record's summary stays as it is, or None when it is to be (re)written.

    ``force_human`` implies ``force``: it replaces every summary of the chosen dates.
    """
    if paper.summary_is_human:
        if not force_human:
            return HUMAN
    elif not paper.awaits_summary and not (force or force_human):
        return DONE
    if not paper.abstract:
        return NO_ABSTRACT
    return None


def record_paths(data_dir: Path, dates: Sequence[dt.date] | None) -> list[Path]:
    """The record files of ``dates`` (every record when None), sorted."""
    folders = [data_dir] if dates is None else [day_dir(data_dir, d) for d in dates]
    return list(record_files(folder for folder in folders if folder.is_dir()))


def read_records(paths: Sequence[Path]) -> tuple[list[Record], dict[Path, list[str]]]:
    """The valid records among ``paths``, and the broken ones' problems as
    ``path:line: key: message`` lines."""
    records: list[Record] = []
    broken: dict[Path, list[str]] = {}
    for path in paths:
        paper, problems = read_record(path)
        if paper is None:
            broken[path] = [str(p) for p in problems if not p.warning]
        else:
            records.append(Record(path, paper))
    return records, broken


def select(records: list[Record], *, force: bool, force_human: bool) -> Selection:
    """Sort records into to-do (newest day first, most votes first) and skipped."""
    selection = Selection()
    ordered = sorted(
        records, key=lambda r: (-r.paper.date.toordinal(), -(r.paper.votes or 0), r.paper.id)
    )
    for record in ordered:
        reason = skip_reason(record.paper, force, force_human)
        if reason is None:
            selection.todo.append(record)
            continue
        selection.skipped.append(record)
        # Worth a line: a record that stays without a summary, or one --force did not touch.
        if reason == NO_ABSTRACT or (reason == HUMAN and force):
            selection.notes.append(f"{record.path}: skipped: {reason}")
    return selection


def summarise_one(
    record: Record,
    summarizer: Summarizer,
    stop: threading.Event,
    store: Store,
    texts: FullTexts | None = None,
    glossary: Glossary | None = None,
) -> Outcome:
    """Ask for one summary, from the paper's full text when ``texts`` is given, and
    write it into the record; never raises for a bad answer or a missing full text."""
    if stop.is_set():
        return Outcome(record, stopped=True)
    paper = record.paper
    read = texts.source(paper) if texts else Source("abstract", paper.abstract or "")
    entries = glossary.in_text(f"{paper.title}\n{read.text}") if glossary else []
    result = summarizer.summarize(paper.title, read.text, read.kind, entries)
    if result.summary is None:
        if result.fatal:
            stop.set()
        return Outcome(record, problem=result.problem, result=result, notes=read.notes)
    settings = summarizer.settings
    source = SummarySource(
        kind="llm",
        model=settings.model,
        language=settings.language,
        fingerprint=summary_fingerprint(result.summary),
        source=read.kind,
        prompt=prompt().version,
        problems=result.checked,
    )
    summary = result.summary

    def change(current: Paper | None) -> Paper:
        # The record may have changed while the model answered (a fetch refreshed the
        # votes): keep those changes, unless the summary was written meanwhile.
        if current is None or _summary_inputs(current) != _summary_inputs(paper):
            raise StoreError(
                str(record.path),
                "the summary or abstract changed while the "
                "summary was being written; left as it is (run again)",
            )
        return dataclasses.replace(current, summary=summary, summary_source=source)

    try:
        store.apply([Edit(record.path, change)])
    except StoreError as error:
        return Outcome(record, problem=error.reason, result=result, notes=read.notes)
    return Outcome(record, written=True, result=result, notes=read.notes)


def _summary_inputs(paper: Paper) -> tuple[object, ...]:
    """What a new summary is based on or replaces: when any of it changes, it is stale."""
    return paper.title, paper.abstract, paper.summary, paper.summary_source


_LABELS = (("summarised", "summarised"), ("skipped", "skipped"), ("failed", "failed"))


@dataclass
class Report:
    """The counts of a run, for the final line and the exit status."""

    #: Records by outcome: summarised, skipped, failed, not_attempted (after a fatal
    #: error) and left (beyond ``--max``).
    tally: Counter[str] = field(default_factory=Counter)
    tokens: int | None = None
    max_papers: int | None = None

    def line(self) -> str:
        parts = [counts(self.tally, _LABELS)]
        if self.tally["not_attempted"]:
            parts.append(f"{self.tally['not_attempted']} not attempted")
        if self.tally["left"]:
            parts.append(f"{self.tally['left']} left for a later run (--max {self.max_papers})")
        if self.tokens is not None:
            parts.append(f"{self.tokens:,} tokens used")
        return ", ".join(parts)


def run(
    store: Store,
    paths: Sequence[Path],
    settings: Settings | None,
    *,
    force: bool = False,
    force_human: bool = False,
    max_papers: int | None = None,
    quiet: bool = False,
    texts: FullTexts | None = None,
) -> int:
    """Summarise the records at ``paths`` (below the store's folder); print a report;
    return the exit status. ``quiet``: no progress, only problems and the closing line.
    ``texts``: where full texts come from (None: from the abstract alone).

    Without settings (no API key) nothing is asked and nothing fails: records keep
    Hugging Face's English fallback or no summary, and a note says how many.
    """
    records, broken = read_records(paths)
    glossary = read_glossary(store.data_dir)
    for problem in glossary.problems:
        click.echo(f"{problem} (left out of what the model is given)", err=True)
    for lines in broken.values():
        for line in lines:
            click.echo(line, err=True)
    if settings is None:
        _note_without_key(records)
        return 1 if broken else 0
    selection = select(records, force=force, force_human=force_human)
    try:  # before paying for any request
        store.check_writable({record.path.parent for record in selection.todo})
    except StoreError as error:
        click.echo(f"{error}; nothing was asked", err=True)
        return 1
    for note in selection.notes:
        click.echo(note, err=True)
    todo = selection.todo[:max_papers] if max_papers is not None else selection.todo
    report = Report(
        Counter(
            skipped=len(selection.skipped), failed=len(broken), left=len(selection.todo) - len(todo)
        ),
        max_papers=max_papers,
    )
    stop = threading.Event()
    stop_reason = None
    with (
        Summarizer(settings) as summarizer,
        Progress("summarize", len(todo), "paper", quiet=quiet) as progress,
    ):
        outcomes = run_bounded(
            todo,
            lambda r: summarise_one(r, summarizer, stop, store, texts, glossary),
            workers=WORKERS,
        )
        for _, outcome in outcomes:
            progress.advance()
            for note in outcome.notes:
                progress.echo(note)
            if outcome.result is not None and outcome.result.tokens is not None:
                report.tokens = (report.tokens or 0) + outcome.result.tokens
            if outcome.written:
                report.tally["summarised"] += 1
            elif outcome.stopped:
                report.tally["not_attempted"] += 1
            else:
                report.tally["failed"] += 1
                progress.echo(f"{outcome.record.path}: not summarised: {outcome.problem}")
                if outcome.result is not None and outcome.result.fatal:
                    stop_reason = outcome.problem
    if stop_reason:
        click.echo(f"stopped: every request would fail the same way: {stop_reason}", err=True)
    click.echo(report.line())
    return 1 if report.tally["failed"] or report.tally["not_attempted"] else 0


def _note_without_key(records: list[Record]) -> None:
    missing = [r.paper for r in records if r.paper.awaits_summary]
    fallback = sum(1 for p in missing if p.summary)
    message = (
        f"{ENV_API_KEY} is not set, so no summaries were written; "
        f"{len(missing)} of {len(records)} record(s) have no summary of ours yet"
    )
    if missing:
        message += (
            f" ({fallback} show Hugging Face's English ai_summary, "
            f"{len(missing) - fallback} none). Set {ENV_API_KEY} and {ENV_MODEL} "
            "to write them"
        )
    click.echo(message + ".", err=True)
