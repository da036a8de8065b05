"""A paper page in the project's thin frame (templates/frame.html): the header, search box,
palette toggle, repository link and colours every page has, the site's main sections one
click away on a desktop and on a phone, and no sidebar rendered only to be hidden.

Screenshots of a paper page after the change (``paper-after-*``) are written beside the
ones taken before it (``paper-before-*``, kept in tests/fixtures/screenshots/), on a
desktop and a phone, light and dark, for a person to compare after a run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect
from sample_site import IMAGE_PAPER, READER_DAY, SITE_PATH
from test_screenshots import shoot

if TYPE_CHECKING:
    from conftest import Reader
    from sample_site import SampleSite

pytestmark = pytest.mark.browser

BEFORE = Path(__file__).resolve().parent.parent / "fixtures" / "screenshots"
PAPER = f"papers/{IMAGE_PAPER}/"


def navigation(reader: Reader) -> list[tuple[str, str]]:
    """The top level of the site's navigation, as the sidebar of a hand-written page
    shows it: each entry's title and address (a section's: its first page's)."""
    reader.open("about/")
    return reader.page.evaluate(
        """() => [...document.querySelectorAll(
              '.md-nav--primary > .md-nav__list > .md-nav__item')].map(item => {
            const link = item.querySelector('a.md-nav__link');
            const title = item.querySelector('.md-nav__link').textContent.trim();
            return [title, link.href];
          })"""
    )


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_paper_page_has_the_sites_header_and_its_sections(
    device: str, reader: Reader, mobile_reader: Reader, sample_site: SampleSite
) -> None:
    visitor = reader if device == "desktop" else mobile_reader
    expected = navigation(visitor)
    visitor.open(PAPER)
    page = visitor.page
    assert page.locator(".md-sidebar").count() == 0  # no sidebar rendered to be hidden
    header = page.locator("header.md-header")
    expect(header.locator(".dp-search-box button")).to_be_visible()
    if device == "desktop":
        expect(header.locator(".dp-search-box input")).to_be_visible()
        expect(header.locator(".md-source")).to_be_visible()
    else:  # as on every page of the site, the phone's header keeps the search button
        assert header.locator(".md-source").count() == 1
    expect(header.locator("[data-md-component=palette] label:not([hidden])")).to_be_visible()
    expect(header.locator(".md-logo")).to_be_visible()
    sections = page.locator(".dp-sections a")
    shown = [
        (
            sections.nth(i).inner_text().strip(),
            urljoin(page.url, sections.nth(i).get_attribute("href") or ""),
        )
        for i in range(sections.count())
    ]
    assert [title for title, _ in shown] == [title for title, _ in expected]
    assert [url.rstrip("/") for _, url in shown] == [url.rstrip("/") for _, url in expected]
    for i in range(sections.count()):  # each one click away: on a phone, by scrolling the row
        sections.nth(i).scroll_into_view_if_needed()
        expect(sections.nth(i)).to_be_visible()
    page.locator(".dp-sections a", has_text="아카이브").click()
    page.wait_for_url(f"**/{SITE_PATH}archive/")
    assert visitor.complaints() == []


def test_the_palette_chosen_on_a_paper_page_holds_on_the_other_pages(reader: Reader) -> None:
    reader.open(PAPER)
    page = reader.page
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.locator("[data-md-component=palette] label:not([hidden])").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    reader.open(f"{READER_DAY:%Y/%m/%d}/")  # a page in Material's own frame
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    reader.open(PAPER)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert reader.complaints() == []


@pytest.mark.parametrize("scheme", ["slate", "default"])
def test_the_chosen_palette_is_set_before_materials_script_runs(
    reader: Reader, scheme: str
) -> None:
    # The frame's own palette script restores the choice as the header is parsed; without
    # it a dark choice would flash light until Material's bundle (the page's last script).
    reader.open(PAPER)
    page = reader.page
    if scheme == "slate":
        page.locator("[data-md-component=palette] label:not([hidden])").click()
    page.route(
        "**/assets/javascripts/bundle.*.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
    )
    page.goto(page.url)
    assert page.evaluate("document.body.dataset.mdColorScheme") == scheme
    page.unroute("**/assets/javascripts/bundle.*.js")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_a_paper_page_before_and_after(
    device: str, scheme: str, reader: Reader, mobile_reader: Reader, screenshot_dir: Path
) -> None:
    visitor = reader if device == "desktop" else mobile_reader
    visitor.page.emulate_media(color_scheme=scheme)
    shot = shoot(visitor, PAPER, screenshot_dir, f"paper-after-{device}-{scheme}")
    assert shot.stat().st_size > 0
    before = BEFORE / f"paper-before-{device}-{scheme}.png"
    assert before.is_file(), f"{before} is missing"
    shutil.copy(before, screenshot_dir / before.name)
