"""What the reader's features read from a built site: the follow index ``me/`` reads,
the organizations' feeds, the BibTeX block of a paper's page, and the buttons the
script shows (hidden in the HTML, so pages read as before without it)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import feedparser
import pytest
from markupsafe import escape
from sitebuild import SITE_URL, build_site, make_project, read_page, sample_papers

from generator.plugin import follows
from generator.plugin.authors import author_key
from generator.plugin.bibtex import entry
from generator.records.model import Organization, Paper

LAB = Organization("example-lab", "Example Lab")


def papers() -> list[Paper]:
    """The sample papers, those of each day's first two under one organization."""
    return [
        dataclasses.replace(paper, organization=LAB) if paper.id[-1] in "01" else paper
        for paper in sample_papers()
    ]


PAPERS = papers()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reader")
    return build_site(make_project(root, PAPERS, {"author_pages_min": 2}), root / "site")


def read_index(site: Path) -> dict[str, list[object]]:
    """Every key of the follow index with its entry, from all its shards."""
    index = json.loads((site / follows.INDEX).read_text(encoding="utf-8"))
    assert index["version"] == follows.FORMAT_VERSION and index["limit"] == follows.LIMIT
    found: dict[str, list[object]] = {}
    for number in range(index["shards"]):
        shard = json.loads((site / follows.shard_path(number)).read_text(encoding="utf-8"))
        for key, value in shard.items():
            assert follows.fnv1a(key) % index["shards"] == number, key
            found[key] = value
    return found


def newest(keys: set[str]) -> list[str]:
    found = [p for p in PAPERS if keys & set(filed(p))]
    found.sort(key=lambda p: (-p.date.toordinal(), -(p.votes or 0), p.id))
    return [p.id for p in found[: follows.LIMIT]]


def filed(paper: Paper) -> list[str]:
    """The keys a paper must be found under, from its record."""
    keys = [f"t:{code}" for code in paper.categories or ()]
    keys += [f"k:{word.lower()}" for word in paper.keywords]
    if paper.organization:
        keys.append(f"o:{paper.organization.name}")
    counts: dict[str, int] = {}
    for other in PAPERS:
        for name in other.authors:
            counts[author_key(name)] = counts.get(author_key(name), 0) + 1
    keys += [f"a:{author_key(name)}" for name in paper.authors if counts[author_key(name)] >= 2]
    return keys


def test_the_follow_index_lists_every_followable_thing_with_its_newest_papers(
    site: Path,
) -> None:
    index = read_index(site)
    expected = {key for paper in PAPERS for key in filed(paper)}
    assert set(index) == expected
    for key, (count, entries) in index.items():
        assert count == sum(key in filed(p) for p in PAPERS), key
        assert [e[0] for e in entries] == newest({key}), key
    paper = PAPERS[0]
    listed = next(e for e in index["t:" + (paper.categories or [""])[0]][1] if e[0] == paper.id)
    assert listed == [
        paper.id,
        paper.date.isoformat(),
        paper.title,
        paper.votes,
        f"papers/{paper.id}/",
    ]


def test_the_shard_count_grows_with_the_index_and_the_hash_is_fnv1a() -> None:
    # Published test vectors of 32-bit FNV-1a (me.js's hash must agree).
    assert follows.fnv1a("") == 0x811C9DC5
    assert follows.fnv1a("a") == 0xE40C292C
    assert follows.fnv1a("foobar") == 0xBF9CF968
    from generator.plugin.archive import from_papers
    from generator.plugin.cards import CardSettings, make_card
    from generator.plugin.messages import load as load_messages

    settings = CardSettings(5, None, load_messages("ko", {}))
    small = follows.follow_files(from_papers(PAPERS), lambda p: make_card(p, settings))
    many = [
        dataclasses.replace(p, id=f"{p.id}{n}", keywords=[f"word {n} {i}" for i in range(8)])
        for n in range(40)
        for p in PAPERS
    ]
    large = follows.follow_files(from_papers(many), lambda p: make_card(p, settings))
    assert small.shards == 1 and large.shards > 1
    assert large.shards & (large.shards - 1) == 0


def test_an_organization_with_a_page_has_feeds_announced_on_its_page(site: Path) -> None:
    expected = sorted(
        (p for p in PAPERS if p.organization),
        key=lambda p: (-p.date.toordinal(), -(p.votes or 0)),
    )
    feed = feedparser.parse((site / f"feed-org-{LAB.name}.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert LAB.display_name in feed.feed.title
    assert feed.feed.link == f"{SITE_URL}orgs/{LAB.name}/"
    assert {e.id for e in feed.entries} == {f"daily-papers:{p.id}" for p in expected}
    document = json.loads((site / f"feed-org-{LAB.name}.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{SITE_URL}feed-org-{LAB.name}.json"
    assert [item["id"] for item in document["items"]] == [e.id for e in feed.entries]
    page = read_page(site, f"orgs/{LAB.name}/")
    announced = [(e.attrs["type"], e.attrs["href"]) for e in page.find("link", rel="alternate")]
    assert ("application/rss+xml", f"{SITE_URL}feed-org-{LAB.name}.xml") in announced
    assert ("application/feed+json", f"{SITE_URL}feed-org-{LAB.name}.json") in announced


def test_topic_and_organization_feed_items_are_compact(site: Path) -> None:
    summarized = next(p for p in PAPERS if p.summary and p.organization)
    for name in (f"feed-org-{LAB.name}.json", f"feed-topic-{summarized.categories[0]}.json"):
        document = json.loads((site / name).read_text(encoding="utf-8"))
        item = next(i for i in document["items"] if i["id"].endswith(summarized.id))
        assert item["content_html"].count("<li>") == 1, name
    daily = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    full = next(i for i in daily["items"] if i["id"].endswith(summarized.id))
    assert full["content_html"].count("<li>") == len(summarized.summary)


def test_a_paper_page_prints_its_bibtex_entry_and_hidden_buttons(site: Path) -> None:
    paper = PAPERS[0]
    page = read_page(site, f"papers/{paper.id}/")
    block = next(page.find("pre"))
    assert block.attrs["data-dp-id"] == paper.id
    html = (site / f"papers/{paper.id}/index.html").read_text(encoding="utf-8")
    assert f"<code>{escape(entry(paper))}</code>" in html
    buttons = list(page.find("button"))
    ours = [b for b in buttons if any(k.startswith("data-dp-") for k in b.attrs)]
    assert {k for b in ours for k in b.attrs if k.startswith("data-dp-")} == {
        "data-dp-save",
        "data-dp-url",
        "data-dp-date",
        "data-dp-copy",
    }
    # Keyword chips name what reader.js follows or mutes them by.
    chips = [e.attrs["data-dp-key"] for e in page.elements if "dp-chip" in e.classes]
    assert chips == [f"k:{word.lower()}" for word in paper.keywords]
    assert all("hidden" in b.attrs for b in ours)


def test_without_paper_pages_each_card_carries_its_entry(tmp_path: Path) -> None:
    site = build_site(make_project(tmp_path, PAPERS[:4], {"paper_pages": False}), tmp_path / "site")
    page = read_page(site, f"{PAPERS[0].date:%Y/%m/%d}/")
    assert {e.attrs["data-dp-id"] for e in page.find("pre")} == {p.id for p in PAPERS[:4]}
    html = (site / f"{PAPERS[0].date:%Y/%m/%d}/index.html").read_text(encoding="utf-8")
    assert all(f"<code>{escape(entry(p))}</code>" in html for p in PAPERS[:4])


def test_me_is_in_the_navigation_and_reads_the_follow_index(site: Path) -> None:
    home = read_page(site, "")
    assert any(e.attrs.get("href") == "me/" for e in home.find("a"))
    page = read_page(site, "me/")
    box = next(e for e in page.elements if "dp-me" in e.classes)
    assert box.attrs["data-index"] == "../api/follow.json"
    assert any(e.attrs.get("src") == "../assets/me.js" for e in page.find("script"))
