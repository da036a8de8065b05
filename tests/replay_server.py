"""A real HTTP server on 127.0.0.1 that replays API answers, for fetch and HTTP tests.

Each date has a list of items served page by page the way the Hugging Face API does
(``p`` from 0, ``limit`` default 50); a script of :class:`Reply` objects per date can
override what the next requests get (errors, slow answers, broken bodies).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    """One scripted answer. ``body`` that is not bytes or str is sent as JSON."""

    status: int = 200
    body: Any = b"[]"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: Announce more bytes than are sent, then close: a body cut off in transit.
    truncate: bool = False
    #: Seconds between bytes of the body: a server that trickles its answer.
    trickle: float = 0.0
    #: Send Content-Length; without it the body ends when the connection closes.
    length: bool = True
    #: Seconds between bytes of the status line and headers: a server that trickles even
    #: those (h11 only bounds their size).
    header_trickle: float = 0.0

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


@dataclass
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


def send_reply(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    """Answer a request with ``reply``, after its delay; shared by the test servers."""
    if reply.delay:
        time.sleep(reply.delay)
    payload = reply.payload()
    if reply.header_trickle:
        head = (
            f"HTTP/1.1 {reply.status} OK\r\nContent-Type: application/json\r\n"
            f"X-Padding: {'x' * 2000}\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode()
        try:
            for index in range(len(head)):
                handler.wfile.write(head[index : index + 1])
                handler.wfile.flush()
                time.sleep(reply.header_trickle)
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return
    try:
        handler.send_response(reply.status)
        handler.send_header("Content-Type", "application/json")
        if reply.length:
            length = len(payload) + (1000 if reply.truncate else 0)
            handler.send_header("Content-Length", str(length))
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if reply.truncate or not reply.length:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        if reply.trickle:
            for index in range(len(payload)):
                handler.wfile.write(payload[index : index + 1])
                handler.wfile.flush()
                time.sleep(reply.trickle)
        else:
            handler.wfile.write(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout test): nothing to answer


_Server = TypeVar("_Server", bound="LocalServer")


class LocalServer:
    """A threaded HTTP server on a free port of 127.0.0.1, run for a ``with`` block.

    Subclasses give the request handler; this owns the socket, the serving thread and the
    lock their handlers share.
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def address(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self: _Server) -> _Server:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


class ReplayServer(LocalServer):
    """Start with ``with ReplayServer() as server:``; ``server.url`` is the API endpoint."""

    default_limit = 50

    def __init__(self) -> None:
        self.days: dict[str, list[Any]] = {}
        self.scripts: dict[str, deque[Reply]] = {}
        self.requests: list[Request] = []
        self.ignore_paging = False
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return f"{self.address}/api/daily_papers"

    def script(self, date: str, *replies: Reply) -> None:
        """The next requests for ``date`` get these replies, in order, before the day's list."""
        self.scripts.setdefault(date, deque()).extend(replies)

    def requests_for(self, date: str) -> list[Request]:
        return [r for r in self.requests if r.query.get("date") == date]

    def _answer(self, query: dict[str, str]) -> Reply:
        date = query.get("date", "")
        with self._lock:
            script = self.scripts.get(date)
            if script:
                return script.popleft()
        items = self.days.get(date, [])
        if self.ignore_paging:
            return Reply(body=items[: self.default_limit])
        page = int(query.get("p", "0"))
        limit = int(query.get("limit", str(self.default_limit)))
        return Reply(body=items[page * limit : (page + 1) * limit])

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with server._lock:
                    server.requests.append(Request(parts.path, query, dict(self.headers)))
                send_reply(self, server._answer(query))

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
                pass

        return Handler
