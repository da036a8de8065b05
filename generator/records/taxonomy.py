"""arXiv's categories (``cs.CL``, ``stat.ML``...): the codes a record's ``categories`` may
hold, with their names, from the table shipped beside this module
(``arxiv_categories.yml``: code, English name, Korean name where the site shows one).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

import yaml

#: How many categories a record may list (arXiv papers list one to a handful).
MAX_CATEGORIES = 20


@dataclass(frozen=True)
class Category:
    """One arXiv category: its code, its English name and names in other languages."""

    code: str
    name: str
    names: dict[str, str] = field(default_factory=dict)

    @property
    def group(self) -> str:
        """Its archive: ``cs`` for ``cs.CL``, ``cond-mat`` for ``cond-mat.soft``."""
        return self.code.split(".", 1)[0]

    def name_in(self, language: str) -> str:
        """Its name in ``language`` where the table has one, else in English."""
        return self.names.get(language.split("-")[0].lower(), self.name)


@functools.cache
def categories() -> dict[str, Category]:
    """Every category by code, in the table's order (read once per process)."""
    path = resources.files("generator.records") / "arxiv_categories.yml"
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        str(code): Category(
            str(code),
            str(names["en"]),
            {str(k): str(v) for k, v in names.items() if k != "en"},
        )
        for code, names in table.items()
    }


def category_problem(code: object) -> str | None:
    """Why ``code`` is not an arXiv category code, or None."""
    if not isinstance(code, str):
        return f"must be an arXiv category code like cs.CL, not {type(code).__name__}"
    if code not in categories():
        return (
            f"{code!r} is not an arXiv category (the codes are those of "
            "arxiv.org/category_taxonomy)"
        )
    return None
