"""docs/record-format.md stays true: a real, valid example, and every key described."""

from __future__ import annotations

import re
from pathlib import Path

from generator.records.model import LINK_KEYS, SUMMARY_KINDS
from generator.records.rules import FIELDS, KEY_ORDER, check_record

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "record-format.md"
EXAMPLE = "data/2024/10/25/2410.18977.yaml"


def test_example_is_the_sample_record_and_valid() -> None:
    text = PAGE.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(id: .*?)```", text, re.S)
    assert example is not None
    assert example.group(1) == (REPO / EXAMPLE).read_text(encoding="utf-8")
    paper, problems = check_record(example.group(1).encode("utf-8"), EXAMPLE)
    assert paper is not None and problems == []


def key_rows() -> dict[str, list[str]]:
    """The key table's rows by key: the cells after the key."""
    rows = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if match := re.fullmatch(r"\| `(\w+)` \| (.*) \|", line):
            rows[match.group(1)] = match.group(2).split(" | ")
    return rows


def test_the_key_table_follows_the_field_table() -> None:
    rows = key_rows()
    assert [key for key in rows if key in KEY_ORDER] == list(KEY_ORDER)  # same order
    for rule in FIELDS:
        required, shape = rows[rule.key][:2]
        assert required == ("예" if rule.required else "아니요"), rule.key
        limits = rule.limits
        if "max_items" in limits:
            assert f"최대 {limits['max_items']:,}개" in shape, rule.key
        if "max_chars" in limits:
            assert f"최대 {limits['max_chars']:,}자" in shape, rule.key


def test_every_key_is_described() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for key in LINK_KEYS:
        assert f"`{key}`(" in text, key  # explained in the links row
    for kind in SUMMARY_KINDS:
        assert f"| `{kind}` |" in text, kind
