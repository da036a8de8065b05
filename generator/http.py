"""The one HTTP client setup for every command that talks to a server.

Both the Hugging Face API (``fetch``) and chat-completions servers (``summarize``) rate
limit and fail transiently, so both go through :func:`send`: retries with exponential
backoff and full jitter on 429, 5xx and connection errors, honouring ``Retry-After``.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from generator import __version__

USER_AGENT = f"daily-papers/{__version__} (+https://github.com/daily-papers/daily-papers)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HTTPFailure(Exception):
    """A request that failed for good; the message says what happened, for a person.

    ``response`` is the last response when the server answered at all (None after
    timeouts and connection errors), so a caller can tell a refused API key from a
    transient outage and quote the server's own explanation.
    """

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry. Tests shrink the delays; users rarely need to."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


class RateLimiter:
    """At most ``requests`` request starts in any ``per`` seconds, shared by all threads.

    A sliding window rather than a fixed pace: a short run (one day, a week) goes at full
    speed, and only a long backfill waits, just enough to stay under a server's quota.
    Every attempt counts, retries included, because the server counts them too.
    """

    def __init__(self, requests: int, per: float, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if requests < 1 or per <= 0:
            raise ValueError("a rate limit needs at least one request per positive period")
        self.requests = requests
        self.per = per
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self, request: object = None) -> None:
        """Block until one more request may start (usable as an httpx request hook)."""
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.per:
                    self._starts.popleft()
                if len(self._starts) < self.requests:
                    self._starts.append(now)
                    return
                delay = self.per - (now - self._starts[0])
            self._sleep(delay)


def make_client(timeout: float = 30.0, headers: dict[str, str] | None = None,
                rate_limit: RateLimiter | None = None) -> httpx.Client:
    """A client with timeouts and a User-Agent naming the project; safe to share across threads."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        follow_redirects=True,
        event_hooks={"request": [rate_limit.wait]} if rate_limit else None,
    )


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` as seconds, whether given as a number or as an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    **kwargs: Any,
) -> httpx.Response:
    """Send a request, retrying transient failures; return a response with a final status.

    Raises :class:`HTTPFailure` when every attempt failed with a retryable error, or at
    once for other 4xx answers; the body is read, so a truncated one counts as a failure.
    """
    last = "no attempt was made"
    last_response: httpx.Response | None = None
    for attempt in range(1, policy.attempts + 1):
        retry_after = None
        last_response = None
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            last = "the server did not answer in time"
        except httpx.TransportError as error:
            last = f"connection failed ({error.__class__.__name__}: {error})"
        else:
            if response.status_code not in RETRY_STATUSES:
                if response.is_error:
                    raise HTTPFailure(f"{url} answered HTTP {response.status_code}"
                                      f"{_reason(response)}", response)
                return response
            last = f"HTTP {response.status_code}{_reason(response)}"
            last_response = response
            retry_after = retry_after_seconds(response)
        if attempt < policy.attempts:
            sleep(policy.delay(attempt, retry_after))
    raise HTTPFailure(f"{url} failed after {policy.attempts} attempts: {last}", last_response)


def _reason(response: httpx.Response) -> str:
    return f" {response.reason_phrase}" if response.reason_phrase else ""
