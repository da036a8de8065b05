"""docs/record-format.md stays true: its example is a real, valid record and every key is described."""

from __future__ import annotations

import re
from pathlib import Path

from generator.records.model import LINK_KEYS, SUMMARY_KINDS
from generator.records.rules import KEY_ORDER, check_record

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


def test_every_key_is_described() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for key in KEY_ORDER:
        assert f"| `{key}` |" in text, key  # a row of the key table
    for key in LINK_KEYS:
        assert f"`{key}`(" in text, key  # explained in the links row
    for kind in SUMMARY_KINDS:
        assert f"| `{kind}` |" in text, kind
