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

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.records.model import ORGANIZATION_NAME_RE, Paper

#: A slug is cut to this many characters (at a hyphen where one is near the end).
SLUG_CHARS = 60
#: How many co-authors an author's page names at most.
COAUTHORS = 10
#: Co-authors are counted on papers with at most this many authors: on a collaboration's
#: paper of hundreds of names, writing together says little (and counting it costs most).
COAUTHOR_LIST = 50
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
    #: Who they wrote most papers with (:func:`co_authors`): (key, name, papers together).
    coauthors: tuple[CoAuthor, ...] = ()


@dataclass(frozen=True)
class Authors:
    """The archive's authors: how many papers each name has, and the authors with a
    page, most papers first (ties by name)."""

    counts: Mapping[str, int]
    pages: tuple[AuthorPapers, ...]
    minimum: int
    #: Each paper's authors' keys as :func:`name_keys` gives them, by paper id (made
    #: once; the keys alone, which the names' cache shares: 8 bytes an author on 30,000
    #: papers, where (key, name) pairs took 80).
    keys: Mapping[str, tuple[str, ...]]

    @functools.cached_property
    def by_key(self) -> dict[str, AuthorPapers]:
        """Each author with a page, by key (made once: every card and page asks)."""
        return {author.key: author for author in self.pages}


def name_keys(names: Iterable[str]) -> list[tuple[str, str]]:
    """Each of ``names`` once, as (key, name as written), in their order; names with an
    empty key are left out."""
    seen: set[str] = set()
    found = []
    for name in names:
        key = author_key(name)
        if key and key not in seen:
            seen.add(key)
            found.append((key, name))
    return found


@dataclass(frozen=True, slots=True)
class Byline:
    """What a record says of its authors: all that the authors are counted from (the
    pages themselves then list the records)."""

    id: str
    date: dt.date
    authors: tuple[str, ...]
    accounts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, paper: Paper) -> Byline:
        return cls(paper.id, paper.date, tuple(paper.authors), tuple(paper.author_accounts.items()))

    def account(self, name: str) -> str | None:
        """The Hub account the record gives for ``name``, if any."""
        return next((account for spelled, account in self.accounts if spelled == name), None)


#: A co-author as an author's page names them: key, name, papers together.
CoAuthor = tuple[str, str, int]


@dataclass(frozen=True)
class CountedPage:
    """An author with a page as counted from bylines: their papers by id, newest first."""

    key: str
    name: str
    slug: str
    ids: tuple[str, ...]
    account: str | None
    coauthors: tuple[CoAuthor, ...]


@dataclass(frozen=True)
class Counted:
    """The authors as counted from bylines: :class:`Authors` with paper ids for papers."""

    counts: Mapping[str, int]
    #: Each author with a page, most papers first (ties by key).
    pages: tuple[CountedPage, ...]
    minimum: int
    keys: Mapping[str, tuple[str, ...]]

    def bound_to(self, papers: Iterable[Paper]) -> Authors:
        """The authors with the records of ``papers`` (those the bylines were read from,
        or records equal in their bylines)."""
        by_id = {paper.id: paper for paper in papers}
        pages = tuple(
            AuthorPapers(
                page.key,
                page.name,
                page.slug,
                tuple(by_id[i] for i in page.ids),
                page.account,
                page.coauthors,
            )
            for page in self.pages
        )
        return Authors(self.counts, pages, self.minimum, self.keys)


def find_authors(papers: Sequence[Paper], minimum: int) -> Authors:
    """Every author of ``papers`` (each paper once) counted, and a page for each with at
    least ``minimum`` papers."""
    return count_authors([Byline.of(paper) for paper in papers], minimum).bound_to(papers)


def count_authors(bylines: Iterable[Byline], minimum: int) -> Counted:
    """Every author of ``bylines`` (each paper once) counted, and a page for each with at
    least ``minimum`` papers."""
    counts: Counter[str] = Counter()
    listed: dict[str, list[tuple[Byline, str]]] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for byline in bylines:
        found = name_keys(byline.authors)
        keys[byline.id] = tuple(key for key, _ in found)
        for key, name in found:
            counts[key] += 1
            listed.setdefault(key, []).append((byline, name))
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
                for byline, spelled in reversed(entries)
                if (account := byline.account(spelled)) and ORGANIZATION_NAME_RE.fullmatch(account)
            ),
            None,
        )
        chosen.append((entries[minimum - 1][0].date, key, name, entries, account))
    taken: set[str] = set()
    named = {key: name for _, key, name, _, _ in chosen}
    pages = []
    for _, key, name, entries, account in sorted(chosen, key=lambda found: (found[0], found[1])):
        base = slug_of(key)
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        newest_first = [byline for byline, _ in reversed(entries)]
        pages.append(
            CountedPage(
                key,
                name,
                slug,
                tuple(byline.id for byline in newest_first),
                account,
                co_authors(key, newest_first, keys, named),
            )
        )
    pages.sort(key=lambda page: (-len(page.ids), page.key))
    return Counted(counts, tuple(pages), minimum, keys)


def co_authors(
    key: str,
    bylines: Sequence[Byline],
    keys: Mapping[str, tuple[str, ...]],
    named: Mapping[str, str],
) -> tuple[CoAuthor, ...]:
    """Who the author ``key`` wrote most papers with (``bylines``: theirs, newest first),
    on papers of at most :data:`COAUTHOR_LIST` authors, most first (ties by key): named
    as their own page names them (``named``), else as the newest paper together writes
    the name.

    Counted with the authors, from bylines alone, so ``mkdocs serve`` keeps them while
    no byline changes: at 30,000 papers the counting takes about 2 CPU s (an author's
    papers times their authors: four million keys).
    """
    counted = [keys[byline.id] for byline in bylines]
    together: Counter[str] = Counter()
    for found in counted:
        if len(found) <= COAUTHOR_LIST:
            together.update(found)  # counted in C
    together.pop(key, None)
    chosen = []
    for other, count in most(together, COAUTHORS):
        name = named.get(other)
        if name is None:  # the few named without a page: their newest paper's spelling
            newest = next(
                byline
                for byline, found in zip(bylines, counted, strict=True)
                if len(found) <= COAUTHOR_LIST and other in found
            )
            name = next(spelled for k, spelled in name_keys(newest.authors) if k == other)
        chosen.append((other, name, count))
    return tuple(chosen)


def most(counts: Mapping[str, int], n: int) -> list[tuple[str, int]]:
    """The ``n`` keys with the highest counts, most first, ties by key.

    Sorting every (key, count) pair by a Python key function cost a third of
    :func:`co_authors`; here the counts alone are sorted (in C), and only the pairs at or
    above the ``n``-th count are ordered.
    """
    if len(counts) > n:
        floor = sorted(counts.values(), reverse=True)[n - 1]
        above = [(-count, key) for key, count in counts.items() if count > floor]
        tied = sorted(key for key, count in counts.items() if count == floor)
        ranked = sorted(above) + [(-floor, key) for key in tied[: n - len(above)]]
    else:
        ranked = sorted((-count, key) for key, count in counts.items())
    return [(key, -negative) for negative, key in ranked]


class AuthorsCache:
    """What ``mkdocs serve`` keeps of the authors between rebuilds: the last count, with
    the bylines it was made from.

    The count reads the records' bylines alone (:func:`count_authors` is given nothing
    else), so a rebuild whose bylines are all equal (an edit of anything but a record's
    id, day, authors or accounts: a title, a summary, votes) takes the last count, bound
    to this rebuild's records. Counting 30,000 papers' authors again took about 4 CPU s
    of every preview rebuild (``bench/parts.py``).
    """

    def __init__(self) -> None:
        self._last: tuple[list[Byline], Counted] | None = None
        #: The last rebuild's authors with a page, by key: where one equals this
        #: rebuild's, this rebuild takes it, so the pages kept whole under --dirty
        #: (.memo) and this rebuild hold one object, not two.
        self._authors: dict[str, AuthorPapers] = {}

    def find(self, papers: Sequence[Paper], minimum: int, *, keep: bool) -> Authors:
        """The authors of ``papers``; with ``keep`` (``mkdocs serve``), kept for the next
        rebuild (a build lets them go)."""
        bylines = [Byline.of(paper) for paper in papers]
        last = self._last
        if last is not None and last[1].minimum == minimum and last[0] == bylines:
            counted = last[1]
        else:
            counted = count_authors(bylines, minimum)
        found = counted.bound_to(papers)
        if not keep:
            self._last, self._authors = None, {}
            return found
        kept = self._authors
        pages = tuple(
            author if (author := kept.get(page.key)) == page else page for page in found.pages
        )
        self._last, self._authors = (bylines, counted), {page.key: page for page in pages}
        return dataclasses.replace(found, pages=pages)
