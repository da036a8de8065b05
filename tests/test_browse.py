"""Weeks, organizations, code, previews, weekly and JSON feeds, open data: read as built."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from sitebuild import SITE_URL, Page, build_site, make_project, read_page, sample_papers

from generator.plugin.archive import by_votes, from_papers
from generator.plugin.related import find_related
from generator.records.model import Organization, Paper
from generator.records.rules import dump

SCHEMA = json.loads((Path(__file__).parent / "fixtures/schemas/jsonfeed-1.1.json").read_text())
LAB = Organization("example-lab", "Example Lab")
SMALL = Organization("small-lab", "Small Lab")


def papers_with_organizations() -> list[Paper]:
    papers = sample_papers()
    for index, paper in enumerate(papers):
        if index % 3 == 0:
            papers[index] = dataclasses.replace(paper, organization=LAB, code_stars=1234)
        elif index == 1:
            papers[index] = dataclasses.replace(paper, organization=SMALL)
    return papers


PAPERS = papers_with_organizations()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browse")
    return build_site(make_project(root, PAPERS), root / "site")


def week_url(paper: Paper) -> str:
    year, week, _ = paper.date.isocalendar()
    return f"weeks/{year:04d}-W{week:02d}/"


def test_a_week_page_lists_its_most_voted_papers_and_links_its_neighbours(site: Path) -> None:
    latest = max(p.date for p in PAPERS)
    week = [p for p in PAPERS if p.date.isocalendar()[:2] == latest.isocalendar()[:2]]
    page = read_page(site, week_url(week[0]))
    cards = [e.attrs["id"] for e in page.find("h2") if "id" in e.attrs]
    assert cards == [p.id for p in by_votes(week)][:20]
    assert page.by_class("dp-pager__prev") and "주" in page.by_class("dp-pager__prev")[0].text
    day = read_page(site, f"{latest:%Y/%m/%d}/")
    assert [e.attrs["href"] for e in day.by_class("dp-week-link")] == [
        f"../../../{week_url(week[0])}"
    ]
    archive_links = {e.attrs.get("href") for e in read_page(site, "archive/").find("a")}
    assert f"../{week_url(week[0])}" in archive_links and "../orgs/" in archive_links
    year = read_page(site, f"{latest.year}/")
    assert f"../{week_url(week[0])}" in {e.attrs.get("href") for e in year.find("a")}


def test_the_home_page_opens_with_the_weeks_top_five(site: Path) -> None:
    page = read_page(site, "")
    section = page.by_class("dp-week-top")
    assert section and "이번 주 인기 논문" in section[0].text
    latest = max(p.date for p in PAPERS)
    week = by_votes(p for p in PAPERS if p.date.isocalendar()[:2] == latest.isocalendar()[:2])
    items = [e for e in page.find("li") if e.text.strip().startswith(week[0].title)]
    assert items, "the week's best paper is listed"
    assert page.by_class("dp-top__gist")  # its first bullet
    assert len(page.by_class("dp-top--compact")) == 1


def test_organizations_have_pages_and_cards_link_them(site: Path) -> None:
    lab = [p for p in PAPERS if p.organization == LAB]
    index = read_page(site, "orgs/")
    rows = [e.text for e in index.find("tr")][1:]
    assert len(rows) == 1 and "Example Lab" in rows[0] and f"{len(lab)}편" in rows[0]
    page = read_page(site, "orgs/example-lab/")
    listed = [
        e.attrs["href"].split("/")[-2]
        for e in page.find("a")
        if "/papers/" in (e.attrs.get("href") or "")
    ]
    newest_first = sorted(lab, key=lambda p: (p.date, p.id), reverse=True)
    assert listed == [p.id for p in newest_first]  # each leading to the paper's own page
    assert not (site / "orgs" / "small-lab").exists()  # one paper is not enough for a page
    day = read_page(site, f"{lab[0].date:%Y/%m/%d}/")
    org_links = day.by_class("dp-org")
    assert any("기관: Example Lab" in e.text for e in org_links)
    small_day = read_page(site, f"{PAPERS[1].date:%Y/%m/%d}/")
    assert any(e.text == "기관: Small Lab" for e in small_day.by_class("dp-org"))
    code = [e.text for e in day.find("a") if e.text.startswith("코드")]
    assert "코드 ★1,234" in code


def test_each_card_has_a_link_to_share(site: Path) -> None:
    # It copied the day page's anchor, whose preview is the day's, not the paper's.
    day = PAPERS[0].date
    page = read_page(site, f"{day:%Y/%m/%d}/")
    controls = page.by_class("dp-permalink")
    assert {e.attrs["href"] for e in controls} == {
        f"../../../papers/{p.id}/" for p in PAPERS if p.date == day
    }


def meta(page_html: Path) -> dict[str, str]:
    """The page's Open Graph and Twitter tags, as an HTML parser reads them."""
    found = Page(page_html.read_text(encoding="utf-8"))
    tags = {}
    for element in found.find("meta"):
        key = element.attrs.get("property") or element.attrs.get("name")
        if key and key.startswith(("og:", "twitter:")):
            tags[key] = element.attrs.get("content") or ""
    return tags


def test_every_page_previews_well_when_shared(site: Path) -> None:
    day = max(p.date for p in PAPERS)
    best = by_votes(p for p in PAPERS if p.date == day)[0]
    tags = meta(site / f"{day:%Y/%m/%d}" / "index.html")
    assert tags["og:title"].startswith(f"{day.year}년 {day.month}월 {day.day}일")
    assert "4편" in tags["og:description"] and best.title in tags["og:description"]
    assert tags["og:image"] == best.thumbnail
    # X falls back to the og: tags; repeating them cost 0.7 KB on every paper page.
    assert not {"twitter:title", "twitter:description", "twitter:image"} & tags.keys()
    assert tags["og:url"] == f"{SITE_URL}{day:%Y/%m/%d}/"
    assert tags["og:locale"] == "ko_KR" and tags["twitter:card"] == "summary_large_image"
    org = meta(site / "orgs" / "example-lab" / "index.html")
    assert "Example Lab" in org["og:title"] and org["og:image"].startswith("https://")
    about = meta(site / "about" / "index.html")
    assert about["og:url"] == f"{SITE_URL}about/" and "og:image" not in about
    assert about["twitter:card"] == "summary"
    for path in site.rglob("*.html"):
        if path.name != "404.html":
            assert meta(path).get("og:title"), path


@pytest.mark.parametrize("name", ["feed.json", "feed-weekly.json"])
def test_json_feeds_follow_the_published_format(site: Path, name: str) -> None:
    document = json.loads((site / name).read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert document["feed_url"] == SITE_URL + name and document["items"]
    ids = [item["id"] for item in document["items"]]
    assert len(ids) == len(set(ids))


def test_the_weekly_feed_carries_each_weeks_top_ten(site: Path) -> None:
    feed = feedparser.parse((site / "feed-weekly.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    weeks = {p.date.isocalendar()[:2] for p in PAPERS}
    per_week = {
        week: min(10, sum(1 for p in PAPERS if p.date.isocalendar()[:2] == week)) for week in weeks
    }
    assert len(feed.entries) == sum(per_week.values())
    first = feed.entries[0]
    # The item leads to the paper's own page; its id still names the week and the paper.
    assert "인기 논문 1위:" in first.title and "/papers/" in first.link
    assert first.id.startswith("daily-papers:") and first.id.count(":") == 2


def test_open_data_holds_every_day_and_record(site: Path, tmp_path: Path) -> None:
    related = find_related(from_papers(PAPERS).papers)
    index = json.loads((site / "api" / "days.json").read_text(encoding="utf-8"))
    days = sorted({p.date.isoformat() for p in PAPERS})
    assert [d["date"] for d in index["days"]] == days
    for entry in index["days"]:
        day = json.loads((site / entry["path"]).read_text(encoding="utf-8"))
        records = {r["id"]: r for r in day["papers"]}
        assert entry["papers"] == len(records)
        for paper in PAPERS:
            if paper.date.isoformat() == entry["date"]:
                expected = yaml.safe_load(dump(paper))
                expected = json.loads(json.dumps(expected, default=str))
                # Every record field, the paper's address on the site and the ids of
                # its related papers (no author of the sample has a page).
                expected["url"] = f"{SITE_URL}papers/{paper.id}/"
                expected["related"] = [r.paper.id for r in related.of(paper.id)]
                assert paper.id not in expected["related"] and expected["related"]
                assert records[paper.id] == expected
