"""Fingerprints stand for what a page was made from under ``mkdocs serve``: equal values
must have equal fingerprints, and any change a page could show must change them."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import weakref

import pytest
from sitebuild import sample_papers

from generator.plugin import messages
from generator.plugin.cards import Card, CardSettings, make_card
from generator.plugin.directory import Directory
from generator.plugin.fingerprint import Fingerprints
from generator.plugin.kinds.base import Links, Target, View
from generator.records.model import Paper


def directory() -> Directory:
    found = Directory()
    found.add("papers/a.md", "papers/a/")
    return found


def view(paper: Paper, here: str = "papers/a/", label: str = "이전 논문") -> View:
    """A page's view as kinds make them: records, cards, links and made-up values."""
    t = messages.load("ko", {})
    card = make_card(paper, CardSettings(3, None, t))
    return View(
        "paper.html",
        {
            "paper": paper,
            "card": card,
            "link": Links(directory(), here),
            "previous": Target("../b/", label),
            "listed": [(dt.date(2024, 2, 13), "2024년 2월 13일")],
        },
        t,
    )


def test_equal_values_made_alike_have_equal_fingerprints() -> None:
    paper = sample_papers()[1]
    made = view(paper)
    assert Fingerprints().of(made) == Fingerprints().of(view(copy.deepcopy(paper)))
    assert Fingerprints().of(made) == Fingerprints().of(copy.deepcopy(made))


@pytest.mark.parametrize(
    "field", [f.name for f in dataclasses.fields(Paper) if f.name not in ("id",)]
)
def test_every_field_of_a_record_changes_the_fingerprint(field: str) -> None:
    paper = sample_papers()[2]
    edited = copy.deepcopy(paper)
    value = getattr(edited, field)
    if isinstance(value, str):
        changed: object = value + " edited"
    elif isinstance(value, bool):
        changed = not value
    elif isinstance(value, int):
        changed = value + 1
    elif isinstance(value, dt.date):
        changed = value + dt.timedelta(days=1)
    elif isinstance(value, list):
        changed = [*value, value[0]] if value else ["added"]
    elif isinstance(value, dict):
        changed = {**value, "added": "https://example.org/"}
    elif value is None:
        changed = "set"
    else:
        changed = dataclasses.replace(value, **{dataclasses.fields(value)[0].name: "other"})
    setattr(edited, field, changed)
    assert edited != paper
    assert Fingerprints().of((paper,)) != Fingerprints().of((edited,))


def test_what_a_page_prints_besides_records_changes_the_fingerprint() -> None:
    paper = sample_papers()[0]
    before = Fingerprints().of(view(paper))
    assert Fingerprints().of(view(paper, label="다른 논문")) != before
    assert Fingerprints().of(view(paper, here="papers/b/")) != before
    t = messages.load("ko", {"related_title": "비슷한 논문"})
    assert Fingerprints().of(dataclasses.replace(view(paper), messages=t)) != before


def test_what_equality_leaves_out_is_left_out() -> None:
    paper = sample_papers()[2]
    fresh = view(paper)
    used = view(paper)
    card, link = used.context["card"], used.context["link"]
    assert isinstance(card, Card) and isinstance(link, Links)
    assert card.image is not None  # the card's cached picture, filled
    link.page("papers/a.md")  # its folders, cached
    assert Fingerprints().of(fresh) == Fingerprints().of(used)


def test_a_rebuild_encodes_a_record_read_again_and_keeps_the_others() -> None:
    """Under serve a changed file is read into a new record; the others are the same
    objects, whose digests are kept while a rebuild still uses them."""
    first, second = sample_papers()[:2]
    fingerprints = Fingerprints()
    before = fingerprints.of([first, second])
    fingerprints.start()
    edited = dataclasses.replace(first, votes=(first.votes or 0) + 1)
    assert fingerprints.of([edited, second]) != before
    fingerprints.start()
    assert fingerprints.of([copy.deepcopy(first), second]) == before
    gone = copy.deepcopy(first)
    fingerprints.of([gone])
    kept = weakref.ref(gone)
    del gone
    fingerprints.start()
    assert kept() is not None  # kept while the next rebuild may still use it
    fingerprints.start()
    assert kept() is None  # a rebuild that did not use it lets it go
