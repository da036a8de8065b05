"""A static file server on 127.0.0.1 that behaves like GitHub Pages where a browser cares.

The stdlib ``SimpleHTTPRequestHandler`` answers every request with the whole file. Chromium
asks for media with ``Range: bytes=0-`` and, without a ``206 Partial Content`` answer,
marks the video as not seekable (``video.seekable`` is empty and setting ``currentTime``
snaps back to 0), which is not what a reader gets on the published site. This server
answers single byte ranges, serves ``404.html`` for missing pages as GitHub Pages does,
and records every request so tests can check that browsing never hit a missing file.
"""

from __future__ import annotations

import http.server
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, ClassVar

_RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)")

#: Types the stdlib's guess may lack or get wrong on a minimal system (no /etc/mime.types).
CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".xml": "application/xml",
    ".json": "application/json",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
}


@dataclass(frozen=True)
class Hit:
    """One request the server answered: what was asked and the status it got."""

    method: str
    path: str
    status: int
    range: str | None


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves files below ``directory`` with byte ranges; see the module docstring."""

    server: StaticServer
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **CONTENT_TYPES,
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Stay quiet: pytest shows the recorded hits when a test needs them."""

    def send_response(self, code: int, message: str | None = None) -> None:
        self.server.record(Hit(self.command, self.path, code, self.headers.get("Range")))
        super().send_response(code, message)

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the stdlib's redirect to the slash URL
            path = path / "index.html"
        if not path.is_file():
            return self._not_found()
        handle = path.open("rb")
        size = os.fstat(handle.fileno()).st_size
        start, end = 0, size - 1
        requested = self.headers.get("Range")
        match = _RANGE_RE.fullmatch(requested.strip()) if requested else None
        if match and (match[1] or match[2]):
            if match[1]:
                start = int(match[1])
                end = min(int(match[2]), size - 1) if match[2] else size - 1
            else:  # a suffix range: the last N bytes
                start = max(0, size - int(match[2]))
            if start > end or start >= size:
                handle.close()
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:  # no range, or several ranges: the whole file is a valid answer (RFC 9110)
            self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header(
            "Last-Modified", self.date_time_string(int(os.fstat(handle.fileno()).st_mtime))
        )
        self.end_headers()
        handle.seek(start)
        self._remaining = end - start + 1
        return handle

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        remaining = self._remaining
        while remaining > 0:
            chunk = source.read(min(64 * 1024, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)

    def _not_found(self) -> BinaryIO | None:
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


class StaticServer(http.server.ThreadingHTTPServer):
    """Serves ``root`` on 127.0.0.1 (a free port) from a daemon thread until ``close()``."""

    daemon_threads = True

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), self._make_handler)
        self._thread = threading.Thread(
            target=self.serve_forever, name="static-server", daemon=True
        )
        self._thread.start()

    def _make_handler(self, request, client_address, server) -> _Handler:  # type: ignore[no-untyped-def]
        return _Handler(request, client_address, server, directory=str(self.root))

    @property
    def url(self) -> str:
        """The server's base URL, ending in a slash."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a browser drops a connection mid-answer (it navigated away)."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def failed_hits(self) -> list[Hit]:
        """Requests answered with an error status since the server started."""
        with self._lock:
            return [hit for hit in self.hits if hit.status >= 400]

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join()
