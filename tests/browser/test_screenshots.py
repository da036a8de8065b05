"""Screenshots of the pages a reader sees most, for a person to look at after a run.

Each shot is taken once the page is fully loaded: every lazy image scrolled into view and
decoded, video metadata loaded, web fonts settled. Before the picture is written the page must be whole: no
broken image, nothing wider than the window. The folder is printed at the end of the run
(``$DAILY_PAPERS_SCREENSHOTS`` chooses it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sample_site import READER_DAY, SampleSite

if TYPE_CHECKING:
    from conftest import Reader

pytestmark = pytest.mark.browser

#: Scrolls through the page so lazy images load, then waits for images and fonts.
SETTLE_JS = """
async () => {
  // Every wait is bounded: media that never loads must fail the check, not hang it.
  const within = (promise, ms) => Promise.race([promise, new Promise(r => setTimeout(r, ms))]);
  const step = Math.max(200, window.innerHeight / 2);
  for (let y = 0; y < document.body.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 30));
  }
  window.scrollTo(0, 0);
  await Promise.all([...document.images].map(img => within(img.decode().catch(() => null),
                                                          10000)));
  await Promise.all([...document.querySelectorAll('video')].map(video => video.readyState > 0
    ? null : within(new Promise(r => video.addEventListener('loadedmetadata', r, {once: true})),
                    10000)));
  await within(document.fonts.ready, 10000);
  await new Promise(r => setTimeout(r, 500));  // media controls settle after loading
}
"""

#: Images that did not load, and the widest element, when it is wider than the window.
PROBLEMS_JS = """
() => {
  const broken = [...document.images]
    .filter(img => !img.complete || img.naturalWidth === 0)
    .map(img => img.currentSrc || img.src);
  const width = document.documentElement.clientWidth;
  const scrollWidth = document.scrollingElement.scrollWidth;
  return {broken, overflow: scrollWidth > window.innerWidth ? scrollWidth - width : 0};
}
"""


def shoot(reader: Reader, path: str, folder: Path, name: str) -> Path:
    """Open ``path``, let it settle, check it is whole, and write a full-page screenshot."""
    reader.open(path)
    reader.page.evaluate(SETTLE_JS)
    problems = reader.page.evaluate(PROBLEMS_JS)
    assert problems == {"broken": [], "overflow": 0}, f"{path}: {problems}"
    shot = folder / f"{name}.png"
    reader.page.screenshot(path=str(shot), full_page=True)
    return shot


def latest_day(site: SampleSite) -> str:
    return f"{site.days[-1]:%Y/%m/%d}/"


def test_home(reader: Reader, sample_site: SampleSite, screenshot_dir: Path) -> None:
    assert shoot(reader, "", screenshot_dir, "home-desktop").stat().st_size > 0


def test_day_page_desktop(reader: Reader, sample_site: SampleSite, screenshot_dir: Path) -> None:
    shoot(reader, latest_day(sample_site), screenshot_dir, "day-desktop")
    shoot(reader, f"{READER_DAY:%Y/%m/%d}/", screenshot_dir, "media-day-desktop")


def test_day_page_mobile(
    mobile_reader: Reader, sample_site: SampleSite, screenshot_dir: Path
) -> None:
    shoot(mobile_reader, latest_day(sample_site), screenshot_dir, "day-mobile")
    shoot(mobile_reader, f"{READER_DAY:%Y/%m/%d}/", screenshot_dir, "media-day-mobile")


def test_archive(reader: Reader, screenshot_dir: Path) -> None:
    shoot(reader, "archive/", screenshot_dir, "archive-desktop")
