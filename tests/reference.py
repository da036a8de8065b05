"""Where the optional reference material (real digests and API answers) is looked for."""

from __future__ import annotations

from pathlib import Path


def find_reference(start: Path) -> Path:
    """The nearest ``shared/reference`` beside the checkout or one of its parents.

    The material sits at ``../shared/reference`` next to the main checkout; a git worktree
    lives one or more folders deeper, so look upwards instead of at one fixed place.
    """
    for folder in (start, *start.parents):
        candidate = folder / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return start / "shared" / "reference"  # the usual place, named when it is missing
