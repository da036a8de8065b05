"""Paper pages in the project's own thin frame (templates/frame.html): every tag of the
head kept, the header's parts printed by the template rather than spliced in, the site's
sections in place of the sidebars, and the frame a site's ``custom_dir`` can override."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from mkdocs.exceptions import Abort
from sitebuild import SITE_URL, build_site, make_project, read_page, sample_papers

from generator.records.model import Paper

PAPERS = sample_papers()
PAPER = PAPERS[8]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("thin-frame")
    return build_site(make_project(root, PAPERS), root / "site")


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_a_paper_page_keeps_its_head_and_drops_the_sidebars(site: Path) -> None:
    text = html(site, f"papers/{PAPER.id}")
    assert "md-sidebar" not in text  # neither rendered nor hidden
    assert text.count('class="dp-search-box"') == 1
    assert f'<link rel="canonical" href="{SITE_URL}papers/{PAPER.id}/">' in text
    assert '<meta property="og:type" content="article">' in text
    assert '<script type="application/ld+json">' in text
    assert text.count('rel="alternate"') == 4  # the site's feeds, as on every page
    assert 'rel="search" type="application/opensearchdescription+xml"' in text
    assert 'data-md-component="palette"' in text and 'class="md-source"' in text
    assert f"<title>{PAPER.title.replace('&', '&amp;')} - " in text
    # The frame's parts besides the page's own: sentinels never survive.
    assert not re.search(r"daily-papers-[a-z]+-[0-9a-f]{16}", text)


def test_the_sections_are_the_top_level_of_the_navigation(site: Path) -> None:
    row = re.search(r'<nav class="dp-sections".*?</nav>', html(site, f"papers/{PAPER.id}"), re.S)
    assert row is not None
    sections = [
        (title, href) for href, title in re.findall(r'<a href="([^"]*)">([^<]*)</a>', row[0])
    ]
    about = read_page(site, "about/")
    assert [title for title, _ in sections] == [
        "홈",
        "내 피드",
        "아카이브",
        "인기 논문",
        "기관별 논문",
        "주제별 논문",
        "저자별 논문",
        "연구 동향",
        "용어집",
        "소개",
        "레코드 형식",
        "요약 고치기",
        "다이제스트 가져오기",
    ]
    assert dict(sections)["아카이브"] == "../../archive/"
    assert about.by_class("md-sidebar"), "a hand-written page keeps Material's frame"


def test_the_frame_weighs_far_less_than_materials(site: Path) -> None:
    """The frame's bytes besides the page's own content and head tags, against a
    hand-written page's, which keeps Material's frame with both sidebars."""

    def frame(page: str) -> int:
        start = page.index('<article class="md-content__inner')
        content = page[start : page.rindex("</article>")]
        head = page[page.index('<meta property="og:type"') : page.index("</head>")]
        return len(page.encode()) - len(content.encode()) - len(head.encode())

    thin = frame(html(site, f"papers/{PAPER.id}"))
    assert thin < 0.6 * frame(html(site, "about"))
    assert thin < 9_000
    for kind in (f"{PAPER.date:%Y/%m/%d}", "weeks/2024-W07"):  # day and week pages too
        assert frame(html(site, kind)) < 0.6 * frame(html(site, "about")), kind


#: A site's own frame: Material's page with the parts the plugin gives, and its own title.
OVERRIDE = (
    '{% extends "base.html" %}'
    "{% block extrahead %}{{ daily_papers.head }}{{ daily_papers.preview }}{% endblock %}"
    "{% block htmltitle %}<title>{{ page.meta.title }} (own frame)</title>{% endblock %}"
)
#: One that leaves out the page's own head tags.
BROKEN = '{% extends "base.html" %}{% block content %}{{ page.content }}{% endblock %}'


def project_with_frame(root: Path, frame: str) -> Path:
    """A sample project whose custom_dir holds ``frame`` as daily-papers/frame.html."""
    config = make_project(root, PAPERS[:4])
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    own = root / "overrides" / "daily-papers"
    own.mkdir(parents=True)
    (own / "frame.html").write_text(frame, encoding="utf-8")
    return config


def test_a_site_overrides_the_frame_under_custom_dir(tmp_path: Path) -> None:
    config = project_with_frame(tmp_path, OVERRIDE)
    site = build_site(config, tmp_path / "site")
    assert "(own frame)</title>" in html(site, f"papers/{PAPERS[0].id}")


def test_a_frame_that_leaves_out_the_pages_head_stops_the_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = project_with_frame(tmp_path, BROKEN)
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert "the frame daily-papers/frame.html left out daily_papers.preview" in caplog.text


def test_the_frames_icons_are_drawn_once_from_the_themes_own(site: Path) -> None:
    """Material prints its icons inline on every page; the thin frame refers to one file
    of symbols, made from the icons mkdocs.yml names (theme.icon.repo: material/github)."""
    page = html(site, f"papers/{PAPER.id}")
    sprite = (site / "assets" / "daily-papers-icons.svg").read_text(encoding="utf-8")
    used = set(re.findall(r'<use href="\.\./\.\./assets/daily-papers-icons\.svg#([^"]+)"', page))
    assert used >= {"material-library", "material-github", "material-brightness-4"}
    defined = set(re.findall(r'<symbol id="([^"]+)"', sprite))
    assert used <= defined
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    assert "<path" not in re.sub(r'<form class="dp-search-box".*?</form>', "", header, flags=re.S)


def test_an_icon_the_theme_lacks_stops_the_build_naming_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_project(tmp_path, PAPERS[:4])
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("repo: material/github", "repo: material/no-such-icon"))
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert "the theme has no icon 'material/no-such-icon'" in caplog.text


def prolific(count: int) -> list[Paper]:
    """The sample and ``count`` papers of one author over three months: enough for a
    second page of theirs, and for topics with older months, at the depth of both."""
    base = PAPERS[0]
    extra = []
    for n in range(count):
        date = dt.date(2024, 1 + n % 3, 1 + n // 3 % 28)
        extra.append(
            dataclasses.replace(
                base,
                id=f"{date:%y%m}.{20000 + n:05d}",
                date=date,
                title=f"A Long Running Study, Part {n}: {'Measured Again ' * 6}".strip(),
                authors=["Prolific Writer", f"Helper {n}"],
            )
        )
    return [*PAPERS, *extra]


def section_links(page: Path, site: Path) -> list[tuple[str, str]]:
    """The sections' links of a page (the thin frame's row, else Material's navigation),
    each with the address it resolves to from the page."""
    text = page.read_text(encoding="utf-8")
    row = re.search(r'<nav class="dp-sections".*?</nav>', text, re.S)
    base = "https://site.test/" + page.relative_to(site).as_posix()
    if row is not None:
        links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', row[0])
    else:
        links = [(href, "") for href in re.findall(r'href="([^"#]*)" class="md-nav__link"', text)]
    return [(label, urljoin(base, href)) for href, label in links]


def test_every_framed_page_links_each_section_where_the_home_page_does(tmp_path: Path) -> None:
    # A frame's links are relative to the page that rendered it: an author's second page
    # (authors/x/2/) once shared its frame with a topic's older month (topics/y/2024-01/),
    # and its "topics" link went to authors/.
    site = build_site(make_project(tmp_path, prolific(90)), tmp_path / "site")
    assert (site / "authors/prolific-writer/2/index.html").exists()
    assert list(site.glob("topics/*/2024-*/index.html"))
    thin: set[frozenset[tuple[str, str]]] = set()
    theme: dict[str, set[str]] = {}
    for page in site.rglob("index.html"):
        links = section_links(page, site)
        if links and links[0][0]:
            thin.add(frozenset(links))
        else:
            theme[urljoin("https://site.test/" + page.relative_to(site).as_posix(), ".")] = {
                url for _, url in links
            }
    assert len(thin) == 1
    every = set().union(*theme.values())
    for own, targets in theme.items():
        # A page in the navigation marks its own place in it instead of linking it.
        assert every - {own} <= targets, own
    # The thin frame's row is the navigation's top level: every page it links is there.
    assert {url for _, url in next(iter(thin))} <= every
