"""A page per author: names matched however they are written, readable and unique slugs
that stay put, each author's page listing exactly their papers, the index, and names on
cards and paper pages linking to their pages (under the site's subpath, as CI builds)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import unicodedata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sitebuild import SITE_URL, build_site, make_project, read_page, sample_papers

from generator.plugin import layout
from generator.plugin.authors import (
    COAUTHOR_LIST,
    AuthorPapers,
    AuthorsCache,
    author_key,
    find_authors,
    most,
    slug_of,
)
from generator.plugin.directory import Directory
from generator.plugin.kinds.authors import coauthor_slugs
from generator.plugin.kinds.base import Links
from generator.records.model import Paper

BASE = sample_papers()


def papers_with(authors: list[list[str]], start: dt.date = dt.date(2024, 3, 4)) -> list[Paper]:
    """One sample paper per author list, a day apart, each with an id of its own."""
    made = []
    for index, names in enumerate(authors):
        date = start + dt.timedelta(days=index)
        paper_id = f"{date:%y%m}.{20000 + index:05d}"
        made.append(
            dataclasses.replace(
                BASE[index % len(BASE)],
                id=paper_id,
                date=date,
                also_listed=[],
                title=f"Paper {index} by {names[0] if names else 'nobody'}",
                authors=names,
                links={},
            )
        )
    return made


def test_a_name_written_in_other_unicode_forms_case_or_spacing_is_one_author() -> None:
    composed = "José Ángel Núñez"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    spellings = [
        composed,
        decomposed,
        "JOSÉ ÁNGEL NÚÑEZ",
        "  José   Ángel Núñez ",
        "Ｊｏｓé Ángel Núñez",
    ]
    assert len({author_key(name) for name in spellings}) == 1
    assert author_key("Jun-Yan Zhu") != author_key("Junyan Zhu")  # names, not people


def test_slugs_read_as_the_name_and_stay_short() -> None:
    assert slug_of(author_key("José Ángel Núñez")) == "jose-angel-nunez"
    assert slug_of(author_key("Fahad S. Khan")) == "fahad-s-khan"
    # A name in a script without Latin letters: a stable short hash, never empty.
    korean = slug_of(author_key("김철수"))
    assert korean.startswith("author-") and korean == slug_of(author_key("김철수"))
    long = slug_of(author_key(" ".join(["Verylongname"] * 40)))
    assert len(long) <= 60 and not long.endswith("-")


def test_an_authors_page_lists_exactly_their_papers_each_paper_once() -> None:
    papers = papers_with(
        [
            ["Ada Lovelace", "Grace Hopper"],
            ["ada lovelace", "Alan Turing"],
            ["Ada  Lovelace", "Ada Lovelace"],  # the same name twice on one paper
            ["Grace Hopper"],
            ["Alan Turing", "ADA LOVELACE"],
        ]
    )
    authors = find_authors(papers, minimum=3)
    assert [a.name for a in authors.pages] == ["Ada Lovelace"]
    ada = authors.pages[0]
    assert [p.id for p in ada.papers] == [papers[i].id for i in (4, 2, 1, 0)]
    assert authors.counts[author_key("Grace Hopper")] == 2


def test_co_authors_most_papers_together_first_named_as_their_newest_paper_writes() -> None:
    crowd = [f"Member {n}" for n in range(COAUTHOR_LIST)]
    papers = papers_with(
        [
            ["Ada Lovelace", "grace hopper", "Alan Turing"],
            ["Ada Lovelace", "Grace Hopper", "Barbara Liskov"],
            ["Ada Lovelace", "Grace Hopper", "Edsger Dijkstra"],
            ["Ada Lovelace", "GRACE HOPPER", "BARBARA LISKOV"],
            ["Ada Lovelace", "Alan Turing", *crowd],  # a collaboration: not counted
            ["Solo Author"],
            ["Solo Author", *crowd],
            ["Solo Author", *crowd],
        ]
    )
    authors = find_authors(papers, minimum=3)
    ada = authors.by_key[author_key("Ada Lovelace")]
    directory = Directory()
    for author in authors.pages:
        directory.add(layout.author(author.slug), f"authors/{author.slug}/")
    link = Links(directory, "authors/ada-lovelace/")

    def linked(author: AuthorPapers) -> list[tuple[str, str | None, int]]:
        return [
            (name, link.page(layout.author(slug)) if slug else None, count)
            for (_, name, count), slug in zip(
                author.coauthors, coauthor_slugs(author, authors), strict=True
            )
        ]

    # Most papers together first, ties by name; the collaboration left out. Grace has a
    # page (its name and link); the others are named as their newest paper with Ada
    # writes them.
    assert linked(ada) == [
        ("Grace Hopper", "../grace-hopper/", 4),
        ("BARBARA LISKOV", None, 2),
        ("Alan Turing", None, 1),
        ("Edsger Dijkstra", None, 1),
    ]
    # An author whose other papers are all collaborations has nobody to name.
    solo = authors.by_key[author_key("Solo Author")]
    assert coauthor_slugs(solo, authors) == ()


@pytest.mark.parametrize("n", [1, 3, 4, 6, 9, 20])
def test_most_keeps_the_highest_counts_ties_by_key_across_the_cut(n: int) -> None:
    # Ties at the n-th count are cut by key; counts above it are all kept.
    counts = {"e": 5, "b": 3, "d": 3, "a": 3, "c": 1, "f": 5, "g": 1, "h": 3, "i": 2}
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
    assert most(counts, n) == expected


def test_serve_counts_authors_again_only_when_a_byline_changed() -> None:
    papers = papers_with([["Ada Lovelace"], ["Ada Lovelace", "Grace Hopper"], ["ada lovelace"]])
    cache = AuthorsCache()
    first = cache.find(papers, 3, keep=True)
    assert first == find_authors(papers, 3)
    # A title edit: the last count, bound to the edited record.
    edited = [dataclasses.replace(papers[0], title="A new title"), *papers[1:]]
    again = cache.find(edited, 3, keep=True)
    assert again.counts is first.counts
    assert again.pages[0].papers[-1].title == "A new title"
    assert again == find_authors(edited, 3)
    # An account, then an author, edited: counted again, as a build would count them.
    account = [
        *edited[:2],
        dataclasses.replace(edited[2], author_accounts={"ada lovelace": "ada-hub"}),
    ]
    counted = cache.find(account, 3, keep=True)
    assert counted.pages[0].account == "ada-hub" and counted == find_authors(account, 3)
    renamed = [*account[:2], dataclasses.replace(account[2], authors=["Grace Hopper"])]
    assert cache.find(renamed, 3, keep=True) == find_authors(renamed, 3)
    assert find_authors(renamed, 3).pages == ()
    # A build keeps nothing for the next.
    assert cache.find(papers, 3, keep=False) == first
    assert cache.find(edited, 3, keep=False).counts is not first.counts


def test_two_names_making_one_slug_both_get_pages_and_keep_their_addresses() -> None:
    # "Wei Li" reached three papers first; "Wei-Li" later, so it takes "-2", and keeps
    # it when more of Wei Li's or of its own older papers come.
    early = papers_with([["Wei Li"]] * 3, start=dt.date(2024, 1, 1))
    late = papers_with([["Wei-Li"]] * 3, start=dt.date(2024, 6, 1))
    slugs = {a.name: a.slug for a in find_authors(early + late, 3).pages}
    assert slugs == {"Wei Li": "wei-li", "Wei-Li": "wei-li-2"}
    # An older paper of Wei-Li's found later does not move the slugs: pages are ordered
    # by the day an author's page came to be, their third paper's day.
    older = papers_with([["Wei-Li"]], start=dt.date(2023, 1, 1))
    again = {a.name: a.slug for a in find_authors(early + late + older, 3).pages}
    assert again == slugs


def test_lists_and_slugs_are_the_same_in_any_order_of_records() -> None:
    papers = papers_with([["B One", "A Two"], ["A Two", "B One"], ["B One"], ["A Two"]])
    first = find_authors(papers, 2)
    second = find_authors(list(reversed(papers)), 2)
    assert first.pages == second.pages


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_folders_page_written_beside_another_gets_its_own_address(
    tmp_path: Path, directory_urls: bool
) -> None:
    from mkdocs.structure.files import File

    first = File("authors/ada/index.md", str(tmp_path), str(tmp_path / "site"), directory_urls)
    url, dest = Directory().add_like(first, "authors/grace-hopper/index.md")
    if directory_urls:
        assert (url, dest) == ("authors/grace-hopper/", "authors/grace-hopper/index.html")
    else:
        assert (url, dest) == ("authors/grace-hopper/index.html",) * 2


def _resolve(page_url: str, href: str) -> str:
    """A link's target as a path below the site's root (the site lives under a path)."""
    target = urlsplit(urljoin(urljoin(SITE_URL, page_url), href)).path
    root = urlsplit(SITE_URL).path
    assert target.startswith(root), f"{href} from {page_url} leaves the site"
    return target[len(root) :]


def test_author_pages_their_index_and_links_from_cards_and_paper_pages(tmp_path: Path) -> None:
    many = [f"Coauthor {n}" for n in range(9)]
    papers = papers_with(
        [
            ["Ada Lovelace", "Grace Hopper", *many],  # Ada is folded behind "+N" here
            [*many[:6], "Ada Lovelace"],
            ["ADA LOVELACE", "Grace Hopper"],
            ["Grace Hopper"],
            ["Nobody Else"],
        ]
    )
    site = build_site(
        make_project(tmp_path, papers, {"author_pages_min": 3}, strict=True), tmp_path / "site"
    )
    index = read_page(site, "authors/")
    listed = {a.text.strip(): a.attrs["href"] for a in index.find("a") if a.in_content}
    assert listed["Ada Lovelace"] == "ada-lovelace/"
    assert listed["Grace Hopper"] == "grace-hopper/"
    assert "Coauthor 1" not in listed  # two papers: no page at a minimum of three

    ada = read_page(site, "authors/ada-lovelace/")
    content = ada.content()
    titles = [a.text for a in ada.find("a") if a.in_content and a.text.startswith("Paper ")]
    assert titles == [f"Paper {i} by {papers[i].authors[0]}" for i in (2, 1, 0)]
    assert "Grace Hopper" in content.text and "Coauthor 3" in content.text
    grace = [a for a in ada.find("a") if a.text == "Grace Hopper"]
    assert grace and _resolve("authors/ada-lovelace/", grace[0].attrs["href"] or "") == (
        "authors/grace-hopper/"
    )

    # Every name with a page links to it: on the day page's card (the folded ones too)
    # and on the paper's page, and each link arrives at a page that exists.
    for url in (f"{papers[0].date:%Y/%m/%d}/", f"papers/{papers[0].id}/"):
        page = read_page(site, url)
        links = {
            a.text: _resolve(url, a.attrs["href"] or "")
            for a in page.find("a")
            if a.text in ("Ada Lovelace", "Grace Hopper", "Coauthor 0")
        }
        assert links == {
            "Ada Lovelace": "authors/ada-lovelace/",
            "Grace Hopper": "authors/grace-hopper/",
        }
        for target in links.values():
            assert (site / target / "index.html").is_file()

    # The open data gives each author entry its page's address, None for one without;
    # a paper none of whose authors has a page has no such list.
    days = site / "api" / "days"
    records = {
        r["id"]: r
        for p in papers
        for r in json.loads((days / f"{p.date}.json").read_text())["papers"]
    }
    urls = records[papers[0].id]["author_urls"]
    assert urls == [
        f"{SITE_URL}authors/ada-lovelace/",
        f"{SITE_URL}authors/grace-hopper/",
        *[None] * len(many),
    ]
    assert records[papers[3].id]["author_urls"] == [f"{SITE_URL}authors/grace-hopper/"]
    assert "author_urls" not in records[papers[4].id]


def test_no_author_pages_when_turned_off(tmp_path: Path) -> None:
    papers = papers_with([["Ada Lovelace"]] * 3)
    # Not strict: the repository's about page links authors.md (a fork that turns the
    # pages off edits its own docs, as with trends). Nor does its nav list it.
    config = make_project(tmp_path, papers, {"author_pages": False})
    config.write_text(config.read_text().replace("  - 저자별 논문: authors.md\n", ""))
    site = build_site(config, tmp_path / "site")
    assert not (site / "authors").exists()
    card = read_page(site, f"{papers[0].date:%Y/%m/%d}/")
    assert not [a for a in card.find("a") if a.text == "Ada Lovelace"]


HOSTILE = "<img src=x onerror=alert(1)>\"Robert'); DROP"


def test_a_name_with_markup_is_text_on_every_page_and_gets_a_page(tmp_path: Path) -> None:
    papers = papers_with([[HOSTILE, "Ada Lovelace"]] * 3)
    papers[0].author_accounts = {HOSTILE: "robert-tables"}
    site = build_site(
        make_project(tmp_path, papers, {"author_pages_min": 3}, strict=True), tmp_path / "site"
    )
    slug = slug_of(author_key(HOSTILE))
    assert slug == "img-src-x-onerror-alert-1-robert-drop"
    for url in ("authors/", f"authors/{slug}/", f"papers/{papers[0].id}/"):
        page = read_page(site, url)
        assert not [e for e in page.find("img") if e.attrs.get("src") == "x"], url
        assert HOSTILE in page.content().text, url
    author = read_page(site, f"authors/{slug}/")
    profile = [a.attrs["href"] for a in author.find("a") if a.text == "Hugging Face 프로필"]
    assert profile == ["https://huggingface.co/robert-tables"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Eve \u202eyllaM", "authors[0]"),  # a bidi override
        ("N" * 500, "authors[0]"),
        ("", "authors[0]"),
    ],
)
def test_names_a_record_may_not_hold_are_refused_by_validation(name: str, problem: str) -> None:
    from generator.records.rules import check_record, dump

    paper = papers_with([["Ada Lovelace"]])[0]
    text = dump(dataclasses.replace(paper, authors=["Ada Lovelace"])).replace(
        "- Ada Lovelace", f"- {json_string(name)}"
    )
    parsed, problems = check_record(text.encode("utf-8"), paper.relative_path().as_posix())
    assert parsed is None and problems
    assert all(problem in str(p) for p in problems), problems


def json_string(text: str) -> str:
    """A YAML scalar for ``text`` (a JSON string is one)."""
    import json

    return json.dumps(text)
