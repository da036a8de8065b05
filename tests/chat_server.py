"""A real chat-completions server on 127.0.0.1 for tests, answering from a script.

The summarizer talks HTTP to whatever OpenAI-compatible server a user points it at, so
tests run it against a real socket rather than a mocked client: headers, status codes,
``Retry-After``, slow answers and broken bodies all travel the way they would in use.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from replay_server import LocalServer, Reply, send_reply


@dataclass
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: float

    @property
    def prompt(self) -> str:
        """Every message's text joined, to find which paper a request is about."""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))


def completion(
    content: str | None, *, usage: dict[str, int] | None = None, finish_reason: str = "stop"
) -> Reply:
    """A successful chat-completions answer whose message text is ``content``."""
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content},
            }
        ],
    }
    if usage is not None:
        body["usage"] = usage
    return Reply(body=body)


def summary_json(*bullets: str) -> str:
    """The answer a well-behaved model gives: a JSON object with a summary list."""
    return json.dumps({"summary": list(bullets)}, ensure_ascii=False)


class ChatServer(LocalServer):
    """Serve ``POST /v1/chat/completions`` from a script, on a free port, in a thread.

    ``script`` maps a text found in the prompt (a paper's title) to the replies for that
    paper, used in order; the last one repeats. Unmatched requests get ``default``.
    """

    def __init__(
        self,
        script: dict[str, list[Reply]] | None = None,
        default: Reply | Callable[[Request], Reply] | None = None,
    ) -> None:
        self.script = {key: list(value) for key, value in (script or {}).items()}
        self.default = default
        self.requests: list[Request] = []
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        """The base URL a user would put in ``OPENAI_BASE_URL``."""
        return f"{self.address}/v1"

    def requests_for(self, text: str) -> list[Request]:
        """The requests whose prompt mentions ``text``."""
        return [r for r in self.requests if text in r.prompt]

    def _reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            for key, replies in self.script.items():
                if key in request.prompt:
                    return replies.pop(0) if len(replies) > 1 else replies[0]
        if callable(self.default):
            return self.default(request)
        if self.default is not None:
            return self.default
        return Reply(status=500, body={"error": {"message": "no scripted reply"}})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"unparsed": raw.decode("utf-8", "replace")}
                request = Request(
                    "POST", self.path, dict(self.headers.items()), body, time.monotonic()
                )
                if self.path != "/v1/chat/completions":
                    reply = Reply(status=404, body={"error": {"message": "unknown path"}})
                else:
                    reply = server._reply(request)
                send_reply(self, reply)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
                pass

        return Handler
