r"""A paper's BibTeX entry, as arXiv gives one: ``@misc`` with the title, the authors, the
year, ``eprint``, ``archivePrefix``, ``primaryClass`` and the address of its abstract.

One function makes every entry the site prints: the "cite" block of a paper's page (read
without script) and, through it, the reading list's export on ``me/``, which copies the
blocks of the papers it lists. The record's text is untrusted, so every character BibTeX
(or LaTeX, which typesets the fields) treats specially is escaped, control and format
characters (bidi overrides among them) are dropped, and a brace in the text becomes a
command (``\textbraceleft{}``): BibTeX counts braces without regard to backslashes, so
even an escaped one (``\}``) could close a field and open another.
"""

from __future__ import annotations

import re
import unicodedata

from generator.records.model import Paper
from generator.records.text import one_line

#: LaTeX's special characters and how a field writes them (one pass over the text, so a
#: replacement is never escaped again).
SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(character) for character in SPECIAL))
#: Words a citation key skips when it takes the title's first word, as arXiv's do.
_SKIPPED = frozenset({"a", "an", "the", "on", "of", "for", "and", "in", "to", "with", "towards"})
#: A name BibTeX would split or turn around ("Last, First"; "A and B" is two people).
_NAME_SPLITS = re.compile(r",|\band\b", re.IGNORECASE)


def escape(text: str) -> str:
    """``text`` as a BibTeX field's value: one line, no control or format characters,
    every special character escaped."""
    return _SPECIAL_RE.sub(lambda match: SPECIAL[match.group()], one_line(text))


#: Latin letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)


def _ascii_word(text: str) -> str:
    """``text``'s ASCII letters and digits, lower case (accents dropped: é is e, ø is o)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    folded = decomposed.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def year(paper: Paper) -> int:
    """The year arXiv would give: the paper's publication, else its id's (``2402.…``
    was submitted in 2024), else the day it was listed."""
    if paper.published is not None:
        return paper.published.year
    match = re.match(r"(\d{2})(\d{2})\.\d{4,5}", paper.id)
    if match and 1 <= int(match.group(2)) <= 12:
        return 2000 + int(match.group(1))
    return paper.date.year


def key(paper: Paper) -> str:
    """The entry's key as arXiv writes them: the first author's last name, the year and
    the title's first word (``vaswani2017attention``), in ASCII; a paper without an
    author or a title word in ASCII falls back to its id (``arxiv2402.08093``)."""
    words = [_ascii_word(word) for word in paper.title.split()]
    first = next((word for word in words if word and word not in _SKIPPED), "")
    names = paper.authors[0].split() if paper.authors else []
    last = _ascii_word(names[-1]) if names else ""
    if not last or not first:
        return f"arxiv{paper.id}"
    return f"{last}{year(paper)}{first}"


def _author(name: str) -> str:
    """An author for the ``author`` field; a name BibTeX would split is kept whole in
    braces (its own braces are escaped, so they stay balanced)."""
    escaped = escape(name)
    return f"{{{escaped}}}" if _NAME_SPLITS.search(escaped) else escaped


def entry(paper: Paper) -> str:
    """The paper's ``@misc`` entry, one field a line."""
    fields = [("title", escape(paper.title))]
    authors = [_author(name) for name in paper.authors if escape(name)]
    if authors:
        fields.append(("author", " and ".join(authors)))
    fields += [
        ("year", str(year(paper))),
        ("eprint", escape(paper.id)),
        ("archivePrefix", "arXiv"),
    ]
    if paper.primary_category:
        fields.append(("primaryClass", escape(paper.primary_category)))
    fields.append(("url", f"https://arxiv.org/abs/{escape(paper.id)}"))
    lines = [f"@misc{{{key(paper)},"]
    # Not indented: generated pages lose every line's indentation (see
    # postprocess.collapse_indentation), and BibTeX does not need it.
    lines += [f"{name}={{{value}}}," for name, value in fields]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join([*lines, "}"])
