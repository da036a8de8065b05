"""The glossary (data/glossary.yaml): its errors with file:line, warnings where a summary
writes a term with an avoided rendering, --suggest on a made-up archive, the entries
given to the model (and only those), the 용어집 page, and the search finding a paper by
either the term or its rendering."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from pathlib import Path

import pytest
from chat_server import ChatServer, completion, summary_json
from click.testing import CliRunner
from pagefind_bundle import by_url
from record_files import write
from sitebuild import build_site, make_project, read_page, sample_papers

from generator.cli import main
from generator.records.glossary import NAME, explained, read_glossary
from generator.records.model import Paper

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = """\
- term: attention
  ko: 어텐션
  avoid:
    주의: 조심하라는 뜻으로 읽힙니다
- term: transformer
  ko: 트랜스포머
  avoid:
    변환기: 일반 명사와 헷갈립니다
  note: 모델 구조 이름
- term: diffusion model
  ko: 확산 모델
"""


def paper(index: int, summary: list[str], **changes: object) -> Paper:
    base = sample_papers()[0]
    fields: dict[str, object] = {
        "id": f"2402.{40000 + index:05d}",
        "date": dt.date(2024, 2, 14),
        "also_listed": [],
        "title": f"Invented Paper {index}",
        "summary": summary,
        "summary_source": None,
        "keywords": [],
        "categories": None,
        **changes,
    }
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


def validate(data: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "--data-dir", str(data)])
    return result.exit_code, result.output


def test_the_repositorys_glossary_is_valid_and_has_150_terms_or_more() -> None:
    glossary = read_glossary(REPO / "data")
    assert glossary.problems == ()
    assert len(glossary.entries) >= 150
    terms = {entry.term: entry for entry in glossary.entries}
    # The renderings the legacy archive mixed up, each with its preferred form.
    assert terms["transformer"].ko == "트랜스포머"
    assert {r for r, _ in terms["transformer"].avoid} >= {"변환기", "변압기"}
    assert terms["attention"].ko == "어텐션"
    assert terms["emergent ability"].ko == "창발 능력"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- term: attention\n  ko: 어텐션\n  colour: red\n", 3, "unknown key 'colour'"),
        ("- term: attention\n  ko: ''\n", 2, "must not be empty"),
        ("- term: attention\n  ko: 어텐션\n  avoid:\n    주의: ''\n", 4, "must not be empty"),
        (
            "- term: attention\n  ko: 어텐션\n- term: Attentions\n  ko: 주목\n",
            3,
            "'Attentions' is already an entry (line 1)",
        ),
    ],
)
def test_glossary_errors_name_the_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / NAME).write_text(text, encoding="utf-8")
    status, output = validate(data)
    assert status == 1
    assert f"{NAME}:{line}: " in output and message in output, output
    result = CliRunner().invoke(main, ["glossary", "--data-dir", str(data)])
    assert result.exit_code == 1 and message in result.output


def test_an_avoided_rendering_is_a_warning_naming_the_preferred_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data).mkdir()
    (data / NAME).write_text(GLOSSARY, encoding="utf-8")
    written = write(
        paper(1, ["긴 문장에 주의(attention)를 나누어 계산합니다.", "둘째 줄입니다."]), data
    )
    write(paper(2, ["어텐션(attention)을 나누어 계산합니다.", "둘째 줄입니다."]), data)
    status, output = validate(data)
    assert status == 0, output  # a warning does not fail
    line = next(n for n, text in enumerate(written.read_text().splitlines(), 1) if "주의(" in text)
    assert (
        f"{written.name}:{line}: summary: warning: 주의(attention): the glossary writes " in output
    )
    assert "'attention' as '어텐션', not '주의'" in output
    assert output.count("the glossary writes") == 1


def test_suggest_lists_the_renderings_the_archive_uses(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / NAME).write_text(GLOSSARY, encoding="utf-8")
    summaries = [
        ["주의(attention)를 씁니다."],
        ["어텐션(attention)을 씁니다."],
        ["긴 주의(Attention)를 씁니다."],
        ["강화 학습(reinforcement learning)을 씁니다."],
        ["강화 학습(reinforcement learning) 다시."],
        ["드문 용어(rare term) 한 번."],
    ]
    for index, summary in enumerate(summaries):
        write(paper(index, summary), data)
    result = CliRunner().invoke(main, ["glossary", "--suggest", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "attention: 주의 2, 어텐션 1 (glossary: 어텐션)",
        "reinforcement learning: 강화 학습 2",
    ]


def test_the_model_gets_the_entries_of_the_terms_the_paper_uses_and_only_those(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / NAME).write_text(GLOSSARY, encoding="utf-8")
    write(paper(1, [], abstract="A transformer with sparse attention for long inputs."), data)
    good = ["트랜스포머(transformer)를 씁니다.", "어텐션(attention)을 씁니다.", "셋째 줄입니다."]
    with ChatServer(default=completion(summary_json(*good))) as chat:
        result = CliRunner().invoke(
            main,
            ["summarize", "--data-dir", str(data)],
            env={"OPENAI_BASE_URL": chat.url, "OPENAI_API_KEY": "k", "DAILY_PAPERS_MODEL": "m"},
        )
        assert result.exit_code == 0, result.output
        (request,) = chat.requests
    asked = request.prompt
    assert "- attention: 어텐션 (never 주의)" in asked
    assert "- transformer: 트랜스포머 (never 변환기)" in asked
    assert "diffusion model" not in asked and "확산 모델" not in asked


def test_the_glossary_page_and_the_search_by_either_rendering(tmp_path: Path) -> None:
    papers = [
        paper(1, ["긴 문장에 주의(attention)를 나누어 계산합니다.", "둘째 줄입니다."]),
        paper(2, ["확산 모델(diffusion models)로 그림을 만듭니다.", "둘째 줄입니다."]),
    ]
    config = make_project(tmp_path, papers)
    (tmp_path / "data" / NAME).write_text(GLOSSARY, encoding="utf-8")
    site = build_site(config, tmp_path / "site")
    page = read_page(site, "glossary/")
    rows = list(page.find("tr"))
    assert len(rows) == 4  # the head and three terms
    cells = page.content().text
    assert "어텐션" in cells and "변환기" in cells and "모델 구조 이름" in cells
    links = {a.text: a.attrs["href"] for a in page.find("a") if a.in_content}
    assert links["어텐션"] == "../search/?q=%EC%96%B4%ED%85%90%EC%85%98"
    counts = [e.text for e in page.find("td") if e.text.endswith("편")]
    assert counts == ["1편", "1편", "0편"]  # attention, diffusion model(s), transformer
    records = by_url(site)
    attention = records[f"papers/{papers[0].id}/"]["content"]
    assert "어텐션" in attention and "attention" in attention  # found by either
    diffusion = records[f"papers/{papers[1].id}/"]["content"]
    assert "diffusion model 확산 모델" in diffusion


#: How summaries' parenthesised terms were found before ``explained`` (a pattern that
#: scans on from every syllable): the specification the faster search must meet.
EXPLAINED_BEFORE = re.compile(r"([가-힣][가-힣 ]*?)\s*\(([^()]*[A-Za-z][^()]*)\)")


def test_explained_finds_what_the_pattern_found() -> None:
    rng = random.Random(29)
    pieces = [
        "주의",
        "메커니즘",
        "가",
        " ",
        "  ",
        "\t",
        "\n",
        "(",
        ")",
        "attention",
        "x",
        "12",
        "-",
        "한국어 ",
    ]
    cases = [
        "주의 메커니즘(attention)과 확산 모델 (diffusion model)을 쓴다.",
        "가 (123) 나 (term)",
        "(가 (y)) 다(z)",
        "숫자(2023)와 영어(English) 그리고 (앞에 한글 없음)",
        "끝에 괄호 (open",
    ]
    cases += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    for bullet in cases:
        assert explained(bullet) == EXPLAINED_BEFORE.findall(bullet), bullet
