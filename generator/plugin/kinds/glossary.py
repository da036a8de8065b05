"""The glossary page (``glossary/``, 용어집): every term of ``data/glossary.yaml`` with its
Korean rendering, the renderings to avoid and why, its note, how many papers name it
(their title, keywords or a summary's term in parentheses), and a link to search for
it; the search finds those papers by the term or by its rendering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import quote

from generator.plugin import layout
from generator.plugin.kinds.base import Links, Site, SitePage, View


@dataclass(frozen=True, eq=False)
class GlossaryPage(SitePage):
    kind: ClassVar[str] = "glossary"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[GlossaryPage]:
        t = site.t
        yield cls(layout.GLOSSARY, t.text("glossary_title"), t.text("glossary_description"))

    def view(self, site: Site, link: Links) -> View:
        glossary = site.glossary
        used = Counter(
            entry.key for paper in site.archive.papers for entry in glossary.used_by(paper)
        )
        search = link.page(layout.SEARCH) if layout.SEARCH in site.directory else None
        return site.view(
            "glossary.html",
            heading=self.title,
            entries=[
                (entry, used[entry.key], f"{search}?q={quote(entry.ko)}" if search else None)
                for entry in sorted(glossary.entries, key=lambda e: e.term.lower())
            ],
        )
