"""Categories from arXiv: the Atom answers of a real server on 127.0.0.1, the paging, the
3-second pace on a fake clock, the faults, and the commands that write them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from arxiv_server import XML_BOMB, ArxivServer
from click.testing import CliRunner, Result
from record_files import write
from replay_server import ReplayServer, Reply
from test_fetch import DAY, item
from test_http import FakeClock

from generator import categories
from generator.arxiv import Arxiv, arxiv_client
from generator.cli import main
from generator.http import HTTPFailure, RetryPolicy
from generator.records.model import Paper
from generator.records.reading import read_record, scan
from generator.records.store import Store

FAST = RetryPolicy(attempts=3, base_delay=0.0)
OLD = dt.date(2025, 6, 12)


@pytest.fixture
def arxiv() -> Iterator[ArxivServer]:
    with ArxivServer() as server:
        yield server


def client(clock: FakeClock | None = None) -> Arxiv:
    options = {"clock": clock.as_clock()} if clock else {}
    return arxiv_client(retry=FAST, **options)  # type: ignore[arg-type]


def ask(server: ArxivServer, ids: list[str], clock: FakeClock | None = None) -> object:
    with client(clock or FakeClock()) as http:
        return Arxiv(http, server.url).categories(ids)


def test_an_answer_gives_each_papers_categories_primary_first(arxiv: ArxivServer) -> None:
    arxiv.papers = {"2506.00001": ["cs.CL", "cs.AI", "cs.LG"], "2506.00002": ["cs.CV"]}
    answer = ask(arxiv, ["2506.00001", "2506.00002", "2506.99999"])
    # The version is dropped from the id, ACM classes (I.2.7) are no topics.
    assert answer.found == {"2506.00001": ["cs.CL", "cs.AI", "cs.LG"], "2506.00002": ["cs.CV"]}
    assert answer.missing == ["2506.99999"]
    assert arxiv.requests[0]["id_list"] == "2506.00001,2506.00002,2506.99999"


def test_a_code_not_in_the_taxonomy_is_left_out_and_named(arxiv: ArxivServer) -> None:
    arxiv.papers = {"2506.00001": ["cs.CL", "cs.QZ"]}
    answer = ask(arxiv, ["2506.00001"])
    assert answer.found == {"2506.00001": ["cs.CL"]} and answer.unknown == {"2506.00001": ["cs.QZ"]}


def test_a_paged_answer_is_followed(arxiv: ArxivServer) -> None:
    arxiv.papers = {f"2506.{n:05d}": ["cs.CL"] for n in range(5)}
    arxiv.page_size = 2
    answer = ask(arxiv, list(arxiv.papers))
    assert sorted(answer.found) == sorted(arxiv.papers) and answer.missing == []
    assert [r["start"] for r in arxiv.requests] == ["0", "2", "4"]


def test_requests_are_three_seconds_apart(arxiv: ArxivServer, tmp_path: Path) -> None:
    """arXiv's terms: at most one request every 3 seconds. 250 papers: three batches."""
    papers = [paper(n) for n in range(250)]
    for p in papers:
        write(p, tmp_path)
    arxiv.papers = {p.id: ["cs.CL"] for p in papers}
    clock = FakeClock()
    starts: list[float] = []
    real = arxiv.answer
    arxiv.answer = lambda query: (starts.append(clock.now), real(query))[1]  # type: ignore[method-assign]
    with client(clock) as http:
        report = categories.fill(Store(tmp_path), papers, Arxiv(http, arxiv.url), today=OLD)
    assert [len(r["id_list"].split(",")) for r in arxiv.requests] == [100, 100, 50]
    assert all(later - earlier >= 3.0 for earlier, later in itertools.pairwise(starts))
    assert report.filled == 250


def test_a_503_with_retry_after_is_waited_for(arxiv: ArxivServer) -> None:
    arxiv.papers = {"2506.00001": ["cs.CL"]}
    arxiv.script.append(Reply(503, headers={"Retry-After": "20"}))
    clock = FakeClock()
    assert ask(arxiv, ["2506.00001"], clock).found == {"2506.00001": ["cs.CL"]}
    assert 20.0 in clock.slept


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<html><body>arXiv is down for maintenance</body></html>", "not an Atom feed"),
        ("<feed><entry>", "not XML"),
        (XML_BOMB, "declares entities, which are refused"),
    ],
    ids=["html", "broken", "xml-bomb"],
)
def test_an_unreadable_answer_is_retried_then_an_error(
    arxiv: ArxivServer, body: str, expected: str
) -> None:
    arxiv.script.extend([Reply(body=body)] * 3)
    with pytest.raises(HTTPFailure, match=expected):
        ask(arxiv, ["2506.00001"])
    assert len(arxiv.requests) == 3


def paper(number: int, date: dt.date = OLD) -> Paper:
    return Paper(id=f"2506.{number:05d}", date=date, title=f"Invented {number}", votes=1)


def test_a_paper_arxiv_does_not_return_is_remembered_once_a_week_old(
    arxiv: ArxivServer, tmp_path: Path
) -> None:
    today = OLD + dt.timedelta(days=3)
    old, new = paper(1), paper(2, date=today)
    for p in (old, new):
        write(p, tmp_path)
    with client() as http:
        report = categories.fill(Store(tmp_path), [old, new], Arxiv(http, arxiv.url), today=today)
    assert report.none == [] and report.pending == [old.id, new.id]  # 3 days: asked again
    later = OLD + dt.timedelta(days=8)
    with client() as http:
        report = categories.fill(Store(tmp_path), [old, new], Arxiv(http, arxiv.url), today=later)
    assert report.none == [old.id] and report.pending == [new.id]
    stored = read_record(tmp_path / old.relative_path())[0]
    assert stored is not None and stored.categories == []
    assert "categories: []" in (tmp_path / old.relative_path()).read_text(encoding="utf-8")
    assert categories.wanting([stored]) == [] and categories.wanting([stored], again=True)


# --- the commands ----------------------------------------------------------------------


def run(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"DAILY_PAPERS_RETRY_DELAY": "0", **env})


def test_fetch_fills_the_categories_of_the_papers_it_writes(
    arxiv: ArxivServer, tmp_path: Path
) -> None:
    arxiv.papers = {"2506.00001": ["cs.CV", "cs.LG"], "2506.00002": ["cs.CL"]}
    with ReplayServer() as hf:
        hf.days[DAY] = [item("2506.00001"), item("2506.00002")]
        result = run(
            "fetch",
            "--date",
            DAY,
            "--data-dir",
            str(tmp_path),
            DAILY_PAPERS_API_URL=hf.url,
            DAILY_PAPERS_ARXIV_URL=arxiv.url,
        )
    assert result.exit_code == 0, result.output
    found = {p.id: p.categories for p in scan([tmp_path]).papers}
    assert found == {"2506.00001": ["cs.CV", "cs.LG"], "2506.00002": ["cs.CL"]}
    assert "categories: 2 papers asked of arXiv, 2 filled, 0 with none" in result.stderr


def test_fetch_with_arxiv_down_writes_the_day_and_says_categories_are_pending(
    arxiv: ArxivServer, tmp_path: Path
) -> None:
    arxiv.script.extend([Reply(503)] * 3)
    with ReplayServer() as hf:
        hf.days[DAY] = [item("2506.00001"), item("2506.00002")]
        result = run(
            "fetch",
            "--date",
            DAY,
            "--data-dir",
            str(tmp_path),
            DAILY_PAPERS_API_URL=hf.url,
            DAILY_PAPERS_ARXIV_URL=arxiv.url,
        )
    assert result.exit_code == 0, result.output
    assert len(scan([tmp_path]).papers) == 2  # Hugging Face's data is written
    assert all(p.categories is None for p in scan([tmp_path]).papers)
    lines = [line for line in result.stderr.splitlines() if "categories" in line]
    assert len(lines) == 1 and lines[0].startswith("categories pending for 2 papers: ")
    assert "503" in lines[0] and "the next run asks again" in lines[0]


def test_the_categories_command_resumes_where_an_interrupted_run_stopped(
    arxiv: ArxivServer, tmp_path: Path
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    data = tmp_path / "data"
    papers = [paper(n) for n in range(150)]
    for p in papers:
        write(p, data)
    arxiv.papers = {p.id: ["cs.CL"] for p in papers}
    real = arxiv.answer
    answers = iter([real, lambda query: Reply(503)] + [lambda query: Reply(503)] * 5)
    arxiv.answer = lambda query: next(answers)(query)  # type: ignore[method-assign]
    first = run("categories", "--data-dir", str(data), DAILY_PAPERS_ARXIV_URL=arxiv.url)
    assert first.exit_code == 1
    assert "categories pending for 50 papers" in first.stdout
    assert sum(p.categories is not None for p in scan([data]).papers) == 100
    arxiv.answer = real  # type: ignore[method-assign]
    asked_before = len(arxiv.requests)
    again = run("categories", "--data-dir", str(data), DAILY_PAPERS_ARXIV_URL=arxiv.url)
    assert again.exit_code == 0, again.output
    assert [len(r["id_list"].split(",")) for r in arxiv.requests[asked_before:]] == [50]
    assert all(p.categories == ["cs.CL"] for p in scan([data]).papers)
    done = run("categories", "--data-dir", str(data), DAILY_PAPERS_ARXIV_URL=arxiv.url)
    assert "nothing to ask" in done.stderr


def test_a_record_with_a_code_outside_the_taxonomy_is_invalid(tmp_path: Path) -> None:
    record = dataclasses.replace(paper(1), categories=["cs.CL"])
    write(record, tmp_path)
    path = tmp_path / record.relative_path()
    path.write_text(path.read_text(encoding="utf-8").replace("cs.CL", "cs.QZ"), "utf-8")
    problems = read_record(path)[1]
    assert [p.message for p in problems] == [
        "'cs.QZ' is not an arXiv category (the codes are those of arxiv.org/category_taxonomy)"
    ]
