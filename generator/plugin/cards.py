"""A paper as the site shows it: the record turned into display values.

This is the one place where untrusted record values become things a template prints.
Text stays text (the templates autoescape it); every URL is checked again with
:func:`generator.records.urls.url_problem` and dropped when it is not an absolute http(s)
URL, so even a record that bypassed validation cannot smuggle ``javascript:`` or
``data:`` into an attribute. Summary bullets go through :mod:`generator.records.bullets`.
"""

from __future__ import annotations

import datetime as dt
import functools
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.plugin.authors import author_key, keyword_key
from generator.plugin.bibtex import entry as bibtex_entry
from generator.plugin.edit_links import EditLinks
from generator.plugin.messages import Messages
from generator.records.bullets import render_bullets
from generator.records.model import Paper, default_links
from generator.records.taxonomy import categories
from generator.records.text import paragraphs
from generator.records.urls import url_problem, video_type

#: Links shown next to the votes, in this order, with their labels' message keys or
#: names (the Hugging Face page is the title link).
LINK_LABELS = (("arxiv", None), ("pdf", None), ("github", "link_code"), ("project", "link_project"))
_LINK_NAMES = {"arxiv": "arXiv", "pdf": "PDF"}


def safe_url(url: str | None) -> str | None:
    """``url`` when it may appear in an attribute (absolute http(s)), otherwise None."""
    return url if url and url_problem(url) is None else None


def media_type(url: str, kind: str) -> str | None:
    """The MIME type a browser or feed reader needs, from the file extension."""
    if kind == "video":
        return video_type(url)
    return mimetypes.guess_type(urlsplit(url).path.lower())[0]


@dataclass(frozen=True)
class MediaItem:
    kind: str
    url: str
    mime: str | None


@dataclass(frozen=True)
class Card:
    """Everything a paper's card (and feed item) prints, already made safe."""

    id: str
    date: dt.date
    title: str
    url: str
    links: tuple[tuple[str, str], ...]
    votes: int | None
    comments: int | None
    authors: tuple[str, ...]
    folded: tuple[str, ...]
    #: The source path of each author's page (None for one without), for ``authors``
    #: then ``folded``.
    author_pages: tuple[str | None, ...]
    #: The record's author list is known to be cut short.
    authors_incomplete: bool
    #: The organization's Hugging Face name and display name, and its page's source path
    #: when it has a page of its own.
    organization: tuple[str, str] | None
    organization_page: str | None
    #: Its arXiv categories as topics: (code, name in the site's language, the source
    #: path of the topic's page), the primary first.
    topics: tuple[tuple[str, str, str | None], ...]
    media: MediaItem | None
    more_media: tuple[MediaItem, ...]
    poster: str | None
    summary: tuple[Markup, ...]
    source: str | None
    abstract: tuple[str, ...]
    provenance: str
    edit_url: str | None
    #: What the check against the paper found in a model's summary nobody has edited
    #: since (English, as the record keeps it): the summary awaits a review.
    review: tuple[str, ...] = ()
    #: What a reader may follow or mute it by: ``t:<category>`` and ``k:<keyword key>``
    #: (see .follows), each once.
    keys: tuple[str, ...] = ()
    #: Its BibTeX entry: printed on its own page, or on the card where papers have none
    #: (made with the card, which ``mkdocs serve`` keeps while the record is unchanged).
    bibtex: str = ""
    #: The summary's first bullet as plain text, its spaces collapsed ("" without a
    #: summary): what a paper's page is described by and an author's page lines. Made
    #: with the card, which ``mkdocs serve`` keeps while its record is unchanged
    #: (stripping 60,000 bullets of their tags took 0.7 s of every preview rebuild at
    #: 30,000 papers). A field, not a cached property: a second one besides ``image``
    #: gives each card a dictionary of its own (1.3 KB more a card, measured).
    lead: str = ""

    @functools.cached_property
    def image(self) -> MediaItem | None:
        """The picture standing for the paper: the thumbnail, else the first image (made
        once: every page listing the paper asks for it)."""
        if self.poster:
            return MediaItem("image", self.poster, media_type(self.poster, "image"))
        return self.media if self.media and self.media.kind == "image" else None


def abstract_paragraphs(abstract: str | None) -> tuple[str, ...]:
    """The abstract as unwrapped paragraphs (none without an abstract)."""
    return tuple(paragraphs(abstract).split("\n\n")) if abstract else ()


def _link_label(key: str, label: str | None, paper: Paper, t: Messages) -> str:
    """A link's label; the code link carries the repository's stars when known."""
    if label is None:
        return _LINK_NAMES[key]
    if key == "github" and paper.code_stars is not None:
        return t.text("link_code_stars", stars=f"{paper.code_stars:,}")
    return t.text(label)


def provenance(paper: Paper, t: Messages) -> str:
    """A short note on who wrote the summary (the English fallback has its own)."""
    source = paper.summary_source
    if not paper.summary or source is None or source.kind == "human":
        return ""
    if paper.summary_is_human:
        return t.text("summary_edited")
    if source.kind == "huggingface":
        return ""
    if source.kind == "imported":
        return t.text("summary_imported")
    return (
        t.text("summary_llm_model", model=source.model) if source.model else t.text("summary_llm")
    )


def topic_name(code: str, messages: Messages) -> str:
    """A category's name in the site's language (English where the table has none)."""
    category = categories().get(code)
    return category.name_in(messages.language) if category else code


@dataclass(frozen=True)
class CardSettings:
    """Everything besides the record that a card is made from: equal settings and an
    equal record make an equal card (``mkdocs serve`` keeps cards by comparing both)."""

    authors_shown: int
    edit: EditLinks | None
    messages: Messages
    #: The source path of each organization's and each topic's page, by name and code.
    org_pages: Mapping[str, str] = field(default_factory=dict)
    topic_pages: Mapping[str, str] = field(default_factory=dict)
    #: The source path of each author's page, by their key (see .authors).
    author_pages: Mapping[str, str] = field(default_factory=dict)


def make_card(paper: Paper, settings: CardSettings) -> Card:
    """The display values of one paper; nothing unsafe survives this step."""
    messages = settings.messages
    authors_shown = settings.authors_shown
    links = dict(default_links(paper.id))
    links.update(paper.links)
    media = [
        MediaItem(m.kind, m.url, media_type(m.url, m.kind))
        for m in paper.media
        if safe_url(m.url) and m.kind in ("image", "video")
    ]
    thumbnail = safe_url(paper.thumbnail)
    if not media and thumbnail:
        media = [MediaItem("image", thumbnail, media_type(thumbnail, "image"))]
    # Folding away a single author saves nothing; a "+1" would only cost a click.
    shown = authors_shown if len(paper.authors) > authors_shown + 1 else len(paper.authors)
    source = paper.summary_source.kind if paper.summary_source else None
    if source == "huggingface" and paper.summary_is_human:
        source = "human"
    summary = tuple(render_bullets(paper.summary))
    return Card(
        id=paper.id,
        date=paper.date,
        title=paper.title,
        url=safe_url(links.get("huggingface")) or default_links(paper.id)["huggingface"],
        links=tuple(
            (_link_label(key, label, paper, messages), url)
            for key, label in LINK_LABELS
            if (url := safe_url(links.get(key)))
        ),
        votes=paper.votes,
        comments=paper.comments,
        authors=tuple(paper.authors[:shown]),
        folded=tuple(paper.authors[shown:]),
        author_pages=tuple(settings.author_pages.get(author_key(name)) for name in paper.authors)
        if settings.author_pages
        else (None,) * len(paper.authors),
        authors_incomplete=paper.authors_incomplete,
        organization=(paper.organization.name, paper.organization.display_name)
        if paper.organization
        else None,
        organization_page=settings.org_pages.get(paper.organization.name)
        if paper.organization
        else None,
        topics=tuple(
            (code, topic_name(code, messages), settings.topic_pages.get(code))
            for code in paper.categories or ()
        ),
        media=media[0] if media else None,
        more_media=tuple(media[1:]),
        poster=thumbnail,
        summary=summary,
        source=source,
        # The abstract stands in for a missing summary only.
        abstract=abstract_paragraphs(paper.abstract) if not paper.summary else (),
        provenance=provenance(paper, messages),
        edit_url=settings.edit.record(paper) if settings.edit else None,
        review=review_problems(paper),
        keys=tuple(
            dict.fromkeys(
                [f"t:{code}" for code in paper.categories or ()]
                + [f"k:{key}" for word in paper.keywords if (key := keyword_key(word))]
            )
        ),
        bibtex=bibtex_entry(paper),
        lead=" ".join(summary[0].striptags().split()) if summary else "",
    )


def review_problems(paper: Paper) -> tuple[str, ...]:
    """The problems a model's summary was written with, while no person has edited it."""
    source = paper.summary_source
    if not paper.summary or source is None or paper.summary_is_human:
        return ()
    return tuple(source.problems)


class CardMaker:
    """Cards for one build, made once per paper (home, day page and feed share them);
    with ``keep`` (``mkdocs serve``), kept across rebuilds while the record and the card
    settings are equal. The settings are compared once a build, not once a card."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[Paper, Card]] = {}
        self._settings: CardSettings | None = None
        self._made: dict[str, Card] = {}
        self._keep = False

    def start(self, settings: CardSettings, *, keep: bool) -> None:
        """A new build with these settings."""
        if settings != self._settings:
            self._kept.clear()
            self._settings = settings
        self._made = {}
        self._keep = keep

    def card(self, paper: Paper) -> Card:
        """The card of ``paper`` in this build."""
        card = self._made.get(paper.id)
        if card is not None:
            return card
        kept = self._kept.get(paper.id) if self._keep else None
        if kept is not None and kept[0] == paper:
            card = kept[1]
        else:
            assert self._settings is not None, "cards are made once a build has started"
            card = make_card(paper, self._settings)
            if self._keep:
                self._kept[paper.id] = (paper, card)
        self._made[paper.id] = card
        return card
