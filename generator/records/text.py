"""Text as records hold it: one rule for invisible characters, and how producers tidy text.

Producers (the API mapping, the digest importer, the summarizer) turn whatever they read
into text a record may hold; validation refuses what they would have tidied, and the
site strips the same characters again before printing, so all three agree by using
:data:`CONTROL_CHARS`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
#: Zero-width characters and bidirectional controls: invisible, and able to make text
#: read differently from what it holds (a title shown reversed, a name that looks like
#: another's).
_FORMATTING = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
#: Characters no record text may hold: C0 controls other than tab and newline, DEL, the
#: C1 controls, the Unicode line separators, lone surrogates, the two noncharacters XML
#: forbids, and the invisible formatting characters above. The feed's XML cannot carry
#: most controls, and PyYAML does not write all of them back unchanged.
CONTROL_CHARS = re.compile(f"[{_CONTROLS}{_FORMATTING}]")
_FORMATTING_CHARS = re.compile(f"[{_FORMATTING}]")


class NotText(ValueError):
    """Bytes that are not a text file: where (1-based line), why, and whether the cause is
    a NUL byte (a binary file) rather than another encoding."""

    def __init__(self, line: int, reason: str, *, nul: bool = False) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason
        self.nul = nul


def decode_text(raw: bytes) -> str:
    """A file's bytes as text: UTF-8 without NUL bytes, a leading BOM dropped.

    Records and digests are both read this way; :class:`NotText` says where it fails.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise NotText(line, f"not UTF-8 text (byte {raw[error.start]:#04x})") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise NotText(line, "contains a NUL byte", nul=True)
    return text.removeprefix("\ufeff")


def control_problem(text: str) -> str | None:
    """Why ``text`` may not be stored (it holds a control character), or None."""
    found = CONTROL_CHARS.search(text)
    if found is None:
        return None
    char = found.group()
    name = unicodedata.name(char, "")
    kind = "formatting" if _FORMATTING_CHARS.fullmatch(char) else "control"
    named = f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"
    return f"contains an invisible {kind} character ({named}); remove it"


def without_controls(text: str) -> str:
    """``text`` with every :data:`CONTROL_CHARS` character removed (output's last guard)."""
    return CONTROL_CHARS.sub("", text)


def one_line(text: str) -> str:
    """Collapse all whitespace runs (the API wraps long titles) into single spaces.

    Control characters count as whitespace here and invisible formatting characters are
    dropped, so no producer writes one.
    """
    return " ".join(CONTROL_CHARS.sub(" ", _FORMATTING_CHARS.sub("", text)).split())


def is_one_line(text: str) -> bool:
    """True when ``text`` is what :func:`one_line` makes of it: the rule for names."""
    return text == " ".join(text.split())


def excerpt(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut to ``limit`` characters: how messages quote bad input."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def paragraphs(text: str) -> str:
    """Unwrap hard-wrapped prose, keeping blank-line paragraph breaks."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(one_line(block) for block in blocks if block.strip())


def type_name(value: object) -> str:
    """A YAML-flavoured name for a value's type, for error messages."""
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        dt.date: "a date",
        dt.datetime: "a timestamp",
    }.get(type(value), type(value).__name__)
