"""A page per paper (``papers/2402.08093/``): the unit a reader finds, shares and cites.

Everything the record holds (the whole summary with who wrote it, the abstract, every
author, the organization, the links, the picture or video, the keywords, each with its
follow and mute buttons), its BibTeX entry, the days it was listed and its week, the
papers before and after it on its first day, and the head a link preview and a search
engine read: its own description and picture, ``og:type``
article and schema.org ``ScholarlyArticle`` JSON-LD. A paper listed on several days has
one page. Pages are rendered only as they are written (there is one per paper).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import layout
from generator.plugin.authors import keyword_key
from generator.plugin.cards import Card, abstract_paragraphs
from generator.plugin.frames import THIN_FRAME
from generator.plugin.kinds.base import Links, Site, SitePage, Target, View, shortened
from generator.plugin.kinds.topics import label as topic_label
from generator.plugin.related import Relation
from generator.plugin.search_index import PaperDocument, paper_document
from generator.records.model import Paper

#: A meta description is cut here (search engines show about this much).
DESCRIPTION_CHARS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
#: JSON-LD sits in a <script>: these must never appear as themselves inside it (their
#: JSON escapes are the same string to a JSON reader).
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def description(paper: Paper, card: Card) -> str:
    """The page's meta description: the first summary bullet (as text), else Hugging
    Face's summary, else the abstract's first sentence; cut to a search result's length."""
    if card.lead:
        text = card.lead
    elif paper.abstract:
        text = " ".join(_SENTENCE_END.split(paper.abstract.strip(), maxsplit=1)[0].split())
    else:
        text = " ".join(paper.title.split())
    return shortened(text, DESCRIPTION_CHARS)


@dataclass(frozen=True, kw_only=True)
class PaperPage(SitePage):
    """A paper's page. Pure (:attr:`SitePage.pure`): what it shows of the archive is in
    its fields, so a page equal to the one last written is the same page."""

    paper: Paper
    card: Card
    #: The papers before and after it on its first day.
    previous: Paper | None
    following: Paper | None
    #: Its first day's ISO week: (year, week).
    week: tuple[int, int]
    related: tuple[Relation, ...]

    kind: ClassVar[str] = "paper"
    deferred: ClassVar[bool] = True
    bulk: ClassVar[bool] = True
    pure: ClassVar[bool] = True
    preview_type: ClassVar[str] = "article"
    frame: ClassVar[str | None] = THIN_FRAME

    @classmethod
    def plan(cls, site: Site) -> Iterator[PaperPage]:
        if not site.paper_pages:
            return
        related = site.related
        seen: set[str] = set()
        # In the archive's order of papers (Archive.papers), each once, with its first day.
        for day in site.archive.days:
            week = site.archive.week_of(day)
            papers = day.papers
            for index, paper in enumerate(papers):
                if paper.date != day.date or paper.id in seen:
                    continue
                seen.add(paper.id)
                card = site.card(paper)
                yield cls(
                    layout.paper(paper.id),
                    paper.title,
                    description(paper, card),
                    paper=paper,
                    card=card,
                    previous=papers[index - 1] if index else None,
                    following=papers[index + 1] if index + 1 < len(papers) else None,
                    week=(week.year, week.week),
                    related=related.of(paper.id) if related else (),
                )

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        paper = self.paper
        year, week = self.week

        def target(other: Paper) -> Target:
            return Target(link.page(layout.paper(other.id)), other.title)

        return site.view(
            "paper.html",
            card=self.card,
            paper=paper,
            link=link,
            # The abstract, folded where a summary says the same in the site's language.
            abstract=abstract_paragraphs(paper.abstract),
            # Each with the key a reader follows or mutes it by (none for an empty one).
            keywords=[(word, keyword_key(word)) for word in paper.keywords],
            listed=[Target(link.day(date), t.date_short(date)) for date in paper.listed],
            week=Target(
                link.page(layout.week(year, week)),
                t.text("week_title", week=t.text("week_name", year=year, week=week)),
            ),
            related=[
                (
                    target(relation.paper),
                    t.date_short(relation.paper.date),
                    reason(site, relation.terms),
                )
                for relation in self.related
            ],
            previous=self.previous and target(self.previous),
            following=self.following and target(self.following),
            up=Target(link.day(paper.date, paper.id), t.date_short(paper.date)),
        )

    def anchors(self, site: Site) -> list[str]:
        return []

    def top_card(self, site: Site) -> Card:
        return self.card

    def lastmod(self, site: Site) -> dt.date | None:
        return self.paper.last_listed

    def sitemap_group(self) -> str:
        return f"papers-{self.paper.date.year:04d}"

    def edit_url(self, site: Site) -> str | None:
        return site.edit.record(self.paper) if site.edit else None

    def search_documents(self, site: Site) -> Iterable[PaperDocument]:
        yield paper_document(self.paper, self.card, site.directory.url(self.src_uri), site.glossary)

    def head(self, site: Site, page_url: str | None) -> str:
        """schema.org JSON-LD for the paper, safe inside its <script> element."""
        paper, card = self.paper, self.card
        image = card.image
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "ScholarlyArticle",
            "name": paper.title,
            "headline": paper.title[:110],
            "author": [{"@type": "Person", "name": name} for name in paper.authors],
            "datePublished": (paper.published or paper.date).isoformat(),
            "sameAs": [f"https://arxiv.org/abs/{paper.id}", card.url],
            "identifier": f"arXiv:{paper.id}",
            "inLanguage": _summary_language(paper, site.t.language),
        }
        if page_url:
            data["url"] = page_url
        if image:
            data["image"] = image.url
        if paper.keywords:
            data["keywords"] = ", ".join(paper.keywords)
        if paper.organization:
            data["sourceOrganization"] = {
                "@type": "Organization",
                "name": paper.organization.display_name,
                "url": f"https://huggingface.co/{paper.organization.name}",
            }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        for unsafe, escaped in _SCRIPT_UNSAFE:  # str.replace: str.translate is 10x slower
            text = text.replace(unsafe, escaped)
        return f'<script type="application/ld+json">{text}</script>'


def reason(site: Site, terms: tuple[str, ...]) -> str:
    """Why a paper is related, in the site's language: the terms both share, else the
    topic (an arXiv category, ``@cs.CL`` among the terms)."""
    words = [term for term in terms if not term.startswith("@")]
    if words:
        return site.t.text("related_terms", terms=", ".join(words))
    topics = [topic_label(site, term[1:]) for term in terms]
    return site.t.text("related_topic", topic=", ".join(topics)) if topics else ""


def _summary_language(paper: Paper, site_language: str) -> str:
    """The language of what the page says about the paper: its summary's, else English
    (Hugging Face's summary or the abstract)."""
    source = paper.summary_source
    if paper.summary and source is not None and source.language:
        return source.language
    if paper.summary and (source is None or source.kind in ("human", "imported")):
        return site_language
    return "en"
