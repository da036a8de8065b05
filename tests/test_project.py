"""Commands find the project around the current folder, never a stray ``data/`` tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from replay_server import ReplayServer
from test_fetch import DAY, item

from generator.cli import main


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as running:
        running.days[DAY] = [item("2506.00001")]
        yield running


def fetch(server: ReplayServer, *args: str) -> Result:
    env = {"DAILY_PAPERS_RETRY_DELAY": "0.001", "DAILY_PAPERS_API_URL": server.url}
    return CliRunner().invoke(main, ["fetch", "--date", DAY, *args], env=env)


def test_a_command_in_a_subfolder_writes_the_projects_records(
    tmp_path: Path, server: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "docs" / "guides").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "docs" / "guides")
    result = fetch(server)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data/2025/06/12/2506.00001.yaml").is_file()
    assert not (tmp_path / "docs" / "guides" / "data").exists()
    validated = CliRunner().invoke(main, ["validate"])
    assert validated.exit_code == 0 and "1 record(s) checked" in validated.stderr


def test_the_plugins_data_dir_is_the_default(
    tmp_path: Path, server: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - daily-papers:\n      data_dir: records\n"
        "extra:\n  analytics: !ENV [NO_SUCH_VARIABLE, none]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert fetch(server).exit_code == 0
    assert (tmp_path / "records/2025/06/12/2506.00001.yaml").is_file()


def test_outside_a_project_nothing_is_written(
    tmp_path: Path, server: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = fetch(server)
    assert result.exit_code == 2
    assert (
        f"no mkdocs.yml in {tmp_path.resolve()} or any folder above it, so this is not a "
        "daily-papers project: run the command in the project's folder, or give --data-dir"
    ) in result.output
    assert list(tmp_path.iterdir()) == [] and server.requests == []
    given = fetch(server, "--data-dir", "here")
    assert given.exit_code == 0 and (tmp_path / "here/2025/06/12/2506.00001.yaml").is_file()


def test_fetch_takes_the_summarize_model_and_says_so(tmp_path: Path, server: ReplayServer) -> None:
    data = str(tmp_path / "data")
    no_model = CliRunner().invoke(
        main,
        ["fetch", "--date", DAY, "--data-dir", data, "--summarize"],
        env={"OPENAI_API_KEY": "k", "DAILY_PAPERS_MODEL": "", "DAILY_PAPERS_API_URL": server.url},
    )
    assert no_model.exit_code == 2
    assert "no model given: pass --model or set DAILY_PAPERS_MODEL" in no_model.output
    alone = CliRunner().invoke(main, ["fetch", "--data-dir", data, "--model", "m"])
    assert alone.exit_code == 2 and "--model only applies with --summarize" in alone.output
