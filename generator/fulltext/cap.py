"""How much of a paper the model reads: at most :data:`MAX_CHARS` characters of it.

A paper's text is often 40,000 to 100,000 characters, more than a summary needs and more
than a small local model takes. What is sent, in the paper's order:

1. the title and the abstract, always;
2. the sections that report results (a heading with "result", "experiment",
   "evaluation", "benchmark", "ablation", "performance" or "comparison"), whole, up to
   half of the room: they hold the figures a summary should quote;
3. the other sections from the start (introduction, method...), as far as the room
   goes, the last one cut at a paragraph; appendices only if everything else fits.

A PDF's text has no marked sections: a line that reads as a numbered heading
("4 Experiments", "4.2 Results on ImageNet") starts one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.fulltext.latexml import Document, Section
from generator.records.text import paragraphs

#: The characters of a paper sent to the model at most (about 8,000 tokens of English).
MAX_CHARS = 32_000
_RESULTS = re.compile(
    r"result|experiment|evaluation|benchmark|ablation|performance|comparison", re.I
)
_APPENDIX = re.compile(r"^\s*(?:appendix|[A-H](?:\.\d+)*\s)", re.I)
#: A numbered heading on a line of its own in a PDF's text.
_PDF_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,2}\.?)\s+[A-Z][^\n]{2,80}$", re.M)


def sections_of_text(text: str) -> list[Section]:
    """A PDF's text cut into sections at its numbered headings (one untitled section
    before the first)."""
    sections = [Section("")]
    position = 0
    for match in _PDF_HEADING.finditer(text):
        sections[-1].blocks.extend(_paragraphs(text[position : match.start()]))
        sections.append(Section(match.group().strip()))
        position = match.end()
    sections[-1].blocks.extend(_paragraphs(text[position:]))
    return [section for section in sections if section.title or section.blocks]


def _paragraphs(text: str) -> list[str]:
    return [part for part in paragraphs(text).split("\n\n") if part]


def capped(document: Document, limit: int = MAX_CHARS) -> str:
    """The text of ``document`` the model reads (see the module's docstring)."""
    head = "\n\n".join(part for part in (document.title, document.abstract) if part)
    sections = document.sections
    room = limit - len(head)
    chosen: dict[int, list[str]] = {}
    results = [i for i, s in enumerate(sections) if _RESULTS.search(s.title)]
    room -= _take(sections, results, chosen, room // 2)
    others = [i for i in range(len(sections)) if i not in chosen]
    body = [i for i in others if not _APPENDIX.match(sections[i].title)]
    room -= _take(sections, body, chosen, room)
    _take(sections, [i for i in others if i not in body], chosen, room)
    parts = [head] if head else []
    for index in sorted(chosen):
        parts.append("\n\n".join(part for part in (sections[index].title, *chosen[index]) if part))
    return "\n\n".join(parts)[:limit]


def _take(
    sections: Sequence[Section], order: list[int], chosen: dict[int, list[str]], room: int
) -> int:
    """Sections in ``order`` into ``chosen``, paragraph by paragraph, within ``room``
    characters (separators counted); stops at the first that does not fit whole.
    Returns the characters taken."""
    left = room
    for index in order:
        section = sections[index]
        cost = len(section.title) + 2
        if cost > left:
            break
        taken: list[str] = []
        left -= cost
        for block in section.blocks:
            if len(block) + 2 > left:
                break
            taken.append(block)
            left -= len(block) + 2
        if section.blocks and not taken:  # a heading alone says nothing
            left += cost
            break
        chosen[index] = taken
        if len(taken) < len(section.blocks):
            break
    return room - left
