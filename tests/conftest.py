"""Shared test helpers: where the optional reference material lives; a quiet Material."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reference import find_reference

REPO = Path(__file__).resolve().parent.parent

# Material prints an end-of-life notice about MkDocs 2.0 on every build; every build the
# tests start (in this process or a child) is quieter without it (see README.md).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# fetch asks arXiv for categories after writing a day; the tests that mean to talk to
# arXiv point it at tests/arxiv_server.py, and no other may reach for the real one.
os.environ.setdefault("DAILY_PAPERS_ARXIV_URL", "off")


#: Real API responses and legacy digests, present on the developers' machines only.
SHARED_REFERENCE = find_reference(REPO.parent)


@pytest.fixture(autouse=True)
def own_state_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test its own state folder (arXiv's pace shared by commands, generator.pace):
    a test must not wait for the slot another test's request took."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("DAILY_PAPERS_STATE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def summaries_from_the_abstract(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run offline: ``summarize`` reads no full text from arXiv unless a test
    gives it a local server (tests/test_fulltext.py, with ``--source fulltext``)."""
    monkeypatch.setenv("DAILY_PAPERS_SUMMARY_SOURCE", "abstract")


@pytest.fixture
def shared_reference() -> Path:
    """The shared reference folder; tests using it skip cleanly when it is absent."""
    if not SHARED_REFERENCE.is_dir():
        pytest.skip(f"reference material not found at {SHARED_REFERENCE}")
    return SHARED_REFERENCE
