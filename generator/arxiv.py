"""arXiv's API as a source of categories: ``export.arxiv.org/api/query?id_list=...``.

Hugging Face's list gives no category; arXiv has one for every paper, primary first. One
request asks for up to 100 papers and answers Atom, which is parsed with defusedxml (an
answer declaring entities, such as an XML bomb, is refused, never expanded). arXiv's
terms of use are kept on every path: at most one request every 3 seconds and one
connection at a time (a lock and the client's rate limit, shared by every thread, and a
pace kept in a file, shared by every command: :mod:`generator.pace`), with a
User-Agent naming the project and where to reach it (:data:`generator.http.USER_AGENT`).

The ``arxiv`` package on PyPI wraps the same API, but through requests and a retry and
pacing loop of its own: it would bypass this project's client, and with it the request
deadline, the answer's size cap, ``Retry-After`` and the logged retries every other
source has. The query is one GET and the answer a few elements; this module is that.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from generator.http import Client, Clock, RetryPolicy
from generator.pace import SharedPace
from generator.records.taxonomy import categories

DEFAULT_ARXIV_URL = "https://export.arxiv.org/api/query"
ENV_ARXIV_URL = "DAILY_PAPERS_ARXIV_URL"
#: The endpoint that asks nothing: a fork without categories, or a run with no network.
OFF = "off"
#: Papers asked for in one request (arXiv's own advice for id_list queries).
BATCH = 100
#: arXiv's terms: at most one request every three seconds.
PACE = (1, 3.0)
#: Pages of one answer followed at most (a batch of 100 fits one page).
MAX_PAGES = 5

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
#: ``2402.08093`` in ``http://arxiv.org/abs/2402.08093v2``.
_ENTRY_ID = re.compile(r"/abs/([0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?$")
#: What an arXiv category looks like (cs.CL, cond-mat.soft, hep-th); arXiv also lists ACM
#: and MSC classes (I.2.7, 68T50) as categories, which are not topics here.
_LOOKS_LIKE_ARXIV = re.compile(r"[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?")


@dataclass
class Answer:
    """What arXiv said of the papers asked for."""

    #: Each paper's categories, primary first (codes of the taxonomy only).
    found: dict[str, list[str]] = field(default_factory=dict)
    #: Papers arXiv did not return (withdrawn, unknown, or not in its API yet).
    missing: list[str] = field(default_factory=list)
    #: Codes that look like arXiv's but are not in the shipped taxonomy, by paper.
    unknown: dict[str, list[str]] = field(default_factory=dict)


def arxiv_client(
    timeout: float = 30.0,
    deadline: float | None = None,
    retry: RetryPolicy | None = None,
    **options: Any,
) -> Client:
    """The client for arXiv: its pace, ``timeout`` for each wait, ``deadline`` a request.
    Three attempts at most: at one request every 3 seconds, arXiv down would otherwise
    hold a fetch half a minute for categories it can fill on the next run."""
    policy = retry or RetryPolicy()
    return Client(
        timeout=timeout,
        deadline=deadline,
        rate_limit=PACE,
        pace=SharedPace("arxiv", PACE[1], sleep=options.get("clock", Clock()).sleep),
        retry=dataclasses.replace(policy, attempts=min(policy.attempts, 3)),
        **options,
    )


def _xml_problem(response: httpx.Response) -> str | None:
    """Why an answer is not Atom we can read, or None (retried like a 5xx: an HTML page
    in place of the feed is usually passing)."""
    try:
        root = fromstring(response.content)
    except DefusedXmlException as error:
        return f"the arXiv answer declares entities, which are refused ({error.__class__.__name__})"
    except ElementTree.ParseError as error:
        return f"the arXiv answer is not XML ({error})"
    if root.tag != f"{_ATOM}feed":
        return f"the arXiv answer is not an Atom feed (its root is {root.tag!r})"
    return None


class Arxiv:
    """arXiv's API through ``client``, one request at a time whatever the threads."""

    def __init__(self, client: Client, url: str = DEFAULT_ARXIV_URL) -> None:
        self.client = client
        self.url = url
        self._one_at_a_time = threading.Lock()

    def categories(self, ids: Sequence[str]) -> Answer:
        """The categories of ``ids`` (at most :data:`BATCH`), following further pages.

        Raises :class:`generator.http.HTTPFailure` when arXiv cannot be reached or its
        answer cannot be read (after the retries an unreadable answer gets).
        """
        assert len(ids) <= BATCH, "ask for at most BATCH papers at a time"
        asked = set(ids)
        answer = Answer()
        start = 0
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {
                "id_list": ",".join(ids),
                "start": start,
                "max_results": BATCH,
            }
            with self._one_at_a_time:
                response = self.client.request("GET", self.url, params=params, accept=_xml_problem)
            root = fromstring(response.content)  # readable: accept() said so
            entries = root.findall(f"{_ATOM}entry")
            for entry in entries:
                _read_entry(entry, asked, answer)
            total = _number(root, "totalResults")
            start += len(entries)
            if not entries or total is None or start >= min(total, len(ids)):
                break
        answer.missing = [paper_id for paper_id in ids if paper_id not in answer.found]
        return answer


def _number(root: Any, name: str) -> int | None:
    text = root.findtext(f"{_OPENSEARCH}{name}")
    return int(text) if text is not None and text.strip().isdigit() else None


def _read_entry(entry: Any, asked: set[str], answer: Answer) -> None:
    """One entry's categories into ``answer`` (an error entry, or a paper not asked
    for, adds nothing)."""
    match = _ENTRY_ID.search((entry.findtext(f"{_ATOM}id") or "").strip())
    if match is None or match.group(1) not in asked:
        return
    paper_id = match.group(1)
    primary = entry.find(f"{_ARXIV}primary_category")
    terms = [primary.get("term", "")] if primary is not None else []
    terms += [element.get("term", "") for element in entry.findall(f"{_ATOM}category")]
    known = categories()
    codes: list[str] = []
    for term in (term.strip() for term in terms):
        if term in known:
            if term not in codes:
                codes.append(term)
        elif _LOOKS_LIKE_ARXIV.fullmatch(term):
            unknown = answer.unknown.setdefault(paper_id, [])
            if term not in unknown:
                unknown.append(term)
    answer.found[paper_id] = codes
