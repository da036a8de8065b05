"""The archive as open data: an index of days, and each day's records as JSON.

Hugging Face's API has no archive of summaries; these files give one, under stable
paths (``api/days.json``, ``api/days/YYYY-MM-DD.json``), so others can build on the
archive without scraping the pages. A day's file holds the records of every paper
listed that day (a paper listed on two days is in both files), with exactly the record
fields and values of ``data/`` (documented on the record-format page); dates are
``YYYY-MM-DD`` strings.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from generator.plugin import layout
from generator.plugin.archive import Archive
from generator.records.yamlio import to_mapping

#: Bumped when a file's shape changes in a way a reader must know about.
FORMAT_VERSION = 1


def _json(document: Any) -> str:
    def encode(value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(f"not JSON: {type(value).__name__}")

    return json.dumps(document, ensure_ascii=False, default=encode, separators=(",", ":")) + "\n"


def open_data_files(archive: Archive) -> dict[str, str]:
    """Every open data file's text by its path below the site."""
    files = {
        layout.day_data(day.date): _json(
            {
                "version": FORMAT_VERSION,
                "date": day.date,
                "papers": [to_mapping(paper) for paper in day.papers],
            }
        )
        for day in archive.days
    }
    files[layout.DAYS_INDEX] = _json(
        {
            "version": FORMAT_VERSION,
            "days": [
                {"date": day.date, "papers": len(day.papers), "path": layout.day_data(day.date)}
                for day in archive.days
            ],
        }
    )
    return files
