"""No record can run script or add markup to the site, checked in a real browser.

The payloads of :mod:`xss_payloads` sit in every field of the records of ``XSS_DAY``. For
each page that shows them: no dialog opens, the DOM scan finds nothing of theirs, and the
text a reader sees is exactly the text of the record. The scan itself is tested first: fed
the payloads unescaped, it must notice every one of them, so a clean site means something.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest
from sample_site import XSS_DAY, SampleSite
from xss_payloads import SCAN_JS, SUMMARY, TEXT, URLS, Payload

from generator.records.bullets import bullet_problem, render_bullets
from generator.records.text import one_line
from generator.records.urls import url_problem

if TYPE_CHECKING:
    from conftest import Reader
    from playwright.sync_api import Browser

MARKUP = [p for p in TEXT if p.creates_markup]


def test_corpus_is_large_varied_and_placeable() -> None:
    assert len(TEXT) >= 20 and len(SUMMARY) >= 20 and len(URLS) >= 10
    assert len({p.name for p in TEXT}) == len(TEXT), "payload names must be unique"
    for payload in TEXT:  # titles and authors must be one line, or the record is refused
        assert one_line(payload.text) == payload.text, payload.name
    for bullet in SUMMARY:
        assert bullet_problem(bullet) is None, bullet
    for url in URLS:
        assert url_problem(url) is None, url


@pytest.mark.parametrize("payload", [p for p in MARKUP if "<" in p.text], ids=lambda p: p.name)
def test_html_payloads_in_summary_bullets_are_text(payload: Payload) -> None:
    """A bullet's raw HTML is text: validation accepts it (unless it links to another
    scheme), and rendering makes no element of it beyond the inline Markdown ones."""
    problem = bullet_problem(payload.text)
    assert problem is None or problem.startswith("link target"), problem
    (rendered,) = render_bullets([payload.text])
    elements = _Elements()
    elements.feed(rendered)
    assert {tag for tag, _ in elements.found} <= {"a", "em", "strong", "code"}, rendered
    for _, attributes in elements.found:
        href = attributes.get("href") or "https://"
        assert href.startswith(("http://", "https://")), rendered


class _Elements(HTMLParser):
    """The elements of an HTML fragment with their attributes, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


@pytest.mark.browser
def test_the_scan_notices_every_payload_left_unescaped(browser: Browser) -> None:
    """The self-test: pasted raw into an element or an attribute, each payload is caught."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    missed = []
    for payload in MARKUP:
        caught = False
        for template in ("<div>{}</div>", '<img alt="{}">', "<a title='{}'>x</a>"):
            dialogs.clear()
            page.set_content(
                f"<!doctype html><html><body>{template.format(payload.text)}</body></html>"
            )
            page.wait_for_timeout(50)
            if page.evaluate(SCAN_JS) or dialogs:
                caught = True
                break
        if not caught:
            missed.append(payload.name)
    page.set_content("<!doctype html><html><body><p>plain &lt;b&gt; text</p></body></html>")
    clean = page.evaluate(SCAN_JS)
    context.close()
    assert not missed, f"the DOM scan misses payloads: {missed}"
    assert clean == [], "the DOM scan flags a page with no payload"


def _pages_with_payloads(site: SampleSite) -> list[str]:
    """Every built page that carries text of the XSS records (site-relative paths)."""
    marker = html.escape("xss-", quote=False)
    pages = []
    for page in sorted(site.site_dir.rglob("*.html")):
        if marker in page.read_text(encoding="utf-8", errors="replace"):
            pages.append(page.relative_to(site.site_dir).as_posix())
    return pages


@pytest.mark.browser
def test_no_page_runs_or_shows_a_payload(reader: Reader, sample_site: SampleSite) -> None:
    pages = _pages_with_payloads(sample_site)
    day_page = f"{XSS_DAY:%Y/%m/%d}/index.html"
    assert day_page in pages, f"the payload day page is missing from {pages}"
    assert len(pages) > 1, "payload titles should also show on archive pages"
    findings = {}
    for path in pages:
        reader.open(path)
        reader.page.mouse.move(10, 10)
        found = reader.page.evaluate(SCAN_JS)
        if found:
            findings[path] = found
    assert findings == {}


@pytest.mark.browser
def test_payload_text_shows_exactly_as_written(reader: Reader, sample_site: SampleSite) -> None:
    """Escaped once, not twice, not stripped: the reader sees the record's characters."""
    reader.open(f"{XSS_DAY:%Y/%m/%d}/")
    wrong = []
    for paper in sample_site.papers_on(XSS_DAY):
        text = reader.card(paper.id).evaluate("el => el.textContent")
        for field, value in [("title", paper.title), *(("author", a) for a in paper.authors)]:
            if value not in text:
                wrong.append(f"{paper.id} {field}: {value!r} not shown as written")
    assert wrong == []


@pytest.mark.browser
@pytest.mark.parametrize("query", ["xss-script", "onerror", "javascript"])
def test_search_results_show_payloads_as_text(
    reader: Reader, sample_site: SampleSite, query: str
) -> None:
    reader.open("")
    results = reader.search(query)
    assert results.count() > 0, f"search for {query!r} found nothing"
    reader.page.wait_for_timeout(300)
    assert reader.page.evaluate(SCAN_JS) == []
    titles = {paper.title for paper in sample_site.papers}
    shown = reader.page.locator(".dp-result__title").evaluate_all(
        "spans => spans.map(span => span.textContent)"
    )
    assert shown and set(shown) <= titles, "a result's title is not the record's text"
    # The matched words are highlighted, and <mark> is the only element an excerpt holds.
    tags = reader.page.locator(".dp-result__excerpt *").evaluate_all(
        "elements => elements.map(element => element.tagName)"
    )
    assert "MARK" in tags and set(tags) == {"MARK"}
