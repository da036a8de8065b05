"""The trends page's charts as a reader sees them: in the palette the reader chose (the
dark one's colours, not the light one's, after the switch, with no reload), whole on a
phone, and drawn with JavaScript off. Screenshots of both palettes are kept."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DESKTOP
from test_screenshots import shoot

if TYPE_CHECKING:
    from conftest import Reader
    from playwright.sync_api import Browser
    from sample_site import SampleSite
    from static_server import StaticServer

pytestmark = pytest.mark.browser

#: The first series' colour and the axis text's, as computed in each palette
#: (daily-papers.css: --dp-chart-0; Material's --md-default-fg-color--light).
FIRST_SERIES = {"default": "rgb(59, 110, 165)", "slate": "rgb(127, 176, 232)"}

#: The palette in force, the first bar's fill, an axis label's fill and the page's
#: background, as the browser computes them.
COLOURS_JS = """
() => {
  const chart = document.querySelector('#chart-papers');
  const bar = chart.querySelector('.series.color-0 rect');
  const label = chart.querySelector('.axis.y text');
  return {
    scheme: document.body.getAttribute('data-md-color-scheme'),
    bar: getComputedStyle(bar).fill,
    label: getComputedStyle(label).fill,
    background: getComputedStyle(document.body).backgroundColor,
    width: chart.getBoundingClientRect().width,
  };
}
"""


def colours(reader: Reader) -> dict[str, object]:
    found: dict[str, object] = reader.page.evaluate(COLOURS_JS)
    return found


def test_a_chart_takes_the_dark_palette_when_the_reader_switches(
    reader: Reader, sample_site: SampleSite, screenshot_dir: Path
) -> None:
    reader.page.emulate_media(color_scheme="light")
    shoot(reader, "trends/", screenshot_dir, "trends-light")
    light = colours(reader)
    assert light["scheme"] == "default"
    assert light["bar"] == FIRST_SERIES["default"]
    # Material's palette toggle, as a reader clicks it: the page is not reloaded.
    reader.page.locator("label.md-header__button[for^='__palette_']:visible").click()
    reader.page.wait_for_function(
        "() => document.body.getAttribute('data-md-color-scheme') === 'slate'"
    )
    dark = colours(reader)
    assert dark["bar"] == FIRST_SERIES["slate"]
    assert dark["label"] != light["label"] and dark["background"] != light["background"]
    reader.page.screenshot(path=str(screenshot_dir / "trends-dark.png"), full_page=True)
    assert (screenshot_dir / "trends-dark.png").stat().st_size > 0


def test_a_reader_whose_system_is_dark_gets_the_dark_chart(
    reader: Reader, sample_site: SampleSite
) -> None:
    reader.page.emulate_media(color_scheme="dark")
    reader.open("trends/")
    assert colours(reader)["bar"] == FIRST_SERIES["slate"]


def test_the_charts_are_whole_on_a_phone(
    mobile_reader: Reader, sample_site: SampleSite, screenshot_dir: Path
) -> None:
    # shoot() fails when anything is wider than the window: a chart scrolls in its box.
    shoot(mobile_reader, "trends/", screenshot_dir, "trends-mobile")
    labels = mobile_reader.page.eval_on_selector_all(
        "#chart-papers .axis.x text", "texts => texts.map(text => text.textContent)"
    )
    assert labels and all(label[:2] == "20" for label in labels)  # YYYY-MM, as the table


def test_the_charts_and_their_tables_need_no_javascript(
    browser: Browser, sample_site: SampleSite, server: StaticServer
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(sample_site.url + "trends/")
        chart = page.locator("#chart-papers")
        box = chart.bounding_box()
        assert box and box["width"] > 400 and box["height"] > 150
        assert page.locator("#chart-papers .series rect").count() > 0
        summary = page.locator("figure[aria-labelledby='papers'] summary")
        summary.click()  # <details> opens without script
        table = page.locator("figure[aria-labelledby='papers'] table")
        assert table.is_visible()
        assert table.locator("tbody tr").count() > 0
    finally:
        context.close()
