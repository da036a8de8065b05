"""Shared test helpers: where the optional reference material lives."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _find_reference(start: Path) -> Path:
    """The nearest ``shared/reference`` beside the checkout or one of its parents.

    The material sits at ``../shared/reference`` next to the main checkout; a git worktree
    lives one or more folders deeper, so look upwards instead of at one fixed place.
    """
    for folder in (start, *start.parents):
        candidate = folder / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return start.parent / "shared" / "reference"


#: Real API responses and legacy digests, present on the developers' machines only.
SHARED_REFERENCE = _find_reference(REPO.parent)


@pytest.fixture
def shared_reference() -> Path:
    """The shared reference folder; tests using it skip cleanly when it is absent."""
    if not SHARED_REFERENCE.is_dir():
        pytest.skip(f"reference material not found at {SHARED_REFERENCE}")
    return SHARED_REFERENCE
