"""Authors as the site groups them: one author per name, however the name is written.

Records name authors by name only, so names are what the site matches: two spellings are
one author when they differ only in Unicode form (a precomposed ``é`` or ``e`` with a
combining accent, fullwidth letters), in case or in spacing (:func:`author_key`). Two
people who publish under one name share a page; one person who signs two ways ("Jun-Yan
Zhu", "Junyan Zhu") gets two. The page shows the spelling most of their papers use.

An author with at least ``minimum`` papers gets a page at ``authors/<slug>/``. The slug
is the name in lower-case ASCII (accents dropped, anything else a hyphen), so it reads
as the name; a name with no Latin letters gets ``author-`` and a short hash of its key.
Two authors whose names make the same slug both get pages: the one whose page came first
(the day of their ``minimum``-th paper, then the key) keeps the slug, the next gets
``-2``, and so on, so a slug never moves to another author as the archive grows.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.records.model import ORGANIZATION_NAME_RE, Paper

#: A slug is cut to this many characters (at a hyphen where one is near the end).
SLUG_CHARS = 60
_HYPHENS = re.compile(r"-+")


@functools.lru_cache(maxsize=1 << 18)
def author_key(name: str) -> str:
    """What two spellings of one name share: NFKC, no control or format characters,
    runs of spaces as one, lower case. Empty for a name with nothing else."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(char for char in text if unicodedata.category(char)[0] != "C")
    return " ".join(text.split()).lower()


def keyword_key(keyword: str) -> str:
    """A keyword as follows and mutes match it: as names are matched (Unicode form, case
    and spacing aside)."""
    return author_key(keyword)


def slug_of(key: str) -> str:
    """The readable part of an author's address (see the module's docstring)."""
    decomposed = unicodedata.normalize("NFKD", key)
    letters = "".join(
        char if char.isascii() and char.isalnum() else "-"
        for char in decomposed
        if not unicodedata.combining(char)
    )
    slug = _HYPHENS.sub("-", letters).strip("-")
    if sum(char.isalpha() for char in slug) < 2:
        return "author-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    if len(slug) > SLUG_CHARS:
        cut = slug[:SLUG_CHARS]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[SLUG_CHARS // 2 :] else cut
    return slug


@dataclass(frozen=True)
class AuthorPapers:
    """One author with a page: their key, the name shown, their slug and their papers,
    newest first."""

    key: str
    name: str
    slug: str
    papers: tuple[Paper, ...]
    #: Their Hugging Face account, as the newest of their papers that names one gives it.
    account: str | None = None


@dataclass(frozen=True)
class Authors:
    """The archive's authors: how many papers each name has, and the authors with a
    page, most papers first (ties by name)."""

    counts: Mapping[str, int]
    pages: tuple[AuthorPapers, ...]
    minimum: int
    #: Each paper's authors' keys as :func:`paper_keys` gives them, by paper id (made
    #: once; the keys alone, which the names' cache shares: 8 bytes an author on 30,000
    #: papers, where (key, name) pairs took 80).
    keys: Mapping[str, tuple[str, ...]]

    @functools.cached_property
    def by_key(self) -> dict[str, AuthorPapers]:
        """Each author with a page, by key (made once: every card and page asks)."""
        return {author.key: author for author in self.pages}


def paper_keys(paper: Paper) -> list[tuple[str, str]]:
    """Each author of ``paper`` once, as (key, name as written), in the paper's order;
    names with an empty key are left out."""
    seen: set[str] = set()
    found = []
    for name in paper.authors:
        key = author_key(name)
        if key and key not in seen:
            seen.add(key)
            found.append((key, name))
    return found


def find_authors(papers: Iterable[Paper], minimum: int) -> Authors:
    """Every author of ``papers`` (each paper once) counted, and a page for each with at
    least ``minimum`` papers."""
    counts: Counter[str] = Counter()
    listed: dict[str, list[tuple[Paper, str]]] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for paper in papers:
        found = paper_keys(paper)
        keys[paper.id] = tuple(key for key, _ in found)
        for key, name in found:
            counts[key] += 1
            listed.setdefault(key, []).append((paper, name))
    chosen = []
    for key, entries in listed.items():
        if len(entries) < minimum:
            continue
        entries.sort(key=lambda entry: (entry[0].date, entry[0].id))
        # The spelling most papers use (spacing and Unicode form aside); among equals,
        # the newest paper's.
        written = [" ".join(unicodedata.normalize("NFC", name).split()) for _, name in entries]
        spellings = Counter(written)
        newest = {name: index for index, name in enumerate(written)}
        name = max(spellings, key=lambda spelling: (spellings[spelling], newest[spelling]))
        # Checked again as validation checks it: it becomes a link.
        account = next(
            (
                account
                for paper, spelled in reversed(entries)
                if (account := paper.author_accounts.get(spelled))
                and ORGANIZATION_NAME_RE.fullmatch(account)
            ),
            None,
        )
        chosen.append((entries[minimum - 1][0].date, key, name, entries, account))
    taken: set[str] = set()
    pages = []
    for _, key, name, entries, account in sorted(chosen, key=lambda found: (found[0], found[1])):
        base = slug_of(key)
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        newest_first = tuple(paper for paper, _ in reversed(entries))
        pages.append(AuthorPapers(key, name, slug, newest_first, account))
    pages.sort(key=lambda author: (-len(author.papers), author.key))
    return Authors(counts, tuple(pages), minimum, keys)
