"""The glossary, ``<data folder>/glossary.yaml``: one Korean rendering per English term.

A list of entries, each ``term`` (the English term), ``ko`` (the preferred rendering),
optionally ``avoid`` (renderings not to use, each mapped to why) and ``note``. It lives in
the data folder beside the records, so a pull request can change it, and like them it is
read only through this module. ``daily-papers validate`` checks it (unknown keys, empty
renderings, duplicate terms are errors with ``file:line``) and warns where a summary
writes a term with an avoided rendering; ``summarize`` gives the model the entries whose
term occurs in the paper; the site's 용어집 page lists it, and its search finds a paper
by either the term or its rendering.

Terms are compared as the summary check compares them (:func:`normal`): case, hyphens
and a plural ``s`` aside.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.records.model import Paper
from generator.records.problems import Problem
from generator.records.text import control_problem
from generator.records.yamlio import Lines, Unreadable, decode, parse

NAME = "glossary.yaml"
_KEYS = ("term", "ko", "avoid", "note")
MAX_CHARS = 100
NOTE_CHARS = 300
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
#: An English term in parentheses (what may follow the Korean rendering it explains).
_TERM = re.compile(r"\(([^()]*[A-Za-z][^()]*)\)")


def explained(bullet: str) -> list[tuple[str, str]]:
    r"""Each (Korean words, English term) where ``bullet`` writes a term in parentheses
    right after Korean words (``주의 메커니즘(attention)``): the run of Hangul syllables
    and spaces before the parenthesis, from its first syllable.

    What ``re.findall(r"([가-힣][가-힣 ]*?)\s*\(([^()]*[A-Za-z][^()]*)\)", bullet)``
    gives, found from each parenthesis backwards: that pattern tries every syllable as a
    start and scans on from it, which took 0.66 s for the 27,000 bullets of 5,400
    summaries (the glossary page reads them all); this takes 0.01 s."""
    found = []
    for match in _TERM.finditer(bullet):
        end = match.start()
        while end and bullet[end - 1].isspace():
            end -= 1
        start = end
        while start and ("가" <= bullet[start - 1] <= "힣" or bullet[start - 1] == " "):
            start -= 1
        korean = bullet[start:end].lstrip(" ")
        if korean:
            found.append((korean, match.group(1)))
    return found


def normal(text: str) -> str:
    """Lower case, hyphens as spaces, no plural ``s``: how terms are matched."""
    words = _WORD.findall(text.lower().replace("-", " "))
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    )


@dataclass(frozen=True)
class Entry:
    """One term: its preferred rendering, the ones to avoid (with why), a note, and the
    line it starts on."""

    term: str
    ko: str
    avoid: tuple[tuple[str, str], ...] = ()
    note: str | None = None
    line: int = 0

    @property
    def key(self) -> str:
        return normal(self.term)


#: What :meth:`Glossary.used_by` reads of a record: its title, keywords and summary.
Uses = tuple[str, tuple[str, ...], tuple[str, ...]]


def _phrases(title: str, keywords: tuple[str, ...], summary: tuple[str, ...]) -> set[str]:
    """What a glossary term may be in a record: the title's runs of one to four words,
    the keywords, the summary's terms in parentheses, each normalised."""
    found: set[str] = set()
    words = normal(title).split()
    for size in range(1, 5):
        found.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    found.update(normal(keyword) for keyword in keywords)
    found.update(normal(term) for term, _ in renderings(summary))
    return found


@dataclass(frozen=True)
class Glossary:
    """Every entry, in the file's order (none without a file)."""

    entries: tuple[Entry, ...] = ()
    problems: tuple[Problem, ...] = field(default=(), compare=False)
    #: The entries each record names, by what :meth:`used_by` reads of it. A build asks
    #: twice a paper (the glossary page, the search index), ``mkdocs serve`` at every
    #: rebuild (which keeps an unchanged glossary). Kept small: a record's phrases (the
    #: runs of its title's words) are not kept: at 30,000 papers they took 116 MB.
    _uses: dict[Uses, tuple[Entry, ...]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    @functools.cached_property
    def by_key(self) -> dict[str, Entry]:
        return {entry.key: entry for entry in self.entries}

    def used_by(self, paper: Paper) -> list[Entry]:
        """The entries a paper's record names: in its title (any run of one to four
        words), its keywords, or a summary's term in parentheses; in the file's order.
        (The English terms, not the Korean renderings: a rendering alone may mean
        something else, as 주의 does.)"""
        uses = (paper.title, tuple(paper.keywords), tuple(paper.summary))
        found = self._uses.get(uses)
        if found is None:
            by_key = self.by_key
            named = (by_key[phrase] for phrase in _phrases(*uses) if phrase in by_key)
            found = self._uses[uses] = tuple(sorted(named, key=lambda entry: entry.line))
        return list(found)

    def in_text(self, text: str) -> list[Entry]:
        """The entries whose term occurs in ``text`` (a paper's), in the file's order."""
        haystack = f" {normal(text)} "
        return [entry for entry in self.entries if f" {entry.key} " in haystack]

    def avoided_uses(self, bullets: Iterable[str]) -> list[tuple[Entry, str]]:
        """Where ``bullets`` write a glossary term with a rendering it avoids: the term
        in parentheses after the avoided rendering (``주의(attention)``)."""
        by_key = self.by_key
        found = []
        for bullet in bullets:
            for rendering, english in explained(bullet):
                entry = by_key.get(normal(english))
                if entry is None:
                    continue
                for avoided, _ in entry.avoid:
                    if rendering.strip().endswith(avoided):
                        found.append((entry, avoided))
        return found


def read_glossary(data_dir: Path, shown: str | None = None) -> Glossary:
    """The glossary of ``data_dir``; an empty one when there is no file. Problems (with
    ``file:line``) are in ``problems``; an entry with an error is left out."""
    path = data_dir / NAME
    if not path.is_file():
        return Glossary()
    where = shown or str(path)
    lines = Lines(where)
    try:
        data = parse(decode(path.read_bytes(), where), lines)
    except Unreadable as error:
        return Glossary(problems=(error.problem,))
    if not isinstance(data, list):
        return Glossary(problems=(lines.problem((), "must be a list of entries (- term: ...)"),))
    entries: list[Entry] = []
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, item in enumerate(data):
        entry = _entry(item, index, lines, problems)
        if entry is None:
            continue
        if entry.key in first:
            problems.append(
                lines.problem(
                    (index, "term"),
                    f"{entry.term!r} is already an entry (line {first[entry.key]})",
                )
            )
            continue
        first[entry.key] = entry.line
        entries.append(entry)
    return Glossary(tuple(entries), tuple(problems))


def _entry(item: object, index: int, lines: Lines, problems: list[Problem]) -> Entry | None:
    if not isinstance(item, dict):
        problems.append(lines.problem((index,), "must be a mapping with term and ko"))
        return None
    bad = len(problems)
    for key in item:
        if key not in _KEYS:
            problems.append(
                lines.problem((index, key), f"unknown key {key!r}; known: {', '.join(_KEYS)}")
            )

    def text(key: str, limit: int, required: bool) -> str | None:
        value = item.get(key)
        if value is None and not required:
            return None
        problem = _text_problem(value, limit)
        if problem:
            problems.append(lines.problem((index, key), problem))
            return None
        return str(value).strip()

    term, ko = text("term", MAX_CHARS, True), text("ko", MAX_CHARS, True)
    note = text("note", NOTE_CHARS, False)
    avoid: list[tuple[str, str]] = []
    raw = item.get("avoid")
    if raw is not None and not isinstance(raw, dict):
        problems.append(lines.problem((index, "avoid"), "must map each rendering to why"))
    for rendering, why in (raw or {}).items() if isinstance(raw, dict) else ():
        for value, limit in ((rendering, MAX_CHARS), (why, NOTE_CHARS)):
            if problem := _text_problem(value, limit):
                problems.append(lines.problem((index, "avoid", rendering), problem))
        avoid.append((str(rendering).strip(), str(why).strip()))
    if term and not normal(term):
        problems.append(lines.problem((index, "term"), "must hold a Latin letter or a digit"))
    if len(problems) > bad or term is None or ko is None:
        return None
    line = lines.get(index)
    return Entry(term, ko, tuple(avoid), note, line)


def _text_problem(value: object, limit: int) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return (
            "must not be empty"
            if value in (None, "") or isinstance(value, str)
            else (f"must be text, not {type(value).__name__}")
        )
    if "\n" in value.strip():
        return "must be one line"
    if len(value) > limit:
        return f"is {len(value):,} characters long; at most {limit:,}"
    return control_problem(value)


def renderings(bullets: Iterable[str]) -> list[tuple[str, str]]:
    """Each (English term, Korean rendering) a summary writes as ``렌더링(term)``: the
    Korean words right before the parentheses, as many as the term has words (at most
    two)."""
    found = []
    for bullet in bullets:
        for korean, english in explained(bullet):
            words = korean.split()
            count = min(max(len(english.split()), 1), 2)
            rendering = " ".join(words[-count:])
            term = " ".join(english.split())
            if rendering and term:
                found.append((term, rendering))
    return found


def suggest(summaries: Iterable[Sequence[str]]) -> dict[str, Counter[str]]:
    """The renderings the archive uses for each English term in parentheses, with how
    many summaries use each, by the term as first written (terms matched by
    :func:`normal`)."""
    shown: dict[str, str] = {}
    counts: dict[str, Counter[str]] = {}
    for bullets in summaries:
        for term, rendering in set(renderings(bullets)):
            key = normal(term)
            if not key:
                continue
            shown.setdefault(key, term)
            counts.setdefault(shown[key], Counter())[rendering] += 1
    return counts
