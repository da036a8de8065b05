"""Mapping the Hugging Face ``daily_papers`` API to records: pure, no I/O.

The API's shape changed over the years (singular ``mediaUrl`` in 2024, ``mediaUrls`` and
``thumbnail`` later, ``ai_summary`` and ``githubRepo`` later still), so every field is
optional here except the paper id and title. A field that is present with the wrong type
is an error rather than silently skipped: it means the API changed, and a person should
look before records are rewritten from a misread answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

from generator.records.bullets import bullet_problem
from generator.records.model import (
    ARXIV_ID_RE,
    ORGANIZATION_NAME_RE,
    Media,
    Organization,
    Paper,
    SummarySource,
    default_links,
    media_kind,
    summary_fingerprint,
)
from generator.records.rules import FIELDS_BY_KEY
from generator.records.text import excerpt, one_line, paragraphs, type_name
from generator.records.urls import resolve_url, url_problem

#: The 2024 responses gave only ``mediaUrl``, and it was the generated social card, the
#: same picture later responses call ``thumbnail``; it is a poster, not paper media.
_SOCIAL_THUMBNAIL_RE = re.compile(r"^https://cdn-thumbnails\.huggingface\.co/social-thumbnails/")
_DATE_PREFIX_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _limit(key: str, kind: str = "max_chars") -> int:
    """A field's limit in the record contract (answers are capped to fit it)."""
    return FIELDS_BY_KEY[key].limits[kind]


class ApiFormatError(ValueError):
    """An API answer we cannot map; the message names the date and the item."""

    def __init__(self, date: dt.date, detail: str) -> None:
        super().__init__(f"{date}: {detail}")
        self.date = date
        #: The message without the date, for output that already leads with it.
        self.detail = detail


@dataclass
class Day:
    """One date's papers as the API lists them, plus notes on what was dropped."""

    papers: list[Paper] = field(default_factory=list)
    #: Things a person may want to know (an unsafe URL left out), one line each.
    warnings: list[str] = field(default_factory=list)


def parse_day(items: object, date: dt.date) -> Day:
    """Map a date's decoded JSON answer (all pages joined) to papers, in the API's order.

    A paper listed twice (pages overlap when the list changes while we page) is kept once.
    """
    day = Day()
    seen: set[str] = set()
    for position, item in enumerate(item_list(items, date), start=1):
        paper = _Item(item, date, position, day.warnings).paper()
        if paper.id not in seen:
            seen.add(paper.id)
            day.papers.append(paper)
    return day


def item_list(answer: object, date: dt.date) -> list[Any]:
    """The answer (one page or all pages joined) if it is a list, else a clear error."""
    if isinstance(answer, list):
        return answer
    if isinstance(answer, dict) and isinstance(answer.get("error"), str):
        raise ApiFormatError(
            date,
            f"the API answered with an error instead of a list: {_short(answer['error'], 200)}",
        )
    raise ApiFormatError(date, f"the API answer must be a list of papers, not {type_name(answer)}")


def item_id(item: object) -> str | None:
    """The paper id of one raw item, or None; used to notice repeated pages while paging."""
    if isinstance(item, dict) and isinstance(item.get("paper"), dict):
        value = item["paper"].get("id")
        return value.strip() if isinstance(value, str) else None
    return None


class _Item:
    """One list item being mapped; errors and warnings name the date and the item."""

    def __init__(self, item: object, date: dt.date, position: int, warnings: list[str]):
        self.date = date
        self.position = position
        self.where = f"item {position}"
        self.warnings = warnings
        if not isinstance(item, dict):
            self.fail(f"must be an object, not {type_name(item)}")
        self.item: dict[str, Any] = item
        paper = item.get("paper")
        if paper is None:
            paper = {}
        elif not isinstance(paper, dict):
            self.fail(f"paper must be an object, not {type_name(paper)}")
        self.data: dict[str, Any] = paper

    def fail(self, message: str) -> NoReturn:
        raise ApiFormatError(self.date, f"{self.where}: {message}")

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.date}: {self.where}: {message}")

    def get(self, key: str, kind: type | tuple[type, ...], *, top: bool = False) -> Any:
        """``paper.<key>`` (or the item's own ``<key>``), None when absent or null."""
        source, prefix = (self.item, "") if top else (self.data, "paper.")
        value = source.get(key)
        if value is None:
            return None
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            self.fail(f"{prefix}{key} must not be a boolean ({value!r})")
        if not isinstance(value, kind):
            self.fail(f"{prefix}{key} has the wrong type: {type_name(value)} ({_short(value)})")
        return value

    def paper(self) -> Paper:
        paper_id = self.get("id", str)
        if not paper_id or not paper_id.strip():
            self.fail("has no paper.id")
        paper_id = paper_id.strip()
        if not ARXIV_ID_RE.fullmatch(paper_id):
            self.fail(f"paper.id {paper_id!r} is not an arXiv id like 2402.08093")
        self.where = f"item {self.position} ({paper_id})"

        title = one_line(self.get("title", str) or self.get("title", str, top=True) or "")
        if not title:
            self.fail("has no title")
        if len(title) > _limit("title"):
            self.fail(
                f"paper.title is {len(title):,} characters long; a record holds at most "
                f"{_limit('title'):,}"
            )
        summary, source = self.huggingface_summary()
        abstract = paragraphs(self.get("summary", str) or "") or None
        if abstract and len(abstract) > _limit("abstract"):
            self.warn(
                f"paper.summary (the abstract) left out: it is {len(abstract):,} "
                f"characters long; a record holds at most {_limit('abstract'):,}"
            )
            abstract = None
        thumbnail, media = self.thumbnail_and_media()
        authors, accounts = self.authors()
        most = _limit("authors", "max_items")
        cut = len(authors) > most
        if cut:
            # Capped and marked, as keywords are: one paper's list must not fail its day.
            self.warn(
                f"paper.authors: only the first {most:,} of {len(authors):,} names kept; "
                "the record says its list is incomplete"
            )
            del authors[most:]
            accounts = {name: user for name, user in accounts.items() if name in authors}
        return Paper(
            id=paper_id,
            date=self.date,
            title=title,
            authors=authors,
            authors_incomplete=cut,
            author_accounts=accounts,
            votes=self.count("upvotes"),
            summary=summary,
            comments=self.count("numComments", top=True),
            published=self.published(),
            summary_source=source,
            links=self.links(paper_id),
            thumbnail=thumbnail,
            media=media,
            keywords=self.keywords(),
            abstract=abstract,
            organization=self.organization(),
            code_stars=self.count("githubStars"),
        )

    def count(self, key: str, *, top: bool = False) -> int | None:
        value: int | None = self.get(key, int, top=top)
        if value is not None and value < 0:
            self.fail(f"{'' if top else 'paper.'}{key} must not be negative ({value})")
        return value

    def authors(self) -> tuple[list[str], dict[str, str]]:
        """Names in the paper's order, and the Hugging Face account of each author the
        API links to one (``authors[].user.user``; a malformed one is left out with a
        warning). ``hidden`` only hides the paper from a user's profile on Hugging Face;
        the person is still an author, so they are kept."""
        names: list[str] = []
        accounts: dict[str, str] = {}
        for index, author in enumerate(self.get("authors", list) or []):
            name: str | None
            if isinstance(author, str):
                name = author
            elif isinstance(author, dict):
                name = author.get("name")
                if name is not None and not isinstance(name, str):
                    self.fail(f"paper.authors[{index}].name has the wrong type: {type_name(name)}")
            else:
                self.fail(f"paper.authors[{index}] must be an object, not {type_name(author)}")
            name = one_line(name or "")
            if len(name) > _limit("authors"):
                self.warn(
                    f"paper.authors[{index}]: a name of {len(name):,} characters cut to "
                    f"{_limit('authors'):,}"
                )
                name = name[: _limit("authors") - 1].rstrip() + "…"
            if name:
                names.append(name)
                account = self.account(index, author)
                if account:
                    accounts.setdefault(name, account)
        return names, accounts

    def account(self, index: int, author: object) -> str | None:
        """The Hugging Face user name the API gives an author, when it is one."""
        user = author.get("user") if isinstance(author, dict) else None
        name = user.get("user") if isinstance(user, dict) else None
        if name is None:
            return None
        if not isinstance(name, str) or not ORGANIZATION_NAME_RE.fullmatch(name):
            shown = _short(repr(name))
            self.warn(f"paper.authors[{index}].user.user left out: not a user name: {shown}")
            return None
        return name

    def published(self) -> dt.date | None:
        """The arXiv publication date: the UTC date part of ``paper.publishedAt``."""
        value = self.get("publishedAt", str)
        if value is None:
            return None
        if _DATE_PREFIX_RE.match(value):
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                pass
        self.fail(f"paper.publishedAt is not a date: {_short(value)}")

    def url(self, value: str, what: str) -> str | None:
        """An absolute, safe URL, or None (with a warning) for anything else."""
        url = resolve_url(value)
        if not url:
            return None
        problem = url_problem(url)
        if problem:
            self.warn(f"{what} left out: {problem}")
            return None
        return url

    def url_list(self, key: str, *, top: bool) -> list[str]:
        values = self.get(key, list, top=top) or []
        prefix = "" if top else "paper."
        for index, value in enumerate(values):
            if not isinstance(value, str):
                self.fail(f"{prefix}{key}[{index}] must be a URL string, not {type_name(value)}")
        return values

    def thumbnail_and_media(self) -> tuple[str | None, list[Media]]:
        thumbnail_raw = self.get("thumbnail", str, top=True)
        thumbnail = self.url(thumbnail_raw, "thumbnail") if thumbnail_raw else None
        candidates = self.url_list("mediaUrls", top=True) + self.url_list("mediaUrls", top=False)
        legacy = self.get("mediaUrl", str, top=True)
        if legacy:
            resolved = resolve_url(legacy)
            if _SOCIAL_THUMBNAIL_RE.match(resolved):
                thumbnail = thumbnail or self.url(legacy, "thumbnail")
            else:
                candidates.append(legacy)
        media: list[Media] = []
        seen = {thumbnail}
        for raw in candidates:
            url = self.url(raw, "media URL")
            if url is not None and url not in seen:
                seen.add(url)
                media.append(Media(kind=media_kind(url), url=url))
        return thumbnail, media

    def links(self, paper_id: str) -> dict[str, str]:
        """Hugging Face, arXiv and PDF always; GitHub and project page when given.

        A project page that only repeats another link (the paper's own Hugging Face page
        or its GitHub repository, both seen in real answers) is left out.
        """
        links = default_links(paper_id)
        for key, api_key in (("github", "githubRepo"), ("project", "projectPage")):
            raw = self.get(api_key, str)
            url = self.url(raw, f"paper.{api_key}") if raw and raw.strip() else None
            if url and url.rstrip("/") not in {u.rstrip("/") for u in links.values()}:
                links[key] = url
        return links

    def organization(self) -> Organization | None:
        """``paper.organization``: the lab Hugging Face lists the paper under, if any."""
        value = self.get("organization", dict)
        if not value:
            return None
        name, shown = value.get("name"), value.get("fullname")
        if not isinstance(name, str) or not ORGANIZATION_NAME_RE.fullmatch(name):
            self.warn(
                f"paper.organization left out: its name {_short(name)} is not a "
                "Hugging Face organization name"
            )
            return None
        display = one_line(shown) if isinstance(shown, str) else ""
        return Organization(name=name, display_name=(display or name)[: _limit("organization")])

    def keywords(self) -> list[str]:
        keywords: list[str] = []
        for index, value in enumerate(self.get("ai_keywords", list) or []):
            if not isinstance(value, str):
                self.fail(f"paper.ai_keywords[{index}] must be a string, not {type_name(value)}")
            keyword = one_line(value)
            if keyword and keyword not in keywords and len(keyword) <= _limit("keywords"):
                keywords.append(keyword)
        if len(keywords) > _limit("keywords", "max_items"):
            self.warn(
                f"paper.ai_keywords: only the first {_limit('keywords', 'max_items')} of "
                f"{len(keywords)} kept"
            )
            del keywords[_limit("keywords", "max_items") :]
        return keywords

    def huggingface_summary(self) -> tuple[list[str], SummarySource | None]:
        """The API's English ``ai_summary`` as a one-bullet fallback summary, if usable.

        Whether it is used is the merge's decision (only when no better summary exists);
        a text the site could not publish safely is not offered at all.
        """
        text = one_line(self.get("ai_summary", str) or "")
        if not text:
            return [], None
        problem = bullet_problem(text)
        if len(text) > _limit("summary"):
            problem = (
                f"it is {len(text):,} characters long; a bullet holds at most {_limit('summary'):,}"
            )
        if problem:
            self.warn(f"paper.ai_summary not used: {problem}")
            return [], None
        summary = [text]
        source = SummarySource(
            kind="huggingface",
            model=one_line(self.get("ai_summary_model", str) or "") or None,
            language="en",
            fingerprint=summary_fingerprint(summary),
        )
        return summary, source


def _short(value: object, limit: int = 60) -> str:
    return excerpt(repr(value), limit)
