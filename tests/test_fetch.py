"""``daily-papers fetch`` against a real HTTP server on 127.0.0.1 replaying API answers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from record_files import write
from replay_server import ReplayServer, Reply

from generator.cli import main
from generator.fetch import DayResult, api_client, fetch_dates, merge, summary_line
from generator.http import USER_AGENT, Clock, RetryPolicy
from generator.records.model import Media, Paper, SummarySource, record_relpath, summary_fingerprint
from generator.records.reading import LOCK_NAME, read_record, scan

FIXTURES = Path(__file__).parent / "fixtures" / "hf-api"
DAY = "2025-06-12"


def item(
    paper_id: str,
    *,
    votes: int = 1,
    title: str | None = None,
    ai_summary: str | None = None,
    github: str | None = None,
    media: list[str] | None = None,
) -> dict[str, Any]:
    """A synthetic item in the 2025 shape (invented titles and text)."""
    paper: dict[str, Any] = {
        "id": paper_id,
        "authors": [{"_id": "x", "name": "Test Author", "hidden": False}],
        "publishedAt": "2025-06-10T00:00:00.000Z",
        "title": title or f"Invented Paper {paper_id}",
        "summary": "An invented abstract.",
        "upvotes": votes,
    }
    if ai_summary is not None:
        paper["ai_summary"] = ai_summary
    if github is not None:
        paper["githubRepo"] = github
    found: dict[str, Any] = {
        "paper": paper,
        "title": paper["title"],
        "numComments": 0,
        "thumbnail": f"https://cdn.example.org/thumbs/{paper_id}.png",
    }
    if media is not None:
        found["mediaUrls"] = media
    return found


def fixture_items(name: str = "shape-2025-06.json") -> list[Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as running:
        yield running


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(server: ReplayServer, data_dir: Path, *args: str, **env: str) -> Result:
    """The real command, with retries kept fast through the documented variable."""
    environment = {"DAILY_PAPERS_RETRY_DELAY": "0.001", "DAILY_PAPERS_API_URL": server.url, **env}
    return CliRunner().invoke(
        main, ["fetch", "--data-dir", str(data_dir), *args], env=environment, catch_exceptions=False
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``folder`` with its bytes and modification time, but the lock
    (filelock rewrites it on every acquire; it holds nothing)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def read(data_dir: Path, date: str, paper_id: str) -> Paper:
    day = dt.date.fromisoformat(date)
    paper, problems = read_record(data_dir / record_relpath(day, paper_id))
    assert paper is not None, problems
    return paper


# --- the normal day ------------------------------------------------------------------


def test_fetch_writes_valid_records_and_reports_counts(
    server: ReplayServer, data_dir: Path
) -> None:
    server.days[DAY] = fixture_items()
    result = run(server, data_dir, "--date", DAY)

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{DAY}: 2 papers (2 new, 0 updated, 0 unchanged)\n"
    assert "paper.ai_summary not used" in result.stderr  # the fixture's unsafe ai_summary
    checked = scan([data_dir])
    assert checked.problems == []
    assert sorted(p.id for p in checked.papers) == ["2506.00301", "2506.00302"]
    lanterns = read(data_dir, DAY, "2506.00301")
    assert lanterns.votes == 24 and lanterns.summary_source is not None
    assert lanterns.summary_source.kind == "huggingface"
    (request,) = server.requests
    assert request.path == "/api/daily_papers"
    assert request.query == {"date": DAY, "p": "0", "limit": "50"}
    assert request.headers["User-Agent"] == USER_AGENT


def test_refetching_an_unchanged_day_changes_no_byte(server: ReplayServer, data_dir: Path) -> None:
    for name, day in [
        ("shape-2024-05.json", "2024-05-20"),
        ("shape-2024-10.json", "2024-10-25"),
        ("shape-2025-06.json", "2025-06-12"),
        ("shape-2026-08.json", "2026-08-21"),
    ]:
        server.days[day] = fixture_items(name)
    args = ["--since", "2024-05-20", "--until", "2024-05-20"]
    assert run(server, data_dir, *args).exit_code == 0
    for day in ["2024-10-25", "2025-06-12", "2026-08-21"]:
        assert run(server, data_dir, "--date", day).exit_code == 0
    before = snapshot(data_dir)

    again = run(server, data_dir, "--date", "2024-10-25")
    assert again.stdout == "2024-10-25: 2 papers (0 new, 0 updated, 2 unchanged)\n"
    for day in ["2024-05-20", "2025-06-12", "2026-08-21"]:
        assert "0 new, 0 updated" in run(server, data_dir, "--date", day).stdout
    assert snapshot(data_dir) == before


def test_weekend_says_so_and_writes_nothing(server: ReplayServer, data_dir: Path) -> None:
    result = run(server, data_dir, "--date", "2025-06-14")
    assert result.exit_code == 0
    assert result.stdout == (
        "2025-06-14: no papers listed (a weekend, or the list is not out yet)\n"
    )
    assert not data_dir.exists()


def test_paging_past_fifty_items(server: ReplayServer, data_dir: Path) -> None:
    server.days[DAY] = [item(f"2506.{n:05d}", votes=n) for n in range(1, 121)]
    result = run(server, data_dir, "--date", DAY)
    assert result.stdout == f"{DAY}: 120 papers (120 new, 0 updated, 0 unchanged)\n"
    assert [r.query["p"] for r in server.requests] == ["0", "1", "2"]
    assert len(list((data_dir / "2025/06/12").glob("*.yaml"))) == 120
    assert read(data_dir, DAY, "2506.00120").votes == 120


def test_a_full_last_page_asks_once_more(server: ReplayServer, data_dir: Path) -> None:
    server.days[DAY] = [item(f"2506.{n:05d}") for n in range(1, 51)]
    result = run(server, data_dir, "--date", DAY)
    assert result.stdout.startswith(f"{DAY}: 50 papers (50 new")
    assert [r.query["p"] for r in server.requests] == ["0", "1"]


def test_a_server_ignoring_pages_does_not_loop_or_duplicate(
    server: ReplayServer, data_dir: Path
) -> None:
    server.days[DAY] = [item(f"2506.{n:05d}") for n in range(1, 51)]
    server.ignore_paging = True
    result = run(server, data_dir, "--date", DAY)
    assert result.stdout.startswith(f"{DAY}: 50 papers")
    assert len(server.requests) == 2


# --- merging with what people edited ---------------------------------------------------


def test_fetch_refreshes_upstream_facts_and_keeps_edits(
    server: ReplayServer, data_dir: Path
) -> None:
    server.days[DAY] = [item("2506.00001", votes=3, github="https://github.com/a/old")]
    run(server, data_dir, "--date", DAY)
    path = data_dir / "2025/06/12/2506.00001.yaml"
    edited = read(data_dir, DAY, "2506.00001")
    edited.title = "A title a reader fixed"
    edited.authors = ["Test Author", "Second Author"]
    edited.summary = ["사람이 고친 요약입니다."]
    edited.summary_source = SummarySource("human")
    edited.links["project"] = "https://project.example.org/"
    write(edited, data_dir)

    server.days[DAY] = [
        item(
            "2506.00001",
            votes=9,
            title="Upstream Title Changed",
            github="https://github.com/a/new",
            media=["https://cdn.example.org/new.mp4"],
            ai_summary="An invented fallback.",
        )
    ]
    result = run(server, data_dir, "--date", DAY)
    assert result.stdout == f"{DAY}: 1 paper (0 new, 1 updated, 0 unchanged)\n"
    paper = read(data_dir, DAY, "2506.00001")
    assert paper.votes == 9
    assert paper.links["github"] == "https://github.com/a/new"
    assert paper.links["project"] == "https://project.example.org/"  # upstream has none
    assert paper.media == [Media("video", "https://cdn.example.org/new.mp4")]
    assert paper.title == "A title a reader fixed"
    assert paper.authors == ["Test Author", "Second Author"]
    assert paper.summary == ["사람이 고친 요약입니다."]
    assert paper.summary_source == SummarySource("human")
    assert "사람이 고친 요약입니다." in path.read_text(encoding="utf-8")


def test_huggingface_fallback_is_refreshed_until_someone_edits_it(
    server: ReplayServer, data_dir: Path
) -> None:
    server.days[DAY] = [item("2506.00001", ai_summary="First invented fallback.")]
    run(server, data_dir, "--date", DAY)
    server.days[DAY] = [item("2506.00001", ai_summary="Second invented fallback.")]
    run(server, data_dir, "--date", DAY)
    assert read(data_dir, DAY, "2506.00001").summary == ["Second invented fallback."]

    edited = read(data_dir, DAY, "2506.00001")
    edited.summary = ["A person improved the fallback."]
    write(edited, data_dir)  # the fingerprint no longer matches: a human edit
    server.days[DAY] = [item("2506.00001", ai_summary="Third invented fallback.")]
    run(server, data_dir, "--date", DAY)
    assert read(data_dir, DAY, "2506.00001").summary == ["A person improved the fallback."]


def test_an_unchanged_record_keeps_a_persons_formatting(
    server: ReplayServer, data_dir: Path
) -> None:
    server.days[DAY] = [item("2506.00001")]
    run(server, data_dir, "--date", DAY)
    path = data_dir / "2025/06/12/2506.00001.yaml"
    text = "# a note a person left\n" + path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    result = run(server, data_dir, "--date", DAY)
    assert "1 unchanged" in result.stdout
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("existing", "expected_kind"),
    [
        ([], "huggingface"),  # no summary yet
        (["기존 요약"], "llm"),  # a machine summary that is not a fallback stays
    ],
)
def test_merge_fills_the_fallback_only_where_no_summary_is(
    existing: list[str], expected_kind: str
) -> None:
    source = SummarySource("llm", "m", "ko", summary_fingerprint(existing)) if existing else None
    old = Paper(
        "2506.00001",
        dt.date(2025, 6, 12),
        "T",
        ["A"],
        1,
        existing,
        summary_source=source,
        thumbnail="https://cdn.example.org/kept.png",
        keywords=["kept"],
    )
    fallback = ["An invented fallback."]
    new = Paper(
        "2506.00001",
        dt.date(2025, 6, 12),
        "T2",
        ["B"],
        5,
        fallback,
        summary_source=SummarySource("huggingface", None, "en", summary_fingerprint(fallback)),
    )
    merged = merge(old, new)
    assert merged.summary_source is not None and merged.summary_source.kind == expected_kind
    assert merged.votes == 5 and merged.title == "T" and merged.authors == ["A"]
    assert merged.thumbnail == "https://cdn.example.org/kept.png"  # upstream had none
    assert merged.keywords == ["kept"]


def test_a_paper_listed_on_two_days_keeps_one_record_listing_both(
    server: ReplayServer, data_dir: Path
) -> None:
    """As the API did with 2604.07429 on 2026-04-10 and 2026-04-16."""
    server.days["2025-06-11"] = [item("2506.00001", votes=3)]
    run(server, data_dir, "--date", "2025-06-11")
    server.days[DAY] = [item("2506.00001", votes=9), item("2506.00002")]
    result = run(server, data_dir, "--date", DAY)
    assert result.exit_code == 0
    assert result.stdout == f"{DAY}: 2 papers (1 new, 1 updated, 0 unchanged)\n"
    checked = scan([data_dir])
    assert checked.problems == []
    (twice,) = [p for p in checked.papers if p.id == "2506.00001"]
    assert twice.date == dt.date(2025, 6, 11) and twice.also_listed == [dt.date(2025, 6, 12)]
    assert twice.votes == 9
    again = run(server, data_dir, "--date", DAY)  # listing it again changes nothing
    assert again.stdout == f"{DAY}: 2 papers (0 new, 0 updated, 2 unchanged)\n"


@pytest.mark.parametrize("order", ["newest first", "several workers"])
def test_a_record_lives_at_its_earliest_listing_whatever_the_fetch_order(
    server: ReplayServer, data_dir: Path, order: str
) -> None:
    """fetch kept the day a record was first written on: a backfill run newest first (or
    four workers racing) put a paper listed twice under its later day, import under its
    earlier one. Same input, different paths, edit links and search URLs."""
    days = ["2025-06-09", "2025-06-10", "2025-06-11", DAY]
    for index, day in enumerate(days):
        server.days[day] = [item("2506.00001", votes=index + 1), item(f"2506.0010{index}")]
    if order == "newest first":
        for day in reversed(days):
            assert run(server, data_dir, "--date", day).exit_code == 0
    else:
        args = ["--since", days[0], "--until", DAY, "--workers", "4"]
        assert run(server, data_dir, *args).exit_code == 0
    checked = scan([data_dir])
    assert checked.problems == []
    (paper,) = [p for p in checked.papers if p.id == "2506.00001"]
    assert paper.date == dt.date(2025, 6, 9)
    assert paper.also_listed == [dt.date(2025, 6, d) for d in (10, 11, 12)]
    files = sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("2506.00001.yaml"))
    assert files == ["2025/06/09/2506.00001.yaml"]


def test_two_fetches_over_overlapping_ranges_record_a_paper_once(
    server: ReplayServer, data_dir: Path
) -> None:
    """Two runs at once used to record a paper listed on two days twice, which then
    failed validate and the build."""
    days = [f"2025-06-{day:02d}" for day in range(2, 12)]
    for index, day in enumerate(days):
        server.days[day] = [item(f"2506.{index:05d}"), item("2506.09999")]
    env = {**os.environ, "DAILY_PAPERS_RETRY_DELAY": "0.001", "DAILY_PAPERS_API_URL": server.url}
    command = [sys.executable, "-m", "generator.cli", "fetch", "--data-dir", str(data_dir)]
    runs = [
        subprocess.Popen(
            [*command, "--since", first, "--until", last],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for first, last in [(days[0], days[7]), (days[3], days[-1])]
    ]
    outputs = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], outputs
    checked = scan([data_dir])
    assert checked.problems == []
    (shared,) = [p for p in checked.papers if p.id == "2506.09999"]
    assert sorted(d.isoformat() for d in shared.listed) == days


# --- failures: nothing on disk changes for the failing date ---------------------------


def prepared(server: ReplayServer, data_dir: Path) -> dict[str, tuple[bytes, int]]:
    """A day already on disk, including a person's edit, before a failing fetch."""
    server.days[DAY] = fixture_items()
    assert run(server, data_dir, "--date", DAY).exit_code == 0
    paper = read(data_dir, DAY, "2506.00301")
    paper.summary = ["사람이 쓴 요약"]
    paper.summary_source = SummarySource("human")
    write(paper, data_dir)
    server.days[DAY] = [item("2506.00301", votes=999), item("2506.00399")]  # would change
    server.requests.clear()
    return snapshot(data_dir)


BAD_ANSWERS = {
    "repeated 500s": ([Reply(500)] * 5, "failed after 5 attempts: HTTP 500 Internal Server Error"),
    "not JSON": (
        [Reply(body="<html>Service Unavailable</html>")] * 5,
        "failed after 5 attempts: the API answer is not JSON (Expecting value: line 1 column 1 "
        "(char 0)); it starts with '<html>Service Unavailable</html>'",
    ),
    "empty body": ([Reply(body=b"")] * 5, "the API answer is not JSON"),
    "truncated JSON": (
        [Reply(body='[{"paper": {"id": "2506.00301", "tit', length=False)] * 5,
        "the API answer is not JSON (Unterminated string",
    ),
    "redirect loop": (
        [Reply(302, headers={"Location": "/api/daily_papers?date=2025-06-12"})] * 30,
        "failed: TooManyRedirects: Exceeded maximum allowed redirects.",
    ),
    "undecodable body": (
        [Reply(body=b"not gzip at all", headers={"Content-Encoding": "gzip"})],
        "failed: DecodingError: Error -3 while decompressing data",
    ),
    "truncated in transit": (
        [Reply(body=b'[{"paper": ', truncate=True)] * 5,
        "failed after 5 attempts: connection failed (RemoteProtocolError",
    ),
    "not a list": (
        [Reply(body={"papers": []})],
        "the API answer must be a list of papers, not a mapping",
    ),
    "an error object": (
        [Reply(body={"error": "Rate limited"})],
        "the API answered with an error instead of a list: 'Rate limited'",
    ),
    "item without id": (
        [Reply(body=[item("2506.00301"), {"paper": {"title": "No id"}}])],
        "item 2: has no paper.id",
    ),
    "wrong type": (
        [Reply(body=[item("2506.00301") | {"numComments": "many"}])],
        "item 1 (2506.00301): numComments has the wrong type: a string ('many')",
    ),
    "client error": ([Reply(404, body={"error": "not found"})], "answered HTTP 404 Not Found"),
}


@pytest.mark.parametrize("case", list(BAD_ANSWERS))
def test_a_bad_answer_is_a_clear_error_and_changes_nothing(
    server: ReplayServer, data_dir: Path, case: str
) -> None:
    before = prepared(server, data_dir)
    replies, message = BAD_ANSWERS[case]
    server.script(DAY, *replies)
    result = run(server, data_dir, "--date", DAY)

    assert result.exit_code == 1
    assert result.stdout == ""
    first, last = result.stderr.splitlines()
    assert first.startswith(f"{DAY}: error: ") and message in first
    assert last == f"1 of 1 dates failed: {DAY}"
    assert "Traceback" not in result.output
    assert snapshot(data_dir) == before


def test_a_timeout_is_retried_and_then_reported(server: ReplayServer, data_dir: Path) -> None:
    before = prepared(server, data_dir)
    server.script(DAY, *[Reply(delay=1.0)] * 5)
    result = run(server, data_dir, "--date", DAY, "--timeout", "0.2", DAILY_PAPERS_RETRY_DELAY="0")
    assert result.exit_code == 1
    assert "the server sent nothing for 0.2 s (the timeout of each wait)" in result.stderr
    assert snapshot(data_dir) == before
    assert len(server.requests) == 5

    server.script(DAY, Reply(delay=1.0))  # one slow answer, then the list: recovers
    result = run(server, data_dir, "--date", DAY, "--timeout", "0.2")
    assert result.exit_code == 0
    assert result.stdout == f"{DAY}: 2 papers (1 new, 1 updated, 0 unchanged)\n"


def test_429_then_200_honours_retry_after(server: ReplayServer, data_dir: Path) -> None:
    server.days[DAY] = [item("2506.00001")]
    server.script(DAY, Reply(429, body={"error": "slow down"}, headers={"Retry-After": "7"}))
    slept: list[float] = []
    client = api_client(retry=RetryPolicy(base_delay=0.001), clock=Clock(sleep=slept.append))
    with client:
        (result,) = fetch_dates([dt.date(2025, 6, 12)], data_dir, client, api_url=server.url)
    assert result.error is None and result.tally["new"] == 1
    assert slept == [7.0]
    assert len(server.requests) == 2


def test_429_through_the_command(server: ReplayServer, data_dir: Path) -> None:
    server.days[DAY] = [item("2506.00001")]
    server.script(DAY, Reply(429, headers={"Retry-After": "0"}), Reply(503))
    result = run(server, data_dir, "--date", DAY)
    assert result.exit_code == 0
    assert result.stdout == f"{DAY}: 1 paper (1 new, 0 updated, 0 unchanged)\n"
    assert len(server.requests) == 3


def test_a_broken_record_on_disk_stops_that_date(server: ReplayServer, data_dir: Path) -> None:
    before = prepared(server, data_dir)
    path = data_dir / "2025/06/12/2506.00301.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("votes: 24", "votes: many"), encoding="utf-8"
    )
    before = snapshot(data_dir)
    result = run(server, data_dir, "--date", DAY)
    assert result.exit_code == 1
    assert "2506.00301.yaml: has an error (" in result.stderr
    assert "2506.00301.yaml:" in result.stderr and "votes: must be a whole number" in result.stderr
    assert snapshot(data_dir) == before


# --- ranges -----------------------------------------------------------------------------


def test_a_range_with_one_failing_date_writes_the_others(
    server: ReplayServer, data_dir: Path
) -> None:
    server.days["2025-06-11"] = [item("2506.00001")]
    server.days["2025-06-12"] = [item("2506.00002"), item("2506.00003")]
    server.days["2025-06-13"] = [item("2506.00004")]
    server.script("2025-06-12", *[Reply(body="not json")] * 5)
    result = run(server, data_dir, "--since", "2025-06-10", "--until", "2025-06-13")

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2025-06-10: no papers listed (a weekend, or the list is not out yet)",
        "2025-06-11: 1 paper (1 new, 0 updated, 0 unchanged)",
        "2025-06-13: 1 paper (1 new, 0 updated, 0 unchanged)",
    ]
    lines = result.stderr.splitlines()
    assert lines[-2].startswith("2025-06-12: error: ") and "the API answer is not JSON" in lines[-2]
    assert lines[-1] == "1 of 4 dates failed: 2025-06-12"
    assert sorted(p.name for p in data_dir.rglob("*.yaml")) == [
        "2506.00001.yaml",
        "2506.00004.yaml",
    ]


def test_a_range_prints_totals(server: ReplayServer, data_dir: Path) -> None:
    server.days["2025-06-11"] = [item("2506.00001")]
    server.days["2025-06-12"] = [item("2506.00002"), item("2506.00003")]
    result = run(
        server, data_dir, "--since", "2025-06-11", "--until", "2025-06-12", "--workers", "2"
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "2 dates: 3 papers (3 new, 0 updated, 0 unchanged)"
    assert {r.query["date"] for r in server.requests} == {"2025-06-11", "2025-06-12"}


def test_summary_line_counts() -> None:
    results = [
        DayResult(dt.date(2025, 6, 11), Counter(new=1)),
        DayResult(dt.date(2025, 6, 12), Counter(updated=1)),
        DayResult(dt.date(2025, 6, 13), Counter(unchanged=1)),
    ]
    assert summary_line(results) == "3 dates: 3 papers (1 new, 1 updated, 1 unchanged)"


# --- the command's options ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--date", "2025-06-12", "--since", "2025-06-01"],
            "give either --date or --since/--until, not both",
        ),
        (["--until", "2025-06-12"], "--until needs --since"),
        (
            ["--since", "2025-06-12", "--until", "2025-06-01"],
            "--since 2025-06-12 is after --until 2025-06-01",
        ),
        # It matched the format; only the day does not exist. Said in the help's words.
        (["--date", "2024-02-30"], "'2024-02-30' is not a day: February 2024 has 29 days"),
        (["--date", "2025-13-01"], "'2025-13-01' is not a day: there is no month 13"),
        (["--date", "12/06/2025"], "'12/06/2025' is not a day written YYYY-MM-DD"),
        (["--since", "2025-6-1"], "'2025-6-1' is not a day written YYYY-MM-DD"),
        (["--api-url", "ftp://example.org/api"], "--api-url must be an absolute http(s) URL"),
        (["--workers", "0"], "0 is not in the range 1<=x<=8"),
    ],
)
def test_bad_options_are_usage_errors(
    server: ReplayServer, data_dir: Path, args: list[str], message: str
) -> None:
    result = run(server, data_dir, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert server.requests == [] and not data_dir.exists()


def test_api_url_comes_from_the_environment_or_the_option(
    server: ReplayServer, data_dir: Path
) -> None:
    server.days[DAY] = [item("2506.00001")]
    result = CliRunner().invoke(
        main, ["fetch", "--date", DAY, "--data-dir", str(data_dir), "--api-url", server.url]
    )
    assert result.exit_code == 0 and len(server.requests) == 1
    result = run(server, data_dir, "--date", DAY)  # DAILY_PAPERS_API_URL
    assert result.exit_code == 0 and len(server.requests) == 2


def test_default_date_is_today_utc(server: ReplayServer, data_dir: Path) -> None:
    run(server, data_dir)
    (request,) = server.requests
    assert request.query["date"] == dt.datetime.now(dt.timezone.utc).date().isoformat()


def test_a_fetch_completes_an_author_list_cut_short(server: ReplayServer, data_dir: Path) -> None:
    imported = Paper(
        id="2506.00001",
        date=dt.date(2025, 6, 12),
        title="T",
        authors=["Test"],
        authors_incomplete=True,
        votes=1,
    )
    write(imported, data_dir)
    full = item("2506.00001")
    full["paper"]["authors"] = [{"name": "Test"}, {"name": "Second Author"}]
    server.days[DAY] = [full]
    assert run(server, data_dir, "--date", DAY).exit_code == 0
    fetched = read(data_dir, DAY, "2506.00001")
    assert (fetched.authors, fetched.authors_incomplete) == (["Test", "Second Author"], False)


def test_timeout_bounds_a_whole_request_even_when_headers_trickle(
    server: ReplayServer, data_dir: Path
) -> None:
    """fetch --timeout 5 against a server sending a byte a second was still running after
    90 s: the request deadline was a fixed 300 s, and headers were bounded by h11 only.
    Now the deadline is ten times --timeout (here 0.2 s: 2 s), headers included."""
    from replay_server import Reply

    server.script(DAY, Reply(body=b"[]", header_trickle=0.01))
    started = time.monotonic()
    result = run(server, data_dir, "--date", DAY, "--timeout", "0.2")
    assert time.monotonic() - started < 10  # the headers alone would take 20 s
    assert result.exit_code == 1
    assert (
        "did not finish connecting or sending its headers at the request's deadline (2 s); gave up"
    ) in result.stderr


def test_a_deadline_shorter_than_the_timeout_is_a_usage_error(
    server: ReplayServer, data_dir: Path
) -> None:
    result = run(server, data_dir, "--date", DAY, "--timeout", "30", "--deadline", "10")
    assert result.exit_code == 2
    assert "--deadline 10 is shorter than --timeout 30" in result.stderr


# --- votes that settle: the refresh window ----------------------------------------------


def window(server: ReplayServer, votes: int) -> None:
    """Three listed days before 2025-06-12 (a weekend between), and the day itself."""
    for day, paper_id in [("2025-06-06", "2506.00061"), ("2025-06-09", "2506.00091")]:
        server.days[day] = [item(paper_id, votes=votes)]
    server.days["2025-06-10"] = [item("2506.00101", votes=7)]  # settled: never changes
    server.days[DAY] = [item("2506.00121", votes=1)]


def test_refresh_days_brings_the_votes_of_the_window_up_to_date(
    server: ReplayServer, data_dir: Path
) -> None:
    """Votes keep rising for days after a listing; a run fetching only yesterday and
    today froze every paper's votes at their value of the day after its listing."""
    window(server, votes=3)
    assert run(server, data_dir, "--since", "2025-06-06", "--until", DAY).exit_code == 0
    edited = data_dir / record_relpath(dt.date(2025, 6, 9), "2506.00091")
    edited.write_text(
        edited.read_text(encoding="utf-8").replace(
            "title: Invented Paper 2506.00091", "title: A Title a Person Fixed"
        ),
        encoding="utf-8",
    )
    before = snapshot(data_dir)
    window(server, votes=40)
    server.requests.clear()
    result = run(server, data_dir, "--date", DAY, "--refresh-days", "6")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{DAY}: 1 paper (0 new, 0 updated, 1 unchanged)\n"
    assert (
        "refreshed 6 earlier days (2025-06-06 to 2025-06-11): 2 records changed "
        "(3 papers (0 new, 2 updated, 1 unchanged))"
    ) in result.stderr.splitlines()
    # One request per day of the window, and one for the day itself.
    assert sorted(r.query["date"] for r in server.requests) == [
        "2025-06-06",
        "2025-06-07",
        "2025-06-08",
        "2025-06-09",
        "2025-06-10",
        "2025-06-11",
        DAY,
    ]
    assert read(data_dir, "2025-06-06", "2506.00061").votes == 40
    fixed = read(data_dir, "2025-06-09", "2506.00091")
    assert fixed.votes == 40 and fixed.title == "A Title a Person Fixed"  # a person's edit kept
    after = snapshot(data_dir)
    settled = record_relpath(dt.date(2025, 6, 10), "2506.00101").as_posix()
    assert after[settled] == before[settled]  # not rewritten: nothing changed
    # Nothing changed since: the same run writes nothing, so the workflow commits nothing.
    again = run(server, data_dir, "--date", DAY, "--refresh-days", "6")
    assert "0 records changed" in again.stderr
    assert snapshot(data_dir) == after


def test_a_day_of_the_window_that_fails_is_a_warning_not_a_failed_fetch(
    server: ReplayServer, data_dir: Path
) -> None:
    window(server, votes=3)
    server.script("2025-06-09", *[Reply(503)] * 6)
    result = run(server, data_dir, "--date", DAY, "--refresh-days", "3")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert any(line.startswith("warning: refresh: 2025-06-09: error: ") for line in lines)
    assert lines[-1] == (
        "refreshed 3 earlier days (2025-06-09 to 2025-06-11): 1 record changed "
        "(1 paper (1 new, 0 updated, 0 unchanged)); 1 could not be refreshed, the next run "
        "tries again"
    )


def test_refresh_days_has_bounds(server: ReplayServer, data_dir: Path) -> None:
    result = CliRunner().invoke(main, ["fetch", "--refresh-days", "61"])
    assert result.exit_code == 2 and "0<=x<=60" in result.stderr
