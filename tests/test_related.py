"""Related papers: stable lists that never name the paper itself, families of papers
found by the words they share (imported Korean summaries through their English terms),
an edit changing the lists it should and only those, and the lists on paper pages and
in the open data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import pytest
from sitebuild import build_site, make_project, read_page, sample_papers

from generator.plugin.related import RELATED, RelatedCache, find_related
from generator.records.model import Paper, SummarySource

BASE = sample_papers()[0]
#: Filler words of our own, for papers that belong to no family.
FILLER = [
    "graph",
    "lattice",
    "spectral",
    "kernel",
    "sparse",
    "tensor",
    "manifold",
    "quantile",
    "prior",
    "sampler",
    "tokenizer",
    "router",
    "adapter",
    "codec",
    "retrieval",
    "ranking",
    "planner",
    "critic",
    "verifier",
    "scheduler",
    "compiler",
    "solver",
    "simulator",
    "renderer",
    "tracker",
    "segmenter",
    "detector",
    "captioner",
    "parser",
]


def paper(index: int, title: str, keywords: list[str], **changes: object) -> Paper:
    date = dt.date(2024, 1, 1) + dt.timedelta(days=index // 5)
    fields: dict[str, object] = {
        "summary": [],
        "summary_source": None,
        "abstract": None,
        "categories": None,
        **changes,
    }
    return dataclasses.replace(
        BASE,
        id=f"{date:%y%m}.{30000 + index:05d}",
        date=date,
        also_listed=[],
        title=title,
        keywords=keywords,
        **fields,  # type: ignore[arg-type]
    )


def archive(seed: int = 7) -> list[Paper]:
    """Forty papers of filler words, and a family of four planted among them: the same
    method name ("Zorblax") in their titles and keywords."""
    rng = random.Random(seed)
    papers = [
        paper(i, " ".join(rng.sample(FILLER, 5)).title(), rng.sample(FILLER, 3)) for i in range(40)
    ]
    for n, i in enumerate((3, 17, 25, 38)):
        papers[i] = paper(
            i,
            f"Zorblax {rng.choice(FILLER).title()}: part {n}",
            ["zorblax", rng.choice(FILLER)],
        )
    return papers


def ids(related: object, paper_id: str) -> list[str]:
    return [r.paper.id for r in related.of(paper_id)]  # type: ignore[attr-defined]


def test_lists_are_stable_and_never_name_the_paper_itself() -> None:
    papers = archive()
    first = find_related(papers)
    again = find_related(papers)
    assert first == again
    for p in papers:
        listed = ids(first, p.id)
        assert p.id not in listed
        assert len(listed) == len(set(listed)) <= RELATED


def test_each_member_of_a_family_lists_the_others_first() -> None:
    papers = archive()
    family = [papers[i].id for i in (3, 17, 25, 38)]
    related = find_related(papers)
    for member in family:
        others = sorted(set(family) - {member})
        assert sorted(ids(related, member)[:3]) == others
        assert "zorblax" in related.of(member)[0].terms


def test_an_imported_korean_summary_finds_its_family_through_its_english_terms() -> None:
    papers = archive()
    imported = paper(
        40,
        "A Study Without Shared Title Words",
        [],
        summary=[
            "새 방법 조블랙스(Zorblax)를 영상 분할에 적용합니다.",
            "기존 방법보다 빠르게 학습합니다.",
        ],
        summary_source=SummarySource("imported"),
    )
    related = find_related([*papers, imported])
    family = {papers[i].id for i in (3, 17, 25, 38)}
    assert set(ids(related, imported.id)[:4]) == family


def test_editing_keywords_changes_the_lists_it_should_and_only_those() -> None:
    words = ["alpha", "beta", "gamma"]  # three families with nothing else in common
    papers = []
    for i in range(15):
        family = words[i % 3]
        papers.append(paper(i, f"{family.title()}net {FILLER[i].title()}", [family]))
    before = find_related(papers)
    # The first alpha paper now says it is about beta too.
    edited = dataclasses.replace(papers[0], keywords=["alpha", "betanet"])
    after = find_related([edited, *papers[1:]])
    gamma = [p.id for p in papers if "Gamma" in p.title]
    for paper_id in gamma:
        assert after.of(paper_id) == before.of(paper_id)
    beta = [p.id for p in papers if "Beta" in p.title]
    assert all(papers[0].id in ids(after, b) for b in beta)
    assert all(papers[0].id not in ids(before, b) for b in beta)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", None),  # only its case: the same terms
        ("votes", 999),
        ("summary", ["한국어 낱말만 고친 요약입니다."]),
        ("keywords", ["alpha", "betanet"]),  # new terms: the lists are found again
    ],
)
def test_the_preview_keeps_lists_only_while_every_term_is_equal(field: str, value: object) -> None:
    words = ["alpha", "beta", "gamma"]
    papers = [
        paper(i, f"{words[i % 3].title()}net {FILLER[i].title()}", [words[i % 3]])
        for i in range(15)
    ]
    cache = RelatedCache()
    cache.find(papers, keep=True)
    first = papers[0]
    change = first.title.upper() if field == "title" else value
    edited = [dataclasses.replace(first, **{field: change}), *papers[1:]]
    kept = cache.find(edited, keep=True)
    fresh = find_related(edited)
    assert kept.lists == fresh.lists
    # Bound to this rebuild's records: a list prints the edited record, not the last one.
    naming = [r.paper for relations in kept.lists.values() for r in relations]
    assert any(p is edited[0] for p in naming)
    assert not any(p is first for p in naming)


def test_a_paper_listed_on_two_days_counts_once(tmp_path: Path) -> None:
    papers = archive()
    twice = dataclasses.replace(papers[17], also_listed=[papers[17].date + dt.timedelta(days=30)])
    papers[17] = twice
    site = build_site(make_project(tmp_path, papers, strict=True), tmp_path / "site")
    page = read_page(site, f"papers/{papers[3].id}/")
    listed = [a.attrs["href"] for a in page.find("a") if "dp-related" in _parents(page, a)]
    assert len(listed) == len(set(listed))
    assert f"../{twice.id}/" in listed
    days = site / "api" / "days"
    for name in (f"{twice.date}.json", f"{twice.also_listed[0]}.json"):
        record = next(
            p for p in json.loads((days / name).read_text())["papers"] if p["id"] == twice.id
        )
        assert papers[3].id in record["related"]


def _parents(page: object, element: object) -> set[str]:
    """The classes of the list an element sits in (the related list's items are <li>)."""
    elements = page.elements  # type: ignore[attr-defined]
    index = elements.index(element)
    for previous in reversed(elements[:index]):
        if previous.tag == "ul":
            return set(previous.classes)
    return set()


def test_related_false_leaves_pages_and_open_data_without_them(tmp_path: Path) -> None:
    papers = archive()
    site = build_site(
        make_project(tmp_path, papers, {"related": False}, strict=True), tmp_path / "site"
    )
    page = read_page(site, f"papers/{papers[3].id}/")
    assert not page.by_class("dp-related")
    record = json.loads((site / "api" / "days" / f"{papers[3].date}.json").read_text())
    assert all("related" not in p for p in record["papers"])
