"""What a reader's own feed (``me/``) reads: for everything a reader can follow, its
newest papers, as open data in small files.

A reader follows topics, organizations, authors and keywords; their choices stay in the
browser. ``me/`` shows the newest papers matching any of them, so it needs, per followed
thing, its newest papers, and never the whole archive. The search index could answer
(its filters) but costs too much for this at 30,000 papers: Pagefind's page list alone,
read before any filter, is about 11 bytes a paper (330 KB), and its author filter is one
file of every author (360 KB at 5,400 papers). The day files of the open data hold full
records, and an author's newest papers can be years apart. So the open data gains this:

- ``api/follow.json``: the format's version, how many shards there are, how many papers
  an entry keeps, and the archive's latest day;
- ``api/follow/<n>.json``: the entries whose key hashes to shard ``n`` (32-bit FNV-1a of
  the key's UTF-8, modulo the shard count), each ``key: [count, [[id, date, title,
  votes, url], ...]]``: how many papers the thing has in the archive, and its newest
  :data:`LIMIT` of them (newest day first, then most votes, then id; ``url`` from the
  site's root).

Keys are ``t:<category>`` (a topic), ``o:<name>`` (an organization with a page),
``a:<author key>`` (an author with a page, :func:`~.authors.author_key`) and
``k:<keyword>`` (the same matching as names: Unicode form, case and spacing aside). With
ten follows, ``me/`` reads the small index and at most ten shards. The newest
:data:`LIMIT` papers of the union of several lists are the newest of the union of each
list's newest :data:`LIMIT`, so ``me/`` shows exactly the newest papers of all it follows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.plugin.archive import Archive
from generator.plugin.authors import author_key
from generator.plugin.cards import Card
from generator.records.model import Paper

#: Bumped when the files' shape changes in a way ``me/`` (or anyone) must know about.
FORMAT_VERSION = 1
#: The papers an entry keeps: ``me/`` lists this many, newest first.
LIMIT = 30
#: A shard holds about this many bytes: the shard count is the least power of two that
#: keeps them this small, so a follow costs one small file at any archive size.
SHARD_BYTES = 24_000
INDEX = "api/follow.json"


def shard_path(number: int) -> str:
    """The path of shard ``number`` below the site."""
    return f"api/follow/{number}.json"


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of ``text``'s UTF-8: a hash ``me/``'s script computes alike."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def paper_follow_keys(paper: Paper, card: Card) -> Iterator[str]:
    """The keys a paper is listed under, each once: its topics and keywords (the card's
    ``keys``), and its organization and authors where they have a page (as its card
    links them)."""
    keys = list(card.keys)
    if card.organization and card.organization_page:
        keys.append(f"o:{card.organization[0]}")
    keys += [
        f"a:{author_key(name)}"
        for name, page in zip(paper.authors, card.author_pages, strict=True)
        if page
    ]
    return iter(dict.fromkeys(keys))


@dataclass(frozen=True)
class FollowFiles:
    """The follow index of one archive: its shard count and each shard's entries."""

    shards: int
    latest: dt.date | None
    #: Each shard's keys, by shard number (shards without keys are written empty).
    keys: tuple[tuple[str, ...], ...]
    postings: dict[str, list[Paper]]

    def paths(self) -> list[str]:
        return [INDEX, *(shard_path(number) for number in range(self.shards))]

    def texts(
        self, url: Callable[[Paper], str], stale: Callable[[str, object], bool]
    ) -> Iterator[tuple[str, str]]:
        """Each file's path and text, one shard at a time (``url``: a paper's address
        from the site's root), but those ``stale`` says are written already: it is asked
        with each file's path and what the file shows (the very papers it lists)."""
        if stale(INDEX, (self.shards, self.latest)):
            index: dict[str, object] = {
                "version": FORMAT_VERSION,
                "shards": self.shards,
                "limit": LIMIT,
            }
            if self.latest:
                index["latest"] = self.latest.isoformat()
            yield INDEX, _json(index)
        entries: dict[str, list[object]] = {}

        def entry(paper: Paper) -> list[object]:
            found = entries.get(paper.id)
            if found is None:
                found = entries[paper.id] = [
                    paper.id,
                    paper.date.isoformat(),
                    paper.title,
                    paper.votes,
                    url(paper),
                ]
            return found

        for number, keys in enumerate(self.keys):
            shown = tuple(
                (key, len(papers), tuple(papers[:LIMIT]))
                for key in keys
                for papers in (self.postings[key],)
            )
            path = shard_path(number)
            if stale(path, shown):
                listed = {key: [count, [entry(p) for p in papers]] for key, count, papers in shown}
                yield path, _json(listed)


def newest_first(paper: Paper) -> tuple[int, int, str]:
    """The order of an entry's papers (and of ``me/``): newest day, most votes, id."""
    return (-paper.date.toordinal(), -(paper.votes or 0), paper.id)


def follow_files(archive: Archive, card: Callable[[Paper], Card]) -> FollowFiles:
    """The follow index of ``archive``, each paper's keys as its card links it."""
    postings: dict[str, list[Paper]] = {}
    # Visited newest first, so each key's papers are in order as they are listed (one
    # sort of the archive instead of one per key: 600,000 sort keys at 30,000 papers).
    for paper in sorted(archive.papers, key=newest_first):
        for key in paper_follow_keys(paper, card(paper)):
            postings.setdefault(key, []).append(paper)
    size = 0
    for papers in postings.values():
        # About 120 bytes a paper kept, 30 a key: the estimate that sizes the shards.
        size += 30 + 120 * min(len(papers), LIMIT)
    shards = 1
    while size / shards > SHARD_BYTES:
        shards *= 2
    keys: list[list[str]] = [[] for _ in range(shards)]
    for key in sorted(postings):
        keys[fnv1a(key) % shards].append(key)
    latest = archive.latest.date if archive.latest else None
    return FollowFiles(shards, latest, tuple(tuple(group) for group in keys), postings)


def _json(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
