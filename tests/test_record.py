"""The record contract: writing is deterministic and reading gives back the same paper."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from record_files import write

from generator.records import store as store_module
from generator.records.model import (
    Media,
    Paper,
    SummarySource,
    default_links,
    media_kind,
    summary_fingerprint,
)
from generator.records.reading import read_record
from generator.records.rules import check_record, dump
from generator.records.store import Store, StoreError
from generator.records.text import excerpt, one_line, paragraphs
from generator.records.urls import _parsed_url_problem, resolve_url, url_problem

KOREAN = "대규모 언어 모델(LLM)의 추론 비용을 줄이기 위해 토큰 단위로 계산량을 조절하는 방법을 제안합니다."


def full_paper() -> Paper:
    summary = [KOREAN, "짧은 항목에 `x<y` 코드와 **강조**가 있습니다."]
    return Paper(
        id="2402.08093",
        date=dt.date(2024, 2, 14),
        title="BASE TTS: Lessons from building a billion-parameter Text-to-Speech model on 100K hours of data",
        authors=["Yang Li", "Soledad López Gambino", "Mateusz Łajszczak"],
        votes=25,
        summary=summary,
        comments=4,
        published=dt.date(2024, 2, 12),
        summary_source=SummarySource("llm", "gpt-4o-mini", "ko", summary_fingerprint(summary)),
        links={**default_links("2402.08093"), "github": "https://github.com/a/b"},
        thumbnail="https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2402.08093.png",
        media=[
            Media("image", "https://cdn.example.org/a.png"),
            Media("video", "https://cdn.example.org/b.mp4"),
        ],
        keywords=["text-to-speech", "scaling"],
        abstract="First paragraph of an abstract that is long enough to be a block.\n\nSecond one.",
        extra={"note_from_reader": "kept as is"},
    )


def minimal_paper() -> Paper:
    return Paper(id="2311.10122", date=dt.date(2023, 11, 20), title="Short", authors=[], votes=None)


@pytest.mark.parametrize("paper", [full_paper(), minimal_paper()], ids=["full", "minimal"])
def test_round_trip_is_byte_stable(paper: Paper) -> None:
    text = dump(paper)
    parsed, problems = check_record(text.encode(), f"data/{paper.relative_path().as_posix()}")
    assert [p for p in problems if not p.warning] == []
    assert parsed == paper
    assert dump(parsed) == text


def test_dump_format_is_readable() -> None:
    text = dump(full_paper())
    lines = text.splitlines()
    assert lines[0] == 'id: "2402.08093"'
    assert lines[1] == "date: 2024-02-14"
    assert lines[2].startswith("title: ") and "\n" not in lines[2]
    assert KOREAN in text  # UTF-8 text is not escaped
    assert "\\u" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "abstract: |-\n  First paragraph" in text  # long text is a block scalar
    keys = [line.split(":")[0] for line in lines if line and not line.startswith((" ", "-"))]
    assert keys == [
        "id",
        "date",
        "title",
        "authors",
        "votes",
        "comments",
        "published",
        "summary",
        "summary_source",
        "links",
        "thumbnail",
        "media",
        "keywords",
        "abstract",
        "note_from_reader",
    ]


def test_long_urls_stay_on_their_key_line() -> None:
    long_url = "https://cdn-uploads.huggingface.co/production/uploads/" + "a" * 60 + "/clip.mp4"
    paper = minimal_paper()
    paper.thumbnail = long_url.replace("clip.mp4", "poster.png")
    paper.links = {"project": long_url + "?x=1#y"}
    paper.media = [Media("video", long_url)]
    text = dump(paper)
    assert f"  project: {long_url}?x=1#y\n" in text
    assert f"thumbnail: {paper.thumbnail}\n" in text
    assert f"  url: {long_url}\n" in text
    parsed, problems = check_record(text.encode(), f"data/{paper.relative_path().as_posix()}")
    assert problems == [] and parsed == paper


def test_required_keys_are_always_written() -> None:
    text = dump(minimal_paper())
    assert text == (
        'id: "2311.10122"\ndate: 2023-11-20\ntitle: Short\nauthors: []\nvotes: null\nsummary: []\n'
    )


def test_write_is_atomic_and_skips_identical_bytes(tmp_path: Path) -> None:
    paper = full_paper()
    store = Store(tmp_path)
    assert store.put([paper]) == ["new"]
    path = tmp_path / "2024" / "02" / "14" / "2402.08093.yaml"
    before = path.stat().st_mtime_ns
    os.utime(path, ns=(before - 10**9, before - 10**9))
    assert store.put([paper]) == ["unchanged"]
    assert path.stat().st_mtime_ns == before - 10**9  # untouched
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    loaded, _ = read_record(path)
    assert loaded == paper


def test_failed_write_leaves_old_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paper = full_paper()
    write(paper, tmp_path)
    path = tmp_path / paper.relative_path()
    old = path.read_bytes()

    def crash(src: Path, dst: Path) -> None:
        raise OSError("disk full")

    # The store's one rename (patching os.replace misses Path.replace on Python 3.10).
    monkeypatch.setattr(store_module, "_rename", crash)
    paper.votes = 99
    with pytest.raises(StoreError, match=r"2402\.08093\.yaml: cannot be replaced: disk full"):
        write(paper, tmp_path)
    assert path.read_bytes() == old
    assert list(path.parent.iterdir()) == [path]


@pytest.mark.parametrize(
    ("summary", "source", "human"),
    [
        ([], None, False),
        (["직접 쓴 요약"], None, True),
        (["직접 쓴 요약"], SummarySource("human"), True),
        (["모델 요약"], SummarySource("llm", "m", "ko", summary_fingerprint(["모델 요약"])), False),
        (["고친 요약"], SummarySource("llm", "m", "ko", summary_fingerprint(["모델 요약"])), True),
    ],
)
def test_summary_is_human(summary: list[str], source: SummarySource | None, human: bool) -> None:
    paper = minimal_paper()
    paper.summary, paper.summary_source = summary, source
    assert paper.summary_is_human is human


FALLBACK = ["An English fallback."]


@pytest.mark.parametrize(
    ("summary", "source", "awaits"),
    [
        ([], None, True),
        ([], SummarySource("llm", "m", "ko"), True),
        (FALLBACK, SummarySource("huggingface", None, "en", summary_fingerprint(FALLBACK)), True),
        (FALLBACK, SummarySource("huggingface", None, "en"), True),
        (
            ["사람이 번역함"],
            SummarySource("huggingface", None, "en", summary_fingerprint(FALLBACK)),
            False,
        ),
        (["모델 요약"], SummarySource("llm", "m", "ko", summary_fingerprint(["모델 요약"])), False),
        (["가져온 요약"], SummarySource("imported"), False),
        (["직접 쓴 요약"], None, False),
    ],
)
def test_awaits_summary(summary: list[str], source: SummarySource | None, awaits: bool) -> None:
    paper = minimal_paper()
    paper.summary, paper.summary_source = summary, source
    assert paper.awaits_summary is awaits


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://arxiv.org/abs/2402.08093", True),
        ("http://example.org/x?y=1#z", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("//evil.example/x", False),
        ("/avatars/x.svg", False),
        ("https://", False),
        ("https://example.org/a b", False),
        ('https://example.org/"onerror="x', False),
        ("vbscript:msgbox(1)", False),
        (" https://example.org", False),
    ],
)
def test_url_policy(url: str, ok: bool) -> None:
    assert (url_problem(url) is None) is ok


def test_helpers() -> None:
    assert one_line("A title\n  wrapped  by   the API ") == "A title wrapped by the API"
    assert paragraphs("a\nb\n\n\n c \n") == "a b\n\nc"
    assert excerpt("  short\n text ") == "short text"
    assert excerpt("가" * 100, 10) == "가" * 9 + "…"
    assert resolve_url("/avatars/x.svg") == "https://huggingface.co/avatars/x.svg"
    assert media_kind("https://x.org/a.MP4?download=1") == "video"
    assert media_kind("https://x.org/a.webm") == "video"
    assert media_kind("https://x.org/a.mov") == "video"
    assert media_kind("https://x.org/a.qt") == "video"
    assert media_kind("https://x.org/a.gif") == "image"


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2402.08093",
        "http://a.b:8080/x?y=[1]#z",
        "https://a",
        "http://a:",
        "https://-x.org",
        "HTTPS://arxiv.org/abs/1",
        "https://user@host/x",
        "https://[::1]/x",
        "https://[::1/x",
        "https://ex ample.org",
        "https://example.org/a\u3000b",
        "https://example.org/a\xa0b",
        "https://example.org/\u202e",
        "https://example.org/한국어",
        "https://example.org/a\\b",
        "https://example.org/a`b",
        "https://example.org/a'b",
        "https://example.org:١/x",
        "https://example.org/a\tb",
        "https://example.org/\x7f",
        "https://example.org\n",
        "http://exa_mple.org/",
        "https://example.org?q",
        "https://e.org#",
        "javascript://example.org/%0aalert(1)",
        "https:example.org",
        "https:/example.org",
    ],
)
def test_fast_url_check_agrees_with_parsing(url: str) -> None:
    assert url_problem(url) == _parsed_url_problem(url)
