"""Bringing Daily Papers days from the Hugging Face API into ``data/``.

For each date: download every page of the list, map it to records (:mod:`generator.hfapi`),
merge each with the record already on disk, check every merged record exactly as
``daily-papers validate`` would, and only then write. A date whose answer is broken in
any way writes nothing, so a bad day upstream never damages what we have.

Merging is where people and the API meet: the API owns the numbers and links that change
over a day (votes, comments, media, links, keywords, thumbnail), people own what they may
have edited (summary, title, authors). Nothing here knows about click, so ``summarize``
can run after ``fetch`` on the dates it returns.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from generator.batch import run_bounded
from generator.hfapi import ApiFormatError, item_id, item_list, parse_day
from generator.http import Client, HTTPFailure
from generator.progress import Progress
from generator.records import rules
from generator.records.model import Paper, add_listing
from generator.records.store import Edit, Store, StoreError
from generator.tally import counts, plural, total

DEFAULT_API_URL = "https://huggingface.co/api/daily_papers"
#: What the API returns when not asked for more; a page this long means "ask for the next".
PAGE_SIZE = 50
#: No real day comes near this many papers; more pages means the server ignores ``p``.
MAX_PAGES = 20
#: The anonymous limit is about 500 requests per 5 minutes; stay clear of it.
RATE_LIMIT = (450, 300.0)
DEFAULT_WORKERS = 4
#: The longest refresh window ``--refresh-days`` allows: votes settle within days, and
#: a window of two months is still only about 60 requests (one a day).
MAX_REFRESH_DAYS = 60
#: Seconds one date may take, all its pages and retries together.
DAY_DEADLINE = 600.0
_LABELS = (("new", "new"), ("updated", "updated"), ("unchanged", "unchanged"))


class FetchError(Exception):
    """Why one date could not be fetched or written; the message is for a person."""


@dataclass
class DayResult:
    """What fetching one date did; ``error`` is set when nothing was written for it."""

    date: dt.date
    #: Records by outcome: ``new``, ``updated``, ``unchanged``.
    tally: Counter[str] = field(default_factory=Counter)
    #: The records of the papers listed that day (for commands that continue from here).
    paths: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def line(self) -> str:
        """The one line of output for this date."""
        if self.error is not None:
            return f"{self.date}: error: {self.error}"
        if not self.tally.total():
            return f"{self.date}: no papers listed (a weekend, or the list is not out yet)"
        return f"{self.date}: {_report(self.tally)}"


def _report(tally: Counter[str]) -> str:
    return f"{plural(tally.total(), 'paper')} ({counts(tally, _LABELS)})"


def summary_line(results: Sequence[DayResult]) -> str:
    """The final line for several dates: totals, and which dates failed."""
    failed = [r for r in results if r.error is not None]
    if failed:
        dates = ", ".join(str(r.date) for r in failed)
        return f"{len(failed)} of {len(results)} dates failed: {dates}"
    return f"{len(results)} dates: {_report(total(r.tally for r in results))}"


def refresh_line(results: Sequence[DayResult]) -> str:
    """The line for the days refreshed before the first date fetched: how many of their
    records changed (votes, comments and stars keep rising after a listing)."""
    done = [r for r in results if r.error is None]
    tally = total(r.tally for r in done)
    changed = tally["new"] + tally["updated"]
    text = (
        f"refreshed {plural(len(results), 'earlier day')} ({results[0].date} to "
        f"{results[-1].date}): {plural(changed, 'record')} changed ({_report(tally)})"
    )
    if len(done) < len(results):
        text += f"; {len(results) - len(done)} could not be refreshed, the next run tries again"
    return text


def api_client(timeout: float = 30.0, deadline: float | None = None, **options: Any) -> Client:
    """The client for the API: its rate limit, ``timeout`` for each wait and ``deadline``
    for a whole request (default: ten times ``timeout``)."""
    return Client(timeout=timeout, deadline=deadline, rate_limit=RATE_LIMIT, **options)


def fetch_dates(
    dates: Sequence[dt.date],
    data_dir: Path,
    client: Client,
    *,
    api_url: str = DEFAULT_API_URL,
    workers: int = DEFAULT_WORKERS,
    quiet: bool = False,
) -> list[DayResult]:
    """Fetch each date into ``data_dir``; one failing date never stops the others.

    All dates share the client (and so its rate limit); results come in input order.
    A range shows how far it has come (``quiet``: not).
    """
    store = Store(data_dir)

    def work(date: dt.date) -> DayResult:
        return fetch_day(client, date, store, api_url=api_url)

    results = []
    with Progress("fetch", len(dates), "day", quiet=quiet) as progress:
        for _, result in run_bounded(list(dates), work, workers=workers):
            progress.advance()
            results.append(result)
    return results


def fetch_day(
    client: Client,
    date: dt.date,
    store: Store,
    *,
    api_url: str = DEFAULT_API_URL,
) -> DayResult:
    """Fetch one date and write its records; failures come back in ``error``, not raised."""
    result = DayResult(date)
    try:
        items = download(client, date, api_url=api_url)
        day = parse_day(items, date)
        result.warnings.extend(day.warnings)
        _write_day(day.papers, store, result)
    except ApiFormatError as error:
        result.error = error.detail
    except (HTTPFailure, FetchError) as error:
        result.error = str(error)
    return result


def download(client: Client, date: dt.date, *, api_url: str = DEFAULT_API_URL) -> list[Any]:
    """Every item the API lists for ``date``, asking page after page while pages are full.

    All the pages of a date share one deadline, :data:`DAY_DEADLINE`.
    """
    until = client.clock.now() + DAY_DEADLINE
    items: list[Any] = []
    seen: set[str] = set()
    for page in range(MAX_PAGES):
        params = {"date": date.isoformat(), "p": page, "limit": PAGE_SIZE}
        response = client.request("GET", api_url, params=params, until=until, accept=_json_problem)
        batch = item_list(json.loads(response.content), date)
        ids = [item_id(item) for item in batch]
        if page and batch and all(i is not None and i in seen for i in ids):
            return items  # the server ignored ``p`` and sent the same page again
        seen.update(i for i in ids if i is not None)
        items.extend(batch)
        if len(batch) < PAGE_SIZE:
            return items
    raise FetchError(
        f"the API kept sending full pages after {MAX_PAGES * PAGE_SIZE} papers; "
        "stopped (does the server honour the p parameter?)"
    )


def _json_problem(response: httpx.Response) -> str | None:
    """Why an answer is not the API's JSON (an HTML error page, a body cut short), or
    None. Such an answer is retried like a 5xx: the next one is usually fine."""
    try:
        json.loads(response.content)
    except ValueError as error:
        start = response.content[:40].decode("utf-8", "replace")
        shown = f"; it starts with {start!r}" if start.strip() else "; the body is empty"
        return f"the API answer is not JSON ({error}){shown}"
    return None


# --- merging with what is on disk ----------------------------------------------------


def merge(existing: Paper | None, fetched: Paper) -> Paper:
    """The record to keep: upstream facts refreshed, a person's edits untouched.

    The field table says which keys the API owns (:func:`generator.records.rules.merge`):
    those are refreshed whenever the API gives a value, and a field it leaves out keeps
    what the record has (an imported thumbnail, a link someone added), so fetching never
    empties a record. On top of that: an author list known to be cut short is replaced
    by the API's full one, a summary still awaited takes the API's English fallback, and
    a paper the record keeps under another day is also listed on the fetched one.
    """
    if existing is None:
        return fetched
    merged = rules.merge(add_listing(existing, fetched.date), fetched, refresh=True)
    if existing.authors_incomplete and fetched.authors:
        merged.authors, merged.authors_incomplete = list(fetched.authors), False
    if fetched.summary_source is not None and existing.awaits_summary:
        merged.summary = list(fetched.summary)
        merged.summary_source = fetched.summary_source
    return merged


def _write_day(papers: list[Paper], store: Store, result: DayResult) -> None:
    """Merge each paper into its record and write them all, or (on any problem) none.

    Under the data folder's lock, so where each paper is recorded cannot change in
    between: a paper already recorded under another day (listed twice, or a record
    imported from a digest) is merged into that record, which then lists this day too.
    """
    if not papers:
        return
    try:
        with store.locked():
            edits = []
            for fetched in papers:
                path = store.where(fetched.id) or store.path(fetched)
                result.paths.append(path)
                edits.append(Edit(path, functools.partial(merge, fetched=fetched)))
            result.tally.update(store.apply(edits))
    except StoreError as error:
        raise FetchError(str(error)) from None
