"""No record can run script or add markup to the site: the payload corpus and the DOM scan.

The payloads of :mod:`xss_payloads` are meant for every field of a record, so first: each
one is accepted where the tests put it. Then the scan that judges a page is itself tested:
fed the payloads unescaped, it must notice every one of them, so a clean page means something.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from generator.record import one_line, url_problem
from generator.validate import summary_item_problem
from xss_payloads import SCAN_JS, SUMMARY, TEXT, URLS, Payload

if TYPE_CHECKING:
    from playwright.sync_api import Browser

MARKUP = [p for p in TEXT if p.creates_markup]


def test_corpus_is_large_varied_and_placeable() -> None:
    assert len(TEXT) >= 20 and len(SUMMARY) >= 20 and len(URLS) >= 10
    assert len({p.name for p in TEXT}) == len(TEXT), "payload names must be unique"
    for payload in TEXT:  # titles and authors must be one line, or the record is refused
        assert one_line(payload.text) == payload.text, payload.name
    for bullet in SUMMARY:
        assert summary_item_problem(bullet) is None, bullet
    for url in URLS:
        assert url_problem(url) is None, url


@pytest.mark.parametrize("payload", [p for p in MARKUP if "<" in p.text], ids=lambda p: p.name)
def test_html_payloads_are_refused_as_summary_bullets(payload: Payload) -> None:
    """Raw HTML reaches the site only through fields that must escape it, never a summary."""
    assert summary_item_problem(payload.text) is not None


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
            page.set_content(f"<!doctype html><html><body>{template.format(payload.text)}"
                             "</body></html>")
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

