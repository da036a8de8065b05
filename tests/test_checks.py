"""A model's summary checked against the paper's text: numbers however they are written,
English terms in parentheses, the model asked once more naming what was wrong, and what
its second answer still gets wrong kept in the record and shown for review."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from chat_server import ChatServer, completion, summary_json
from click.testing import CliRunner
from record_files import write
from sitebuild import build_site, make_project, read_page

from generator.checks import number_problems, problems, term_problems
from generator.cli import main
from generator.records.model import Paper
from generator.records.reading import read_record

SOURCE = (
    "Lantern Routing. The routed model reaches 47.8 % accuracy against 37.95% for the "
    "dense baseline, with 3.7B active parameters of 40B, after 10K steps on 1,234 videos. "
    "We use Mixture-of-Experts layers with sparse attention."
)


@pytest.mark.parametrize(
    "bullet",
    [
        "정확도 47.8%로 37.95%를 넘습니다.",  # "47.8 %" in the source
        "활성 파라미터는 37억 개입니다.",  # 3.7B
        "전체 400억 파라미터입니다.",  # 40B
        "1만 단계 동안 학습했습니다.",  # 10K
        "영상 1234개로 학습했습니다.",  # 1,234
        "2단계로 나누어 3가지를 봅니다.",  # small counts are the summary's own words
    ],
)
def test_numbers_written_another_way_pass(bullet: str) -> None:
    assert number_problems([bullet], SOURCE) == []


@pytest.mark.parametrize(
    ("bullet", "problem"),
    [
        ("정확도 48.7%를 얻습니다.", "number '48.7%' is not in the paper"),
        ("활성 파라미터는 38억 개입니다.", "number '38억' is not in the paper"),
        ("2만 단계 동안 학습했습니다.", "number '2만' is not in the paper"),
    ],
)
def test_a_planted_wrong_figure_is_caught(bullet: str, problem: str) -> None:
    assert number_problems([bullet], SOURCE) == [problem]


def test_terms_in_parentheses_must_be_in_the_paper() -> None:
    good = ["전문가 혼합(mixture of expert) 층과 희소 주의(Sparse-Attention)를 씁니다."]
    assert term_problems(good, SOURCE) == []
    bad = ["변환기(Transformers)와 환각(hallucination)을 줄입니다."]
    assert term_problems(bad, SOURCE) == [
        "term 'Transformers' is not in the paper",
        "term 'hallucination' is not in the paper",
    ]
    assert problems([*bad, "정확도 48.7%"], SOURCE)[0].startswith("number")


GOOD = [
    "라우팅된 모델이 정확도 47.8%를 얻습니다.",
    "밀집 모델은 37.95%입니다.",
    "활성 파라미터는 37억 개입니다.",
]
WRONG = [
    "라우팅된 모델이 정확도 48.7%를 얻습니다.",
    "밀집 모델은 37.95%입니다.",
    "활성 파라미터는 37억 개입니다.",
]


def paper() -> Paper:
    return Paper(
        id="2402.00001",
        date=dt.date(2024, 2, 14),
        title="Lantern Routing",
        authors=["Ada Lovelace"],
        votes=3,
        abstract=SOURCE,
    )


def summarize(data: Path, chat: ChatServer) -> None:
    result = CliRunner().invoke(
        main,
        ["summarize", "--data-dir", str(data), "--source", "abstract"],
        env={"OPENAI_BASE_URL": chat.url, "OPENAI_API_KEY": "k", "DAILY_PAPERS_MODEL": "m"},
    )
    assert result.exit_code == 0, result.output


def test_a_wrong_figure_is_asked_again_naming_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write(paper(), data)
    answers = [completion(summary_json(*WRONG)), completion(summary_json(*GOOD))]
    with ChatServer(script={"Lantern Routing": answers}) as chat:
        summarize(data, chat)
        _, second = chat.requests
    assert "48.7%" in second.prompt and "number '48.7%' is not in the paper" in second.prompt
    written, _ = read_record(data / paper().relative_path())
    assert written is not None and written.summary == GOOD
    assert written.summary_source is not None and written.summary_source.problems == []


def test_problems_of_a_second_wrong_answer_are_kept_and_shown(tmp_path: Path) -> None:
    data = tmp_path / "project" / "data"
    write(paper(), data)
    with ChatServer(default=completion(summary_json(*WRONG))) as chat:
        summarize(data, chat)
        assert len(chat.requests) == 2
    written, _ = read_record(data / paper().relative_path())
    assert written is not None and written.summary == WRONG
    assert written.summary_source is not None
    assert written.summary_source.problems == ["number '48.7%' is not in the paper"]

    site = build_site(make_project(tmp_path / "site-project", [written]), tmp_path / "site")
    day = read_page(site, "2024/02/14/")
    assert [e.text for e in day.by_class("dp-review")] == ["검토 필요"]
    page = read_page(site, f"papers/{written.id}/")
    assert "number '48.7%' is not in the paper" in page.content().text
    review = read_page(site, "review/")
    titles = [a.text for a in review.find("a") if a.in_content and a.text == written.title]
    assert titles == [written.title]
    assert "number '48.7%' is not in the paper" in review.content().text
    edits = [a.attrs["href"] for a in review.by_class("dp-edit")]
    assert edits and edits[0].endswith(f"data/2024/02/14/{written.id}.yaml")

    # A person corrects it: the mark and the review entry go.
    corrected = read_record(data / paper().relative_path())[0]
    assert corrected is not None
    corrected.summary = GOOD
    site = build_site(make_project(tmp_path / "again", [corrected]), tmp_path / "site2")
    assert read_page(site, "2024/02/14/").by_class("dp-review") == []
    assert "검토가 필요한 요약이 없습니다" in read_page(site, "review/").content().text
    data_file = site / "api" / "days" / "2024-02-14.json"
    assert json.loads(data_file.read_text())["papers"][0]["summary_source"]["problems"]
