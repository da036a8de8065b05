"""Generated pages as other code sees them: every address taken once, hooks and plugins
after ours seeing final HTML, and a theme override that removes our markers named."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from mkdocs.utils import get_relative_url
from sitebuild import build_site, make_project, read_page, sample_papers

from generator.plugin.archive import from_papers
from generator.plugin.cards import CardSettings, make_card
from generator.plugin.directory import Directory
from generator.plugin.kinds import plan
from generator.plugin.kinds.base import Links, Site
from generator.plugin.messages import load
from generator.records.model import Organization, Paper

PAPERS = sample_papers()


def with_orgs(names: list[str]) -> list[Paper]:
    """The sample papers, three of them under each of ``names`` (enough for a page)."""
    papers = [dataclasses.replace(paper) for paper in PAPERS]
    for index, name in enumerate(names):
        for paper in papers[index * 3 : index * 3 + 3]:
            paper.organization = Organization(name, f"Org {name}")
    return papers


def test_organizations_named_like_reserved_pages_get_pages_of_their_own(tmp_path: Path) -> None:
    # "index" and "README" are MkDocs' names for a folder's own page: orgs/index.md was
    # written where the organizations' index is, replacing it without a word.
    names = ["index", "README", "search", "feed.xml"]
    site = build_site(make_project(tmp_path, with_orgs(names), strict=True), tmp_path / "site")
    index = read_page(site, "orgs/")
    links = {a.attrs["href"]: a.text for a in index.find("a") if a.in_content}
    for name in names:
        assert links[f"{name}/"] == f"Org {name}"
        page = read_page(site, f"orgs/{name}/")
        assert next(page.find("h1")).text.strip() == f"Org {name}의 논문"
    assert next(index.find("h1")).text.strip() == "기관별 논문"


def test_every_generated_page_has_an_address_of_its_own() -> None:
    papers = with_orgs(["index", "README"])
    messages = load("ko", {})
    cards = {paper.id: make_card(paper, CardSettings(5, None, messages)) for paper in papers}
    site = Site(
        from_papers(papers),
        directory=Directory(),
        card=lambda paper: cards[paper.id],
        env=None,  # type: ignore[arg-type]
        t=messages,
        site_name="test",
        feed=True,
        top_papers=10,
        search=True,
    )
    paths = [page.src_uri for page in plan(site)]
    assert len(paths) == len(set(paths))
    folders = [path.removesuffix("index.md").removesuffix(".md") for path in paths]
    assert len(folders) == len(set(folders)), "two pages would share one address"


@pytest.mark.parametrize(
    ("docs_file", "clash"),
    [
        # A hand-written page at a generated page's address, under another source path.
        (
            "weeks/2024-W07/index.md",
            "weeks/2024-W07/index.html: docs/weeks/2024-W07/index.md and the generated "
            "week page '2024년 7주 인기 논문' (weeks/2024-W07.md)",
        ),
        # A file where the plugin writes open data, and one inside the search bundle.
        ("api/days.json", "api/days.json: docs/api/days.json and the open data"),
        (
            "pagefind/pagefind.js",
            "pagefind/pagefind.js: docs/pagefind/pagefind.js is inside pagefind/, which "
            "holds the search index",
        ),
    ],
)
def test_a_file_in_docs_at_a_generated_address_is_a_build_error_naming_both(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, docs_file: str, clash: str
) -> None:
    config = make_project(tmp_path, PAPERS)
    target = tmp_path / "docs" / docs_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# 내 페이지\n" if docs_file.endswith(".md") else "{}", encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert clash in caplog.text
    assert "would be written at the same place" in caplog.text


HOOK = """
import json
from pathlib import Path

SEEN = {}

def on_post_page(output, page, config):
    SEEN[page.url] = {
        "stand_in": "rendered when written" in output,
        "cards": output.count('class="dp-paper"'),
        "search_box": 'class="dp-search-box"' in output,
        "preview": 'property="og:title"' in output,
    }
    return output

def on_post_build(config):
    Path(config.config_file_path).with_name("seen.json").write_text(json.dumps(SEEN))
"""


def test_a_hook_sees_every_generated_page_final_in_on_post_page(tmp_path: Path) -> None:
    config = make_project(tmp_path, PAPERS, hooks=["hook.py"])
    (tmp_path / "hook.py").write_text(HOOK, encoding="utf-8")
    build_site(config, tmp_path / "site")
    seen = json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))
    days = {paper.date for paper in PAPERS}
    for date in days:
        page = seen[f"{date:%Y/%m/%d}/"]
        assert page["cards"] == sum(1 for p in PAPERS if p.date == date)
    weeks = [url for url in seen if url.startswith("weeks/")]
    assert weeks and all(seen[url]["cards"] for url in weeks)
    assert not [url for url, page in seen.items() if page["stand_in"]]
    assert all(page["search_box"] and page["preview"] for page in seen.values())


#: Material's header without the repository block and without its navigation's class:
#: what a site's own header would look like.
HEADER_OVERRIDE = """<header class="md-header" data-md-component="header">
<div class="my-header"><a href="{{ nav.homepage.url | url }}">{{ config.site_name }}</a></div>
</header>
"""
#: A site's own header with none of Material's attributes: it built with exit 0, no
#: message and no search box on any page (taken for "a page without a header").
PLAIN_HEADER = """<header class="plain-header">
<div class="my-header"><a href="{{ nav.homepage.url | url }}">{{ config.site_name }}</a></div>
</header>
"""


@pytest.mark.parametrize("header", [HEADER_OVERRIDE, PLAIN_HEADER], ids=["material", "plain"])
@pytest.mark.parametrize("setting", ["error", "warn"])
def test_a_header_without_our_markers_is_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, setting: str, header: str
) -> None:
    plugin = {} if setting == "error" else {"missing_markers": "warn"}
    config = make_project(tmp_path, PAPERS[:2], plugin=plugin)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    partials = tmp_path / "overrides" / "partials"
    partials.mkdir(parents=True)
    (partials / "header.html").write_text(header, encoding="utf-8")
    expected = (
        "found no place for the header's search box: looked for "
        '<div class="md-header__source"> or <nav class="md-header__inner">'
    )
    if setting == "error":
        with caplog.at_level(logging.ERROR), pytest.raises(Abort):
            build_site(config, tmp_path / "site")
        assert expected in caplog.text and "missing_markers: warn" in caplog.text
        return
    with caplog.at_level(logging.WARNING):
        site = build_site(config, tmp_path / "site")
    assert expected in caplog.text
    assert "my-header" in (site / "index.html").read_text(encoding="utf-8")


def test_links_between_pages_are_what_mkdocs_makes_them() -> None:
    # Links.page computes relative URLs itself (a build makes 400,000), with a shortcut
    # for pages with no folder in common; both must give MkDocs' own answer, for the
    # URLs MkDocs makes with and without use_directory_urls.
    rng = random.Random(29)
    folders = ["papers", "authors", "2024", "03", "05", "x", "papers.x", "a-b"]
    urls = {"./", "index.html", "feed.xml", "api/days/2024-03-05.json"}
    for _ in range(400):
        parts = [rng.choice(folders) for _ in range(rng.randint(1, 4))]
        path = "/".join(parts)
        urls.update({path + "/", path + ".html", path + "/index.html"})
    directory = Directory()
    for url in urls:
        directory.add(f"{url}.md", url)
    for here in sorted(urls):
        link = Links(directory, here)
        for url in sorted(urls):
            expected = get_relative_url(url, here)
            assert link.page(f"{url}.md") == expected, (here, url)
            assert link.page(f"{url}.md", "a1") == f"{expected}#a1", (here, url)
