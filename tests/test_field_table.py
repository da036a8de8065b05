"""The field table drives the dump and the merges: a key added to it is written, read
and merged without any other change, and each owner's rule holds for every key."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sitebuild import sample_papers

from generator.fetch import merge as fetch_merge
from generator.records.fields import is_empty
from generator.records.model import Organization, Paper
from generator.records.rules import FIELDS, FIELDS_BY_KEY, check_record, dump, merge, to_mapping

SAMPLE = sample_papers()[0]
FULL = dataclasses.replace(  # every key set
    SAMPLE, categories=["cs.CL"], author_accounts={SAMPLE.authors[0]: "first-author"}
)


def other_values(paper: Paper) -> Paper:
    """``paper`` with a different value in every key a source or a person owns."""
    return dataclasses.replace(
        paper,
        title=paper.title + " (new)",
        authors=["Someone Else"],
        author_accounts={"Someone Else": "someone-else"},
        votes=(paper.votes or 0) + 100,
        comments=(paper.comments or 0) + 5,
        published=dt.date(2020, 1, 1),
        links={"github": "https://github.com/other/code"},
        code_stars=999,
        organization=Organization("other-lab", "Other Lab"),
        categories=["cs.CV", "cs.LG"],
        thumbnail="https://cdn.example.org/other.png",
        media=[],
        keywords=["other"],
        abstract="Another abstract.",
    )


def test_the_in_memory_record_has_exactly_the_tables_keys() -> None:
    names = [f.name for f in dataclasses.fields(Paper) if f.name != "extra"]
    assert sorted(names) == sorted(FIELDS_BY_KEY)


def test_the_dump_follows_the_table_and_reads_back() -> None:
    data = to_mapping(FULL)
    assert list(data) == [f.key for f in FIELDS if f.key in data]
    paper, problems = check_record(dump(FULL).encode(), FULL.relative_path().as_posix())
    assert problems == [] and paper == FULL


def test_optional_keys_that_say_nothing_are_left_out_and_required_ones_kept() -> None:
    bare = Paper(id=FULL.id, date=FULL.date, title=FULL.title)
    data = to_mapping(bare)
    assert list(data) == [f.key for f in FIELDS if f.required]
    assert data["votes"] is None and data["summary"] == [] and data["authors"] == []


@pytest.mark.parametrize("rule", [f for f in FIELDS if f.owner == "source"], ids=lambda f: f.key)
def test_a_source_key_is_refreshed_by_fetch_and_only_filled_by_import(rule) -> None:
    incoming = other_values(FULL)
    new, old = getattr(incoming, rule.key), getattr(FULL, rule.key)
    refreshed = getattr(merge(FULL, incoming, refresh=True), rule.key)
    filled = getattr(merge(FULL, incoming, refresh=False), rule.key)
    if rule.key == "links":  # link by link: one only the record has is kept
        assert refreshed == {**old, **new} and filled == {**new, **old}
        return
    # Refreshed when the API gives a value (one it leaves out keeps the record's);
    # filled in only where the record has none.
    assert refreshed == (old if is_empty(new) else new)
    assert filled == (new if is_empty(old) else old)
    assert not is_empty(new) or rule.key == "media", "other_values leaves a key unset"


@pytest.mark.parametrize("rule", [f for f in FIELDS if f.owner != "source"], ids=lambda f: f.key)
def test_other_keys_are_never_replaced_by_a_merge(rule) -> None:
    incoming = other_values(FULL)
    for refresh in (True, False):
        assert getattr(merge(FULL, incoming, refresh=refresh), rule.key) == getattr(FULL, rule.key)


def test_whether_the_author_list_is_complete_goes_with_the_list() -> None:
    lacking = dataclasses.replace(FULL, authors=[], authors_incomplete=False)
    incoming = dataclasses.replace(FULL, authors=["A", "B"], authors_incomplete=True)
    merged = merge(lacking, incoming, refresh=False)
    assert (merged.authors, merged.authors_incomplete) == (["A", "B"], True)
    kept = merge(FULL, incoming, refresh=True)
    assert (kept.authors, kept.authors_incomplete) == (FULL.authors, FULL.authors_incomplete)


def test_fetch_completes_an_author_list_cut_short() -> None:
    cut = dataclasses.replace(FULL, authors=FULL.authors[:1], authors_incomplete=True)
    merged = fetch_merge(cut, FULL)
    assert (merged.authors, merged.authors_incomplete) == (FULL.authors, False)
