"""A model's summary checked against the text it was made from, before it is written.

Two checks, each a short English problem per finding (kept in the record's
``summary_source.problems`` when the model's second answer still has them):

- **Numbers.** Every number in the summary must occur in the source. The ways numbers
  are written are made one first: thousands separators (``1,234``), a space before a
  percent sign (``47.8 %``), Korean and English multipliers (``37억`` and ``3.7B`` are
  3.7 billion, ``1만`` and ``10K`` ten thousand). Whole numbers up to 10 written alone
  are not checked: Korean counts ("2단계", "3가지") are the summary's own words.
- **Terms.** Every English term in parentheses after a Korean one (``주의(attention)``)
  must occur in the source, ignoring case, hyphens and a plural ``s``.

What this cannot catch: a number or term that is in the source but said of something
else, a wrong claim without numbers, a Korean rendering that means something else. The
README says so too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.records.glossary import normal

#: A number with what may follow it: a decimal part, a percent sign, a multiplier.
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%|[KkMBT](?![a-zA-Z])|천|만|억|조)?"
)
_MULTIPLIERS = {
    "K": 1e3,
    "k": 1e3,
    "M": 1e6,
    "B": 1e9,
    "T": 1e12,
    "천": 1e3,
    "만": 1e4,
    "억": 1e8,
    "조": 1e12,
}
#: An English term in parentheses: Latin letters inside, no nested parentheses.
_TERM = re.compile(r"\(([^()]*[A-Za-z][^()]*)\)")


def _values(text: str) -> Iterable[tuple[str, float, float]]:
    """Each number in ``text``: as written, its plain value, its value multiplied."""
    for match in _NUMBER.finditer(text):
        whole, decimal, unit = match.group(1), match.group(2) or "", match.group(3) or ""
        plain = float(whole.replace(",", "") + decimal)
        yield match.group().strip(), plain, plain * _MULTIPLIERS.get(unit, 1.0)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def number_problems(summary: Iterable[str], source: str) -> list[str]:
    """The summary's numbers that the source does not have (see the module)."""
    known = [value for _, plain, scaled in _values(source) for value in (plain, scaled)]
    problems = []
    for bullet in summary:
        for written, plain, scaled in _values(bullet):
            if scaled == plain and plain.is_integer() and plain <= 10:
                continue
            if not any(_same(scaled, value) for value in known):
                problems.append(f"number {written!r} is not in the paper")
    return list(dict.fromkeys(problems))


def term_problems(summary: Iterable[str], source: str) -> list[str]:
    """The English terms in parentheses that the source does not use."""
    haystack = f" {normal(source)} "
    problems = []
    for bullet in summary:
        for match in _TERM.finditer(bullet):
            for term in re.split(r"[,;/]", match.group(1)):
                written = normal(term)
                if written and f" {written} " not in haystack:
                    problems.append(f"term {term.strip()[:60]!r} is not in the paper")
    return list(dict.fromkeys(problems))


def problems(summary: Iterable[str], source: str) -> list[str]:
    """Everything in ``summary`` that ``source`` does not support, numbers first."""
    bullets = list(summary)
    return number_problems(bullets, source) + term_problems(bullets, source)
