"""Long work shows how far it has come: a bar at a terminal, a periodic line elsewhere.

Each long command runs as a user runs it, as a process of its own against the local
stand-in servers: once with standard error on a pseudo-terminal (the standard library's
``pty``), where the bar must move, and once with it on a pipe, where a plain line must
come within the interval (made short through ``DAILY_PAPERS_PROGRESS_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from arxiv_server import ArxivServer
from chat_server import ChatServer, Reply, Request, completion, summary_json
from record_files import write
from replay_server import ReplayServer
from test_fetch import item

from generator.progress import Progress, duration, rate
from generator.records.model import Paper

OLD = dt.date(2025, 6, 2)
#: A summary written for these tests.
BULLETS = [
    "새 방법을 제안합니다.",
    "계산을 나누어 메모리를 줄입니다.",
    "속도가 두 배 빨라졌습니다.",
]
#: What the bar draws: ``label [###---] done/total (share%)``.
BAR = re.compile(r"\r\x1b\[K(\w+) \[[#-]+\] (\d+)/(\d+) \((\d+)%\)")


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# --- the numbers ----------------------------------------------------------------------


def test_a_line_says_done_of_total_share_rate_and_time_left() -> None:
    clock = FakeClock()
    progress = Progress("categories", 8586, "paper", stream=io.StringIO(), clock=clock)
    assert progress.line() == "categories: 0 of 8,586 papers (0%), time left not known yet"
    clock.now = 100.0
    progress.advance(3100)
    assert progress.line() == (
        "categories: 3,100 of 8,586 papers (36%), 31.0 papers/s, about 3 min left"
    )
    progress.advance(10_000)  # never past the total
    assert progress.line() == "categories: 8,586 of 8,586 papers (100%), 85.9 papers/s"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.2, "1 s"), (40, "40 s"), (185, "3 min"), (7500, "2 h 5 min")],
)
def test_time_left_is_as_precise_as_it_is_worth(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_a_slow_rate_reads_per_minute() -> None:
    assert rate(1, 30.0, "paper") == "2.0 papers/min"
    assert rate(30, 10.0, "day") == "3.0 days/s"


def test_a_message_takes_a_line_of_its_own_and_the_bar_comes_back_after_it() -> None:
    stream = Terminal()
    with Progress("summarize", 3, "paper", stream=stream) as progress:
        progress.advance()
        progress.echo("data/x.yaml: not summarised: the answer was not JSON")
        progress.advance(2)
    text = stream.getvalue()
    before, _, after = text.partition("data/x.yaml: not summarised: the answer was not JSON")
    assert before.endswith("\r\x1b[K")  # the bar's line is erased, not written over
    assert after.startswith("\n\r\x1b[K")  # a line of its own, then the bar again
    assert after.split("\n")[1].startswith("\r\x1b[Ksummarize [")
    assert BAR.findall(text)[-1] == ("summarize", "3", "3", "100")
    assert text.endswith("\n")


def test_a_plain_line_comes_while_nothing_moves() -> None:
    stream = io.StringIO()
    with Progress("categories", 300, "paper", stream=stream, interval=0.05) as progress:
        progress.advance(100)
        time.sleep(0.3)
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 2
    assert all(line.startswith("categories: 100 of 300 papers (33%), ") for line in lines)
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()


@pytest.mark.parametrize("terminal", [True, False])
def test_quiet_or_a_single_item_shows_nothing(terminal: bool) -> None:
    for quiet, total in ((True, 50), (False, 1)):
        stream = Terminal() if terminal else io.StringIO()
        with Progress("fetch", total, "day", stream=stream, quiet=quiet, interval=0.01) as p:
            p.advance()
            time.sleep(0.05)
        assert stream.getvalue() == ""


# --- the commands, as a user runs them ------------------------------------------------


def command(
    args: list[str], env: dict[str, str], *, terminal: bool, cwd: Path
) -> tuple[str, str, int]:
    """Run ``daily-papers ARGS``; standard error on a pseudo-terminal or a pipe.

    Returns standard output, standard error and the exit status."""
    environment = {
        **os.environ,
        "DAILY_PAPERS_RETRY_DELAY": "0.001",
        "COLUMNS": "120",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    program = [sys.executable, "-c", "from generator.cli import main; main()", *args]
    if not terminal:
        done = subprocess.run(
            program, capture_output=True, text=True, env=environment, cwd=cwd, timeout=120
        )
        return done.stdout, done.stderr, done.returncode
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(
        program,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=child_fd,
        env=environment,
        cwd=cwd,
    )
    os.close(child_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main_fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif process.poll() is not None:
            break
    os.close(main_fd)
    stdout = process.stdout.read().decode("utf-8") if process.stdout else ""
    process.wait(timeout=10)
    return stdout, b"".join(chunks).decode("utf-8"), process.returncode


def bar_counts(stderr: str, label: str, total: int) -> list[int]:
    """The counts the bar drew, in order."""
    drawn = [(name, int(done), int(of)) for name, done, of, _ in BAR.findall(stderr)]
    assert drawn, f"no bar in {stderr!r}"
    assert {(name, of) for name, _, of in drawn} == {(label, total)}
    return [done for _, done, _ in drawn]


def assert_moved(stderr: str, label: str, total: int) -> None:
    counts = bar_counts(stderr, label, total)
    assert counts == sorted(counts) and counts[0] < total and counts[-1] == total
    assert len(set(counts)) >= 2, counts


def periodic(stderr: str, label: str, total: int, unit: str) -> list[str]:
    pattern = re.compile(rf"{label}: [\d,]+ of {total:,} {unit}s \(\d+%\), ")
    return [line for line in stderr.splitlines() if pattern.match(line)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return tmp_path


def old_paper(number: int) -> Paper:
    return Paper(id=f"2506.{number:05d}", date=OLD, title=f"Invented {number}", votes=1)


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_categories_shows_its_progress(project: Path, terminal: bool) -> None:
    papers = [old_paper(n) for n in range(150)]  # two requests, three seconds apart
    for paper in papers:
        write(paper, project / "data")
    with ArxivServer() as arxiv:
        arxiv.papers = {p.id: ["cs.CL"] for p in papers}
        env = {"DAILY_PAPERS_ARXIV_URL": arxiv.url, "DAILY_PAPERS_PROGRESS_SECONDS": "0.5"}
        stdout, stderr, status = command(["categories"], env, terminal=terminal, cwd=project)
    assert status == 0, stderr
    assert stdout.splitlines()[-1] == (
        "categories: 150 papers asked of arXiv, 150 filled, 0 with none"
    )
    if terminal:
        assert_moved(stderr, "categories", 150)
    else:
        lines = periodic(stderr, "categories", 150, "paper")
        assert lines and any(line.startswith("categories: 100 of 150") for line in lines)
        assert "\r" not in stderr


def slow_summary(request: Request) -> Reply:
    time.sleep(0.2)
    return completion(summary_json(*BULLETS))


def summarise(project: Path, terminal: bool, *flags: str) -> tuple[str, str, int]:
    for number in range(8):
        paper = old_paper(number)
        paper.abstract = f"We study problem {number}. It works well."
        write(paper, project / "data")
    broken = completion("this is not the JSON asked for")
    with ChatServer(script={"Invented 3": [broken]}, default=slow_summary) as server:
        env = {
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "sk-test",
            "DAILY_PAPERS_MODEL": "test-model",
            "DAILY_PAPERS_PROGRESS_SECONDS": "0.1",
        }
        return command(["summarize", *flags], env, terminal=terminal, cwd=project)


def failed_record(project: Path) -> Path:
    return project / "data" / "2025" / "06" / "02" / "2506.00003.yaml"


def test_summarize_shows_its_progress_and_prints_a_failure_whole(project: Path) -> None:
    stdout, stderr, status = summarise(project, terminal=True)
    assert status == 1  # one paper could not be summarised
    assert stdout.splitlines()[-1].startswith("7 summarised, 0 skipped, 1 failed")
    assert_moved(stderr, "summarize", 8)
    start = stderr.index(f"{failed_record(project)}: not summarised: ")
    end = stderr.index("\n", start)
    # The bar's line erased, then the whole message on it, then the bar again below (the
    # terminal writes a newline as \r\n).
    assert stderr[:start].endswith("\r\x1b[K")
    assert "\x1b" not in stderr[start:end] and "[#" not in stderr[start:end]
    assert BAR.match(stderr[end + 1 :])


def test_summarize_on_a_pipe_prints_lines_and_quiet_prints_none(project: Path) -> None:
    _, stderr, _ = summarise(project, terminal=False)
    assert periodic(stderr, "summarize", 8, "paper")
    _, stderr, status = summarise(project, False, "--force", "--since", "2025-06-01", "--quiet")
    assert status == 1
    assert not periodic(stderr, "summarize", 8, "paper")
    lines = [line for line in stderr.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith(f"{failed_record(project)}: not summarised: ")


def test_quiet_at_a_terminal_draws_no_bar(project: Path) -> None:
    _, stderr, _ = summarise(project, True, "--quiet")
    assert not BAR.search(stderr) and "\x1b" not in stderr


def write_digests(folder: Path, days: int, per_day: int) -> None:
    for day in range(days):
        date = dt.date(2024, 3, 4) + dt.timedelta(days=day)
        lines = [f"## Daily Papers ({date})", ""]
        for index in range(per_day):
            paper_id = f"2403.{90000 + day * 100 + index}"
            lines += [
                f"### [Invented Digest Paper {paper_id}](https://huggingface.co/papers/{paper_id})",
                "",
                f"Vote: {index + 1}",
                "",
                "Authors: Quinn Avery",
                "",
                "- 테스트를 위해 지어낸 요약입니다.",
                "",
            ]
        (folder / f"{date}.md").write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_import_shows_its_progress(project: Path, terminal: bool) -> None:
    digests = project / "digests"
    digests.mkdir()
    write_digests(digests, days=20, per_day=30)
    env = {"DAILY_PAPERS_PROGRESS_SECONDS": "0.05"}
    stdout, stderr, status = command(["import", "digests"], env, terminal=terminal, cwd=project)
    assert status == 0, stderr
    assert stdout.splitlines()[-1].startswith("All 20 digests: 600 papers found, 600 records")
    if terminal:
        assert_moved(stderr, "import", 600)
    else:
        assert periodic(stderr, "import", 600, "paper"), stderr


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_fetch_over_a_range_shows_its_progress(project: Path, terminal: bool) -> None:
    with ReplayServer() as server:
        for day in range(1, 7):
            date = f"2025-06-{day:02d}"
            server.days[date] = [item(f"2506.0{day}001")]
            # Each day answers a little late, so the run outlasts the interval.
            server.script(date, *[Reply(body=[item(f"2506.0{day}001")], delay=0.3)])
        env = {
            "DAILY_PAPERS_API_URL": server.url,
            "DAILY_PAPERS_ARXIV_URL": "off",
            "DAILY_PAPERS_PROGRESS_SECONDS": "0.2",
        }
        args = ["fetch", "--since", "2025-06-01", "--until", "2025-06-06", "--workers", "1"]
        stdout, stderr, status = command(args, env, terminal=terminal, cwd=project)
    assert status == 0, stderr
    assert stdout.splitlines()[-1] == "6 dates: 6 papers (6 new, 0 updated, 0 unchanged)"
    if terminal:
        assert_moved(stderr, "fetch", 6)
    else:
        assert periodic(stderr, "fetch", 6, "day"), stderr


# --- mkdocs build -----------------------------------------------------------------------


def test_a_build_says_what_each_phase_of_ours_took(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """One INFO line per phase, with its count and seconds; a handful, none per page."""
    from sitebuild import build_site, make_project, sample_papers

    papers = sample_papers()
    caplog.set_level(logging.INFO)
    build_site(make_project(tmp_path, papers), tmp_path / "site")
    ours = [r.getMessage() for r in caplog.records if r.getMessage().startswith("daily-papers: ")]
    seconds = r" in \d+\.\d s$"
    patterns = [
        rf"daily-papers: records: {len(papers)} read{seconds}",
        rf"daily-papers: plan: \d+ pages and \d+ other files planned{seconds}",
        rf"daily-papers: pages: \d+ written{seconds}",
        r"daily-papers: feeds, sitemaps and open data: \d+ topic and organization feeds, "
        r"\d+ sitemaps and "
        rf"\d+ open data files{seconds}",
        rf"daily-papers: search index: \d+ records written to pagefind/{seconds}",
    ]
    phases = [line for line in ours if " in " in line and line.endswith(" s")]
    assert len(phases) == len(patterns), ours
    for pattern, line in zip(patterns, phases, strict=True):
        assert re.fullmatch(pattern, line), line
    planned = int(re.search(r"plan: (\d+) pages", phases[1]).group(1))  # type: ignore[union-attr]
    assert re.search(rf"pages: {planned} written", phases[2])
