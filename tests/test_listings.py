"""A paper listed on two days keeps one record and shows on both; an author list cut short says so."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import feedparser
from pagefind_bundle import fragments
from sitebuild import build_site, make_project, read_page, sample_papers

PAPERS = sample_papers()


def test_a_paper_listed_twice_is_on_both_day_pages_and_counted_once(tmp_path: Path) -> None:
    first, later = PAPERS[0], PAPERS[4]  # 2023-12-04 and 2024-02-13
    twice = dataclasses.replace(first, also_listed=[later.date], authors_incomplete=True)
    papers = [twice, *PAPERS[1:]]
    site = build_site(make_project(tmp_path, papers), tmp_path / "site")
    for day in (first.date, later.date):
        page = read_page(site, f"{day:%Y/%m/%d}/")
        cards = [e.attrs.get("id") for e in page.find("h2")]
        assert twice.id in cards, day
    note = read_page(site, f"{first.date:%Y/%m/%d}/").by_class("dp-authors__more")
    assert note and "저자 목록의 일부" in note[0].text
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    guids = [entry.id for entry in feed.entries]
    assert guids.count(f"daily-papers:{twice.id}") == 1
    urls = [record["meta"]["url"] for record in fragments(site)]
    assert urls.count(f"papers/{twice.id}/") == 1  # one search record: the paper's page
    # Its page names both days and leads to both day pages.
    paper = read_page(site, f"papers/{twice.id}/")
    listed = paper.by_class("dp-listed")[0].text
    assert "2023년 12월 4일" in listed and "2024년 2월 13일" in listed
    hrefs = {e.attrs.get("href") for e in paper.find("a")}
    assert {f"../../{first.date:%Y/%m/%d}/", f"../../{later.date:%Y/%m/%d}/"} <= hrefs
    archive = read_page(site, "archive/")
    assert f"논문 {len(papers)}편" in archive.by_class("dp-lead")[0].text  # not counted twice


def test_the_day_page_of_the_second_listing_links_the_record_it_came_from(tmp_path: Path) -> None:
    first, later = PAPERS[0], PAPERS[4]
    twice = dataclasses.replace(first, also_listed=[later.date])
    site = build_site(
        make_project(tmp_path, [twice, *PAPERS[1:]], plugin={"data_edit_uri": "edit/main/data/"}),
        tmp_path / "site",
    )
    page = read_page(site, f"{later.date:%Y/%m/%d}/")
    edits = [e.attrs["href"] for e in page.by_class("dp-edit")]
    assert any(
        href and href.endswith(f"data/{first.date:%Y/%m/%d}/{first.id}.yaml") for href in edits
    )
