"""A real HTTP server on 127.0.0.1 answering arXiv's query API the way arXiv does.

``papers`` holds each paper's categories, primary first; a query for ``id_list`` gets an
Atom feed with an entry per known id (a version number on its id, the primary category
as ``arxiv:primary_category``, every category as a ``category`` term, an ACM class now
and then, as arXiv lists them) and the opensearch paging fields. ``page_size`` makes it
answer in pages; a script of :class:`Reply` objects overrides the next answers (errors,
slow answers, broken XML). Every request is kept with its query.
"""

from __future__ import annotations

from collections import deque
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import quoteattr

from replay_server import LocalServer, Reply, send_reply

#: An XML bomb: entities expanding to a billion characters.
XML_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + ']>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title></feed>'
)


def entry(paper_id: str, codes: list[str]) -> str:
    terms = "".join(
        f'<category term={quoteattr(code)} scheme="http://arxiv.org/schemas/atom"/>'
        for code in [*codes, "I.2.7"]
    )
    primary = (
        f"<arxiv:primary_category term={quoteattr(codes[0])} "
        'scheme="http://arxiv.org/schemas/atom"/>'
        if codes
        else ""
    )
    return (
        f"<entry><id>http://arxiv.org/abs/{paper_id}v2</id><title>Invented {paper_id}</title>"
        f"{primary}{terms}</entry>"
    )


def feed(entries: list[str], total: int, start: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">'
        "<title>ArXiv Query</title>"
        f"<opensearch:totalResults>{total}</opensearch:totalResults>"
        f"<opensearch:startIndex>{start}</opensearch:startIndex>"
        f"<opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>"
        + "".join(entries)
        + "</feed>"
    )


class ArxivServer(LocalServer):
    """Start with ``with ArxivServer() as server:``; ``server.url`` is the query endpoint."""

    def __init__(self) -> None:
        self.papers: dict[str, list[str]] = {}
        self.page_size = 100
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, str]] = []
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return f"{self.address}/api/query"

    def answer(self, query: dict[str, str]) -> Reply:
        with self._lock:
            if self.script:
                return self.script.popleft()
        ids = [i for i in query.get("id_list", "").split(",") if i]
        known = [i for i in ids if i in self.papers]
        start = int(query.get("start", "0"))
        size = min(int(query.get("max_results", "10")), self.page_size)
        page = [entry(i, self.papers[i]) for i in known[start : start + size]]
        return Reply(
            body=feed(page, len(known), start), headers={"Content-Type": "application/atom+xml"}
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
                with server._lock:
                    server.requests.append(query)
                send_reply(self, server.answer(query))

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler
