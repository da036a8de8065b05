"""The built site, read as a person reads it: in Chromium, by looking, clicking and typing.

Expectations come from the records themselves (``SampleSite.papers``), so these tests
follow the repository's sample data as it grows: the home page must show whichever day
is the latest, the archive must reach every day there is.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest
from sample_site import (
    ABSTRACT_PAPER,
    EXTERNAL_IMAGE,
    IMAGE_PAPER,
    READER_DAY,
    VIDEO_PAPER,
    SampleSite,
)
from sitebuild import REPO

from generator.records.model import Paper, record_relpath

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Reader

pytestmark = pytest.mark.browser

DAY_URL = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/(?:index\.html)?$")

#: Python or JavaScript leaking an absent value into the page instead of a real text.
LEAKED_EMPTY = re.compile(r"\b(None|null|undefined|NaN)\b")


def day_path(date: dt.date) -> str:
    return f"{date:%Y/%m/%d}/"


def all_pages(site: SampleSite) -> list[str]:
    """Every HTML page of the built site, as site-relative paths."""
    return sorted(p.relative_to(site.site_dir).as_posix() for p in site.site_dir.rglob("*.html"))


def card_facts(reader: Reader, paper_id: str) -> dict[str, object]:
    """What a reader sees of one card, read from the rendered page."""
    return reader.card(paper_id).evaluate("""card => {
      const heading = card.querySelector('h2');
      const title = heading.querySelector('a');
      const visible = (el) => !!el && el.getClientRects().length > 0;
      return {
        title: title.textContent, titleHref: title.href, titleVisible: visible(title),
        text: card.innerText,
        images: [...card.querySelectorAll('img')].map(img => ({
          src: img.src, alt: img.alt, loading: img.loading, visible: visible(img)})),
        videos: card.querySelectorAll('video').length,
      };
    }""")


def test_home_shows_the_latest_day(reader: Reader, sample_site: SampleSite) -> None:
    latest = sample_site.days[-1]
    reader.open("")
    for paper in sample_site.papers_on(latest):
        facts = card_facts(reader, paper.id)
        assert facts["title"] == paper.title and facts["titleVisible"], paper.id
    shown_ids = reader.page.locator("article.dp-paper h2[id]").evaluate_all(
        "hs => hs.map(h => h.id)"
    )
    assert sorted(shown_ids) == sorted(p.id for p in sample_site.papers_on(latest))
    assert reader.page.locator(f".md-content a[href$='{day_path(latest)}']").count(), (
        "the home page does not link to the latest day's page"
    )


@pytest.mark.parametrize("which", ["test day", "latest day"])
def test_a_day_page_shows_every_paper_card(
    reader: Reader, sample_site: SampleSite, which: str
) -> None:
    day = READER_DAY if which == "test day" else sample_site.days[-1]
    papers = sample_site.papers_on(day)
    reader.open(day_path(day))
    shown = reader.page.locator("article.dp-paper h2[id]").evaluate_all("hs => hs.map(h => h.id)")
    assert sorted(shown) == sorted(p.id for p in papers)
    votes = [sample_site.paper(i).votes for i in shown]
    known = [v for v in votes if v is not None]
    assert known == sorted(known, reverse=True), "cards are not in order of votes"
    assert votes[len(known) :] == [None] * (len(votes) - len(known)), "unknown votes go last"
    for paper in papers:
        check_card(reader, paper, all_text_is_ours=day == READER_DAY)


def check_card(reader: Reader, paper: Paper, all_text_is_ours: bool) -> None:
    """Title, votes, authors and media of one card; ``all_text_is_ours``: the test wrote
    every field, so a word like None can only come from the site."""
    facts = card_facts(reader, paper.id)
    assert facts["title"] == paper.title and facts["titleVisible"], paper.id
    # The title leads to the paper's own page; Hugging Face's is a link of its own.
    assert facts["titleHref"] == urljoin(reader.site.url, f"papers/{paper.id}/")
    text = str(facts["text"])
    shown_votes = "–" if paper.votes is None else str(paper.votes)
    assert f"추천 {shown_votes}" in text, f"{paper.id}: votes {shown_votes} not shown"
    assert paper.authors[0] in text, f"{paper.id}: first author not shown"
    if all_text_is_ours:
        assert not LEAKED_EMPTY.search(text), f"{paper.id}: {LEAKED_EMPTY.search(text)}"
    shown = paper.media[0].kind if paper.media else ("image" if paper.thumbnail else None)
    if shown == "image":
        images = facts["images"]
        assert images and images[0]["visible"], f"{paper.id}: no visible image"
        assert images[0]["alt"].strip() and images[0]["loading"] == "lazy", images[0]
        image = reader.card(paper.id).locator("img").first
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    elif shown == "video":
        assert facts["videos"] == 1, f"{paper.id}: no video"


def test_external_images_are_answered_locally(reader: Reader) -> None:
    """How the tests keep CDN images from failing: a placeholder, and the request noted."""
    reader.open(day_path(READER_DAY))
    image = reader.card(IMAGE_PAPER).locator("img").first
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 640
    assert f"image {EXTERNAL_IMAGE}" in reader.external


def test_the_demo_video_plays(reader: Reader, sample_site: SampleSite, demo_video: Path) -> None:
    reader.open(day_path(READER_DAY))
    video = reader.card(VIDEO_PAPER).locator("video")
    attributes = video.evaluate("""v => ({controls: v.controls, muted: v.muted,
        playsinline: v.playsInline, preload: v.preload, poster: v.poster,
        canPlay: v.canPlayType('video/mp4; codecs="vp09.00.10.08"')})""")
    assert attributes == {
        "controls": True,
        "muted": True,
        "playsinline": True,
        "preload": "metadata",
        "canPlay": "probably",
        "poster": sample_site.paper(VIDEO_PAPER).thumbnail,
    }
    video.scroll_into_view_if_needed()
    video.click()  # a click on a video with controls starts it, as for a reader
    reader.page.wait_for_function(
        "v => !v.paused && v.currentTime > 0.5", arg=video.element_handle(), timeout=10_000
    )
    state = video.evaluate("""async v => {
        const seekable = v.seekable.length ? v.seekable.end(0) : 0;
        v.currentTime = 2;
        await Promise.race([new Promise(r => v.addEventListener('seeked', r, {once: true})),
                            new Promise(r => setTimeout(r, 10000))]);
        return {error: v.error && v.error.message, width: v.videoWidth, seekable,
                after: v.currentTime};
    }""")
    assert state["error"] is None and state["width"] == 320
    assert state["seekable"] >= 2.9 and state["after"] >= 2, f"not seekable: {state}"


def test_a_long_author_list_folds_and_unfolds(reader: Reader, sample_site: SampleSite) -> None:
    """``innerText`` is what is rendered: folded names are in the page but not on screen."""
    authors = sample_site.paper(VIDEO_PAPER).authors
    reader.open(day_path(READER_DAY))
    card = reader.card(VIDEO_PAPER)
    shown = [name for name in authors if name in card.inner_text()]
    assert authors[0] in shown and authors[-1] not in shown, "the author list is not folded"
    more = card.get_by_text(re.compile(r"^\+\d+$"))
    assert more.inner_text() == f"+{len(authors) - len(shown)}"
    more.click()
    assert all(name in card.inner_text() for name in authors), "+N does not unfold the list"
    more.click()
    assert authors[-1] not in card.inner_text(), "clicking +N again does not fold the list"


def test_the_archive_leads_to_every_day(reader: Reader, sample_site: SampleSite) -> None:
    reader.open("")
    reader.page.get_by_role("link", name="아카이브", exact=True).first.click()
    reader.page.wait_for_load_state()
    archive = reader.page.url
    seen, queue, days = {archive}, [archive], set()
    while queue:  # follow every link below the site that is not a day page
        url = queue.pop()
        if url != reader.page.url:
            reader.page.goto(url)
        hrefs = reader.page.locator("article a[href]").evaluate_all("as => as.map(a => a.href)")
        for href in hrefs:
            target = href.split("#")[0]
            if not target.startswith(sample_site.url):
                continue
            found = DAY_URL.search(urlsplit(target).path)
            if found:
                days.add(dt.date(*map(int, found.groups())))
            elif target not in seen and re.search(r"/\d{4}/(\d{2}/)?$", target):
                seen.add(target)
                queue.append(target)
    assert days == set(sample_site.days)


@pytest.mark.parametrize("path", ["", "archive/", day_path(READER_DAY), "about/"])
def test_the_feed_is_announced_in_the_head(
    reader: Reader, sample_site: SampleSite, path: str
) -> None:
    reader.open(path)
    links = reader.page.locator("head link[rel='alternate']")
    hrefs = links.evaluate_all("ls => ls.map(l => [l.type, l.href])")
    assert hrefs == [
        ["application/rss+xml", urljoin(sample_site.url, "feed.xml")],
        ["application/feed+json", urljoin(sample_site.url, "feed.json")],
        ["application/rss+xml", urljoin(sample_site.url, "feed-weekly.xml")],
        ["application/feed+json", urljoin(sample_site.url, "feed-weekly.json")],
    ]
    for kind, href in hrefs:
        response = reader.page.request.get(href)
        assert response.ok and (
            b"<rss" in response.body() if "rss" in kind else response.json()["items"]
        )


def test_edit_links_point_at_the_record_on_github(reader: Reader, sample_site: SampleSite) -> None:
    repo_url = str(sample_site.config.repo_url).rstrip("/")
    latest = sample_site.days[-1]
    for day in (READER_DAY, latest):
        reader.open(day_path(day))
        for paper in sample_site.papers_on(day):
            link = reader.card(paper.id).get_by_role("link", name="요약 고치기")
            href = link.get_attribute("href")
            relpath = f"data/{record_relpath(paper.date, paper.id).as_posix()}"
            assert href is not None and href.startswith(f"{repo_url}/edit/"), href
            assert href.endswith(f"/{relpath}"), href
            if day == latest:  # a record of the repository: the link names a real file
                assert (REPO / relpath).is_file(), relpath
        page_edit = reader.page.locator("a.md-content__button").first.get_attribute("href")
        assert page_edit is not None and page_edit.startswith(f"{repo_url}/tree/")
        assert page_edit.endswith(f"data/{day:%Y/%m/%d}"), page_edit


def test_the_abstract_unfolds_when_there_is_no_summary(
    reader: Reader, sample_site: SampleSite
) -> None:
    reader.open(day_path(READER_DAY))
    card = reader.card(ABSTRACT_PAPER)
    first_words = sample_site.paper(ABSTRACT_PAPER).abstract.split(".")[0]
    abstract = card.get_by_text(first_words)
    assert not abstract.is_visible()
    card.locator("details summary").click()
    assert abstract.is_visible()


def test_no_console_errors_on_any_page(reader: Reader, sample_site: SampleSite) -> None:
    complaints = {}
    for path in all_pages(sample_site):
        reader.open(path)
        reader.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        reader.page.wait_for_timeout(100)
        found = reader.take_complaints()
        if found:
            complaints[path] = found
    assert complaints == {}


#: Dates, counts and pager links (all but the title column of tables) that take two lines.
BROKEN_LABELS_JS = """
() => [...document.querySelectorAll(
    '.md-content table tr > :not(:last-child), .md-content nav:not(.dp-day-list) a')]
  .filter(label => {
  const range = document.createRange();
  range.selectNodeContents(label);
  const tops = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
  return tops.size > 1;
}).map(label => label.textContent)
"""


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_dates_and_counts_stay_on_one_line(
    reader: Reader, mobile_reader: Reader, sample_site: SampleSite, phone: bool
) -> None:
    """Short labels (10월, 25편, a date) must not wrap; only titles may."""
    who = mobile_reader if phone else reader
    pages = [
        p
        for p in all_pages(sample_site)
        if re.fullmatch(r"(archive/|\d{4}/(\d{2}/(\d{2}/)?)?)index\.html", p)
    ]
    assert len(pages) >= 3 + len(sample_site.days), pages
    broken = {}
    for path in pages:
        who.open(path)
        labels = who.page.evaluate(BROKEN_LABELS_JS)
        if labels:
            broken[path] = labels
    assert broken == {}


#: The page's width against the phone's, and the element sticking out furthest past it.
WIDTH_JS = """
(phone) => {
  let widest = null, right = phone;
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > right && getComputedStyle(el).opacity !== '0') {
      right = box.right;
      widest = el;
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
          widest: widest && widest.outerHTML.slice(0, 160)};
}
"""


def test_no_horizontal_scrolling_on_a_phone(mobile_reader: Reader, sample_site: SampleSite) -> None:
    """Nothing is wider than the phone. A phone zooms out to fit a too-wide page, which
    widens ``innerWidth`` too, so both are compared with the phone's own width."""
    phone = mobile_reader.viewport["width"]
    too_wide = {}
    for path in all_pages(sample_site):
        mobile_reader.open(path)
        width = mobile_reader.page.evaluate(WIDTH_JS, phone)
        if width["scrollWidth"] > phone or width["innerWidth"] != phone:
            too_wide[path] = width
    assert too_wide == {}
