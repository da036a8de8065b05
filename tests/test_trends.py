"""The trends page and the small charts of topic and organization pages: every number in
their tables is counted again here from the records, and every SVG is checked for its
title, its accessible role and the absence of anything pygal adds for JavaScript."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sitebuild import Page, build_site, make_project, read_page

from generator.records.model import Organization, Paper, default_links

PAYLOAD = "<script>alert(1)</script>"
#: Twelve primary categories (two more than the page follows), most common first.
PRIMARIES = [
    "cs.CL",
    "cs.CV",
    "cs.LG",
    "cs.AI",
    "cs.RO",
    "cs.SD",
    "eess.AS",
    "cs.IR",
    "cs.HC",
    "cs.CR",
    "stat.ML",
    "cs.NE",
]
#: Twelve organizations, one named with a payload, one with a page-less few papers.
ORGS = [f"org-{n:02d}" for n in range(11)] + ["tiny"]


def month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    found = []
    while first <= last:
        found.append(first)
        first = (first[0] + 1, 1) if first[1] == 12 else (first[0], first[1] + 1)
    return found


#: Seventeen months from 2023-09 to 2025-01, with 2024-03 left empty.
MONTHS = [m for m in month_range((2023, 9), (2025, 1)) if m != (2024, 3)]


def make_papers() -> list[Paper]:
    """Papers over MONTHS: more each month, on two days a month; votes, categories,
    organizations and keywords varied so that every chart has something to show, and
    keywords that rise (``agents``, spelled three ways, and a payload)."""
    papers = []
    for month_index, (year, month) in enumerate(MONTHS):
        recent = month_index >= len(MONTHS) - 3
        for index in range(3 + month_index % 4 + month_index // 3):
            date = dt.date(year, month, 3 + index % 2)
            paper_id = f"{year % 100:02d}{month:02d}.{10000 + index:05d}"
            keywords = ["diffusion" if index % 2 else "language models"]
            if recent and index % 3 != 2:
                keywords.append(
                    ("agents", "Agents", "AI  agents")[index % 3 if index % 3 < 2 else 0]
                )
                keywords.append(PAYLOAD)
            elif index == 0:
                keywords.append("agents")
            organization = None
            if index % 3 != 1:
                name = ORGS[(index * 7 + month_index) % 11] if index != 4 else "tiny"
                shown = PAYLOAD if name == "org-03" else f"Org {name}"
                organization = Organization(name, shown)
            papers.append(
                Paper(
                    id=paper_id,
                    date=date,
                    title=f"Trend Test Paper {year}-{month}-{index}",
                    authors=["A. Author"],
                    votes=None if index == 5 else (index * 13 + month_index * 3) % 97,
                    summary=["추세를 시험하는 요약입니다."],
                    links=default_links(paper_id),
                    keywords=keywords if index != 6 else [],
                    organization=organization if month_index > 2 else None,
                    categories=None if index == 7 else categories(index + month_index % 3),
                )
            )
    # "tiny" must stay below an organization page's three papers.
    tiny = [p for p in papers if p.organization and p.organization.name == "tiny"]
    for paper in tiny[2:]:
        paper.organization = None
    return papers


def categories(rank: int) -> list[str]:
    primary = PRIMARIES[min(rank, 11)]
    return [primary] if primary == "cs.AI" else [primary, "cs.AI"]


PAPERS = make_papers()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trends")
    return build_site(make_project(root, PAPERS), root / "site")


def label(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def table(page: Page, key: str) -> list[list[str]]:
    """The rows (header first) of the table of the chart whose heading has id ``key``."""
    start = page.elements.index(next(page.find("h2", id=key)))
    rows: list[list[str]] = []
    for element in page.elements[start + 1 :]:
        if element.tag == "h2":
            break
        if element.tag == "tr":
            rows.append([])
        elif element.tag in ("th", "td"):
            rows[-1].append(element.text.strip())
    return rows


def links_in(page: Page, key: str) -> dict[str, str]:
    """Link text to address, in the table of chart ``key``."""
    start = page.elements.index(next(page.find("h2", id=key)))
    found = {}
    in_table = False
    for element in page.elements[start + 1 :]:
        if element.tag == "h2":
            break
        in_table = in_table or element.tag == "table"
        if element.tag == "a" and in_table:
            found[element.text.strip()] = element.attrs["href"] or ""
    return found


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:,.1f}%"


def test_papers_per_month_are_the_records_counted_by_their_first_day(site: Path) -> None:
    rows = table(read_page(site, "trends/"), "papers")
    counts = Counter((p.date.year, p.date.month) for p in PAPERS)
    expected = [[label(m), f"{counts[m]:,}"] for m in month_range(MONTHS[0], MONTHS[-1])]
    assert rows[0] == ["달", "논문"]
    assert rows[1:] == expected
    assert [label((2024, 3)), "0"] in rows  # a month without papers is a zero, not a gap


def test_votes_per_month_are_the_median_and_the_top_of_known_votes(site: Path) -> None:
    rows = table(read_page(site, "trends/"), "votes")
    expected = []
    for month in MONTHS:
        votes = [
            p.votes for p in PAPERS if (p.date.year, p.date.month) == month and p.votes is not None
        ]
        median = statistics.median(votes)
        shown = f"{median:,.0f}" if float(median).is_integer() else f"{median:,.1f}"
        expected.append([label(month), shown, f"{max(votes):,}"])
    assert rows[0] == ["달", "중앙값", "최고"]
    assert rows[1:] == expected


def test_topic_shares_are_the_ten_largest_primary_categories_per_month(site: Path) -> None:
    page = read_page(site, "trends/")
    rows = table(page, "topics")
    totals = Counter(p.categories[0] for p in PAPERS if p.categories)
    top = sorted(totals, key=lambda code: (-totals[code], code))[:10]
    assert len(totals) > 10  # some topics go to "the others"
    assert len(rows[0]) == 12 and rows[0][-1] == "그 밖"
    for row in rows[1:]:
        month = tuple(int(part) for part in row[0].split("-"))
        classified = [
            p.categories[0] for p in PAPERS if p.categories and (p.date.year, p.date.month) == month
        ]
        shares = [percent(classified.count(code), len(classified)) for code in top]
        others = len([code for code in classified if code not in top])
        assert row[1:] == [*shares, percent(others, len(classified))], row[0]
    assert len(rows) - 1 == len(MONTHS)  # the empty month has no shares to show
    topic_links = links_in(page, "topics")
    for url, code in zip(topic_links.values(), top, strict=True):
        assert url.endswith(f"topics/{code}/")


def test_organizations_per_quarter_are_the_ten_with_most_papers(site: Path) -> None:
    page = read_page(site, "trends/")
    rows = table(page, "orgs")
    named = [p for p in PAPERS if p.organization]
    totals = Counter(p.organization.name for p in named if p.organization)
    top = sorted(totals, key=lambda name: (-totals[name], name))[:10]
    shown = {p.organization.name: p.organization.display_name for p in named if p.organization}
    assert rows[0] == ["분기", *[shown[name] for name in top]]
    assert PAYLOAD in rows[0]  # a hostile name is printed as text
    quarter = Counter(
        (p.date.year, (p.date.month - 1) // 3 + 1, p.organization.name)
        for p in named
        if p.organization
    )
    first = min((p.date.year, (p.date.month - 1) // 3 + 1) for p in named)
    assert rows[1][0] == f"{first[0]}-Q{first[1]}"
    for row in rows[1:]:
        year, q = row[0].split("-Q")
        assert row[1:] == [f"{quarter[(int(year), int(q), name)]:,}" for name in top], row[0]
    assert rows[-1][0] == "2025-Q1"
    for name, url in zip(top, links_in(page, "orgs").values(), strict=True):
        assert url.endswith(f"orgs/{name}/")
        assert (site / "trends" / url / "index.html").resolve().is_file()


def test_rising_keywords_compare_the_last_three_months_with_the_twelve_before(
    site: Path,
) -> None:
    page = read_page(site, "trends/")
    rows = table(page, "keywords")
    recent_months = set(MONTHS[-3:])  # 2024-11 to 2025-01
    before_months = set(month_range((2023, 11), (2024, 10)))

    def share(keyword: str, months: set[tuple[int, int]]) -> tuple[str, int]:
        papers = [p for p in PAPERS if p.keywords and (p.date.year, p.date.month) in months]
        naming = [
            p for p in papers if keyword in {" ".join(k.casefold().split()) for k in p.keywords}
        ]
        return percent(len(naming), len(papers)), len(naming)

    assert rows[0] == ["키워드", "앞선 12개월", "최근 3개월"]
    names = [row[0] for row in rows[1:]]
    keys = {" ".join(k.casefold().split()) for p in PAPERS for k in p.keywords}
    rose = []
    for key in keys:
        (before, _), (recent, count) = share(key, before_months), share(key, recent_months)
        if count >= 3 and float(recent[:-1]) > float(before[:-1]):
            rose.append((float(before[:-1]) - float(recent[:-1]), key))
    assert [" ".join(name.casefold().split()) for name in names] == [key for _, key in sorted(rose)]
    # "agents" and "Agents" are one keyword; "AI  agents" another; the payload is text.
    assert "agents" in names and "Agents" not in names and PAYLOAD in names
    for row in rows[1:]:
        key = " ".join(row[0].casefold().split())
        before, _ = share(key, before_months)
        recent, recent_count = share(key, recent_months)
        assert row[1:] == [before, recent], row[0]
        assert recent_count >= 3
        assert float(recent[:-1]) > float(before[:-1])
    assert "language models" not in names  # its share did not rise
    search = links_in(page, "keywords")
    assert parse_qs(urlsplit(search[PAYLOAD]).query) == {"q": [PAYLOAD]}
    assert urlsplit(search["agents"]).path.endswith("search/")


def figures(page: Page) -> list[str]:
    return [e.attrs["aria-labelledby"] or "" for e in page.elements if e.tag == "figure"]


def test_every_chart_is_an_svg_with_its_title_and_no_script(site: Path) -> None:
    text = (site / "trends" / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    headings = {e.attrs["id"]: e.text for e in page.elements if e.tag == "h2"}
    assert figures(page) == ["papers", "votes", "topics", "orgs", "keywords"]
    svgs = re.findall(r'<svg\b[^>]*class="dp-plot".*?</svg>', text, re.DOTALL)
    assert len(svgs) == 5
    for key, svg in zip(figures(page), svgs, strict=True):
        assert f'id="chart-{key}"' in svg  # the chart's own id, not a random one
        assert 'role="img"' in svg
        assert re.search(r"<title>([^<]*)</title>", svg).group(1) == headings[key]
        for tag in ("script", "style", "desc"):
            assert f"<{tag}" not in svg
    # Hostile names are text inside the SVG too.
    assert "<script>alert" not in text.split('class="md-content"')[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svgs[4]  # a keyword on its axis


def test_the_page_is_linked_from_home_and_the_navigation(site: Path) -> None:
    home = read_page(site, "")
    assert any(
        e.tag == "a" and e.attrs["href"] == "trends/" and e.in_content for e in home.elements
    )
    nav = [e for e in home.elements if e.tag == "a" and "md-nav__link" in e.classes]
    assert any(e.attrs["href"] == "trends/" for e in nav)
    assert read_page(site, "trends/").find("h1")


def test_topic_and_organization_pages_chart_their_papers_per_month(site: Path) -> None:
    last = MONTHS[-1]
    for url, papers in (
        ("topics/cs.CL/", [p for p in PAPERS if "cs.CL" in (p.categories or ())]),
        ("orgs/org-05/", [p for p in PAPERS if p.organization and p.organization.name == "org-05"]),
    ):
        page = read_page(site, url)
        assert figures(page) == ["papers-per-month"]
        text = (site / url / "index.html").read_text(encoding="utf-8")
        svg = re.search(r'<svg\b[^>]*class="dp-plot".*?</svg>', text, re.DOTALL)
        assert svg and "<title>월별 논문 수</title>" in svg.group(0)
        counts = Counter((p.date.year, p.date.month) for p in papers)
        first = min(counts)
        rows = table(page, "papers-per-month")
        assert rows[1:] == [[label(m), f"{counts[m]:,}"] for m in month_range(first, last)], url
        assert sum(int(row[1]) for row in rows[1:]) == len(papers)
    # A topic's older months list papers; the chart is on its own page only.
    older = read_page(site, "topics/cs.CL/2024-10/")
    assert figures(older) == []


def test_two_builds_write_the_same_charts(site: Path, tmp_path: Path) -> None:
    again = build_site(make_project(tmp_path, PAPERS), tmp_path / "site")
    for url in ("trends/index.html", "topics/cs.CL/index.html", "orgs/org-05/index.html"):
        assert (again / url).read_bytes() == (site / url).read_bytes(), url


def test_trends_can_be_turned_off(tmp_path: Path) -> None:
    project = make_project(tmp_path, PAPERS, plugin={"trends": False})
    text = project.read_text(encoding="utf-8").replace("  - 연구 동향: trends.md\n", "")
    project.write_text(text, encoding="utf-8")
    site = build_site(project, tmp_path / "site")
    assert not (site / "trends").exists()
    assert figures(read_page(site, "topics/cs.CL/")) == []
    assert figures(read_page(site, "orgs/org-05/")) == []
    home = read_page(site, "")
    assert not any(e.attrs.get("href") == "trends/" for e in home.elements if e.tag == "a")


def test_an_archive_without_categories_organizations_or_keywords_says_so(tmp_path: Path) -> None:
    plain = [
        Paper(
            id=p.id,
            date=p.date,
            title=p.title,
            authors=p.authors,
            votes=p.votes,
            summary=p.summary,
            links=p.links,
        )
        for p in PAPERS[:10]
    ]
    site = build_site(make_project(tmp_path, plain), tmp_path / "site")
    page = read_page(site, "trends/")
    assert figures(page) == ["papers", "votes"]
    texts = [e.text for e in page.elements if e.tag == "p"]
    assert "아직 분류가 기록된 논문이 없습니다." in texts
    assert any(text.startswith("비교할 만큼 키워드가 쌓이지 않았습니다.") for text in texts)


def test_a_topic_page_keeps_room_for_its_chart_under_60_kb(tmp_path: Path) -> None:
    """Ten years of a topic, then a month of 300 papers with the longest titles a record
    allows: its own page, list and chart together, stays within 60 KB."""
    papers = []
    for month_index in range(120):
        year, month = 2015 + month_index // 12, month_index % 12 + 1
        paper_id = f"{year % 100:02d}{month:02d}.00001"
        papers.append(
            Paper(
                id=paper_id,
                date=dt.date(year, month, 2),
                title=f"Old {paper_id}",
                votes=month_index,
                categories=["cs.CV"],
            )
        )
    for number in range(300):
        paper_id = f"2501.{number + 10:05d}"
        title = (f"{number} A & B <C> " * 60)[:500].strip()
        papers.append(
            Paper(
                id=paper_id,
                date=dt.date(2025, 1, 6 + number % 20),
                title=title,
                votes=number,
                categories=["cs.CV"],
            )
        )
    site = build_site(make_project(tmp_path, papers), tmp_path / "site")
    page = site / "topics" / "cs.CV" / "index.html"
    assert figures(read_page(site, "topics/cs.CV/")) == ["papers-per-month"]
    assert page.stat().st_size <= 60_000, page.stat().st_size
    assert (site / "topics" / "cs.CV" / "2025-01-2" / "index.html").is_file()  # cut
