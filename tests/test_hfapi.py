"""Mapping API items to records: every shape the API has had, and every way an item is bad."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from generator.hfapi import ApiFormatError, parse_day
from generator.records.model import (
    Media,
    Organization,
    Paper,
    SummarySource,
    default_links,
    summary_fingerprint,
)
from generator.records.rules import check_record, dump
from generator.records.urls import url_problem

FIXTURES = Path(__file__).parent / "fixtures" / "hf-api"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def assert_valid_record(paper: Paper) -> None:
    raw = dump(paper).encode("utf-8")
    parsed, problems = check_record(raw, f"data/{paper.relative_path().as_posix()}")
    assert problems == []
    assert parsed == paper


# --- the real responses (skipped when the reference folder is absent) -----------------


REFERENCE_DATES = ["2024-05-29", "2024-10-25", "2025-06-12", "2026-08-21"]


@pytest.mark.parametrize("day", REFERENCE_DATES)
def test_reference_response_maps_to_valid_records(shared_reference: Path, day: str) -> None:
    items = json.loads((shared_reference / "hf-api" / f"daily_papers-{day}.json").read_text())
    date = dt.date.fromisoformat(day)
    parsed = parse_day(items, date)

    assert parsed.warnings == []
    assert [p.id for p in parsed.papers] == [item["paper"]["id"] for item in items]
    for item, paper in zip(items, parsed.papers, strict=True):
        api = item["paper"]
        assert paper.date == date
        assert paper.title == " ".join(api["title"].split())
        assert paper.authors == [a["name"] for a in api["authors"]]
        assert paper.author_accounts == {
            a["name"]: a["user"]["user"] for a in api["authors"] if a.get("user")
        }
        assert paper.votes == api["upvotes"]
        assert paper.comments == item["numComments"]
        assert paper.published == dt.date.fromisoformat(api["publishedAt"][:10])
        assert paper.links["huggingface"] == f"https://huggingface.co/papers/{paper.id}"
        assert paper.links.get("github") == api.get("githubRepo")
        assert paper.thumbnail == (item.get("thumbnail") or item.get("mediaUrl"))
        expected_media = list(dict.fromkeys(item.get("mediaUrls", []) + api.get("mediaUrls", [])))
        assert [m.url for m in paper.media] == expected_media
        for medium in paper.media:
            assert medium.kind == ("video" if medium.url.endswith(".mp4") else "image")
        assert paper.keywords == list(dict.fromkeys(api.get("ai_keywords", [])))
        assert paper.abstract and "\n\n" not in paper.abstract
        if api.get("ai_summary"):
            assert paper.summary == [" ".join(api["ai_summary"].split())]
            assert paper.summary_source is not None
            assert paper.summary_source.kind == "huggingface"
            assert paper.summary_source.language == "en"
            assert paper.summary_source.model == api.get("ai_summary_model")
            assert not paper.summary_is_human
        else:
            assert paper.summary == [] and paper.summary_source is None
        assert_valid_record(paper)


def test_reference_shapes_have_the_expected_variants(shared_reference: Path) -> None:
    """The cases the issue singles out really occur in the reference answers."""

    def day(name: str) -> dict[str, Paper]:
        items = json.loads((shared_reference / "hf-api" / f"daily_papers-{name}.json").read_text())
        return {p.id: p for p in parse_day(items, dt.date.fromisoformat(name)).papers}

    old = day("2024-05-29")
    assert all(p.media == [] and p.thumbnail for p in old.values())  # mediaUrl was the card
    oct24 = day("2024-10-25")
    assert [m.kind for m in oct24["2410.18977"].media] == ["video", "video"]
    assert [m.kind for m in oct24["2410.18775"].media] == ["image"] * 4
    assert "Zhanchao Zhou" in oct24["2410.17897"].authors  # a "hidden" author is an author
    jun25 = day("2025-06-12")
    assert len(jun25["2506.09113"].authors) == 44
    assert "project" not in jun25["2506.09790"].links  # same URL as its GitHub repository
    aug26 = day("2026-08-21")
    assert len(aug26["2608.20281"].media) == 2  # top-level and paper.mediaUrls repeat
    assert "project" not in aug26["2608.19861"].links  # project page is its own HF page


# --- our own fixtures, one per shape --------------------------------------------------


def test_2024_05_shape_old_media_url() -> None:
    papers = parse_day(load("shape-2024-05.json"), dt.date(2024, 5, 20)).papers
    kites, upload = papers
    assert kites.title == "Folding Kites: A Toy Study of Wrapped Titles"
    assert kites.authors == ["Ada Quill", "Bo Lindqvist"]  # one-lined; the nameless entry dropped
    assert kites.votes == 12 and kites.comments == 3
    assert kites.published == dt.date(2024, 5, 17)
    assert kites.thumbnail == (
        "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.00101.png"
    )
    assert kites.media == []
    assert kites.abstract == (
        "First paragraph of an invented abstract, wrapped the way arXiv "
        "wraps it.\n\nA second paragraph."
    )
    assert kites.summary == [] and kites.summary_source is None
    assert kites.keywords == []
    assert kites.links == default_links("2405.00101")
    # An old mediaUrl that is an upload, not the social card, is media; relative → absolute.
    assert upload.thumbnail is None
    assert upload.media == [
        Media("video", "https://huggingface.co/production/uploads/demo/clip.MP4?download=1")
    ]
    assert upload.votes == 0 and upload.comments == 0
    for paper in papers:
        assert_valid_record(paper)


def test_2024_10_shape_media_urls_and_thumbnail() -> None:
    parsed = parse_day(load("shape-2024-10.json"), dt.date(2024, 10, 25))
    gardens, bare = parsed.papers
    base = "https://cdn-uploads.huggingface.co/production/uploads/u2/"
    assert gardens.media == [
        Media("image", base + "figure-one.png"),
        Media("video", base + "demo.webm"),
        Media("image", base + "teaser.jpeg"),
    ]
    assert gardens.title.endswith("Long Enough to Be Wrapped")
    assert parsed.warnings == [
        "2024-10-25: item 1 (2410.00201): media URL left out: must be an absolute http(s) URL "
        "(scheme is 'javascript:'): 'javascript:alert(1)'"
    ]
    assert bare.authors == [] and bare.abstract is None
    assert bare.thumbnail == "https://huggingface.co/social-thumbnails/papers/2410.00202.png"
    for paper in parsed.papers:
        assert_valid_record(paper)


def test_2025_06_shape_ai_summary_keywords_and_links() -> None:
    parsed = parse_day(load("shape-2025-06.json"), dt.date(2025, 6, 12))
    lanterns, same = parsed.papers
    assert lanterns.summary == ["An invented machine summary, wrapped over two lines."]
    source = lanterns.summary_source
    assert source == SummarySource("huggingface", None, "en", summary_fingerprint(lanterns.summary))
    assert lanterns.keywords == ["video generation", "diffusion"]
    assert lanterns.links == {
        **default_links("2506.00301"),
        "github": "https://github.com/example/lanterns",
        "project": "https://lanterns.example.org/",
    }
    # A project page repeating the repository is left out; an unsafe ai_summary is not offered.
    assert same.links == {
        **default_links("2506.00302"),
        "github": "https://github.com/example/same",
    }
    assert same.summary == [] and same.summary_source is None
    assert parsed.warnings == [
        "2025-06-12: item 2 (2506.00302): paper.ai_summary not used: link target must be "
        "an absolute http(s) URL (scheme is 'javascript:'): 'javascript:alert(1)'"
    ]
    for paper in parsed.papers:
        assert_valid_record(paper)


def test_2026_08_shape_paper_media_and_model() -> None:
    (tide,) = parse_day(load("shape-2026-08.json"), dt.date(2026, 8, 21)).papers
    base = "https://cdn-uploads.huggingface.co/production/uploads/s2/"
    assert tide.media == [
        Media("video", base + "walkthrough.mp4"),
        Media("video", base + "extra.qt"),
        Media("image", base + "table.png"),
    ]
    assert tide.summary_source is not None and tide.summary_source.model == (
        "example/tiny-summarizer"
    )
    assert "project" not in tide.links and tide.links["github"].endswith("/tidepools")
    assert tide.published == dt.date(2026, 8, 20)  # paper.publishedAt, not the item's
    assert_valid_record(tide)


def test_repeated_items_are_kept_once_in_api_order() -> None:
    items = load("shape-2024-10.json")
    papers = parse_day([*items, items[0]], dt.date(2024, 10, 25)).papers
    assert [p.id for p in papers] == ["2410.00201", "2410.00202"]


def test_empty_day() -> None:
    parsed = parse_day([], dt.date(2024, 10, 26))
    assert parsed.papers == [] and parsed.warnings == []


# --- bad answers: a clear error naming the date and the item --------------------------


def broken(change: Any) -> list[Any]:
    items = copy.deepcopy(load("shape-2025-06.json"))
    change(items)
    return items


def set_paper(key: str, value: Any) -> Any:
    return lambda items: items[1]["paper"].__setitem__(key, value)


def set_item(key: str, value: Any) -> Any:
    return lambda items: items[1].__setitem__(key, value)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (
            {"error": "Invalid date"},
            "2025-06-12: the API answered with an error instead of a list: 'Invalid date'",
        ),
        ({"papers": []}, "2025-06-12: the API answer must be a list of papers, not a mapping"),
        (None, "2025-06-12: the API answer must be a list of papers, not null"),
        ("[]", "2025-06-12: the API answer must be a list of papers, not a string"),
        (
            broken(lambda items: items.__setitem__(1, "2506.00302")),
            "2025-06-12: item 2: must be an object, not a string",
        ),
        (
            broken(set_item("paper", ["2506.00302"])),
            "2025-06-12: item 2: paper must be an object, not a list",
        ),
        (broken(lambda items: items[1].pop("paper")), "2025-06-12: item 2: has no paper.id"),
        (broken(set_paper("id", None)), "2025-06-12: item 2: has no paper.id"),
        (broken(set_paper("id", "  ")), "2025-06-12: item 2: has no paper.id"),
        (
            broken(set_paper("id", 2506.00302)),
            "2025-06-12: item 2: paper.id has the wrong type: a number (2506.00302)",
        ),
        (
            broken(set_paper("id", "../../etc/passwd")),
            "2025-06-12: item 2: paper.id '../../etc/passwd' is not an arXiv id like 2402.08093",
        ),
        (
            broken(lambda items: (items[1]["paper"].pop("title"), items[1].pop("title"))),
            "2025-06-12: item 2 (2506.00302): has no title",
        ),
        (
            broken(set_paper("upvotes", "12")),
            "2025-06-12: item 2 (2506.00302): paper.upvotes has the wrong type: a string ('12')",
        ),
        (
            broken(set_paper("upvotes", True)),
            "2025-06-12: item 2 (2506.00302): paper.upvotes must not be a boolean (True)",
        ),
        (
            broken(set_paper("upvotes", -3)),
            "2025-06-12: item 2 (2506.00302): paper.upvotes must not be negative (-3)",
        ),
        (
            broken(set_item("numComments", 1.5)),
            "2025-06-12: item 2 (2506.00302): numComments has the wrong type: a number (1.5)",
        ),
        (
            broken(set_paper("authors", "Hana Ruiz")),
            "2025-06-12: item 2 (2506.00302): paper.authors has the wrong type: a string "
            "('Hana Ruiz')",
        ),
        (
            broken(set_paper("authors", [{"name": "Hana Ruiz"}, 7])),
            "2025-06-12: item 2 (2506.00302): paper.authors[1] must be an object, not a number",
        ),
        (
            broken(set_paper("authors", [{"name": ["Hana"]}])),
            "2025-06-12: item 2 (2506.00302): paper.authors[0].name has the wrong type: a list",
        ),
        (
            broken(set_paper("publishedAt", "last Tuesday")),
            "2025-06-12: item 2 (2506.00302): paper.publishedAt is not a date: 'last Tuesday'",
        ),
        (
            broken(set_paper("publishedAt", "2025-02-30T00:00:00Z")),
            "2025-06-12: item 2 (2506.00302): paper.publishedAt is not a date: "
            "'2025-02-30T00:00:00Z'",
        ),
        (
            broken(set_item("mediaUrls", "https://example.org/a.png")),
            "2025-06-12: item 2 (2506.00302): mediaUrls has the wrong type: a string "
            "('https://example.org/a.png')",
        ),
        (
            broken(set_paper("mediaUrls", [None])),
            "2025-06-12: item 2 (2506.00302): paper.mediaUrls[0] must be a URL string, not null",
        ),
        (
            broken(set_item("thumbnail", {"url": "x"})),
            "2025-06-12: item 2 (2506.00302): thumbnail has the wrong type: a mapping "
            "({'url': 'x'})",
        ),
        (
            broken(set_paper("ai_keywords", ["ok", 3])),
            "2025-06-12: item 2 (2506.00302): paper.ai_keywords[1] must be a string, not a number",
        ),
        (
            broken(set_paper("githubRepo", 42)),
            "2025-06-12: item 2 (2506.00302): paper.githubRepo has the wrong type: a number (42)",
        ),
    ],
)
def test_malformed_items_fail_clearly(items: Any, message: str) -> None:
    with pytest.raises(ApiFormatError) as error:
        parse_day(items, dt.date(2025, 6, 12))
    assert str(error.value) == message


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.org/a.png",
        "https://x.org/a b.png",
        'https://x.org/"onerror="x.png',
    ],
)
def test_unsafe_urls_are_dropped_everywhere(url: str) -> None:
    items = load("shape-2026-08.json")
    item, paper = items[0], items[0]["paper"]
    item["thumbnail"] = url
    item["mediaUrls"] = [url]
    paper["mediaUrls"] = [url]
    paper["githubRepo"] = url
    paper["projectPage"] = url
    parsed = parse_day(items, dt.date(2026, 8, 21))
    (tide,) = parsed.papers
    assert tide.thumbnail is None and tide.media == []
    assert tide.links == default_links("2608.00401")
    assert len(parsed.warnings) == 5
    assert all(w.startswith("2026-08-21: item 1 (2608.00401): ") for w in parsed.warnings)
    for value in [tide.thumbnail, *tide.links.values(), *(m.url for m in tide.media)]:
        assert value is None or url_problem(value) is None


def item_with(**paper: Any) -> dict[str, Any]:
    """An API item of our own, with these ``paper`` fields."""
    fields = {
        "id": "2506.00901",
        "title": "An Invented Paper",
        "authors": [],
        "upvotes": 1,
        **paper,
    }
    return {"paper": fields, "title": fields["title"]}


def test_oversized_fields_are_capped_to_the_record_contract() -> None:
    """A 30 MB abstract used to be written into data/; the record's limits apply here."""
    huge = item_with(
        summary="a" * 10_001,
        ai_summary="b" * 1_501,
        ai_keywords=["k", *(f"k{n}" for n in range(150))],
    )
    parsed = parse_day([huge], dt.date(2025, 6, 12))
    (paper,) = parsed.papers
    assert paper.abstract is None and paper.summary == [] and len(paper.keywords) == 100
    assert parsed.warnings == [
        "2025-06-12: item 1 (2506.00901): paper.ai_summary not used: it is 1,501 characters "
        "long; a bullet holds at most 1,500",
        "2025-06-12: item 1 (2506.00901): paper.summary (the abstract) left out: it is 10,001 "
        "characters long; a record holds at most 10,000",
        "2025-06-12: item 1 (2506.00901): paper.ai_keywords: only the first 100 of 151 kept",
    ]
    assert_valid_record(paper)
    with pytest.raises(
        ApiFormatError, match=r"paper\.title is 501 characters long; a record holds at most 500"
    ):
        parse_day([item_with(title="T" * 501)], dt.date(2025, 6, 12))


def test_one_long_author_name_does_not_fail_the_day() -> None:
    """Keywords were capped, author names not: one 10,000-character name made the whole
    day's records invalid, so nothing of the day was written."""
    long_name = "Very Long Name " * 700
    listed = item_with(authors=[{"name": "Kim Min-jun"}, {"name": long_name}])
    other = item_with(id="2506.00902", title="Another Invented Paper")
    parsed = parse_day([listed, other], dt.date(2025, 6, 12))
    first, second = parsed.papers
    assert first.authors[0] == "Kim Min-jun"
    assert len(first.authors[1]) == 200 and first.authors[1].endswith("…")
    assert first.authors[1].startswith("Very Long Name Very Long Name")
    assert parsed.warnings == [
        "2025-06-12: item 1 (2506.00901): paper.authors[1]: a name of 10,499 characters cut to 200"
    ]
    assert_valid_record(first)
    assert_valid_record(second)


def test_an_author_list_over_the_limit_is_cut_and_marked_incomplete() -> None:
    crowd = item_with(authors=[{"name": f"Author {n}"} for n in range(5_003)])
    parsed = parse_day([crowd], dt.date(2025, 6, 12))
    (paper,) = parsed.papers
    assert len(paper.authors) == 5_000 and paper.authors_incomplete
    assert parsed.warnings == [
        "2025-06-12: item 1 (2506.00901): paper.authors: only the first 5,000 of 5,003 names "
        "kept; the record says its list is incomplete"
    ]
    assert_valid_record(paper)


def test_authors_hub_accounts_are_kept_and_a_malformed_one_left_out() -> None:
    authors = [
        {"name": "Kim Min-jun", "user": {"user": "minjun-kim", "fullname": "Kim Min-jun"}},
        {"name": "Lena Berg"},  # no account
        {"name": "Eve Mallory", "user": {"user": "<script>alert(1)</script>"}},
        {"name": "Sara Cohen", "user": {"user": 42}},
    ]
    parsed = parse_day([item_with(authors=authors)], dt.date(2025, 6, 12))
    (paper,) = parsed.papers
    assert paper.author_accounts == {"Kim Min-jun": "minjun-kim"}
    assert len(parsed.warnings) == 2
    assert all("user.user left out: not a user name" in w for w in parsed.warnings)
    assert_valid_record(paper)


def test_organization_and_code_stars_are_kept() -> None:
    org = {
        "_id": "x",
        "name": "example-lab",
        "fullname": "Example  Lab",
        "avatar": "https://x.org/a.png",
    }
    (paper,) = parse_day(
        [item_with(organization=org, githubStars=42, githubRepo="https://github.com/example/code")],
        dt.date(2025, 6, 12),
    ).papers
    assert paper.organization == Organization("example-lab", "Example Lab")
    assert (paper.code_stars, paper.links["github"]) == (42, "https://github.com/example/code")
    assert_valid_record(paper)
    parsed = parse_day([item_with(organization={"name": "<b>x</b>"})], dt.date(2025, 6, 12))
    assert parsed.papers[0].organization is None
    assert "paper.organization left out" in parsed.warnings[0]


def test_the_reference_answers_carry_organizations(shared_reference: Path) -> None:
    items = json.loads((shared_reference / "hf-api/daily_papers-2026-08-21.json").read_text())
    papers = parse_day(items, dt.date(2026, 8, 21)).papers
    assert all(p.organization is not None for p in papers)
    assert any(p.code_stars is not None for p in papers)
