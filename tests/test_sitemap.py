"""The sitemap: a small index of sitemaps holding every page once, dated by the records."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from sitebuild import SITE_URL, build_site, make_project, sample_papers

from generator.plugin import sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PAPERS = sample_papers()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sitemap")
    return build_site(make_project(root, PAPERS), root / "site")


def entries(path: Path) -> dict[str, str | None]:
    tree = ElementTree.parse(path)
    return {
        url.findtext("s:loc", namespaces=NS) or "": url.findtext("s:lastmod", namespaces=NS)
        for url in tree.getroot()
    }


def test_the_index_names_a_sitemap_of_pages_and_one_of_papers_per_year(site: Path) -> None:
    index = entries(site / "sitemap.xml")
    years = sorted({p.date.year for p in PAPERS})
    assert list(index) == [f"{SITE_URL}sitemaps/pages.xml"] + [
        f"{SITE_URL}sitemaps/papers-{year}.xml" for year in years
    ]
    assert (site / "sitemap.xml").stat().st_size < 2_000  # read on every cold page view
    assert (
        gzip.decompress((site / "sitemap.xml.gz").read_bytes())
        == (site / "sitemap.xml").read_bytes()
    )


def test_every_page_is_listed_once_and_dated_by_its_records(site: Path) -> None:
    listed: dict[str, str | None] = {}
    for name in (site / "sitemaps").iterdir():
        for url, lastmod in entries(name).items():
            assert url not in listed, url
            listed[url] = lastmod
    folders = [path.parent.relative_to(site).as_posix() for path in site.rglob("index.html")]
    pages = {SITE_URL if folder == "." else f"{SITE_URL}{folder}/" for folder in folders}
    assert set(listed) == pages
    for paper in PAPERS:
        assert listed[f"{SITE_URL}papers/{paper.id}/"] == paper.listed[-1].isoformat()
    latest = max(p.date for p in PAPERS).isoformat()
    assert listed[SITE_URL] == latest  # not the build's date
    assert listed[f"{SITE_URL}about/"] is None  # a hand-written page: no record dates it
    dates = {value for value in listed.values() if value}
    assert dates <= {p.date.isoformat() for p in PAPERS}


def test_a_year_of_more_than_50000_papers_is_cut_into_parts() -> None:
    many = [sitemap.Entry(f"https://x/papers/{n}/", None, "papers-2030") for n in range(50_001)]
    found = list(sitemap.parts(many))
    assert [(path, len(part)) for path, part in found] == [
        ("sitemaps/papers-2030.xml", 50_000),
        ("sitemaps/papers-2030-2.xml", 1),
    ]
    assert re.search(r"<loc>https://x/papers/0/</loc>", sitemap.sitemap(found[0][1]))
