"""Topics: a page per arXiv category with its papers a month at a time, an index with
counts, a feed per topic, and chips on cards and paper pages linking to them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest
from sitebuild import (
    SITE_URL,
    Element,
    Page,
    build_site,
    make_project,
    read_page,
    sample_papers,
)

from generator.plugin.archive import by_votes, from_papers
from generator.plugin.kinds import topics
from generator.records.model import Paper

PAPERS = sample_papers()
CODES = sorted({code for paper in PAPERS for code in paper.categories or ()})


def filed_under(code: str, papers: list[Paper] = PAPERS) -> list[Paper]:
    """The papers of ``code``, newest day first and most votes first within a day."""
    days = sorted({p.date for p in papers}, reverse=True)
    return [
        p
        for day in days
        for p in by_votes(p for p in papers if p.date == day and code in (p.categories or ()))
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("topics")
    return build_site(make_project(root, PAPERS), root / "site")


def rows(site: Path, url: str) -> list[tuple[str, str]]:
    """(link, title) of each paper listed on a topic page."""
    page = read_page(site, url)
    table = next(e for e in page.elements if e.tag == "table")
    start = page.elements.index(table)
    return [
        (e.attrs["href"] or "", e.text)
        for e in page.elements[start:]
        if e.tag == "a" and (e.attrs["href"] or "").count("papers/")
    ]


def test_the_index_lists_every_topic_with_its_counts_and_feeds(site: Path) -> None:
    page = read_page(site, "topics/")
    assert next(page.find("h1")).text == "주제별 논문"
    assert [h.text for h in page.find("h2")] == ["cs 분야"]
    links = {a.attrs["href"]: a.text for a in page.find("a") if a.in_content}
    for code in CODES:
        assert f"{code}/" in links, code
        assert links[f"../feed-topic-{code}.xml"] == "RSS"
        assert links[f"../feed-topic-{code}.json"] == "JSON"
    assert links["cs.CL/"] == "자연어 처리 (cs.CL)"
    assert links["cs.LG/"] == "기계 학습 (cs.LG)"
    cells = [[td.text for td in row] for row in _table_rows(page)]
    counted = {cell[0]: (cell[1], cell[2]) for cell in cells}
    for code in CODES:
        papers = filed_under(code)
        primary = sum(1 for p in papers if p.primary_category == code)
        name = links[f"{code}/"]
        assert counted[name] == (f"{len(papers)}편", f"{primary}편"), code
    # Most papers first.
    totals = [int(cell[1].removesuffix("편")) for cell in cells]
    assert totals == sorted(totals, reverse=True)


def _table_rows(page: Page) -> list[list[Element]]:
    """Each body row's cells, in order (of the papers' table: not the chart's)."""
    found: list[list[Element]] = []
    for element in page.elements:
        if "dp-chart" in element.classes:
            break
        if element.tag == "tr":
            found.append([])
        elif element.tag == "td" and found:
            found[-1].append(element)
    return [row for row in found if row]


def test_a_topic_page_shows_its_newest_month_and_links_every_other(site: Path) -> None:
    papers = filed_under("cs.CV")
    newest = (papers[0].date.year, papers[0].date.month)
    page = read_page(site, "topics/cs.CV/")
    assert next(page.find("h1")).text == "컴퓨터 비전 (cs.CV)"
    title = next(page.find("title")).text
    assert title.startswith("컴퓨터 비전 (cs.CV)")
    this_month = [p for p in papers if (p.date.year, p.date.month) == newest]
    assert rows(site, "topics/cs.CV/") == [(f"../../papers/{p.id}/", p.title) for p in this_month]
    # Each older month has its page, linked from every page of the topic.
    months = sorted({(p.date.year, p.date.month) for p in papers}, reverse=True)
    links = {a.attrs["href"] for a in page.find("a") if a.in_content}
    for year, month in months[1:]:
        assert f"{year:04d}-{month:02d}/" in links
        older = [p for p in papers if (p.date.year, p.date.month) == (year, month)]
        url = f"topics/cs.CV/{year:04d}-{month:02d}/"
        month_page = read_page(site, url)
        assert next(month_page.find("h1")).text == f"컴퓨터 비전 (cs.CV): {year}년 {month}월"
        assert rows(site, url) == [(f"../../../papers/{p.id}/", p.title) for p in older]


def test_the_primary_category_is_marked_on_the_topic_page(site: Path) -> None:
    page = read_page(site, "topics/cs.CL/")
    marked = {
        row[1].text.split(" 추천")[0] for row in _table_rows(page) if "주 분류" in row[1].text
    }
    assert len(page.by_class("dp-topic-primary")) == len(marked)
    papers = filed_under("cs.CL")
    newest = (papers[0].date.year, papers[0].date.month)
    shown = [p for p in papers if (p.date.year, p.date.month) == newest]
    assert marked == {p.title for p in shown if p.primary_category == "cs.CL"}
    assert marked != {p.title for p in shown}  # some list cs.CL second


def test_every_topic_has_feeds_of_its_newest_papers(site: Path) -> None:
    for code in CODES:
        expected = filed_under(code)
        feed = feedparser.parse((site / f"feed-topic-{code}.xml").read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert feed.version == "rss20"
        assert code in feed.feed.title
        assert feed.feed.link == f"{SITE_URL}topics/{code}/"
        assert [e.link for e in feed.entries] == [f"{SITE_URL}papers/{p.id}/" for p in expected]
        assert [e.id for e in feed.entries] == [f"daily-papers:{p.id}" for p in expected]
        document = json.loads((site / f"feed-topic-{code}.json").read_text(encoding="utf-8"))
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["feed_url"] == f"{SITE_URL}feed-topic-{code}.json"
        assert [item["id"] for item in document["items"]] == [
            f"daily-papers:{p.id}" for p in expected
        ]
    page = read_page(site, "topics/cs.CV/")
    announced = [(e.attrs["type"], e.attrs["href"]) for e in page.find("link", rel="alternate")]
    assert ("application/rss+xml", f"{SITE_URL}feed-topic-cs.CV.xml") in announced
    assert ("application/feed+json", f"{SITE_URL}feed-topic-cs.CV.json") in announced
    # Material fetches sitemap.xml beside every alternate link: all must be at the root,
    # where the sitemap is (a feed in topics/cs.CV/ made two failing requests a view).
    assert {href.rsplit("/", 1)[0] + "/" for _, href in announced} == {SITE_URL}


def test_feed_size_limits_the_topic_feeds(tmp_path: Path) -> None:
    site = build_site(make_project(tmp_path, PAPERS, {"feed_size": 2}), tmp_path / "site")
    feed = feedparser.parse((site / "feed-topic-cs.CV.xml").read_bytes())
    assert [e.id for e in feed.entries] == [
        f"daily-papers:{p.id}" for p in filed_under("cs.CV")[:2]
    ]
    assert "2편" in read_page(site, "topics/").content().text


def test_cards_and_paper_pages_carry_chips_linking_to_their_topics(site: Path) -> None:
    paper = next(p for p in PAPERS if p.categories and len(p.categories) == 3)
    day = read_page(site, f"{paper.date:%Y/%m/%d}/")
    heading = next(day.find("h2", id=paper.id))
    after = day.elements[day.elements.index(heading) :]
    chips = [e for e in after if "dp-topic" in e.classes][: len(paper.categories)]
    assert [e.attrs["href"] for e in chips] == [
        f"../../../topics/{code}/" for code in paper.categories
    ]
    assert [e.text for e in chips] == ["컴퓨터 비전", "자연어 처리", "기계 학습"]
    assert ["dp-topic--primary" in e.classes for e in chips] == [True, False, False]

    own = read_page(site, f"papers/{paper.id}/")
    chips = own.by_class("dp-topic")
    assert [e.attrs["href"] for e in chips] == [
        f"../../topics/{code}/" for code in paper.categories
    ]
    assert chips[0].text == "컴퓨터 비전 (cs.CV)"
    assert "dp-topic--primary" in chips[0].classes

    bare = next(p for p in PAPERS if not p.categories)
    assert not read_page(site, f"papers/{bare.id}/").by_class("dp-topics")


def test_the_search_page_filters_by_topic(site: Path) -> None:
    page = read_page(site, "search/")
    select = next(page.find("select", name="topic"))
    start = page.elements.index(select)
    options = [e for e in page.elements[start:] if e.tag == "option"][: len(CODES) + 1]
    assert options[0].attrs["value"] == ""
    by_count = sorted(CODES, key=lambda code: (-len(filed_under(code)), code))
    assert [o.attrs["value"] for o in options[1:]] == by_count


def test_without_categories_the_index_says_so(tmp_path: Path) -> None:
    bare = [dataclasses.replace(p, categories=None) for p in PAPERS]
    site = build_site(make_project(tmp_path, bare), tmp_path / "site")
    page = read_page(site, "topics/")
    assert "아직 분류가 기록된 논문이 없습니다." in page.content().text
    assert sorted(p.name for p in (site / "topics").iterdir()) == ["index.html"]
    assert not list(read_page(site, "search/").find("select", name="topic"))


def long_month(count: int, title_chars: int, words: str = "A & B <C>") -> list[Paper]:
    """``count`` papers of one topic in one month, with titles of ``title_chars``
    characters made of ``words`` (by default, what escaping lengthens)."""
    papers = []
    for number in range(count):
        date = dt.date(2025, 3, 3 + number % 20)
        title = (f"{number} {words} " * 100)[:title_chars].strip()
        papers.append(
            Paper(
                id=f"2503.{number:05d}",
                date=date,
                title=title,
                votes=number % 50,
                categories=["cs.CV", "cs.AI"] if number % 3 else ["cs.AI", "cs.CV"],
            )
        )
    return papers


def test_a_long_month_is_cut_into_parts_none_over_60_kb(tmp_path: Path) -> None:
    """A month of 600 papers with titles of the longest a record allows (500 characters)."""
    papers = long_month(600, 500)
    site = build_site(make_project(tmp_path, papers), tmp_path / "site")
    pages = sorted((site / "topics" / "cs.CV").rglob("index.html"))
    assert len(pages) > 1
    for path in pages:
        assert path.stat().st_size <= 60_000, (path, path.stat().st_size)
    listed = [
        title
        for url in ["topics/cs.CV/"]
        + [f"topics/cs.CV/2025-03-{n}/" for n in range(2, len(pages) + 1)]
        for _, title in rows(site, url)
    ]
    assert listed == [p.title for p in filed_under("cs.CV", papers)]
    second = read_page(site, "topics/cs.CV/2025-03-2/")
    assert next(second.find("h1")).text == "컴퓨터 비전 (cs.CV): 2025년 3월 (2)"


def test_real_titles_fit_a_month_of_a_busy_topic_on_few_pages() -> None:
    """Titles of 80 characters, as Daily Papers' average: about 130 to a page."""
    papers = long_month(400, 80, words="Scaling Vision Language Models")
    topic = next(t for t in from_papers(papers).topics if t.code == "cs.AI")
    cut = topics.parts(topic)
    assert len(cut[0][1]) >= 120
    assert sum(len(part) for _, part in cut) == 400
