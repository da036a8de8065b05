"""Reading a built Pagefind bundle back, to test what the site's search index holds.

Pagefind writes one gzip-compressed fragment per record (``pagefind/fragment/*``): the
record's URL, its indexed text, its metadata, filters and sort keys, as JSON after a
``pagefind_dcd`` signature. The browser reads the same files; so do these tests.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def fragments(site: Path) -> list[dict[str, Any]]:
    """Every record of the site's search index, in no particular order."""
    found = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), f"{path}: not a Pagefind fragment"
        found.append(json.loads(data[len(SIGNATURE) :]))
    return found


def by_url(site: Path) -> dict[str, dict[str, Any]]:
    """The records keyed by the URL the search page links to (their ``url`` metadata)."""
    return {record["meta"]["url"]: record for record in fragments(site)}
