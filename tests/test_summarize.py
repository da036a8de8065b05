"""`daily-papers summarize` end to end: records on disk, a real chat-completions server on
127.0.0.1, and the command as a user runs it (options and environment variables)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_server import ChatServer, Reply, Request, completion, summary_json
from click.testing import CliRunner, Result
from filelock import FileLock
from record_files import write
from replay_server import ReplayServer

from generator.cli import main
from generator.llm import prompt
from generator.records import store as store_module
from generator.records.model import Paper, SummarySource, summary_fingerprint
from generator.records.reading import LOCK_NAME, read_record, scan

DAY = dt.date(2024, 2, 14)
NEXT_DAY = dt.date(2024, 2, 15)

# Summaries and abstracts written for these tests.
NEW = [
    "긴 문맥(long context)을 다루는 새 방법을 제안합니다.",
    "주의(attention) 계산을 구간별로 나누어 메모리를 줄입니다.",
    "여러 벤치마크(benchmark)에서 속도가 두 배 빨라졌습니다.",
]
OLD_LLM = ["이전 모델이 쓴 요약입니다.", "두 번째 문장입니다.", "세 번째 문장입니다."]
HF_FALLBACK = ["An English one-line summary from the API."]
USAGE = {"prompt_tokens": 300, "completion_tokens": 120, "total_tokens": 420}


def paper(paper_id: str, date: dt.date = DAY, votes: int = 10, **fields: object) -> Paper:
    values: dict[str, object] = {
        "id": paper_id,
        "date": date,
        "title": f"Paper {paper_id}",
        "authors": ["A. Author"],
        "votes": votes,
        # Holds NEW's English terms: the check against the source passes.
        "abstract": f"We study problem {paper_id}: long context, attention on a benchmark.",
    }
    values.update(fields)
    return Paper(**values)  # type: ignore[arg-type]


def llm_source(summary: list[str], model: str = "old-model") -> SummarySource:
    return SummarySource("llm", model, "ko", summary_fingerprint(summary))


def written_source(model: str = "test-model", summary: list[str] = NEW) -> SummarySource:
    """What summarize records for a summary it wrote from the abstract."""
    return SummarySource(
        "llm", model, "ko", summary_fingerprint(summary), source="abstract", prompt=prompt().version
    )


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own settings must not leak into a test."""
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "DAILY_PAPERS_MODEL",
        "DAILY_PAPERS_LLM_TIMEOUT",
        "DAILY_PAPERS_RETRY_DELAY",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def good_server() -> Iterator[ChatServer]:
    with ChatServer(default=completion(summary_json(*NEW), usage=USAGE)) as server:
        yield server


def env_for(server: ChatServer, **extra: str) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": "sk-test",
        "DAILY_PAPERS_MODEL": "test-model",
        "DAILY_PAPERS_RETRY_DELAY": "0.001",
        **extra,
    }


def run(data: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["summarize", "--data-dir", str(data), *args], env=env)


def path_of(data: Path, p: Paper) -> Path:
    return data / p.relative_path()


def load(data: Path, p: Paper) -> Paper:
    loaded, problems = read_record(path_of(data, p))
    assert loaded is not None, problems
    return loaded


def test_summarises_every_paper_of_a_day(data: Path, good_server: ChatServer) -> None:
    papers = [
        paper("2402.00001", votes=5),
        paper("2402.00002", votes=9),
        paper("2402.00003", votes=1),
    ]
    for p in papers:
        write(p, data)
    result = run(data, "--date", "2024-02-14", env=env_for(good_server))
    assert result.exit_code == 0, result.output
    assert result.stdout == "3 summarised, 0 skipped, 0 failed, 1,260 tokens used\n"
    for p in papers:
        got = load(data, p)
        assert got.summary == NEW
        assert got.summary_source == written_source()
        assert not got.summary_is_human
        assert dataclasses.replace(got, summary=[], summary_source=None) == p
    assert not scan([data]).problems
    assert {r.headers["Authorization"] for r in good_server.requests} == {"Bearer sk-test"}


def test_model_option_wins_and_is_recorded(data: Path, good_server: ChatServer) -> None:
    p = paper("2402.00001")
    write(p, data)
    result = run(data, "--model", "other-model", env=env_for(good_server))
    assert result.exit_code == 0, result.output
    assert good_server.requests[0].body["model"] == "other-model"
    assert load(data, p).summary_source.model == "other-model"  # type: ignore[union-attr]


# --- which summaries are replaced -----------------------------------------------------

EDITED = [OLD_LLM[0], "사람이 고친 문장입니다.", OLD_LLM[2]]
KINDS = {
    "empty": paper("2402.00001"),
    "hf fallback": paper(
        "2402.00002",
        summary=HF_FALLBACK,
        summary_source=SummarySource(
            "huggingface", "Qwen3", "en", summary_fingerprint(HF_FALLBACK)
        ),
    ),
    "llm": paper("2402.00003", summary=OLD_LLM, summary_source=llm_source(OLD_LLM)),
    "imported": paper(
        "2402.00004",
        summary=OLD_LLM,
        summary_source=SummarySource("imported", None, "ko", summary_fingerprint(OLD_LLM)),
    ),
    "llm edited": paper("2402.00005", summary=EDITED, summary_source=llm_source(OLD_LLM)),
    "hf edited": paper(
        "2402.00006",
        summary=["사람이 번역했습니다."],
        summary_source=SummarySource("huggingface", None, "en", summary_fingerprint(HF_FALLBACK)),
    ),
    "human": paper("2402.00007", summary=OLD_LLM, summary_source=SummarySource("human")),
    "no source": paper("2402.00008", summary=OLD_LLM),
}
HUMAN_KINDS = {"llm edited", "hf edited", "human", "no source"}


@pytest.mark.parametrize(
    "flags, replaced",
    [
        ((), {"empty", "hf fallback"}),
        (("--force",), {"empty", "hf fallback", "llm", "imported"}),
        (("--force-human",), set(KINDS)),
        (("--force", "--force-human"), set(KINDS)),
    ],
)
def test_which_summaries_are_replaced(
    data: Path, good_server: ChatServer, flags: tuple[str, ...], replaced: set[str]
) -> None:
    for p in KINDS.values():
        write(p, data)
    result = run(data, "--date", "2024-02-14", *flags, env=env_for(good_server))
    assert result.exit_code == 0, result.output
    for kind, p in KINDS.items():
        got = load(data, p)
        if kind in replaced:
            assert got.summary == NEW, kind
            assert got.summary_source.kind == "llm"  # type: ignore[union-attr]
        else:
            assert got == p, kind
    assert result.stdout.startswith(
        f"{len(replaced)} summarised, {len(KINDS) - len(replaced)} skipped, 0 failed"
    )
    kept = sorted(str(path_of(data, KINDS[k])) for k in HUMAN_KINDS - replaced)
    notes = sorted(line.split(": skipped: ")[0] for line in result.stderr.splitlines())
    assert notes == (kept if flags else [])
    assert all(
        line.endswith(
            ": skipped: summary written or edited by a person; kept (--force-human replaces it)"
        )
        for line in result.stderr.splitlines()
    )


def test_a_record_without_abstract_is_skipped_with_a_note(
    data: Path, good_server: ChatServer
) -> None:
    bare = paper("2402.00001", abstract=None)
    write(bare, data)
    write(paper("2402.00002"), data)
    result = run(data, env=env_for(good_server))
    assert result.exit_code == 0
    assert result.stderr == f"{path_of(data, bare)}: skipped: no abstract to summarise from\n"
    assert result.stdout == "1 summarised, 1 skipped, 0 failed, 420 tokens used\n"
    assert load(data, bare) == bare


# --- failures -------------------------------------------------------------------------


def test_malformed_answers_fail_one_paper_and_leave_its_record(data: Path) -> None:
    bad, good = paper("2402.00001", votes=50), paper("2402.00002")
    write(bad, data)
    write(good, data)
    before = path_of(data, bad).read_bytes()
    script = {bad.title: [completion('{"summary": ["끝나지 않은', usage={"total_tokens": 7})]}
    with ChatServer(script, default=completion(summary_json(*NEW), usage=USAGE)) as server:
        result = run(data, env=env_for(server))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path_of(data, bad)}: not summarised: the model's answer was "
        "unusable twice; the second time the answer holds no JSON object "
        'or list: \'{"summary": ["끝나지 않은\'\n'
    )
    assert result.stdout == "1 summarised, 0 skipped, 1 failed, 434 tokens used\n"
    assert path_of(data, bad).read_bytes() == before
    assert len(server.requests_for(bad.title)) == 2
    assert load(data, good).summary == NEW


def test_an_answer_carrying_a_script_link_is_refused(data: Path) -> None:
    p = paper("2402.00001")
    write(p, data)
    before = path_of(data, p).read_bytes()
    answer = summary_json(NEW[0], NEW[1] + " [열기](javascript:alert(1))", NEW[2])
    with ChatServer(default=completion(answer)) as server:
        result = run(data, env=env_for(server))
    assert result.exit_code == 1
    assert "bullet 2 link target must be an absolute http(s) URL" in result.stderr
    assert result.stdout == "0 summarised, 0 skipped, 1 failed\n"
    assert path_of(data, p).read_bytes() == before


def test_a_repaired_answer_is_used(data: Path) -> None:
    p = paper("2402.00001")
    write(p, data)
    replies = [
        completion("요약: " + json.dumps(NEW[:2], ensure_ascii=False)),
        completion("```json\n" + summary_json(*NEW) + "\n```"),
    ]
    with ChatServer({p.title: replies}) as server:
        result = run(data, env=env_for(server))
    assert result.exit_code == 0, result.output
    assert load(data, p).summary == NEW
    assert "the summary has 2 bullet(s)" in server.requests[1].prompt


def test_429_and_5xx_are_retried(data: Path) -> None:
    a, b = paper("2402.00001"), paper("2402.00002")
    write(a, data)
    write(b, data)
    ok = completion(summary_json(*NEW))
    script = {
        a.title: [Reply(429, headers={"Retry-After": "0"}), ok],
        b.title: [Reply(500), Reply(502), Reply(503), ok],
    }
    with ChatServer(script) as server:
        result = run(data, env=env_for(server))
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 summarised, 0 skipped, 0 failed\n"
    assert (len(server.requests_for(a.title)), len(server.requests_for(b.title))) == (2, 4)


def test_a_timeout_fails_that_paper_only(data: Path) -> None:
    slow, quick = paper("2402.00001", votes=50), paper("2402.00002")
    write(slow, data)
    write(quick, data)
    late = completion(summary_json(*NEW))
    late.delay = 1.0
    with ChatServer({slow.title: [late]}, default=completion(summary_json(*NEW))) as server:
        result = run(data, env=env_for(server, DAILY_PAPERS_LLM_TIMEOUT="0.2"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path_of(data, slow)}: not summarised: {server.url}/chat/"
        "completions failed after 5 attempts: the server sent nothing for 0.2 s "
        "(the timeout of each wait)\n"
    )
    assert load(data, slow) == slow
    assert load(data, quick).summary == NEW


def test_a_refused_key_stops_the_run(data: Path) -> None:
    papers = [paper(f"2402.0000{n}") for n in range(1, 10)]
    for p in papers:
        write(p, data)
    refused = Reply(401, body={"error": {"message": "Incorrect API key provided"}})
    with ChatServer(default=refused) as server:
        result = run(data, env=env_for(server))
    assert result.exit_code == 1
    assert len(server.requests) < len(papers)
    lines = result.stderr.splitlines()
    assert lines[-1] == (
        f"stopped: every request would fail the same way: {server.url}/chat/"
        "completions answered HTTP 401 Unauthorized: Incorrect API key provided (is "
        "OPENAI_API_KEY right for this server?)"
    )
    failed = len(lines) - 1
    assert failed == len(server.requests)
    assert result.stdout == (
        f"0 summarised, 0 skipped, {failed} failed, {len(papers) - failed} not attempted\n"
    )
    assert all(load(data, p) == p for p in papers)


def test_an_invalid_record_is_reported_and_the_rest_go_on(
    data: Path, good_server: ChatServer
) -> None:
    good = paper("2402.00002")
    write(good, data)
    broken = data / "2024" / "02" / "14" / "2402.00001.yaml"
    broken.write_text('id: "2402.00001"\ndate: 2024-02-14\ntitle: x\n', encoding="utf-8")
    result = run(data, env=env_for(good_server))
    assert result.exit_code == 1
    assert f"{broken}:1: authors: required key is missing" in result.stderr.splitlines()
    assert result.stdout == "1 summarised, 0 skipped, 1 failed, 420 tokens used\n"
    assert load(data, good).summary == NEW


def test_a_record_edited_during_the_run_is_not_overwritten(data: Path) -> None:
    p = paper("2402.00001")
    write(p, data)
    edited = dataclasses.replace(p, summary=["사람이 먼저 썼습니다."])

    def edit_then_answer(request: Request) -> Reply:
        write(edited, data)  # a person saves the file while the model is answering
        return completion(summary_json(*NEW))

    with ChatServer(default=edit_then_answer) as server:
        result = run(data, env=env_for(server))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path_of(data, p)}: not summarised: the summary or abstract "
        "changed while the summary was being written; left as it is "
        "(run again)\n"
    )
    assert load(data, p) == edited


# --- limits, dates and configuration --------------------------------------------------


def test_max_takes_the_newest_day_and_most_votes_first(data: Path, good_server: ChatServer) -> None:
    papers = [
        paper("2402.00001", votes=100),
        paper("2402.00002", votes=3),
        paper("2402.00003", NEXT_DAY, votes=1),
        paper("2402.00004", NEXT_DAY, votes=None),
        paper("2402.00005", votes=7),
    ]
    for p in papers:
        write(p, data)
    result = run(data, "--max", "3", env=env_for(good_server))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "3 summarised, 0 skipped, 0 failed, 2 left for a later run (--max 3), 1,260 tokens used\n"
    )
    done = {p.id for p in papers if load(data, p).summary}
    assert done == {"2402.00003", "2402.00004", "2402.00001"}


@pytest.mark.parametrize(
    "args, summarised",
    [
        (("--date", "2024-02-15"), {"2402.00002"}),
        (("--since", "2024-02-14", "--until", "2024-02-15"), {"2402.00001", "2402.00002"}),
        (("--since", "2024-02-15"), {"2402.00002", "2402.00003"}),
        ((), {"2402.00001", "2402.00002", "2402.00003"}),
        (("--date", "2024-02-16"), set()),
    ],
)
def test_dates_choose_the_records(
    data: Path, good_server: ChatServer, args: tuple[str, ...], summarised: set[str]
) -> None:
    papers = [
        paper("2402.00001", DAY),
        paper("2402.00002", NEXT_DAY),
        paper("2402.00003", dt.date(2024, 3, 1)),
    ]
    for p in papers:
        write(p, data)
    result = run(data, *args, env=env_for(good_server))
    assert result.exit_code == 0, result.output
    assert {p.id for p in papers if load(data, p).summary} == summarised
    if not summarised:
        assert result.stderr == (
            f"no records in {data} for the chosen days; nothing to summarise\n"
        )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("--date", "2024-02-14", "--since", "2024-02-01"),
            "give either --date or --since/--until, not both",
        ),
        (("--until", "2024-02-14"), "--until needs --since"),
        (
            ("--since", "2024-02-15", "--until", "2024-02-14"),
            "--since 2024-02-15 is after --until 2024-02-14",
        ),
        (
            ("--force",),
            "--force would re-summarise the whole archive; choose the days with --date or --since",
        ),
        (("--date", "14.02.2024"), "Invalid value for '--date'"),
        (("--max", "0"), "Invalid value for '--max'"),
        (("--language", "fr"), "Invalid value for '--language'"),
    ],
)
def test_usage_errors(
    data: Path, good_server: ChatServer, args: tuple[str, ...], message: str
) -> None:
    result = run(data, *args, env=env_for(good_server))
    assert result.exit_code == 2
    assert message in result.stderr
    assert not good_server.requests


def test_a_key_without_a_model_is_a_usage_error(data: Path, good_server: ChatServer) -> None:
    write(paper("2402.00001"), data)
    env = env_for(good_server)
    del env["DAILY_PAPERS_MODEL"]
    result = run(data, env=env)
    assert result.exit_code == 2
    assert "Error: no model given: pass --model or set DAILY_PAPERS_MODEL" in result.stderr
    assert not good_server.requests


def test_a_missing_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere")
    assert result.exit_code == 2
    assert f"Error: {tmp_path / 'nowhere'}: no such folder" in result.stderr


def test_without_a_key_nothing_is_asked_and_nothing_fails(
    data: Path, good_server: ChatServer
) -> None:
    for p in KINDS.values():
        write(p, data)
    before = {p.id: path_of(data, p).read_bytes() for p in KINDS.values()}
    env = env_for(good_server)
    del env["OPENAI_API_KEY"]
    result = run(data, "--date", "2024-02-14", env=env)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "OPENAI_API_KEY is not set, so no summaries were written; 2 of 8 "
        "record(s) have no summary of ours yet (1 show Hugging Face's "
        "English ai_summary, 1 none). Set OPENAI_API_KEY and "
        "DAILY_PAPERS_MODEL to write them.\n"
    )
    assert {p.id: path_of(data, p).read_bytes() for p in KINDS.values()} == before
    assert not good_server.requests


def test_an_empty_key_counts_as_no_key(data: Path, good_server: ChatServer) -> None:
    write(paper("2402.00001"), data)
    result = run(data, env=env_for(good_server, OPENAI_API_KEY=""))
    assert result.exit_code == 0
    assert result.stderr.startswith("OPENAI_API_KEY is not set")
    assert not good_server.requests


# --- fetch --summarize ----------------------------------------------------------------

FETCH_DAY = "2025-06-12"
#: Two invented papers, both with an abstract and an English ai_summary.
API_ITEMS = Path(__file__).parent / "fixtures" / "hf-api" / "shape-2025-06.json"
FETCHED = [paper("2506.00301", dt.date(2025, 6, 12)), paper("2506.00302", dt.date(2025, 6, 12))]


@pytest.fixture
def api() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        server.days[FETCH_DAY] = json.loads(API_ITEMS.read_text(encoding="utf-8"))
        yield server


def fetch(api: ReplayServer, data: Path, *args: str, env: dict[str, str]) -> Result:
    environment = {"DAILY_PAPERS_API_URL": api.url, "DAILY_PAPERS_RETRY_DELAY": "0.001", **env}
    return CliRunner().invoke(
        main, ["fetch", "--data-dir", str(data), "--summarize", *args], env=environment
    )


#: Korean only: nothing in it for the check against the fixture's abstracts to miss.
PLAIN = ["새 방법을 제안합니다.", "계산을 나누어 메모리를 줄입니다.", "속도가 빨라졌습니다."]


@pytest.fixture
def plain_server() -> Iterator[ChatServer]:
    with ChatServer(default=completion(summary_json(*PLAIN), usage=USAGE)) as server:
        yield server


def test_fetch_summarize_does_both(api: ReplayServer, data: Path, plain_server: ChatServer) -> None:
    result = fetch(api, data, "--date", FETCH_DAY, env=env_for(plain_server))
    requests = plain_server.requests
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{FETCH_DAY}: 2 papers (2 new, 0 updated, 0 unchanged)\n"
        "2 summarised, 0 skipped, 0 failed, 840 tokens used\n"
    )
    for p in FETCHED:
        got = load(data, p)
        assert got.summary == PLAIN
        assert got.summary_source == written_source(summary=PLAIN)
    assert not scan([data]).problems
    assert sorted(r.prompt.split("Title: ")[1].split("\n")[0] for r in requests) == [
        "A Paper Whose Project Page Is Its Repository",
        "Lanterns: Invented Video Models for Tests",
    ]


def test_fetch_summarize_without_a_key_keeps_the_fallback(
    api: ReplayServer, data: Path, good_server: ChatServer
) -> None:
    env = env_for(good_server)
    del env["OPENAI_API_KEY"]
    result = fetch(api, data, "--date", FETCH_DAY, env=env)
    assert result.exit_code == 0, result.output
    # The fixture's second ai_summary links to javascript:, so fetch leaves it empty.
    assert result.stderr.endswith(
        "OPENAI_API_KEY is not set, so no summaries were written; 2 of "
        "2 record(s) have no summary of ours yet (1 show Hugging Face's "
        "English ai_summary, 1 none). Set OPENAI_API_KEY and "
        "DAILY_PAPERS_MODEL to write them.\n"
    )
    with_fallback, without = (load(data, p) for p in FETCHED)
    assert with_fallback.summary_source.kind == "huggingface"  # type: ignore[union-attr]
    assert without.summary == [] and without.abstract
    assert not good_server.requests


def test_fetch_summarize_checks_the_model_before_fetching(
    api: ReplayServer, data: Path, good_server: ChatServer
) -> None:
    env = env_for(good_server)
    del env["DAILY_PAPERS_MODEL"]
    result = fetch(api, data, "--date", FETCH_DAY, env=env)
    assert result.exit_code == 2
    assert "Error: no model given" in result.stderr
    assert not api.requests and not any(data.iterdir())


def test_fetch_summarize_fails_when_a_summary_fails(api: ReplayServer, data: Path) -> None:
    bad = completion("요약을 만들 수 없습니다.")
    with ChatServer({"Lanterns": [bad]}, default=completion(summary_json(*NEW))) as server:
        result = fetch(api, data, "--date", FETCH_DAY, env=env_for(server))
    assert result.exit_code == 1
    lanterns, other = FETCHED
    assert f"{path_of(data, lanterns)}: not summarised: " in result.stderr
    assert result.stdout.endswith("1 summarised, 0 skipped, 1 failed\n")
    assert load(data, lanterns).summary_source.kind == "huggingface"  # type: ignore[union-attr]
    assert load(data, other).summary == NEW


def test_fetch_summarize_leaves_dates_that_failed_to_fetch(
    api: ReplayServer, data: Path, plain_server: ChatServer
) -> None:
    waiting = paper("2506.00401", dt.date(2025, 6, 13))
    write(waiting, data)
    api.script("2025-06-13", Reply(404, body={"error": "not found"}))
    result = fetch(
        api, data, "--since", FETCH_DAY, "--until", "2025-06-13", env=env_for(plain_server)
    )
    assert result.exit_code == 1
    assert result.stdout.endswith("2 summarised, 0 skipped, 0 failed, 840 tokens used\n")
    assert load(data, waiting) == waiting
    assert all(load(data, p).summary == PLAIN for p in FETCHED)


def test_nothing_is_asked_when_the_records_cannot_be_written(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked before paying for any request: here another command holds the lock."""
    write(paper("2402.00001"), data)
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT", 0.1)
    with (
        FileLock(data / LOCK_NAME),
        ChatServer(default=completion(summary_json(*NEW))) as server,
    ):
        result = run(data, env=env_for(server))
    assert result.exit_code == 1
    assert "another daily-papers command has been writing" in result.stderr
    assert result.stderr.rstrip().endswith("; nothing was asked")
    assert server.requests == []


def test_an_english_site_gets_english_summaries_by_default(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # summarize --language took only ko, and fetch --summarize asked for Korean always.
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  language: en\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    record = paper("2402.00001")
    write(record, data)
    english = ["It scales a model.", "It trains on public data.", "It reports gains."]
    with ChatServer(default=completion(summary_json(*english))) as server:
        result = run(data, env=env_for(server))
        assert result.exit_code == 0, result.output
        (request,) = server.requests
    assert "bullet points written in English" in request.prompt
    written = load(data, record)
    assert written.summary == english
    assert written.summary_source is not None and written.summary_source.language == "en"
