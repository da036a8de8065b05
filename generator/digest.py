"""Reading legacy Markdown digests (the daily_papers_ko format) into papers.

A digest is one day's list as Markdown, kept as ``paper_logs/YYYY/MM/DD.md``:

    ## Daily Papers (2024-02-14)

    ### [Title](https://arxiv.org/abs/2402.08093)

    ![](https://.../figure.png)            or  [Watch Video](https://.../demo.mp4)
    Vote: 25                                    <div><video controls src="..."></video></div>
    Authors: Yang Li, Fan Yang              or  Authors: ['Yang Li', 'Fan Yang']

    - first summary bullet
    - **What's New**: a keyed bullet

The script that wrote them changed over the years, so each of those lines may be missing
or look slightly different. This module knows every variant seen in real archives and
turns anything else into a :class:`~generator.records.problems.Problem` pointing at the line:
a malformed digest never raises. It only reads; :mod:`generator.importer` turns the papers
into records.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.records.bullets import bullet_problem
from generator.records.model import Media, media_kind
from generator.records.problems import Problem
from generator.records.text import NotText, decode_text, excerpt, one_line
from generator.records.urls import resolve_url, url_problem

_DAY_HEADING = re.compile(r"#{1,2}\s+Daily Papers\s*\((?P<date>[^)]*)\)\s*#*", re.I)
_PAPER_HEADING = re.compile(r"###\s+(?P<rest>.*?)\s*#*")
_OTHER_HEADING = re.compile(r"#{1,6}(\s|$)")
_LINKED_TITLE = re.compile(r"\[(?P<title>.*)\]\(\s*<?(?P<url>.*?)>?\s*\)")
_PAPER_URL = re.compile(
    r"https?://(?:www\.)?(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/"
    r"(?P<id>\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?(?:[?#]\S*)?",
    re.I,
)
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<url>.*?)>?(?:\s+\"[^\"]*\")?\s*\)")
_WATCH_VIDEO = re.compile(
    r"\[Watch Video\]\s*(?:\(\s*(?P<paren>.*?)\s*\)|(?P<bare>[^(\s]\S*))", re.I
)
_VIDEO_TAG = re.compile(r"<video\b[^>]*?\bsrc\s*=\s*[\"']?(?P<url>[^\"'\s>]*)", re.I)
_VOTE = re.compile(r"Votes?\s*:\s*(?P<value>.*)", re.I)
_AUTHORS = re.compile(r"Authors?\s*:\s*(?P<value>.*)", re.I)
_BULLET = re.compile(r"[-*+](?:[ \t]+(?P<text>.*))?")
_THEMATIC_BREAK = re.compile(r"(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}")
_PATH_DATE = re.compile(r"(?:^|/)(\d{4})(?:/(\d{2})/(\d{2})|-(\d{2})-(\d{2}))\.md$", re.I)

#: An entry the digest script wrote where it cut a long author list short.
TRUNCATION_MARK = "+"
_SNIPPET = 60


@dataclass
class DigestPaper:
    """One paper as a digest lists it, ready to become (or update) a record."""

    id: str
    date: dt.date
    title: str
    path: str
    line: int
    authors: list[str] = field(default_factory=list)
    #: The digest ended the author list with "+": more authors than it names.
    authors_incomplete: bool = False
    #: Other days the paper was listed on (filled in when listings are merged).
    also_listed: list[dt.date] = field(default_factory=list)
    votes: int | None = None
    thumbnail: str | None = None
    media: list[Media] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


@dataclass
class Digest:
    """Everything read from one digest file.

    ``headings`` counts every paper heading, also those that could not be imported (each
    of which has a problem), so a report can account for every paper in the file.
    """

    path: str
    papers: list[DigestPaper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    headings: int = 0


def path_date(path: str) -> dt.date | None:
    """The day a digest's path names (``.../YYYY/MM/DD.md`` or ``.../YYYY-MM-DD.md``)."""
    match = _PATH_DATE.search(path.replace("\\", "/"))
    if not match:
        return None
    year, month, day = match[1], match[2] or match[4], match[3] or match[5]
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def is_digest_name(path: Path) -> bool:
    """Whether a file found in a folder is a day digest by its name."""
    return path_date(path.as_posix()) is not None


def read_digest(path: Path, shown: str) -> Digest:
    """Read and parse one digest file; unreadable or non-UTF-8 files become problems."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Digest(
            shown,
            problems=[
                _problem(
                    shown, 1, "file", f"cannot be read: {error.strerror or error}; nothing imported"
                )
            ],
        )
    try:
        text = decode_text(raw)
    except NotText as error:
        advice = (
            ", so it is not a text file"
            if error.nul
            else "; save the file as UTF-8 and import it again"
        )
        message = f"{error.reason}{advice}; nothing imported"
        return Digest(shown, problems=[_problem(shown, error.line, "file", message)])
    return parse_digest(text, shown, path_date(shown))


def parse_digest(text: str, shown: str, default_date: dt.date | None) -> Digest:
    """Parse a digest's text. ``default_date`` (from the path) applies until a heading says
    otherwise; a heading's date wins, and a disagreement is reported as a warning."""
    parser = _Parser(Digest(shown), default_date)
    for number, line in enumerate(text.splitlines(), start=1):
        parser.feed(number, line)
    parser.finish()
    return parser.digest


def _problem(path: str, line: int, key: str, message: str, warning: bool = False) -> Problem:
    return Problem(path, line, key, message, warning)


def _snippet(text: str) -> str:
    return repr(excerpt(text, _SNIPPET))


def paper_id(url: str) -> str | None:
    """The arXiv id in an arXiv or Hugging Face paper link (any version suffix dropped)."""
    match = _PAPER_URL.fullmatch(url)
    return match["id"] if match else None


@dataclass(frozen=True)
class Authors:
    """An authors line: the names, and whether the digest script cut the list short."""

    names: list[str]
    cut_short: bool = False


def parse_authors(value: str) -> Authors | str:
    """Authors from ``a, b`` or from a Python list literal; a string says what is wrong.

    The list form comes from the digest script printing a Python list, so it is read with
    :func:`ast.literal_eval` (literals only, never code), which also handles names holding
    commas or quotes. A ``+`` entry marks a list the script cut short; it is not a name,
    and the record notes the list as incomplete.
    """
    value = value.strip()
    if value.startswith(("[", "(")):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return f"not a valid Python list of names: {_snippet(value)}"
        if not isinstance(parsed, (list, tuple)) or not all(isinstance(n, str) for n in parsed):
            return f"not a list of names (quoted strings): {_snippet(value)}"
        names = [one_line(name) for name in parsed]
    else:
        names = [one_line(name) for name in value.split(",")]
    return Authors(
        [name for name in names if name and name != TRUNCATION_MARK],
        cut_short=TRUNCATION_MARK in names,
    )


class _Parser:
    """A line-by-line reader of one digest; the state is the paper being read."""

    def __init__(self, digest: Digest, default_date: dt.date | None) -> None:
        self.digest = digest
        self.path_date = default_date
        self.date = default_date
        self.paper: DigestPaper | None = None
        #: True while reading the lines of a paper that cannot be imported: its heading
        #: was reported once, the rest of it is skipped quietly.
        self.skipping = False
        self.seen: set[str] = set()
        self.bullet: tuple[int, list[str]] | None = None
        self.after_bullet = False  # the previous line was part of a bullet (lazy continuation)
        self.reported_no_date = False

    # --- helpers -------------------------------------------------------------------

    def problem(self, line: int, key: str, message: str, warning: bool = False) -> None:
        self.digest.problems.append(_problem(self.digest.path, line, key, message, warning))

    def flush_bullet(self) -> None:
        if self.bullet is None:
            return
        line, parts = self.bullet
        self.bullet = None
        text = one_line(" ".join(parts))
        if not text or self.paper is None:
            return
        why = bullet_problem(text)
        if why:
            self.problem(line, "summary", f"{why}; bullet not imported")
        else:
            self.paper.summary.append(text)

    def end_paper(self) -> None:
        self.flush_bullet()
        if self.paper is not None:
            self.digest.papers.append(self.paper)
        self.paper = None
        self.skipping = False
        self.seen = set()

    def finish(self) -> None:
        self.end_paper()
        if self.digest.headings == 0 and not any(not p.warning for p in self.digest.problems):
            self.problem(
                1, "file", "no papers found (no '### [title](link)' heading)", warning=True
            )

    # --- lines -----------------------------------------------------------------------

    def feed(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            self.after_bullet = False
            return
        was_after_bullet, self.after_bullet = self.after_bullet, False
        if match := _DAY_HEADING.fullmatch(stripped):
            self.end_paper()
            self.day_heading(number, match["date"].strip())
        elif match := _PAPER_HEADING.fullmatch(stripped):
            self.end_paper()
            self.paper_heading(number, match["rest"])
        elif _OTHER_HEADING.match(stripped):
            self.flush_bullet()  # the paper goes on: its bullets below are still its own
            self.problem(
                number,
                "line",
                f"a heading this format does not have: {_snippet(stripped)}; not imported",
            )
        elif self.skipping:
            return
        elif _THEMATIC_BREAK.fullmatch(stripped):
            self.flush_bullet()
        elif self.paper is None:
            self.problem(
                number,
                "line",
                f"outside any paper (before the first '### [' "
                f"heading): {_snippet(stripped)}; not imported",
            )
        elif match := _BULLET.fullmatch(stripped):
            self.flush_bullet()
            self.bullet = (number, [match["text"] or ""])
            self.after_bullet = True
        elif self.bullet is not None and line[:1] in (" ", "\t"):
            # An indented line belongs to the bullet above, also after a blank line.
            self.bullet[1].append(stripped)
            self.after_bullet = True
        elif self.paper_line(number, stripped):
            self.flush_bullet()
        elif self.bullet is not None and was_after_bullet:
            # Markdown's lazy continuation: plain text right below a bullet continues it.
            self.bullet[1].append(stripped)
            self.after_bullet = True
        else:
            self.problem(
                number, "line", f"not part of the digest format: {_snippet(stripped)}; not imported"
            )

    def day_heading(self, number: int, value: str) -> None:
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            self.problem(
                number,
                "heading",
                f"date {value!r} is not a real date written YYYY-MM-DD; the heading is ignored",
            )
            return
        if self.path_date is not None and date != self.path_date:
            self.problem(
                number,
                "date",
                f"the heading says {date} but the file's path says "
                f"{self.path_date}; the papers below are dated "
                f"{date}",
                warning=True,
            )
        self.date = date

    def paper_heading(self, number: int, rest: str) -> None:
        self.digest.headings += 1
        self.skipping = True
        link = _LINKED_TITLE.fullmatch(rest)
        if link is None:
            self.problem(
                number,
                "paper",
                f"heading has no '[title](link)': {_snippet(rest)}; paper not imported",
            )
            return
        title, url = one_line(link["title"]), link["url"]
        found = paper_id(url)
        if found is None:
            self.problem(
                number,
                "paper",
                f"link {url!r} is not an arXiv or Hugging Face paper "
                "link, so the paper has no id; paper not imported",
            )
            return
        if not title:
            self.problem(number, "paper", f"paper {found} has an empty title; paper not imported")
            return
        if self.date is None:
            if not self.reported_no_date:
                self.reported_no_date = True
                self.problem(
                    number,
                    "file",
                    "no '## Daily Papers (YYYY-MM-DD)' heading above "
                    "and no date in the path (YYYY/MM/DD.md or "
                    "YYYY-MM-DD.md); its papers are not imported",
                )
            return
        self.skipping = False
        self.paper = DigestPaper(found, self.date, title, self.digest.path, number)

    def paper_line(self, number: int, text: str) -> bool:
        """A paper's picture, video, votes or authors line; False when it is none of them."""
        assert self.paper is not None
        paper = self.paper
        if match := _IMAGE.fullmatch(text):
            self.add_media(number, "image", match["url"])
        elif match := _WATCH_VIDEO.fullmatch(text):
            self.add_media(number, "video", match["paren"] or match["bare"] or "")
        elif match := _VIDEO_TAG.search(text):
            # The HTML player the digest script put below "[Watch Video]": same URL.
            url = resolve_url(match["url"])
            if url != paper.thumbnail and all(url != m.url for m in paper.media):
                self.add_media(number, "video", match["url"])
        elif match := _VOTE.fullmatch(text):
            if self.first(number, "vote", paper):
                self.votes(number, match["value"].strip(), paper)
        elif match := _AUTHORS.fullmatch(text):
            if self.first(number, "authors", paper):
                authors = parse_authors(match["value"])
                if isinstance(authors, str):
                    self.problem(number, "authors", f"{authors}; no authors imported")
                else:
                    paper.authors, paper.authors_incomplete = authors.names, authors.cut_short
                    self.seen.add("authors")
        else:
            return False
        return True

    def first(self, number: int, key: str, paper: DigestPaper) -> bool:
        """Whether no line of this kind was imported for the paper yet (it may be one)."""
        if key in self.seen:
            self.problem(
                number, key, f"a second {key} line for paper {paper.id}; only the first is imported"
            )
            return False
        return True

    def votes(self, number: int, value: str, paper: DigestPaper) -> None:
        if value.isascii() and value.isdigit():
            paper.votes = int(value)
        elif value not in ("-", ""):  # "-": the digest did not know the count, so null
            self.problem(
                number, "vote", f"{value!r} is not a whole number or '-'; votes left empty"
            )
            return
        self.seen.add("vote")

    def add_media(self, number: int, label: str, url: str) -> None:
        """A picture or video; the kind follows the file extension, as on the site."""
        assert self.paper is not None
        resolved = resolve_url(url)
        why = url_problem(resolved)
        if why:
            self.problem(number, label, f"URL {why}; not imported")
            return
        kind = media_kind(resolved)
        if kind == "image" and self.paper.thumbnail is None:
            self.paper.thumbnail = resolved
        elif all(resolved != m.url for m in self.paper.media) and resolved != self.paper.thumbnail:
            self.paper.media.append(Media(kind, resolved))
