"""Writing records in tests: through the store, exactly as the commands write them."""

from __future__ import annotations

from pathlib import Path

from generator.records.model import Paper
from generator.records.store import Store


def write(paper: Paper, data_dir: Path) -> Path:
    """Write ``paper`` below ``data_dir`` (replacing its record); returns the file's path."""
    store = Store(data_dir)
    store.put([paper])
    return store.path(paper)
