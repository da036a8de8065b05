"""The site's search in a real browser, on the sample site served below /daily-papers/.

A reader searches from the header or from the search page; each result shows the paper's
title, date, votes and picture with the matched words highlighted, and leads to the
paper's card on its day page. Pagefind's bundle is fetched only when a search runs.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import pytest
from sample_site import (
    ABSTRACT_PAPER,
    AUTHOR_SURNAME,
    IMAGE_PAPER,
    PROLIFIC_AUTHOR,
    READER_DAY,
    SITE_PATH,
    TITLE_WORD,
    VIDEO_PAPER,
    SampleSite,
)

if TYPE_CHECKING:
    from conftest import Reader

pytestmark = pytest.mark.browser

#: Words found in one paper only: a Korean word of a summary's second bullet, a Korean
#: word of its fourth bullet, a title word, an author's surname, a word of the English
#: abstract of a paper without a summary.
QUERIES = [
    ("랜드마크", IMAGE_PAPER),
    ("수조", VIDEO_PAPER),
    (TITLE_WORD, VIDEO_PAPER),
    (AUTHOR_SURNAME, IMAGE_PAPER),
    ("shuffle", ABSTRACT_PAPER),
]


def paper_id_of(href: str) -> str:
    """The paper a result leads to: ``.../papers/<id>/``."""
    return urlsplit(href).path.rstrip("/").rsplit("/", 1)[1]


def result_dates(reader: Reader) -> list[str]:
    """The dates the papers among the results show, as ``YYYY-MM-DD`` (a hand-written
    page found too has none: it says it is a page)."""
    texts = reader.page.locator(".dp-result__meta").all_inner_texts()
    dates = []
    for text in texts:
        if text.strip() == "안내 문서":
            continue
        found = re.search(r"(\d{4})년 (\d{1,2})월 (\d{1,2})일", text)
        assert found, f"a result shows no date: {text!r}"
        dates.append(dt.date(*map(int, found.groups())).isoformat())
    return dates


@pytest.mark.parametrize(
    ("query", "paper_id"),
    QUERIES,
    ids=[
        "korean word",
        "korean word of a later bullet",
        "title word",
        "author name",
        "abstract word",
    ],
)
def test_a_search_finds_the_paper_and_leads_to_its_card(
    reader: Reader, sample_site: SampleSite, query: str, paper_id: str
) -> None:
    paper = sample_site.paper(paper_id)
    reader.open(f"{READER_DAY:%Y/%m/%d}/")
    results = reader.search(query)
    match = results.filter(has_text=paper.title)
    assert match.count() == 1, f"{query!r}: {results.all_inner_texts()}"
    assert "2023년 6월 1일" in match.inner_text()
    if paper.votes is not None:
        assert f"추천 {paper.votes}" in match.inner_text()
    assert match.locator("mark").count() >= 1, "the matched word is not highlighted"
    # The result leads to the paper's own page (it led to an anchor on a day page).
    match.locator("a").first.click()
    reader.page.wait_for_url(re.compile(re.escape(f"/{SITE_PATH}papers/{paper_id}/") + "$"))
    heading = reader.page.locator("article.dp-paper--page h1")
    assert heading.inner_text() == paper.title and heading.is_visible()


def test_a_result_shows_the_papers_picture(reader: Reader, sample_site: SampleSite) -> None:
    reader.open(f"search/?q={TITLE_WORD}")
    image = reader.results().first.locator("img.dp-result__image")
    assert image.get_attribute("src") == sample_site.paper(VIDEO_PAPER).thumbnail


def test_the_address_runs_the_search_and_follows_it(reader: Reader) -> None:
    reader.open(f"search/?q={quote(AUTHOR_SURNAME)}")
    assert reader.page.locator("#dp-q").input_value() == AUTHOR_SURNAME
    assert reader.results().count() == 1
    reader.page.locator("select[name=sort]").select_option("votes")
    reader.results()
    query = dict(part.split("=") for part in urlsplit(reader.page.url).query.split("&"))
    assert query == {"q": AUTHOR_SURNAME, "sort": "votes"}, "the address does not keep the search"


def test_filters_narrow_the_results(reader: Reader, sample_site: SampleSite) -> None:
    reader.open("search/?q=" + quote("토큰"))  # a handful of papers, 2023 to 2025
    everything = reader.results().count()
    years = {date[:4] for date in result_dates(reader)}
    assert len(years) >= 2, f"the query should find papers of several years: {years}"
    reader.page.locator("select[name=year]").select_option("2023")
    narrowed = reader.results().count()
    assert 0 < narrowed < everything
    assert {date[:4] for date in result_dates(reader)} == {"2023"}
    assert "year=2023" in reader.page.url

    reader.open("search/?q=" + quote("토큰") + "&code=yes")
    with_code = reader.results()
    links = [
        sample_site.paper(paper_id_of(url)).links.get("github")
        for url in with_code.locator("a.dp-result__link").evaluate_all(
            "links => links.map(link => link.href)"
        )
    ]
    assert links and all(links), "'코드 공개' lets through papers without code"
    assert reader.page.locator("input[name=code]").is_checked()


def test_the_topic_filter_keeps_papers_of_that_topic(
    reader: Reader, sample_site: SampleSite
) -> None:
    """``search/?topic=cs.CV`` lists the papers whose categories include cs.CV, as a
    secondary category too, and combines with the other filters."""
    reader.open("search/?topic=cs.CV")
    found = (
        reader.results()
        .locator("a.dp-result__link")
        .evaluate_all("links => links.map(link => link.href)")
    )
    ids = {paper_id_of(href) for href in found}
    expected = {paper.id for paper in sample_site.papers if "cs.CV" in (paper.categories or [])}
    assert len(expected) >= 2 and ids == expected
    assert reader.page.locator("select[name=topic]").input_value() == "cs.CV"

    reader.open("search/?topic=cs.CV&code=yes")
    found = (
        reader.results()
        .locator("a.dp-result__link")
        .evaluate_all("links => links.map(link => link.href)")
    )
    assert {paper_id_of(href) for href in found} == {VIDEO_PAPER}


def test_the_author_filter_finds_a_name_however_it_is_typed(
    reader: Reader, sample_site: SampleSite
) -> None:
    """The authors' index sends a reader to ``search/?author=``: case and spacing aside,
    the name finds exactly that author's papers, and the box shows what was typed."""
    typed = "  " + PROLIFIC_AUTHOR.upper().replace(" ", "   ") + " "
    reader.open("search/?author=" + quote(typed))
    found = (
        reader.results()
        .locator("a.dp-result__link")
        .evaluate_all("links => links.map(link => link.href)")
    )
    expected = {paper.id for paper in sample_site.papers if PROLIFIC_AUTHOR in paper.authors}
    assert len(expected) >= 2 and {paper_id_of(href) for href in found} == expected
    assert reader.page.locator("input[name=author]").input_value().strip() == typed.strip()
    assert reader.complaints() == []


def test_sorting_by_votes_puts_the_most_voted_first(
    reader: Reader, sample_site: SampleSite
) -> None:
    reader.open("search/?q=" + quote("모델") + "&sort=votes")
    hrefs = (
        reader.results()
        .locator("a.dp-result__link")
        .evaluate_all("links => links.map(link => link.href)")
    )
    votes = [sample_site.paper(paper_id_of(href)).votes or 0 for href in hrefs]
    assert len(votes) >= 3 and votes == sorted(votes, reverse=True)


def test_a_filter_alone_lists_the_newest_first(reader: Reader) -> None:
    reader.open("search/?year=2023")
    assert reader.results().count() > 0
    dates = result_dates(reader)
    assert dates and {d[:4] for d in dates} == {"2023"} and dates == sorted(dates, reverse=True)


def test_hand_written_pages_are_found(reader: Reader) -> None:
    reader.open("search/?q=" + quote("글머리표"))  # a word of the summary-fixing guide
    result = reader.results().filter(has_text="요약 고치기")
    assert result.count() == 1
    result.locator("a").first.click()
    reader.page.wait_for_url(f"**/{SITE_PATH}contributing/")


def test_nothing_found_says_so(reader: Reader) -> None:
    reader.open("search/?q=qzxwvkjh")
    assert reader.results().count() == 0
    assert "찾는 결과가 없습니다" in reader.page.locator(".dp-search__status").inner_text()


def test_pages_load_the_index_only_for_a_search(reader: Reader) -> None:
    reader.open(f"{READER_DAY:%Y/%m/%d}/")
    reader.page.wait_for_load_state("networkidle")
    paths = [hit.path for hit in reader.server.hits[reader.first_hit :]]
    assert not [p for p in paths if "/pagefind/" in p], "a day page loads the search index"
    reader.take_complaints()
    reader.search(TITLE_WORD)
    paths = [hit.path for hit in reader.server.hits[reader.first_hit :]]
    assert f"/{SITE_PATH}pagefind/pagefind.js" in paths, "the bundle is not below the site"


def test_the_keyboard_shortcut_opens_the_search(reader: Reader) -> None:
    reader.open("about/")
    reader.page.keyboard.press("/")
    box = reader.page.locator(".dp-search-box input")
    assert box.evaluate("element => element === document.activeElement")
    reader.page.keyboard.type(TITLE_WORD)
    reader.page.keyboard.press("Enter")
    reader.page.wait_for_url("**/search/?q=*")
    assert reader.results().count() == 1


def test_a_phone_opens_the_search_page_from_the_header(mobile_reader: Reader) -> None:
    mobile_reader.open("")
    assert not mobile_reader.page.locator(".dp-search-box input").is_visible()
    results = mobile_reader.search(TITLE_WORD)
    assert results.count() == 1
    width = mobile_reader.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the search page is wider than the phone"


def test_the_browser_can_add_the_site_as_a_search_engine(
    reader: Reader, sample_site: SampleSite
) -> None:
    reader.open("archive/")
    link = reader.page.locator("head link[rel=search]")
    assert link.get_attribute("type") == "application/opensearchdescription+xml"
    description = reader.page.request.get(link.get_attribute("href") or "")
    assert description.ok
    assert f'template="{sample_site.url}search/?q={{searchTerms}}"' in description.text()


def test_a_results_excerpt_comes_from_the_summary_not_the_header(
    reader: Reader, sample_site: SampleSite
) -> None:
    """For "diffusion video", every excerpt began with the title and the author list
    again ("VideoBooth: ... Yuming Jiang, Tianxing Wu, ...") before any summary text."""
    paper = sample_site.paper(VIDEO_PAPER)
    reader.open(f"{READER_DAY:%Y/%m/%d}/")
    results = reader.search("diffusion video")
    match = results.filter(has_text=paper.title)
    assert match.count() == 1
    excerpt = match.locator(".dp-result__excerpt").inner_text()
    assert excerpt, "no excerpt"
    assert paper.title.split(":")[0] not in excerpt
    assert not any(author in excerpt for author in paper.authors[:5])
    bullets = [bullet.replace("**", "") for bullet in paper.summary]
    assert any(" ".join(b.split()[1:3]) in excerpt for b in bullets), excerpt
    # The header shows the title and the first authors, the matched words marked.
    title_marks = match.locator(".dp-result__title mark").all_inner_texts()
    assert {word.strip(".,:").lower() for word in title_marks} >= {"video", "diffusion"}
    authors = match.locator(".dp-result__authors").inner_text()
    assert authors.startswith(paper.authors[0]) and authors.endswith("…")
