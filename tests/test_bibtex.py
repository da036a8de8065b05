"""A paper's BibTeX entry: arXiv's shape, and no record text that breaks out of a field."""

from __future__ import annotations

import datetime as dt

import bibtexparser
import pytest

from generator.plugin.bibtex import entry, escape, key, year
from generator.records.model import Paper

PAPER = Paper(
    id="2402.08093",
    date=dt.date(2024, 2, 14),
    title="Attention Is All You Need",
    authors=["Ashish Vaswani", "Noam Shazeer"],
    categories=["cs.CL", "cs.LG"],
)


def parsed(text: str) -> list[dict[str, str]]:
    return list(bibtexparser.loads(text).entries)


def test_an_entry_is_what_arxiv_gives() -> None:
    (found,) = parsed(entry(PAPER))
    assert found == {
        "ENTRYTYPE": "misc",
        "ID": "vaswani2024attention",
        "title": "Attention Is All You Need",
        "author": "Ashish Vaswani and Noam Shazeer",
        "year": "2024",
        "eprint": "2402.08093",
        "archiveprefix": "arXiv",
        "primaryclass": "cs.CL",
        "url": "https://arxiv.org/abs/2402.08093",
    }


def test_the_year_is_the_publication_s_else_the_id_s_else_the_day_s() -> None:
    assert year(PAPER) == 2024
    assert year(Paper(id="2312.00001", date=dt.date(2024, 1, 2), title="x")) == 2023
    published = Paper(
        id="2312.00001", date=dt.date(2024, 1, 2), title="x", published=dt.date(2022, 5, 1)
    )
    assert year(published) == 2022
    assert year(Paper(id="odd-id", date=dt.date(2024, 1, 2), title="x")) == 2024


def test_keys_are_ascii_and_fall_back_to_the_id() -> None:
    assert (
        key(
            Paper(
                id="2402.00001",
                date=PAPER.date,
                title="The Ørsted Effect",
                authors=["Zoë Ångström"],
            )
        )
        == "angstrom2024orsted"
    )
    assert (
        key(Paper(id="2402.00001", date=PAPER.date, title="한국어 제목", authors=["김철수"]))
        == "arxiv2402.00001"
    )
    assert key(Paper(id="2402.00001", date=PAPER.date, title="A Study")) == "arxiv2402.00001"


def test_no_primary_class_without_categories() -> None:
    (found,) = parsed(entry(Paper(id="2402.00001", date=PAPER.date, title="x y", authors=["A B"])))
    assert "primaryclass" not in found


HOSTILE = [
    "Close} , note = {injected",
    "Brace {{{ never closed",
    r"Backslash \end{document} \\ and \{escaped\}",
    "Percent 100% comments % out",
    "<script>alert(1)</script> & $math$ #1 _x_ ^y ~z",
    "Bidi \u202eevil\u202c and \u2066isolate\u2069 and zero\u200bwidth",
    "Line\nbreak\tand  spaces",
    "@misc{other, title={second entry}}",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_text_stays_inside_its_field(title: str) -> None:
    paper = Paper(
        id="2402.00002",
        date=PAPER.date,
        title=title,
        authors=[title, "R&D and Ops, Inc", "Plain Name"],
        categories=["cs.CL"],
    )
    text = entry(paper)
    assert text.count("{") == text.count("}")
    assert not any(char in text for char in "\u202e\u202c\u2066\u2069\u200b\t")
    (found,) = parsed(text)
    assert set(found) == {
        "ENTRYTYPE",
        "ID",
        "title",
        "author",
        "year",
        "eprint",
        "archiveprefix",
        "primaryclass",
        "url",
    }
    assert found["eprint"] == "2402.00002" and found["url"] == "https://arxiv.org/abs/2402.00002"
    assert found["title"] == escape(title)
    # Three authors: the name with "and" and a comma is kept whole.
    assert found["author"].count(" and ") - escape(title).count(" and ") == 3
    assert "{R\\&D and Ops, Inc}" in found["author"]


def test_every_special_character_is_escaped_once() -> None:
    assert escape(r"a\b{c}%&#$_^~") == (
        r"a\textbackslash{}b\textbraceleft{}c\textbraceright{}\%\&\#\$\_\^{}\~{}"
    )
