"""The Korean "fixing a summary" page: its examples and the rules it states are what
``daily-papers validate`` really enforces, so following the page never fails CI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.records.bullets import bullet_problem
from generator.records.rules import check_record

PAGE = Path(__file__).resolve().parent.parent / "docs" / "contributing.md"
RECORD_PATH = "data/2024/02/14/2402.08093.yaml"


def yaml_blocks() -> list[dict[str, Any]]:
    text = PAGE.read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def record_with(**fields: Any) -> bytes:
    record = {
        "id": "2402.08093",
        "date": "2024-02-14",
        "title": "An example title",
        "authors": ["A. Author"],
        "votes": 3,
        "summary": [],
        **fields,
    }
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False).encode("utf-8")


def test_the_pages_examples_pass_validation() -> None:
    blocks = yaml_blocks()
    fields = {key: value for block in blocks for key, value in block.items()}
    assert fields["summary"] and fields["summary_source"] == {"kind": "human", "language": "ko"}
    paper, problems = check_record(record_with(**fields), RECORD_PATH)
    assert problems == []
    assert paper is not None and paper.summary_is_human


def test_the_quoting_example_is_valid_yaml_and_a_valid_bullet() -> None:
    example = re.search(r'예: `(- ".*?")`', PAGE.read_text(encoding="utf-8")).group(1)
    items = yaml.safe_load(example)
    assert items == ["비교: 기존 방법보다 두 배 빠르다"]
    assert bullet_problem(items[0]) is None
    # Unquoted, the ': ' turns the bullet into a mapping, which validate refuses.
    _, problems = check_record(
        record_with(summary=yaml.safe_load(example.replace('"', ""))), RECORD_PATH
    )
    assert [(p.key, p.message) for p in problems] == [
        (
            "summary[0]",
            "must be a string, not a mapping (a ': ' inside text starts a "
            "mapping in YAML: put the text in quotes)",
        )
    ]


@pytest.mark.parametrize(
    ("bullet", "accepted"),
    [
        ("크기는 a < b 이다", True),
        ("`a<b` 를 비교한다", True),
        ("크기는 a<b 이다", True),  # HTML is text, shown as written
        ("<think> 와 <EOS> 토큰", True),
        ("<b>굵게</b>", True),
        ("[링크](https://example.org/x)", True),
        ("[링크](javascript:alert(1))", False),
        ("[링크](data:text/html,x)", False),
        ("[링크](/relative/path)", True),  # not a link: text as written
        ("보이지 않는\u200b 문자", None),  # refused by the text rule, not the bullet rule
    ],
)
def test_the_rules_the_page_states(bullet: str, accepted: bool | None) -> None:
    if accepted is None:
        _, problems = check_record(record_with(summary=[bullet]), RECORD_PATH)
        assert [p.message for p in problems] == [
            "contains an invisible formatting character (U+200B ZERO WIDTH SPACE); remove it"
        ]
        return
    assert (bullet_problem(bullet) is None) is accepted


def test_a_multi_line_bullet_is_refused() -> None:
    _, problems = check_record(record_with(summary=["첫 줄\n둘째 줄"]), RECORD_PATH)
    assert [(p.key, p.message) for p in problems] == [("summary[0]", "must be one line")]
