"""The site as MkDocs builds it from records: every paper, every archive link, the feed."""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from sitebuild import (
    REPO,
    REPO_URL,
    SITE_URL,
    Page,
    build_site,
    make_project,
    read_page,
    sample_papers,
)

from generator.plugin.archive import by_votes
from generator.records.model import Paper

PAPERS = sample_papers()
DATES = sorted({paper.date for paper in PAPERS})


def day_url(paper_or_date) -> str:
    date = getattr(paper_or_date, "date", paper_or_date)
    return f"{date:%Y}/{date:%m}/{date:%d}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    return build_site(make_project(root, PAPERS), root / "site")


def card_of(page: Page, paper: Paper) -> tuple[int, int]:
    """Index range of a paper's <article> in the page's elements."""
    heading = next(page.find("h2", id=paper.id))
    start = page.elements.index(heading) - 1
    assert page.elements[start].tag == "article"
    end = start + 1
    while end < len(page.elements) and page.elements[end].tag != "article":
        end += 1
    return start, end


def test_day_page_shows_every_paper_most_votes_first(site: Path) -> None:
    for date in DATES:
        page = read_page(site, day_url(date))
        papers = by_votes(p for p in PAPERS if p.date == date)
        headings = [
            h.attrs["id"] for h in page.find("h2") if h.attrs.get("id") in {p.id for p in papers}
        ]
        assert headings == [p.id for p in papers]
        h1 = next(page.find("h1"))
        assert f"{date.year}년 {date.month}월 {date.day}일" in h1.text
        assert f"{len(papers)}편" in page.content().text


def test_every_page_has_one_heading_and_its_whole_content(site: Path) -> None:
    # Day and week pages are rendered only as they are written (plugin.DEFERRED_KINDS):
    # the content must have replaced the stand-in, and Material must not have added a
    # heading of its own beside the page's.
    pages = sorted(site.rglob("index.html"))
    assert any("/weeks/" in str(path) for path in pages)
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "rendered when written" not in html, path
        assert html.count("<h1") == 1, path


def test_every_card_has_title_votes_authors_media_and_edit_link(site: Path) -> None:
    for paper in PAPERS:
        page = read_page(site, day_url(paper))
        start, end = card_of(page, paper)
        card = page.elements[start:end]
        text = page.elements[start].text
        title = next(e for e in card if e.tag == "a" and e.text == paper.title)
        assert title.attrs["href"] == f"../../../papers/{paper.id}/"  # the paper's own page
        hf = next(e for e in card if e.tag == "a" and e.text == "Hugging Face")
        assert hf.attrs["href"] == f"https://huggingface.co/papers/{paper.id}"
        votes = next(e for e in card if "dp-votes" in e.classes).text
        assert votes == (f"추천 {paper.votes}" if paper.votes is not None else "추천 –")
        for author in paper.authors:
            assert author in text
        edit = next(e for e in card if "dp-edit" in e.classes)
        assert edit.attrs["href"] == (
            f"{REPO_URL}/edit/main/data/{paper.date:%Y/%m/%d}/{paper.id}.yaml"
        )
        if paper.media and paper.media[0].kind == "video":
            video = next(e for e in card if e.tag == "video")
            for attribute in ("controls", "muted", "playsinline"):
                assert attribute in video.attrs
            assert video.attrs["preload"] == "metadata"
            assert video.attrs["poster"] == paper.thumbnail
            source = next(e for e in card if e.tag == "source")
            assert (source.attrs["src"], source.attrs["type"]) == (paper.media[0].url, "video/mp4")
        else:
            image = next(e for e in card if e.tag == "img")
            expected = paper.media[0].url if paper.media else paper.thumbnail
            assert image.attrs["src"] == expected
            assert image.attrs["loading"] == "lazy"
            assert image.attrs["alt"]
        for key, label in (
            ("arxiv", "arXiv"),
            ("pdf", "PDF"),
            ("github", "코드"),
            ("project", "프로젝트"),
        ):
            links = [e.attrs["href"] for e in card if e.tag == "a" and e.text == label]
            assert links == ([paper.links[key]] if key in paper.links else [])


def test_long_author_lists_fold_after_five(site: Path) -> None:
    for paper in PAPERS:
        page = read_page(site, day_url(paper))
        start, end = card_of(page, paper)
        folds = [e for e in page.elements[start:end] if "dp-more" in e.classes]
        if len(paper.authors) > 5:
            assert len(folds) == 1
            summary = next(e for e in page.elements[start:end] if e.tag == "summary")
            assert summary.text == f"+{len(paper.authors) - 5}"
            assert paper.authors[4] not in folds[0].text
            assert paper.authors[5] in folds[0].text
        else:
            assert folds == []


def test_summaries_their_source_and_the_abstract_fallback(site: Path) -> None:
    for paper in PAPERS:
        page = read_page(site, day_url(paper))
        start, end = card_of(page, paper)
        card = page.elements[start:end]
        summary = [e for e in card if "dp-summary" in e.classes]
        notes = " ".join(e.text for e in card if "dp-note" in e.classes)
        if not paper.summary:
            abstract = next(e for e in card if "dp-abstract" in e.classes)
            assert abstract.tag == "details" and "open" not in abstract.attrs
            assert "made-up results" in abstract.text
            assert summary == []
            continue
        items = [e for e in card if e.tag == "li"]
        assert len(items) == len(paper.summary)
        assert next(e for e in card if e.tag == "strong").text == "음성 합성"
        assert next(e for e in card if e.tag == "code").text == "재현"
        kind = paper.summary_source.kind if paper.summary_source else None
        if kind == "huggingface":
            assert "Hugging Face가 기계로 생성한 영어 요약" in notes
            assert summary[0].attrs.get("lang") == "en"
        else:
            assert "영어 요약" not in notes
            assert "lang" not in summary[0].attrs
        provenance = " ".join(e.text for e in card if "dp-foot" in e.classes)
        assert ("AI 요약 (test-model)" in provenance) == (kind == "llm")


def test_day_pages_link_previous_and_next_day_and_edit_their_folder(site: Path) -> None:
    for index, date in enumerate(DATES):
        page = read_page(site, day_url(date))
        previous = {e.attrs["href"] for e in page.find("a", rel="prev")}
        following = {e.attrs["href"] for e in page.find("a", rel="next")}
        here = day_url(date)
        assert {resolve(here, h) for h in previous} == (
            {day_url(DATES[index - 1])} if index else set()
        )
        assert {resolve(here, h) for h in following} == (
            {day_url(DATES[index + 1])} if index + 1 < len(DATES) else set()
        )
        edit = page.edit_button()
        assert edit.attrs["href"] == f"{REPO_URL}/tree/main/data/{date:%Y/%m/%d}"


def test_home_shows_the_latest_day_with_links_to_archive_and_feed(site: Path) -> None:
    page = read_page(site, "")
    latest = by_votes(p for p in PAPERS if p.date == DATES[-1])
    cards = [h.attrs["id"] for h in page.find("h2") if "id" in h.attrs][1:]  # after the week's
    assert cards == [p.id for p in latest]
    hrefs = {e.attrs.get("href") for e in page.find("a")}
    assert {"archive/", "feed.xml", "top/", day_url(DATES[-1])} <= hrefs


def test_archive_year_and_month_pages_link_every_day(site: Path) -> None:
    linked_from_years: set[str] = set()
    for year in sorted({d.year for d in DATES}):
        page = read_page(site, f"{year}/")
        linked_from_years |= {resolve(f"{year}/", e.attrs["href"]) for e in page.find("a")}
    linked_from_months: set[str] = set()
    for year, month in sorted({(d.year, d.month) for d in DATES}):
        url = f"{year}/{month:02d}/"
        page = read_page(site, url)
        linked_from_months |= {resolve(url, e.attrs["href"]) for e in page.find("a")}
        rows = list(page.find("tr"))[1:]
        assert len(rows) == len([d for d in DATES if (d.year, d.month) == (year, month)])
    for date in DATES:
        assert day_url(date) in linked_from_years
        assert day_url(date) in linked_from_months
    index = read_page(site, "archive/")
    links = {resolve("archive/", e.attrs["href"]) for e in index.find("a")}
    assert {f"{d:%Y}/{d:%m}/" for d in DATES} <= links
    assert {f"{d:%Y}/" for d in DATES} <= links
    assert "4일, 논문 16편" in index.content().text


def test_top_papers_pages_list_the_most_voted_papers_of_each_month(site: Path) -> None:
    page = read_page(site, "top/2024/")
    feb = by_votes(p for p in PAPERS if (p.date.year, p.date.month) == (2024, 2))
    heading = next(page.find("h2", id="2024-02"))
    start = page.elements.index(heading)
    listed = [
        e.attrs["href"]
        for e in page.elements[start:]
        if e.tag == "a" and "/papers/" in e.attrs.get("href", "")
    ][: len(feb)]
    assert [h.split("/")[-2] for h in listed] == [p.id for p in feb]
    top = read_page(site, "top/")
    assert {"2024-03", "2024-02", "2023-12"} <= {e.attrs.get("id") for e in top.find("h2")}


def test_the_sidebar_lists_only_top_level_pages(site: Path) -> None:
    page = read_page(site, day_url(DATES[1]))
    nav = [e for e in page.elements if e.tag == "a" and "md-nav__link" in e.classes]
    targets = {resolve(day_url(DATES[1]), e.attrs["href"]) for e in nav}
    targets -= {day_url(DATES[1])}  # the table of contents links into the page itself
    assert targets <= {
        "",
        "archive/",
        "top/",
        "orgs/",
        "topics/",
        "trends/",
        "about/",
        "record-format/",
        "contributing/",
        "import/",
    }


def test_no_internal_link_points_to_a_missing_page_or_anchor(site: Path) -> None:
    pages = {path: Page(path.read_text(encoding="utf-8")) for path in site.rglob("*.html")}
    ids = {
        path: {e.attrs["id"] for e in page.elements if e.attrs.get("id")}
        for path, page in pages.items()
    }
    checked = 0
    for path, page in pages.items():
        url = path.relative_to(site).as_posix()
        for element in page.elements:
            target = element.attrs.get("href") or element.attrs.get("src")
            if not target or element.tag not in ("a", "link", "img", "script", "source"):
                continue
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("#", "mailto:")):
                continue
            if parts.path.startswith("/"):  # 404.html links from the site root
                prefix = urlsplit(SITE_URL).path
                assert parts.path.startswith(prefix), f"{url}: {target} is outside the site"
                path_in_site = parts.path[len(prefix) :]
            else:
                path_in_site = posixpath.join(posixpath.dirname(url), parts.path)
            resolved = site / posixpath.normpath(path_in_site)
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.is_file(), f"{url}: {target} is missing"
            if parts.fragment and resolved in ids:
                assert parts.fragment in ids[resolved], f"{url}: {target}: no such anchor"
            checked += 1
    assert checked > 200


def test_every_page_announces_the_feeds(site: Path) -> None:
    expected = [
        ("application/rss+xml", SITE_URL + "feed.xml"),
        ("application/feed+json", SITE_URL + "feed.json"),
        ("application/rss+xml", SITE_URL + "feed-weekly.xml"),
        ("application/feed+json", SITE_URL + "feed-weekly.json"),
    ]
    for path in site.rglob("*.html"):
        links = list(Page(path.read_text(encoding="utf-8")).find("link", rel="alternate"))
        found = [(e.attrs["type"], e.attrs["href"]) for e in links]
        parts = path.relative_to(site).parts
        if parts[0] == "topics" and len(parts) > 2:
            topic = parts[1]  # a topic's pages add its own feeds
            expected_here = [
                *expected,
                ("application/rss+xml", f"{SITE_URL}feed-topic-{topic}.xml"),
                ("application/feed+json", f"{SITE_URL}feed-topic-{topic}.json"),
            ]
        else:
            expected_here = expected
        assert found == expected_here, path


def test_the_feed_is_valid_rss_with_one_item_per_paper(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    channel = feed.feed
    assert channel.title == "데일리 페이퍼 한국어 요약"
    assert channel.link == SITE_URL
    assert channel.language == "ko"
    assert channel.updated_parsed
    assert any(link.rel == "self" and link.href == SITE_URL + "feed.xml" for link in channel.links)
    newest_first = [
        p for date in reversed(DATES) for p in by_votes(p for p in PAPERS if p.date == date)
    ]
    # Each item leads to its paper's page (its id, the paper's, is what it always was).
    assert [entry.link for entry in feed.entries] == [
        f"{SITE_URL}papers/{p.id}/" for p in newest_first
    ]
    assert [entry.id for entry in feed.entries] == [f"daily-papers:{p.id}" for p in newest_first]
    guids = [entry.id for entry in feed.entries]
    assert len(set(guids)) == len(guids) == len(PAPERS)
    for entry, paper in zip(feed.entries, newest_first, strict=True):
        assert entry.title == paper.title
        assert entry.guidislink is False
        assert entry.published_parsed[:3] == paper.date.timetuple()[:3]
        assert entry.author == ", ".join(paper.authors)
        assert entry.summary
        enclosure = entry.enclosures[0]
        assert enclosure.href == paper.thumbnail
        assert enclosure.type == "image/png"
        assert enclosure.length == "0"


def test_feed_size_limits_the_items(tmp_path: Path) -> None:
    site = build_site(make_project(tmp_path, PAPERS, plugin={"feed_size": 5}), tmp_path / "site")
    entries = feedparser.parse((site / "feed.xml").read_bytes()).entries
    assert len(entries) == 5


def test_the_feed_can_be_switched_off(tmp_path: Path) -> None:
    site = build_site(make_project(tmp_path, PAPERS, plugin={"feed": False}), tmp_path / "site")
    assert not (site / "feed.xml").exists()
    assert "application/rss+xml" not in (site / "index.html").read_text(encoding="utf-8")


def test_hand_written_pages_keep_working(site: Path) -> None:
    page = read_page(site, "about/")
    assert next(page.find("h1")).text.startswith("소개")


def test_the_about_page_is_written_for_readers() -> None:
    """It held build seconds and megabytes per process; those are the developers' (in
    bench/README.md). A reader finds what the site holds, how search works, who writes
    the summaries and how to fix one."""
    about = (REPO / "docs" / "about.md").read_text(encoding="utf-8")
    for developers_word in ("CPU", "MB", "빌드", "bench", "메모리", "Markdown 페이지"):
        assert developers_word not in about, developers_word
    for section in ("## 무엇을 볼 수 있나요", "## 검색하는 법", "## 요약은 누가 쓰나요"):
        assert section in about
    for place in ("논문 페이지", "(topics.md)", "(trends.md)", "(search.md)", "(contributing.md)"):
        assert place in about, place


def test_nothing_is_written_into_docs(tmp_path: Path) -> None:
    config = make_project(tmp_path, PAPERS)
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "docs").rglob("*"))
    build_site(config, tmp_path / "site")
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "docs").rglob("*")) == before


def test_pages_without_directory_urls(tmp_path: Path) -> None:
    site = build_site(make_project(tmp_path, PAPERS, use_directory_urls=False), tmp_path / "site")
    page = Page((site / "2024" / "02" / "14.html").read_text(encoding="utf-8"))
    hrefs = {e.attrs["href"] for e in page.find("a", rel="prev")}
    assert hrefs == {"13.html"}
    assert (site / "2024" / "02.html").is_file()


def test_repository_builds_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "feed.xml").is_file()


def resolve(base: str, href: str) -> str:
    """A relative link from page ``base`` as a site URL (fragment dropped)."""
    joined = urljoin("http://site/" + base, href.split("#")[0])
    return re.sub(r"^http://site/", "", joined)
