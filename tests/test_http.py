"""`generator.http.send`: a failure keeps the server's last answer for the caller to explain."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from generator.http import HTTPFailure, RetryPolicy, make_client, send


class _Handler(BaseHTTPRequestHandler):
    """GET /<status> answers that status with a JSON error body."""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
        status = int(self.path.strip("/"))
        body = b'{"error": {"message": "explained by the server"}}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("status, message", [
    (404, "answered HTTP 404 Not Found"),
    (503, "failed after 2 attempts: HTTP 503 Service Unavailable"),
])
def test_failure_carries_the_last_response(base_url: str, status: int, message: str) -> None:
    with make_client(timeout=5) as client, pytest.raises(HTTPFailure) as caught:
        send(client, "GET", f"{base_url}/{status}", policy=RetryPolicy(2, 0.001))
    assert str(caught.value) == f"{base_url}/{status} {message}"
    response = caught.value.response
    assert response is not None and response.status_code == status
    assert response.json() == {"error": {"message": "explained by the server"}}


def test_failure_without_an_answer_has_no_response() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago refuses connections
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with make_client(timeout=1) as client, pytest.raises(HTTPFailure) as caught:
        send(client, "GET", f"http://127.0.0.1:{port}/", policy=RetryPolicy(2, 0.001))
    assert caught.value.response is None
    assert "connection failed" in str(caught.value)
