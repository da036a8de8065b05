"""Following, muting and the reading list, as a reader uses them in Chromium: the built
sample site served locally, the reader's choices in the browser's own storage."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from conftest import DESKTOP, MOBILE, Reader, open_reader
from sample_site import IMAGE_PAPER, PROLIFIC_AUTHOR, READER_DAY, XSS_DAY
from test_accessibility import violations
from xss_payloads import TEXT

from generator.plugin.authors import author_key, keyword_key, slug_of
from generator.plugin.bibtex import entry
from generator.plugin.follows import LIMIT
from generator.records.model import Paper

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from sample_site import SampleSite
    from static_server import StaticServer

pytestmark = pytest.mark.browser

TOPIC = "cs.LG"
AUTHOR_PAGE = f"authors/{slug_of(author_key(PROLIFIC_AUTHOR))}/"
KEYWORD = "sparse attention"


def matches(paper: Paper, key: str) -> bool:
    """Whether ``paper`` is listed under a follow key, as the records say."""
    kind, value = key.split(":", 1)
    if kind == "t":
        return value in (paper.categories or ())
    if kind == "a":
        return value in {author_key(name) for name in paper.authors}
    if kind == "k":
        return value in {keyword_key(word) for word in paper.keywords}
    return paper.organization is not None and paper.organization.name == value


def newest(site: SampleSite, keys: list[str]) -> list[Paper]:
    """The papers ``me/`` must list for ``keys``: newest day, most votes, id."""
    found = [paper for paper in site.papers if any(matches(paper, key) for key in keys)]
    found.sort(key=lambda p: (-p.date.toordinal(), -(p.votes or 0), p.id))
    return found[:LIMIT]


def follow_button(page: Page) -> object:
    return page.get_by_role("button", name=re.compile(r"^팔로우$"))


def feed_ids(page: Page) -> list[str]:
    page.wait_for_function(
        "() => /편/.test(document.querySelector('.dp-me__feed-status').textContent)"
    )
    links = page.locator(".dp-me__feed li > a")
    return [
        urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1]
        for href in links.evaluate_all("links => links.map(link => link.href)")
    ]


def test_follow_a_topic_and_an_author_and_read_exactly_their_newest_papers(
    reader: Reader, sample_site: SampleSite
) -> None:
    page = reader.page
    reader.open(f"topics/{TOPIC}/")
    button = follow_button(page)
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    reader.open(AUTHOR_PAGE)
    follow_button(page).click()

    before = len(reader.external)
    reader.open("me/")
    keys = [f"t:{TOPIC}", f"a:{author_key(PROLIFIC_AUTHOR)}"]
    assert feed_ids(page) == [paper.id for paper in newest(sample_site, keys)]
    # Nothing of ours leaves the site (Material's header asks GitHub for the repository's
    # stars on every page; that is the theme's, not this page's).
    assert [e for e in reader.external[before:] if "api.github.com" not in e] == []
    panel = page.locator(".dp-me__follows li")
    expected_topic = sum(matches(p, keys[0]) for p in sample_site.papers)
    expected_author = sum(matches(p, keys[1]) for p in sample_site.papers)
    assert panel.filter(has_text=TOPIC).filter(has_text=f"논문 {expected_topic}편").count() == 1
    assert (
        panel.filter(has_text=PROLIFIC_AUTHOR).filter(has_text=f"논문 {expected_author}편").count()
        == 1
    )

    # Undo from the panel: the follow is gone here and on the topic's page.
    page.get_by_role("button", name=re.compile(f"^팔로우 취소: .*{re.escape(TOPIC)}")).click()
    assert feed_ids(page) == [paper.id for paper in newest(sample_site, keys[1:])]
    reader.open(f"topics/{TOPIC}/")
    assert follow_button(page).get_attribute("aria-pressed") == "false"


def test_new_marks_and_the_home_count_follow_the_last_visit(
    reader: Reader, sample_site: SampleSite
) -> None:
    page = reader.page
    latest = max(sample_site.days)
    # A visit the day before the latest list, following a topic of older papers and a
    # keyword of the latest day; then a visit the day after it.
    page.clock.set_fixed_time(dt.datetime.combine(latest - dt.timedelta(days=1), dt.time(12)))
    reader.open(f"topics/{TOPIC}/")
    follow_button(page).click()
    recent = next(p for p in sample_site.papers_on(latest) if p.keywords)
    word = recent.keywords[0]
    reader.open(f"papers/{recent.id}/")
    page.get_by_role("button", name=f"팔로우: {word}").click()
    reader.open("")
    assert page.locator(".dp-new").is_hidden()  # a first visit: nothing is new yet

    page.clock.set_fixed_time(dt.datetime.combine(latest + dt.timedelta(days=1), dt.time(9)))
    reader.open("")
    keys = [f"t:{TOPIC}", f"k:{keyword_key(word)}"]
    listed = newest(sample_site, keys)
    fresh = [paper.id for paper in listed if paper.date >= latest]
    assert fresh and len(fresh) < len(listed)
    # Counted over every paper of the follows (each has fewer than LIMIT new ones here).
    new = [p for p in sample_site.papers if any(matches(p, k) for k in keys) and p.date >= latest]
    assert len(new) == len(fresh)
    count = page.locator(".dp-new a")
    count.wait_for()
    assert count.text_content() == f"팔로우한 것의 새 논문 {len(new)}편"
    count.click()
    page.wait_for_url("**/me/")
    assert feed_ids(page) == [paper.id for paper in listed]
    marked = page.locator(".dp-me__feed li.dp-me__new > a").evaluate_all(
        "links => links.map(link => link.href)"
    )
    assert [urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in marked] == fresh
    assert f"새 논문 {len(fresh)}편" in (page.locator(".dp-me__feed-status").text_content() or "")


def test_a_muted_keyword_folds_its_papers_and_unmuting_brings_them_back(reader: Reader) -> None:
    page = reader.page
    reader.open(f"papers/{IMAGE_PAPER}/")
    page.get_by_role("button", name=f"숨기기: {KEYWORD}").click()

    reader.open(f"{READER_DAY:%Y/%m/%d}/")
    card = reader.card(IMAGE_PAPER)
    assert "dp-muted" in (card.get_attribute("class") or "")
    assert card.locator("h2").is_visible()
    assert card.locator(".dp-summary").is_hidden()
    show = card.get_by_role("button", name="펼치기")
    show.click()
    assert card.locator(".dp-summary").is_visible()
    assert show.get_attribute("aria-expanded") == "true"
    # Other cards of the day are as they were.
    others = page.locator("article.dp-paper:not(.dp-muted)")
    assert others.count() == len(reader.site.papers_on(READER_DAY)) - 1

    reader.open("me/")
    page.get_by_role("button", name=f"숨김 취소: {KEYWORD}").click()
    reader.open(f"{READER_DAY:%Y/%m/%d}/")
    assert "dp-muted" not in (reader.card(IMAGE_PAPER).get_attribute("class") or "")
    assert reader.card(IMAGE_PAPER).locator(".dp-summary").is_visible()


def parse_bibtex(text: str) -> list[dict[str, str]]:
    import bibtexparser

    return list(bibtexparser.loads(text).entries)


def test_save_three_papers_export_them_and_open_the_list_elsewhere(
    browser: Browser, sample_site: SampleSite, server: StaticServer, reader: Reader
) -> None:
    page = reader.page
    # Hostile titles and names: braces, backslashes and % (BibTeX's markup), quotes that
    # break out of an attribute, HTML, and the paper whose authors carry every payload.
    by_title = {paper.title: paper for paper in sample_site.papers_on(XSS_DAY)}
    papers = [
        by_title[payload.text]
        for payload in TEXT
        if payload.name in ("bibtex-breakout", "double-quote-breakout", "script-tag")
    ]
    assert len(papers) == 3
    reader.open(f"{XSS_DAY:%Y/%m/%d}/")
    for paper in papers:
        save = reader.card(paper.id).get_by_role("button", name="저장")
        save.click()
        assert save.get_attribute("aria-pressed") == "true"
    reader.open("me/")
    page.reload()
    notes = page.locator(".dp-me__list li")
    assert notes.count() == 3
    notes.first.locator("textarea").fill("읽을 것 } % \\ <b>x</b> \u202e[거꾸로](javascript:x)")
    notes.first.locator("textarea").blur()

    page.get_by_role("button", name="BibTeX로 내보내기").click()
    output = page.locator(".dp-me__export textarea")
    page.wait_for_function("() => document.querySelector('.dp-me__export textarea').value")
    parsed = parse_bibtex(output.input_value())
    expected = parse_bibtex("\n\n".join(entry(paper) for paper in papers))
    assert [e["eprint"] for e in parsed] == [paper.id for paper in papers]
    assert [{k: v for k, v in e.items() if k != "ID"} for e in parsed] == [
        {k: v for k, v in e.items() if k != "ID"} for e in expected
    ]
    assert len({e["ID"] for e in parsed}) == 3

    page.get_by_role("button", name="Markdown으로 내보내기").click()
    page.wait_for_function(
        "() => document.querySelector('.dp-me__export').dataset.kind === 'markdown'"
    )
    lines = output.input_value().splitlines()
    assert len(lines) == 3
    import markdown

    for line, paper in zip(lines, papers, strict=True):
        html = markdown.markdown(line)
        # One link, to the paper on this site, and nothing that became markup.
        assert html.count("<a ") == 1, html
        assert re.search(r'<a href="http://127\.0\.0\.1:\d+/daily-papers/papers/', html), html
        assert not re.search(r"<(?!/?(?:ul|li|a|p)\b)", html), html
        assert not re.search(r"[\u202a-\u202e\u2066-\u2069]", line)
        assert paper.id in line
    assert lines[0].endswith("— 읽을 것 } % \\\\ \\<b\\>x\\</b\\> \\[거꾸로\\]\\(javascript:x\\)")

    page.get_by_role("button", name="목록 링크 만들기").click()
    page.wait_for_function("() => document.querySelector('.dp-me__export').dataset.kind === 'link'")
    link = output.input_value()
    assert urlsplit(link).path.endswith("/me/") and "#list=" in link

    other, context = open_reader(browser, sample_site, server, DESKTOP)
    try:
        other.page.goto(link, wait_until="load")
        offer = other.page.locator(".dp-me__import-text")
        offer.wait_for()
        assert "논문 3편" in (offer.text_content() or "")
        other.page.get_by_role("button", name="가져오기").click()
        imported = other.page.locator(".dp-me__list li > a")
        imported.first.wait_for()
        assert [
            urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1]
            for h in imported.evaluate_all("links => links.map(link => link.href)")
        ] == [paper.id for paper in papers]
        assert other.page.locator(".dp-me__list textarea").first.input_value().startswith("읽을 것")
    finally:
        context.close()
    assert not other.complaints(), "\n".join(other.complaints())


def test_a_list_link_leading_off_the_site_is_refused(reader: Reader) -> None:
    rows = [["2306.80002", "<script>x</script>", "https://evil.example/", "2024-01-01", ""]]
    packed = base64.urlsafe_b64encode(json.dumps(rows).encode()).decode().rstrip("=")
    reader.open(f"me/#list=j{packed}")
    text = reader.page.locator(".dp-me__import-text")
    text.wait_for()
    assert text.text_content() == "링크에 담긴 목록을 읽을 수 없습니다."
    assert reader.page.get_by_role("button", name="가져오기").is_hidden()


def test_without_storage_the_page_says_so_and_buttons_stay_hidden(
    browser: Browser, sample_site: SampleSite, server: StaticServer
) -> None:
    reader, context = open_reader(browser, sample_site, server, DESKTOP)
    context.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() {"
        " throw new DOMException('blocked', 'SecurityError'); }});"
    )
    try:
        reader.open("me/")
        assert reader.page.locator(".dp-me__storage").is_visible()
        assert reader.page.locator(".dp-me").is_hidden()
        assert reader.page.locator(".dp-me__nojs").is_hidden()
        reader.open(f"papers/{IMAGE_PAPER}/")
        assert reader.page.locator("[data-dp-save], [data-dp-follow]").first.is_hidden()
        assert reader.page.locator("pre.dp-bibtex").is_visible()
    finally:
        context.close()
    # Material's own inline scripts read the storage unguarded (its palette): only theirs.
    ours = [c for c in reader.complaints() if c != "uncaught exception: blocked"]
    assert not ours, "\n".join(ours)


def test_without_javascript_pages_read_as_before(browser: Browser, sample_site: SampleSite) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(f"{sample_site.url}me/")
        assert page.locator(".dp-me__nojs").is_visible()
        assert page.locator(".dp-me").is_hidden()
        page.goto(f"{sample_site.url}papers/{IMAGE_PAPER}/")
        assert page.locator("button[data-dp-save], button[data-dp-follow]").evaluate_all(
            "buttons => buttons.every(button => button.offsetParent === null)"
        )
        assert "archivePrefix={arXiv}" in (page.locator("pre.dp-bibtex").text_content() or "")
        page.goto(f"{sample_site.url}{READER_DAY:%Y/%m/%d}/")
        assert page.locator(".dp-summary").first.is_visible()
    finally:
        context.close()


def test_the_buttons_work_from_the_keyboard_alone(reader: Reader) -> None:
    page = reader.page
    reader.open(f"topics/{TOPIC}/")
    button = follow_button(page)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.dpFollow") == f"t:{TOPIC}":
            break
    else:
        pytest.fail("the follow button is never reached with Tab")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert button.get_attribute("aria-pressed") == "false"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_me_with_follows_and_a_list_is_accessible_and_fits_a_phone(
    browser: Browser, sample_site: SampleSite, server: StaticServer, scheme: str
) -> None:
    for viewport in (DESKTOP, MOBILE):
        reader, context = open_reader(browser, sample_site, server, viewport)
        reader.page.emulate_media(color_scheme=scheme)
        page = reader.page
        try:
            reader.open(f"topics/{TOPIC}/")
            follow_button(page).click()
            page.get_by_role("button", name=re.compile("^숨기기$")).click()
            reader.open(f"papers/{IMAGE_PAPER}/")
            page.get_by_role("button", name="저장").click()
            page.get_by_role("button", name=f"팔로우: {KEYWORD}").click()
            found = [f"paper: {v}" for v in violations(page)]
            reader.open(f"{READER_DAY:%Y/%m/%d}/")
            found += [f"day: {v}" for v in violations(page)]
            reader.open("me/")
            feed_ids(page)
            found += [f"me: {v}" for v in violations(page)]
            assert not found, "\n".join(found)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"me/ is {width}px wide on {viewport}"
        finally:
            context.close()
        assert not reader.complaints(), "\n".join(reader.complaints())


def test_the_cite_block_copies_its_entry(
    browser: Browser, sample_site: SampleSite, server: StaticServer
) -> None:
    reader, context = open_reader(browser, sample_site, server, DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        reader.open(f"papers/{IMAGE_PAPER}/")
        button = reader.page.get_by_role("button", name="BibTeX 복사")
        button.click()
        reader.page.wait_for_function(
            "() => document.querySelector('.dp-copy').textContent === '복사했습니다'"
        )
        copied = reader.page.evaluate("() => navigator.clipboard.readText()")
        assert copied == entry(sample_site.paper(IMAGE_PAPER))
    finally:
        context.close()
    assert not reader.complaints(), "\n".join(reader.complaints())
