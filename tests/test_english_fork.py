"""A fork that publishes its archive in English: theme.language en, nothing else to give.

The records here hold no Korean, so any Hangul in a built page, feed or the search page
would be interface text that escaped the English table.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import feedparser
import pytest
from record_files import write
from sitebuild import build_site, read_page, sample_papers

from generator.records.model import Organization, summary_fingerprint

HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")
BULLETS = [
    "Scales a **speech** model and studies what changes.",
    "Trains on public data only, so it is easy to `reproduce`.",
    "Details are on the [project page](https://example.org/project).",
]

CONFIG = """\
site_name: Daily Papers in English
site_description: Hugging Face Daily Papers with a short summary of every paper
site_url: https://example.github.io/daily-papers/
repo_url: https://github.com/example/daily-papers
edit_uri: edit/main/docs/
theme:
  name: material
  language: en
  font: false
  features: [content.action.edit]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/brightness-4, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/brightness-7, name: Switch to light mode}
plugins:
  - daily-papers:
      data_dir: data
nav:
  - Home: index.md
  - Archive: archive.md
  - Most upvoted: top.md
  - Organizations: orgs.md
  - About: about.md
"""


def english_papers() -> list:
    papers = []
    for index, paper in enumerate(sample_papers()):
        summary = list(BULLETS) if paper.summary else []
        source = paper.summary_source
        if source is not None and summary:
            source = dataclasses.replace(
                source,
                language="en",
                fingerprint=summary_fingerprint(summary) if source.fingerprint else None,
            )
        papers.append(
            dataclasses.replace(
                paper,
                summary=summary,
                summary_source=source if summary else None,
                organization=Organization("example-lab", "Example Lab") if index < 4 else None,
            )
        )
    return papers


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("english")
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text("# About\n\nAn archive in English.\n", "utf-8")
    for paper in english_papers():
        write(paper, root / "data")
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return build_site(root / "mkdocs.yml", root / "site")


def test_no_page_of_any_kind_shows_korean(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    kinds = {"weeks", "orgs", "top", "search", "archive"}
    assert kinds <= {path.relative_to(site).parts[0] for path in pages}
    found = []
    for path in pages:
        for match in HANGUL.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(site)}: {match.group(0)}")
    assert found == [], found[:20]


def test_the_feeds_and_the_opensearch_description_are_english(site: Path) -> None:
    for name in ("feed.xml", "feed.json", "feed-weekly.xml", "feed-weekly.json", "opensearch.xml"):
        assert not HANGUL.search((site / name).read_text(encoding="utf-8")), name
    feed = feedparser.parse((site / "feed-weekly.xml").read_bytes())
    assert feed.feed.language == "en"
    assert feed.feed.title == "Daily Papers in English: the week's most upvoted papers"
    assert feed.entries[0].title.startswith("Week ")


def test_lang_locale_and_dates_follow_the_language(site: Path) -> None:
    paper = english_papers()[0]
    day = read_page(site, f"{paper.date:%Y/%m/%d}/")
    html = (site / f"{paper.date:%Y/%m/%d}" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert next(day.find("h1")).text.strip() == "Monday, December 4, 2023"
    assert "4 papers from Hugging Face Daily Papers" in day.content().text
    archive = read_page(site, "archive/")
    assert "4 days, 16 papers" in archive.by_class("dp-lead")[0].text


def test_the_search_page_speaks_english_to_its_script(site: Path) -> None:
    page = read_page(site, "search/")
    assert next(page.find("h1")).text == "Search"
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    messages = re.search(
        r'<script type="application/json" id="dp-search-messages">(.*?)</script>', html
    )
    assert messages and '"date": null' in messages.group(1)  # the browser writes dates
    assert '"one": "One paper found."' in messages.group(1)
