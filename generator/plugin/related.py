"""Related papers: for every paper, the few papers of the archive whose words it shares
most, with the shared words as the reason.

What a paper says, as terms: the words of its title (twice), its keywords (three times,
each also as a whole phrase), its abstract where the record has one, the English words
of its summary (imported summaries are Korean with the English terms in parentheses, so
these are what finds their relatives) and its arXiv categories. Words are lower-cased,
a plural ``s`` dropped, and common English words left out.

Terms are weighted by TF-IDF (``1 + log tf`` times ``log(N / df)``), each paper's vector
scaled to length one, and two papers' similarity is the cosine of their vectors. Terms
in one paper only link nothing, and terms in more than :data:`MAX_SHARE` of the papers
(or :data:`MIN_COMMON` papers, whichever is more) say little and cost most (their
postings pair every paper holding them), so neither is kept. A paper's candidates are the
papers that share one of its :data:`QUERY_TERMS` heaviest terms; the score counts every
term they share. Plain Python over an inverted index: at 30,000 papers it takes a few
seconds, which a vectoriser library would not beat by enough to pay for its install
(see CONTRIBUTING.md, "Related papers").

The result depends only on the papers (ties broken by id), so two builds of the same
records give the same lists. A paper's terms are kept by the caller between rebuilds of
``mkdocs serve`` (:class:`RelatedCache`), so an edit recomputes only the scores, and
none when no term changed.
"""

from __future__ import annotations

import gc
import heapq
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.records.model import Paper

#: How many related papers a paper shows.
RELATED = 5
#: How many of a paper's heaviest terms find its candidates, among the terms in at most
#: CANDIDATE_PAPERS papers (so that finding them costs the same at any archive size).
QUERY_TERMS = 8
CANDIDATE_PAPERS = 40
#: Terms in more papers than this share of the archive (or MIN_COMMON) are left out.
MAX_SHARE = 0.02
MIN_COMMON = 60
#: Weights of where a word comes from.
TITLE, KEYWORD, TEXT = 2, 3, 1
#: The shared terms shown as a paper's reason.
REASON_TERMS = 3
#: How many candidates (by the heaviest terms) are scored on all their terms.
CANDIDATES = 3 * RELATED

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
#: Common English words (and the field's words that every paper uses).
_STOP = """
    a about above across after again against all almost also although among an and any
    are as at be because been before being between both but by can could did do does
    done during each either else et etc even every for from further had has have having
    here how however if in into is it its itself just less many may more most much must
    new no nor not novel of on once only or other our out over own paper per propose
    proposed rather same several should show shows since so some such than that the
    their them then there these they this those through thus to too under until up upon
    use used uses using very via was we well were what when where whether which while who
    whose why will with within without would yet you
    approach approaches method methods model models result results task tasks work
"""
STOP = frozenset(_STOP.split())


def _words(text: str, known: dict[str, str]) -> Iterable[str]:
    """The text's terms, each one string object shared by every paper that has it (an
    archive of 30,000 papers holds about 1.5 million of them in its term weights).

    ``known`` keeps each word as written with its term, for the papers of one build: an
    archive writes a few hundred thousand words over and over (5 million at 30,000
    papers, 55,000 distinct), and looking one up costs a third of working it out."""
    for found in _WORD.findall(text):
        word = known.get(found)
        if word is None:
            word = known[found] = _term(found)
        if word:
            yield word


def _term(found: str) -> str:
    """A word as a term: lower case, a plural ``s`` dropped; empty for a common word."""
    word = found.lower()
    if word.endswith("s") and len(word) > 3 and not word.endswith("ss"):
        word = word[:-1]
    return sys.intern(word) if len(word) > 1 and word not in STOP else ""


#: A paper's terms and, in the same order, how often each occurs weighted by where: two
#: tuples, as ``mkdocs serve`` keeps every paper's (a dict of float weights took 3.5 KB
#: a paper, 100 MB at 30,000 papers; these take under 1 KB, the weights being small
#: whole numbers, which Python shares).
Terms = tuple[tuple[str, ...], tuple[int, ...]]


def paper_terms(paper: Paper, known: dict[str, str]) -> Terms:
    """How often each term occurs in the paper, weighted by where (see the docstring);
    ``known`` as :func:`_words` keeps it, shared by the papers of a build."""
    counts: dict[str, int] = defaultdict(int)
    for word in _words(paper.title, known):
        counts[word] += TITLE
    for keyword in paper.keywords:
        words = list(_words(keyword, known))
        for word in words:
            counts[word] += KEYWORD
        if len(words) > 1:
            counts[sys.intern(" ".join(words))] += KEYWORD
    for text in (paper.abstract or "", *paper.summary):
        for word in _words(text, known):
            counts[word] += TEXT
    for code in paper.categories or ():
        counts[sys.intern("@" + code)] += TEXT
    return tuple(counts), tuple(counts.values())


class RelatedCache:
    """What ``mkdocs serve`` keeps of the related papers between rebuilds: each paper's
    terms while its record is equal, and the last lists with the terms they came from.

    The lists depend on the papers' order and terms alone, so a rebuild whose terms are
    all equal (an edit of votes, links, media, or a summary's Korean words) takes the
    last lists, bound to this rebuild's records; any changed term finds them again, as
    one term changes the weights of every paper holding it.
    """

    def __init__(self) -> None:
        self._kept: dict[str, tuple[Paper, Terms]] = {}
        self._last: tuple[list[str], list[Terms], RelatedPapers] | None = None

    def find(self, papers: Sequence[Paper], *, keep: bool) -> RelatedPapers:
        """The related papers of ``papers``; with ``keep`` (``mkdocs serve``), what the
        next rebuild can take is kept (a build lets it go with its lists)."""
        terms = self._terms(papers, keep=keep)
        ids = [paper.id for paper in papers]
        last = self._last
        if last is not None and last[0] == ids and last[1] == terms:
            found = last[2].bound_to(papers)
        else:
            found = find_related(papers, terms)
            if keep and last is not None:
                found = found.keeping(last[2])
        self._last = (ids, terms, found) if keep else None
        return found

    def _terms(self, papers: Sequence[Paper], *, keep: bool) -> list[Terms]:
        found = []
        kept: dict[str, tuple[Paper, Terms]] = {}
        known: dict[str, str] = {}
        for paper in papers:
            entry = self._kept.get(paper.id)
            if entry is None or entry[0] != paper:
                entry = (paper, paper_terms(paper, known))
            kept[paper.id] = entry
            found.append(entry[1])
        self._kept = kept if keep else {}
        return found


@dataclass(frozen=True, slots=True)
class Relation:
    """A related paper, and the terms both papers weigh most (the reason; a category's
    term is ``@cs.CL``)."""

    paper: Paper
    terms: tuple[str, ...]


@dataclass(frozen=True)
class RelatedPapers:
    """Every paper's related papers, by id, best first."""

    lists: dict[str, tuple[Relation, ...]] = field(default_factory=dict)

    def of(self, paper_id: str) -> tuple[Relation, ...]:
        return self.lists.get(paper_id, ())

    def bound_to(self, papers: Sequence[Paper]) -> RelatedPapers:
        """The same lists naming ``papers`` (records equal in their terms, but maybe not
        in what a list prints: a title's case, a date); a list naming the very records
        is itself (the pages kept under --dirty hold it: one object, not two)."""
        by_id = {paper.id: paper for paper in papers}
        return RelatedPapers(
            {
                paper_id: relations
                if all(by_id[r.paper.id] is r.paper for r in relations)
                else tuple(Relation(by_id[r.paper.id], r.terms) for r in relations)
                for paper_id, relations in self.lists.items()
            }
        )

    def keeping(self, last: RelatedPapers) -> RelatedPapers:
        """These lists, each one equal to ``last``'s being ``last``'s."""
        kept = last.lists
        return RelatedPapers(
            {
                paper_id: old if (old := kept.get(paper_id)) == relations else relations
                for paper_id, relations in self.lists.items()
            }
        )


def find_related(papers: Sequence[Paper], terms: Sequence[Terms] | None = None) -> RelatedPapers:
    """The related papers of each of ``papers`` (each paper once; ``terms`` are theirs,
    in the same order, when the caller kept them).

    The cyclic garbage collector is paused meanwhile: the millions of small dicts and
    tuples made here hold no cycles, and each collection they set off walks every
    object of the build (measured at 30,000 papers: the work took 21 s in a build
    against 6 s alone)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _find_related(papers, terms)
    finally:
        if paused:
            gc.enable()


def _find_related(papers: Sequence[Paper], terms: Sequence[Terms] | None) -> RelatedPapers:
    if terms is None:
        known: dict[str, str] = {}
        terms = [paper_terms(paper, known) for paper in papers]
    count = len(papers)
    df: dict[str, int] = defaultdict(int)
    for found_terms, _ in terms:
        for term in found_terms:
            df[term] += 1
    common = max(MIN_COMMON, int(count * MAX_SHARE))
    idf = {term: math.log(count / n) for term, n in df.items() if 1 < n <= common}
    vectors: list[dict[str, float]] = []
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, (found_terms, tfs) in enumerate(terms):
        vector = {
            term: (1 + math.log(tf)) * idf[term]
            for term, tf in zip(found_terms, tfs, strict=True)
            if term in idf
        }
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        vector = {term: w / norm for term, w in vector.items()}
        vectors.append(vector)
        for term, weight in vector.items():
            if df[term] <= CANDIDATE_PAPERS:
                postings[term].append((index, weight))
    ids = [paper.id for paper in papers]
    lists: dict[str, tuple[Relation, ...]] = {}
    for index, vector in enumerate(vectors):
        # Candidates by the heaviest terms alone (their postings are short: heavy terms
        # are rare), then the best of them scored on every term both papers have.
        found: dict[int, float] = defaultdict(float)
        rare = [(term, weight) for term, weight in vector.items() if term in postings]
        for term, weight in heapq.nlargest(QUERY_TERMS, rare, key=_by_weight):
            for other, their_weight in postings[term]:
                found[other] += weight * their_weight
        found.pop(index, None)
        # Equal scores keep the postings' order, which follows the papers' (stable).
        shortlist = heapq.nlargest(CANDIDATES, found, key=found.__getitem__)
        # Each candidate's score summed smallest first (as a sort of its products
        # leaves them, so the sum is the same float at every build); the reasons, the
        # heaviest shared terms, only for the few that are listed.
        scored = []
        for other in shortlist:
            theirs = vectors[other]
            shared = vector.keys() & theirs.keys()
            score = sum(sorted([vector[t] * theirs[t] for t in shared]))
            scored.append((-score, ids[other], other, shared))
        scored.sort(key=lambda item: (item[0], item[1]))
        lists[ids[index]] = tuple(
            Relation(papers[other], _reasons(vector, vectors[other], shared))
            for _, _, other, shared in scored[:RELATED]
        )
    return RelatedPapers(lists)


def _by_weight(item: tuple[str, float]) -> tuple[float, str]:
    return item[1], item[0]


def _reasons(
    vector: dict[str, float], theirs: dict[str, float], shared: set[str]
) -> tuple[str, ...]:
    """The :data:`REASON_TERMS` shared terms weighing most in both papers; ties by term."""
    weighed = sorted((-vector[t] * theirs[t], t) for t in shared)
    return tuple(t for _, t in weighed[:REASON_TERMS])
