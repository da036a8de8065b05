"""The site's search index as the plugin writes it: a real ``mkdocs build``, read back.

What is indexed (one record per paper: title, every author, every bullet, keywords, the
English abstract only where no Korean summary exists; one per hand-written page), what is
not (generated listing pages, the search page, pages excluded in their front matter), the
metadata, filters and sort keys the search page uses, and the search page, header box,
OpenSearch description and head links around it.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from pagefind_bundle import by_url, fragments
from sitebuild import SITE_URL, build_site, make_project, read_page, sample_papers

from generator.plugin import pagefind_service, search_index
from generator.plugin.authors import author_key
from generator.plugin.plugin import DailyPapersPlugin
from generator.records.model import Organization, SummarySource

OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search")
    papers = sample_papers()
    papers[0].keywords = ["wombat-keyword"]
    papers[4].summary_source = SummarySource("huggingface", language="en")  # English only
    for paper in papers[:3]:
        paper.organization = Organization("example-lab", "Example Lab")
    (root / "docs").mkdir()
    (root / "docs" / "hidden.md").write_text(
        "---\nsearch:\n  exclude: true\n---\n# 숨은 문서\n\n찾으면 안 되는 문서입니다.\n",
        encoding="utf-8",
    )
    return build_site(make_project(root, papers), root / "site")


def records(site: Path) -> dict[str, dict[str, Any]]:
    return by_url(site)


def test_one_record_per_paper_and_per_hand_written_page(site: Path) -> None:
    found = records(site)
    papers = sample_papers()
    for paper in papers:
        assert f"papers/{paper.id}/" in found, paper.id
    # Each paper once, at its own page; the hand-written pages besides.
    pages = {url for url in found if not url.startswith("papers/")}
    assert pages == {"about/", "record-format/", "contributing/", "import/"}
    assert len(fragments(site)) == len(papers) + len(pages)


def test_without_paper_pages_a_result_leads_to_the_card(tmp_path: Path) -> None:
    papers = sample_papers()
    config = make_project(tmp_path, papers, plugin={"paper_pages": False})
    site = build_site(config, tmp_path / "site")
    found = records(site)
    assert {f"{p.date:%Y/%m/%d}/#{p.id}" for p in papers} <= set(found)
    assert not (site / "papers").exists()


def test_a_papers_record_holds_all_its_text(site: Path) -> None:
    paper = sample_papers()[0]
    record = records(site)[f"papers/{paper.id}/"]
    content = record["content"]
    assert paper.title in content
    for author in paper.authors:
        assert author in content
    # Every bullet, as text (inline Markdown rendered, then read back as words).
    for words in ("음성 합성", "재현", "프로젝트 페이지에 있습니다"):
        assert words in content
    assert "wombat-keyword" in content
    assert "made-up problem" not in content, "the abstract is indexed beside a Korean summary"


def test_the_abstract_stands_in_for_a_missing_korean_summary(site: Path) -> None:
    papers = sample_papers()
    no_summary, english = papers[3], papers[4]
    assert not no_summary.summary
    for paper in (no_summary, english):
        content = records(site)[f"papers/{paper.id}/"]["content"]
        assert "made-up problem" in content and "made-up results" in content, paper.id


def test_metadata_filters_and_sort_keys(site: Path) -> None:
    papers = sample_papers()
    with_code, unknown_votes = papers[0], papers[3]
    record = records(site)[f"papers/{with_code.id}/"]
    assert record["meta"]["title"] == with_code.title
    assert record["meta"]["date"] == with_code.date.isoformat()
    assert record["meta"]["votes"] == str(with_code.votes)
    assert record["meta"]["image"] == with_code.thumbnail
    assert record["filters"] == {
        "year": ["2023"],
        "month": ["2023-12"],
        "code": ["yes"],
        "org": ["example-lab"],
        "topic": ["cs.CL", "cs.AI"],
        # Each author by their key (the author filter: case, spacing and form aside).
        "author": [author_key(name) for name in with_code.authors],
    }

    other = records(site)[f"papers/{papers[1].id}/"]
    assert "code" not in other["filters"]
    assert other["filters"]["topic"] == ["cs.CV"]
    without = records(site)[f"papers/{papers[5].id}/"]
    assert "org" not in without["filters"]
    assert "topic" not in records(site)[f"papers/{papers[3].id}/"]["filters"]
    nothing = records(site)[f"papers/{unknown_votes.id}/"]
    assert unknown_votes.votes is None and "votes" not in nothing["meta"]


def test_the_search_page_offers_the_organizations(site: Path) -> None:
    page = read_page(site, "search/")
    options = [(e.attrs.get("value"), e.text) for e in page.find("option")]
    assert ("example-lab", "Example Lab") in options


def test_listing_pages_and_excluded_pages_are_not_indexed(site: Path) -> None:
    urls = set(records(site))
    for listing in ("", "archive/", "top/", "search/", "2024/", "2024/02/", "2024/02/14/"):
        assert listing not in urls
    assert "hidden/" not in urls and all("숨은 문서" not in r["content"] for r in fragments(site))


def test_only_the_search_engine_is_shipped(site: Path) -> None:
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    for unused in search_index.UNUSED_BUNDLE_FILES:
        assert not (bundle / unused).exists(), unused
    assert not (site / "search" / "search_index.json").exists(), "lunr's index is still built"


def test_the_search_page(site: Path) -> None:
    page = read_page(site, "search/")
    form = next(page.find("form", class_="dp-search"))
    assert form.attrs["data-root"] == "../"
    # An empty action is invalid HTML (the Nu Html Checker's one error of ours); without
    # one, the form submits to the page itself.
    assert "action" not in form.attrs
    assert next(page.find("input", name="q")).attrs["type"] == "search"
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    years = re.search(r'<select name="year">(.*?)</select>', html)
    assert years and re.findall(r'value="(\d*)"', years.group(1)) == ["", "2024", "2023"]
    months = [
        e.attrs["value"] for e in page.elements if e.tag == "option" and e.attrs.get("data-year")
    ]
    assert months == ["2024-03", "2024-02", "2023-12"]
    scripts = [e.attrs.get("src") for e in page.find("script") if e.attrs.get("type") == "module"]
    assert scripts == ["../assets/search.js", "../assets/reader.js"]
    assert (site / "assets" / "search.js").is_file()


def test_every_page_has_the_header_box_and_the_head_links(site: Path) -> None:
    for url, action in (
        ("", "search/"),
        ("about/", "../search/"),
        ("2024/02/14/", "../../../search/"),
    ):
        page = read_page(site, url)
        box = next(page.find("form", class_="dp-search-box"))
        assert box.attrs["action"] == action, url
        link = next(page.find("link", rel="search"))
        assert link.attrs["href"] == SITE_URL + "opensearch.xml"
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'action="/daily-papers/search/"' in not_found


def test_the_opensearch_description(site: Path) -> None:
    root = ET.fromstring((site / "opensearch.xml").read_bytes())
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert root.findtext(f"{OPENSEARCH}InputEncoding") == "UTF-8"
    html = next(u for u in root.iter(f"{OPENSEARCH}Url") if u.get("type") == "text/html")
    assert html.get("template") == SITE_URL + "search/?q={searchTerms}"
    assert len(root.findtext(f"{OPENSEARCH}ShortName") or "") <= 16


def test_search_false_builds_no_index(tmp_path: Path) -> None:
    site = build_site(
        make_project(tmp_path, sample_papers()[:2], {"search": False}), tmp_path / "site"
    )
    assert not (site / "pagefind").exists()
    status = read_page(site, "search/").by_class("dp-search__status")[0].text
    assert "검색 색인을 만들지 않습니다" in status


def test_the_preview_builds_no_index_and_says_so(tmp_path: Path) -> None:
    config = load_config(
        str(make_project(tmp_path, sample_papers()[:2])), site_dir=str(tmp_path / "site")
    )
    plugin = config.plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    # MkDocs keeps plugin objects across configurations with the same options (as serve
    # does across rebuilds), so the next test must not inherit "serve".
    plugin.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        plugin.on_startup(command="build", dirty=False)
    assert not (tmp_path / "site" / "pagefind").exists()
    page = read_page(tmp_path / "site", "search/")
    assert "mkdocs serve" in page.by_class("dp-search__status")[0].text
    assert [e.attrs["src"] for e in page.find("script") if e.attrs.get("type") == "module"] == [
        "../assets/reader.js"  # every page's; the search's own is left out
    ]


#: Answers in the service's encoding (base64 JSON) with the wrong things inside.
NOT_A_MAPPING = base64.b64encode(b'{"message_id": 1, "payload": [1]}').decode()
NO_INDEX_ID = base64.b64encode(b'{"message_id": 1, "payload": {"type": "NewIndex"}}').decode()


#: What every stand-in binary answers to ``--version`` before doing its own thing.
VERSION = '#!/bin/sh\nif [ "$1" = --version ]; then echo "pagefind 1.4.0"; exit 0; fi\n'


def _answer_once(answer: str) -> str:
    """A stand-in binary that waits for the first request, answers it so, then hangs."""
    return f"{VERSION}head -c 1 >/dev/null\nprintf '{answer},'\nexec sleep 30\n"


@pytest.mark.parametrize(
    ("binary", "expected"),
    [
        ("missing", "could not start Pagefind"),
        # A release whose protocol we do not speak, and a binary that is not Pagefind.
        (
            "#!/bin/sh\necho 'pagefind 1.5.0'\n",
            "is pagefind 1.5.0; this plugin speaks the indexing protocol of Pagefind 1.4.x "
            "('pagefind[bin]>=1.4,<1.5') only",
        ),
        ("#!/bin/sh\necho 'hello'\n", "'--version' printed 'hello' (exit status 0)"),
        # A binary that dies at once: the build must say so, not wait for it forever.
        (f"{VERSION}echo 'index broken' >&2\nexit 3\n", "exited with status 3: index broken"),
        # One that answers with something else than its protocol.
        (f"{VERSION}echo 'not the protocol,'\nexec sleep 30\n", "not the protocol"),
        # One that never answers (START_WAIT is shortened below).
        (f"{VERSION}exec sleep 30\n", "did not answer within 1 s"),
        # Protocol-shaped answers to the first request that are wrong inside: a payload
        # that is not a mapping (it stopped the reader, and the build waited forever), and
        # no index id (it was a KeyError's traceback).
        (_answer_once(NOT_A_MAPPING), f"exited with status -9: {NOT_A_MAPPING[:20]}"),
        (_answer_once(NO_INDEX_ID), "answered without an index id"),
    ],
    ids=[
        "missing",
        "1.5",
        "not-pagefind",
        "dies",
        "garbled",
        "silent",
        "not-a-mapping",
        "no-index",
    ],
)
def test_a_pagefind_failure_stops_the_build_with_a_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    binary: str,
    expected: str,
) -> None:
    executable = tmp_path / "pagefind"
    if binary != "missing":
        executable.write_text(binary, encoding="utf-8")
        executable.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(executable))
    monkeypatch.setattr(pagefind_service, "START_WAIT", 1.0)
    with pytest.raises(Abort):
        build_site(make_project(tmp_path, sample_papers()[:1]), tmp_path / "site")
    assert "daily-papers: the search index: " in caplog.text
    assert expected in caplog.text


def test_record_text_is_indexed_as_text(tmp_path: Path) -> None:
    paper = dataclasses.replace(
        sample_papers()[0], title="<b>bold</b> & <img src=x>", date=dt.date(2024, 2, 14)
    )
    site = build_site(make_project(tmp_path, [paper]), tmp_path / "site")
    record = by_url(site)[f"papers/{paper.id}/"]
    assert record["meta"]["title"] == "<b>bold</b> & <img src=x>"
    assert record["content"].startswith("<b>bold</b> & <img src=x>")
