"""The archive as open data: an index of days, and each day's records as JSON.

Hugging Face's API has no archive of summaries; these files give one, under stable
paths (``api/days.json``, ``api/days/YYYY-MM-DD.json``), so others can build on the
archive without scraping the pages. A day's file holds the records of every paper
listed that day (a paper listed on two days is in both files), with exactly the record
fields and values of ``data/`` (documented on the record-format page) plus what the
site adds (:func:`Outputs.additions`): ``url``, the paper's address on the site, the
ids of its related papers and its authors' pages; dates are ``YYYY-MM-DD`` strings.
They are written at the end of the build, straight into the site, rather than handed
to MkDocs as files held in memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator.plugin import layout
from generator.plugin.archive import Archive
from generator.plugin.fingerprint import Fingerprints
from generator.records.model import Paper
from generator.records.rules import to_mapping

#: Bumped when a file's shape changes in a way a reader must know about (new keys are
#: not such a change).
FORMAT_VERSION = 1


def _json(document: Any) -> str:
    def encode(value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(f"not JSON: {type(value).__name__}")

    return json.dumps(document, ensure_ascii=False, default=encode, separators=(",", ":")) + "\n"


def open_data_paths(archive: Archive) -> list[str]:
    """Every open data file's path below the site."""
    return [layout.day_data(day.date) for day in archive.days] + [layout.DAYS_INDEX]


def write_open_data(
    archive: Archive,
    site_dir: Path,
    additions: Callable[[Paper], dict[str, object]],
    written: dict[dt.date, bytes] | None,
    fingerprints: Fingerprints,
    stale: Callable[[str, Sequence[Paper]], bool],
) -> None:
    """Write every open data file below ``site_dir``, one at a time: at 30,000 papers they
    are over 100 MB of text, which a build should not hold all at once.

    ``additions`` gives the keys the site adds to a paper's record. With ``written``
    (the fingerprints of the papers and additions each day's file was last written
    with, kept by the caller), a day whose papers and additions are the same is not
    written again, the file of a day no longer in the archive is removed, and
    ``written`` is brought up to date: for a site folder kept between builds (``mkdocs
    serve --dirty``). ``fingerprints`` makes them (:mod:`.fingerprint`). Before them,
    ``stale`` (a path and the papers of its file) may say a file is written already,
    which spares making its additions (:meth:`.emitters.Outputs.stale`).
    """
    if written is not None:
        for gone in set(written) - {day.date for day in archive.days}:
            (site_dir / layout.day_data(gone)).unlink(missing_ok=True)
            del written[gone]
    for day in archive.days:
        if not stale(layout.day_data(day.date), day.papers):
            continue
        entries = tuple((paper, additions(paper)) for paper in day.papers)
        key = fingerprints.of(entries) if written is not None else b""
        if written is not None and written.get(day.date) == key:
            continue
        document = {
            "version": FORMAT_VERSION,
            "date": day.date,
            "papers": [{**to_mapping(paper), **added} for paper, added in entries],
        }
        _write(site_dir / layout.day_data(day.date), document)
        if written is not None:
            written[day.date] = key
    index = {
        "version": FORMAT_VERSION,
        "days": [
            {"date": day.date, "papers": len(day.papers), "path": layout.day_data(day.date)}
            for day in archive.days
        ],
    }
    _write(site_dir / layout.DAYS_INDEX, index)


def _write(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_json(document), encoding="utf-8")
