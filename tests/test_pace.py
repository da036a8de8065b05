"""arXiv's pace across commands: one request every 3 seconds from this client, whichever
process asks (generator.pace)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from arxiv_server import ArxivServer
from record_files import write
from replay_server import ReplayServer
from test_fetch import item
from test_http import FakeClock as Wall  # a clock that moves only when slept on

from generator.pace import SharedPace, state_dir
from generator.records.model import Paper


def test_two_commands_take_slots_three_seconds_apart(tmp_path: Path) -> None:
    wall = Wall()
    first = SharedPace("arxiv", 3.0, folder=tmp_path, wall=wall, sleep=wall.sleep)
    second = SharedPace("arxiv", 3.0, folder=tmp_path, wall=wall, sleep=wall.sleep)
    assert first.wait() and wall.slept == []
    assert second.wait() and wall.slept == [3.0]  # another process's slot was taken
    wall.now += 10
    assert first.wait() and wall.slept == [3.0]  # long after: at once


def test_a_slot_too_far_is_not_taken(tmp_path: Path) -> None:
    wall = Wall()
    pace = SharedPace("arxiv", 3.0, folder=tmp_path, wall=wall, sleep=wall.sleep)
    assert pace.wait()
    assert not pace.wait(left=1.0) and wall.slept == []
    assert pace.wait(left=5.0) and wall.slept == [3.0]


def test_a_damaged_file_costs_no_more_than_one_early_request(tmp_path: Path) -> None:
    wall = Wall()
    (tmp_path / "pace-arxiv").write_text("not a time", encoding="ascii")
    pace = SharedPace("arxiv", 3.0, folder=tmp_path, wall=wall, sleep=wall.sleep)
    assert pace.wait() and pace.wait() and wall.slept == [3.0]


def test_an_unwritable_folder_paces_this_process_alone_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="ascii")  # a file where the folder should be
    wall = Wall()
    pace = SharedPace("arxiv", 3.0, folder=blocked / "state", wall=wall, sleep=wall.sleep)
    with caplog.at_level(logging.WARNING):
        assert pace.wait() and pace.wait() and pace.wait()
    assert wall.slept == [3.0, 3.0]
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert warnings[0].startswith("the pace of requests to arxiv is kept by this command alone")


def test_the_state_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    assert state_dir({"DAILY_PAPERS_STATE_DIR": "/x"}) == Path("/x")
    assert state_dir({"XDG_STATE_HOME": "/s"}) == Path("/s/daily-papers")
    monkeypatch.setenv("HOME", "/home/someone")
    assert state_dir({}) == Path("/home/someone/.local/state/daily-papers")


def test_fetch_then_categories_keep_three_seconds_between_arxiv_requests(
    tmp_path: Path,
) -> None:
    """The publish workflow's two steps, run at once one after the other: they sent two
    requests to arXiv 1.26 s apart."""
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    write(
        Paper(id="2506.00009", date=dt.date(2025, 6, 2), title="Invented", votes=1),
        tmp_path / "data",
    )
    starts: list[float] = []
    with ArxivServer() as arxiv, ReplayServer() as hf:
        arxiv.papers = {"2506.00001": ["cs.CL"], "2506.00009": ["cs.CV"]}
        real = arxiv.answer
        arxiv.answer = lambda query: (starts.append(time.monotonic()), real(query))[1]  # type: ignore[method-assign]
        hf.days["2025-06-12"] = [item("2506.00001")]
        env = {
            **os.environ,
            "DAILY_PAPERS_API_URL": hf.url,
            "DAILY_PAPERS_ARXIV_URL": arxiv.url,
            "DAILY_PAPERS_RETRY_DELAY": "0",
        }
        for args in (["fetch", "--date", "2025-06-12"], ["categories"]):
            done = subprocess.run(
                [sys.executable, "-c", "from generator.cli import main; main()", *args],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
    assert len(starts) == 2
    assert starts[1] - starts[0] >= 2.95, starts
