"""Records are untrusted: no payload in any field may become markup, script or a URL
that runs script, on any page, in the search index or in the feed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from pagefind_bundle import fragments
from sitebuild import Element, Page, build_site, make_project

from generator.plugin import archive as archive_module
from generator.records.bullets import bullet_problem
from generator.records.model import Media, Organization, Paper, SummarySource, default_links
from generator.records.rules import check_record, dump
from generator.records.urls import url_problem

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{display:none}</style>",
    '<object data="javascript:alert(1)"></object>',
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "</textarea><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    "]]><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "{{ config }} {% raw %}",
    "<x onclick=alert(1)>click",
    'https://example.org/" onerror="alert(1)',
    "https://example.org/<script>",
    "//evil.example/x.png",
]

#: What our templates produce inside a page's content; anything else came from a record.
ALLOWED_TAGS = {
    "article",
    "section",
    "br",
    "h1",
    "h2",
    "p",
    "span",
    "div",
    "details",
    "summary",
    "bdi",
    "form",
    "label",
    "input",
    "button",
    "a",
    "img",
    "video",
    "source",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "nav",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    # A chart: pygal's SVG (text from records in <text>, escaped) and its legend.
    "figure",
    "figcaption",
    "svg",
    "defs",
    "title",
    "g",
    "rect",
    "path",
    "text",
    # A paper's BibTeX entry (escaped text), and the bar reader.js clones onto a muted card.
    "pre",
    "template",
}
ALLOWED_ATTRIBUTES = {
    "class",
    "id",
    "href",
    "src",
    "alt",
    "loading",
    "controls",
    "muted",
    "playsinline",
    "preload",
    "poster",
    "type",
    "rel",
    "title",
    "lang",
    "aria-label",
    "aria-labelledby",
    "data-copied",
    "scope",
    # The authors' index's search form (ours; its action is checked as a link).
    "action",
    "method",
    "name",
    "autocomplete",
    "spellcheck",
    # SVG geometry (charts).
    "xmlns",
    "viewbox",
    "role",
    "transform",
    "x",
    "y",
    "rx",
    "ry",
    "width",
    "height",
    "d",
    # What reader.js reads (follow, mute and save buttons, hidden until it runs; a card's
    # keys; the home page's count of new papers). Addresses among them are checked below.
    "hidden",
    "aria-pressed",
    "aria-expanded",
    "data-dp-keys",
    "data-dp-save",
    "data-dp-url",
    "data-dp-date",
    "data-dp-follow",
    "data-dp-mute",
    "data-dp-key",
    "data-follow",
    "data-mute",
    "data-dp-name",
    "data-dp-id",
    "data-dp-copy",
    "data-index",
    "data-message",
}
SAFE_URL = "https://cdn.example.org/ok.png"
DATE = dt.date(2024, 2, 14)


def payload_paper(index: int, payload: str, *, summary: bool = True) -> Paper:
    """A paper carrying ``payload`` in every field, text and URL alike (not validated)."""
    paper_id = f"2402.{index:05d}"
    links = default_links(paper_id)
    links.update(huggingface=payload, arxiv=payload, pdf=payload, github=payload, project=payload)
    return Paper(
        id=paper_id,
        date=DATE,
        title=payload,
        authors=[payload] * 7,
        votes=index,
        summary=[payload, f"**굵게** {payload}", f"[링크]({payload})"] if summary else [],
        summary_source=SummarySource("huggingface") if index % 2 else None,
        links=links,
        thumbnail=payload,
        media=[Media("video" if index % 2 else "image", payload), Media("image", payload)],
        author_accounts={payload: payload},
        keywords=[payload],
        abstract=f"{payload}\n\n{payload}",
        organization=Organization(f"lab-{index % 3}", payload),
    )


def url_is_safe(value: str) -> bool:
    """A URL our pages may carry: absolute http(s) that passes url_problem, or internal."""
    url = re.sub(r"[\x00-\x20]", "", html.unescape(value))
    if re.match(r"(?i)(javascript|data|vbscript):", url):
        return False
    if url.startswith(("http://", "https://")):
        return url_problem(value) is None
    return not url.startswith("//") and ":" not in url.split("/")[0]


def check_content(elements: list[Element], where: str) -> None:
    for element in elements:
        assert element.tag in ALLOWED_TAGS, f"{where}: <{element.tag}> from a record"
        for name, value in element.attrs.items():
            assert name in ALLOWED_ATTRIBUTES, f"{where}: attribute {name} on <{element.tag}>"
            if name in ("href", "src", "poster", "action", "data-dp-url", "data-index"):
                assert value and url_is_safe(value), f"{where}: {name}={value!r}"


#: Pages the plugin generates (hand-written pages in docs/ may use any markup).
GENERATED = re.compile(r"index\.html|(archive|top|papers|orgs|trends|authors|\d{4})/.*index\.html")


def check_site(site: Path) -> None:
    """Every generated page's content, the search records and the feed."""
    checked = 0
    for path in site.rglob("*.html"):
        if not GENERATED.fullmatch(path.relative_to(site).as_posix()):
            continue
        page = Page(path.read_text(encoding="utf-8"))
        check_content([e for e in page.elements if e.in_content], str(path))
        checked += 1
    # home, archive, top, top of the year, year, month, day, papers, orgs, trends, authors
    assert checked >= 11
    assert list(site.glob("authors/*/index.html")), "no author page to check"
    # The search index holds record text as raw text (the search page sets it as text);
    # what becomes a link or an image source must still be safe.
    records = fragments(site)
    assert records
    for record in records:
        meta = record["meta"]
        assert not urlsplit(meta["url"]).scheme and not meta["url"].startswith("/"), meta
        if "image" in meta:
            assert url_is_safe(meta["image"]), meta
    raw = (site / "feed.xml").read_bytes()
    ET.fromstring(raw)  # well-formed XML whatever the records hold
    feed = feedparser.parse(raw)
    assert feed.bozo == 0
    channel = ET.fromstring(raw).find("channel")
    assert channel is not None
    for item in channel.iter("item"):
        description = Page(item.findtext("description") or "")
        check_content(description.elements, "feed description")
        for enclosure in item.iter("enclosure"):
            assert url_is_safe(enclosure.attrib["url"])
        assert url_is_safe(item.findtext("link") or "")


def test_every_url_payload_is_refused_by_validation() -> None:
    for index, payload in enumerate(PAYLOADS):
        if url_problem(payload) is None:
            continue
        paper = payload_paper(index, payload)
        paper.summary = ["안전한 요약"]
        text = dump(paper)
        problems = check_record(text.encode(), f"data/2024/02/14/{paper.id}.yaml")[1]
        keys = {p.key for p in problems if not p.warning}
        assert {"links.huggingface", "links.arxiv", "thumbnail", "media[0].url"} <= keys, payload
    assert sum(url_problem(p) is not None for p in PAYLOADS) >= 20


def test_summary_payloads_are_refused_only_for_script_links() -> None:
    """Raw HTML in a bullet is text (shown escaped); a link to another scheme is refused."""
    refused = [p for p in PAYLOADS if bullet_problem(p) is not None]
    assert "[x](javascript:alert(1))" in refused
    assert bullet_problem("<script>alert(1)</script>") is None
    assert all("](" in p for p in refused), refused


def test_unvalidated_payloads_in_every_field_never_become_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering checks again what validation checks: records that slipped past it (or a
    bug in it) still cannot inject anything."""
    papers = [payload_paper(i, p) for i, p in enumerate(PAYLOADS)]
    papers += [payload_paper(100 + i, p, summary=False) for i, p in enumerate(PAYLOADS)]
    unchecked = archive_module.from_papers(papers)
    monkeypatch.setattr(archive_module, "load", lambda *args, **kwargs: unchecked)
    site = build_site(make_project(tmp_path, [], {"author_pages_min": 1}), tmp_path / "site")
    check_site(site)
    page = Page((site / "2024" / "02" / "14" / "index.html").read_text(encoding="utf-8"))
    titles = {e.attrs["id"]: e.text for e in page.elements if e.tag == "h2"}
    for paper in papers:  # the title is shown, as text
        assert titles[paper.id] == paper.title
    items = ET.fromstring((site / "feed.xml").read_bytes()).iter("item")
    assert {item.findtext("title") for item in items} <= set(PAYLOADS)  # text, as written


def test_validated_records_with_payloads_in_text_fields(tmp_path: Path) -> None:
    """The real path: records that validation accepts carry payloads as text."""
    papers = []
    for index, payload in enumerate(PAYLOADS):
        paper = dataclasses.replace(
            payload_paper(index, payload),
            links=default_links(f"2402.{index:05d}"),
            thumbnail=SAFE_URL,
            media=[Media("image", SAFE_URL)],
            summary=[payload] if bullet_problem(payload) is None else ["안전한 요약"],
            summary_source=None,
            author_accounts={},
        )
        papers.append(paper)
        papers.append(dataclasses.replace(paper, id=f"2402.{100 + index:05d}", summary=[]))
    for paper in papers:
        problems = check_record(dump(paper).encode(), f"data/2024/02/14/{paper.id}.yaml")[1]
        assert [p for p in problems if not p.warning] == [], paper.title
    site = build_site(make_project(tmp_path, papers, {"author_pages_min": 1}), tmp_path / "site")
    check_site(site)
    text = (site / "2024" / "02" / "14" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_titles_and_descriptions_in_the_head_stay_text(tmp_path: Path) -> None:
    """Material prints a page's title and description unescaped; a day's description
    quotes its top paper's title and an organization page's title its name."""
    hostile = Organization("hostile-lab", "<img src=x onerror=alert('org')>")
    papers = [
        dataclasses.replace(
            payload_paper(index, '" onmouseover="alert(1)'),
            links=default_links(f"2402.{index:05d}"),
            thumbnail=SAFE_URL,
            media=[],
            summary=["안전한 요약"],
            summary_source=None,
            author_accounts={},
            organization=hostile,
            votes=100 - index,
        )
        for index in range(3)
    ]
    site = build_site(make_project(tmp_path, papers), tmp_path / "site")
    for url in ("2024/02/14/", "orgs/hostile-lab/", "weeks/2024-W07/"):
        page = Page((site / url / "index.html").read_text(encoding="utf-8"))
        for element in page.elements:
            assert not [a for a in element.attrs if a.startswith("on")], (url, element)
            assert not (element.tag == "img" and element.attrs.get("src") == "x"), url


def test_a_paper_page_keeps_hostile_text_out_of_its_head_and_json_ld(tmp_path: Path) -> None:
    """The paper's page puts record text in its <title>, meta tags and a <script> of
    JSON-LD: a '</script>' in a title must not end that block."""
    papers = [
        dataclasses.replace(
            payload_paper(index, payload),
            title=f"</script><script>alert({index})</script> {payload}".strip()[:400],
            authors=[payload, "</script><img src=x onerror=alert(2)>"],
            links=default_links(f"2402.{index:05d}"),
            thumbnail=SAFE_URL,
            media=[],
            summary=[payload] if bullet_problem(payload) is None else ["안전한 요약"],
            summary_source=None,
            author_accounts={},
            keywords=[payload[:100]],
        )
        for index, payload in enumerate(PAYLOADS[:12])
    ]
    site = build_site(make_project(tmp_path, papers), tmp_path / "site")
    for paper in papers:
        text = (site / "papers" / paper.id / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
        assert len(blocks) == 1, paper.id
        data = json.loads(blocks[0])
        assert data["name"] == paper.title and [a["name"] for a in data["author"]] == paper.authors
        assert "<" not in blocks[0] and ">" not in blocks[0]
        page = Page(text)
        scripts = [e for e in page.elements if e.tag == "script"]
        assert all(
            e.attrs.get("src")
            or e.attrs.get("type") == "application/ld+json"
            or "alert" not in e.text
            for e in scripts
        ), paper.id
        for element in page.elements:
            assert not [a for a in element.attrs if a.startswith("on")], (paper.id, element)
            if element.tag == "link" or element.attrs.get("property") in ("og:url", "og:image"):
                value = element.attrs.get("href") or element.attrs.get("content") or ""
                assert url_is_safe(value), (paper.id, value)
        title = next(e for e in page.elements if e.tag == "title").text
        assert title.startswith(paper.title)
