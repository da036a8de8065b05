"""The one HTTP client for every command that talks to a server.

Both the Hugging Face API (``fetch``) and chat-completions servers (``summarize``) rate
limit, fail transiently, and may be slow or hostile, so both go through :class:`Client`,
which carries its whole policy as httpx keeps its configuration on the client: retries
with exponential backoff and full jitter on 429, 5xx and connection errors (honouring
``Retry-After``, each retry logged with its reason), a shared rate limit, a deadline for
a whole request and a cap on the size of an answer, all on one injectable clock.
"""

from __future__ import annotations

import email.utils
import logging
import math
import os
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from generator import __version__

log = logging.getLogger("daily-papers")

USER_AGENT = f"daily-papers/{__version__} (+https://github.com/daily-papers/daily-papers)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Seconds before the first retry; tests set it near zero through the environment.
ENV_RETRY_DELAY = "DAILY_PAPERS_RETRY_DELAY"
#: No answer we read comes near this: a day of the API is about 100 KB, a summary 5 KB.
MAX_ANSWER_BYTES = 20 * 1024 * 1024
#: Headers the decoded body no longer matches once it has been read.
_BODY_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


class HTTPFailure(Exception):
    """A request that failed for good; the message says what happened, for a person.

    ``response`` is the last response when the server answered at all (None after
    timeouts and connection errors), so a caller can tell a refused API key from a
    transient outage and quote the server's own explanation.
    """

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class SettingError(ValueError):
    """An environment setting that cannot work; the message names it."""


@dataclass(frozen=True)
class Clock:
    """Time as the client sees it; tests pass a fake one so waiting costs nothing."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> RetryPolicy:
        """The default policy with the first delay from ``DAILY_PAPERS_RETRY_DELAY``."""
        return cls(
            base_delay=seconds_setting(environ, ENV_RETRY_DELAY, cls.base_delay, minimum=0.0)
        )


def seconds_setting(environ: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    """A number of seconds from the environment (empty or unset: ``default``)."""
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingError(f"{name} must be a number of seconds, not {text!r}") from None
    if not minimum <= value < math.inf:  # also refuses nan
        raise SettingError(f"{name} must be a number of seconds from {minimum:g} up, not {text!r}")
    return value


class RateLimiter:
    """At most ``requests`` request starts in any ``per`` seconds, shared by all threads.

    A sliding window rather than a fixed pace: a short run (one day, a week) goes at full
    speed, and only a long backfill waits, just enough to stay under a server's quota.
    Every attempt counts, retries included, because the server counts them too.
    """

    def __init__(self, requests: int, per: float, clock: Clock = Clock()) -> None:
        if requests < 1 or per <= 0:
            raise ValueError("a rate limit needs at least one request per positive period")
        self.requests = requests
        self.per = per
        self._clock = clock
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until one more request may start."""
        while True:
            with self._lock:
                now = self._clock.now()
                while self._starts and now - self._starts[0] >= self.per:
                    self._starts.popleft()
                if len(self._starts) < self.requests:
                    self._starts.append(now)
                    return
                delay = self.per - (now - self._starts[0])
            self._clock.sleep(delay)


@dataclass
class Client:
    """An httpx client with the project's policy; safe to share across threads.

    ``timeout`` bounds each wait for the server (connecting, each read); ``deadline``
    bounds a whole request, retries and waits included, so a server that trickles its
    answer cannot hold a command for hours. An answer larger than ``max_bytes`` is
    refused while it is read, before it can fill the memory.
    """

    timeout: float = 30.0
    deadline: float = 300.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: At most this many requests in this many seconds (every attempt counts).
    rate_limit: tuple[int, float] | None = None
    max_bytes: int = MAX_ANSWER_BYTES
    headers: Mapping[str, str] = field(default_factory=dict)
    clock: Clock = field(default_factory=Clock)
    transport: httpx.BaseTransport | None = None

    def __post_init__(self) -> None:
        self._limiter = RateLimiter(*self.rate_limit, clock=self.clock) if self.rate_limit else None
        self._http = httpx.Client(
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            headers={"User-Agent": USER_AGENT, **self.headers},
            follow_redirects=True,
            transport=self.transport,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        until: float | None = None,
        accept: Callable[[httpx.Response], str | None] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send a request, retrying transient failures; the response has a final status.

        The body is read whole (within ``max_bytes`` and the deadline), so a truncated
        one counts as a failure. Raises :class:`HTTPFailure` when every attempt failed
        with a retryable error, at once for other 4xx answers, and when the deadline
        passes or the answer is too large. ``until`` is an earlier point on the clock to
        give up at (the deadline of several requests together, such as a day's pages).
        ``accept`` says why a successful answer is unusable (an HTML error page where
        JSON was due, a body cut short); such an answer is retried like a 5xx.
        """
        give_up = self.clock.now() + self.deadline
        if until is not None:
            give_up = min(give_up, until)
        last = "no attempt was made"
        last_response: httpx.Response | None = None
        for attempt in range(1, self.retry.attempts + 1):
            if self._limiter is not None:
                self._limiter.wait()
            retry_after = None
            last_response = None
            try:
                response = self._attempt(method, url, give_up, kwargs)
            except httpx.TimeoutException:
                last = "the server did not answer in time"
            except httpx.TransportError as error:
                last = f"connection failed ({error.__class__.__name__}: {error})"
            except httpx.HTTPError as error:  # a redirect loop, a body that cannot be decoded
                raise HTTPFailure(f"{url} failed: {error.__class__.__name__}: {error}") from None
            else:
                if response.status_code in RETRY_STATUSES:
                    last = f"HTTP {response.status_code}{_reason(response)}"
                    last_response = response
                    retry_after = retry_after_seconds(response)
                elif response.is_error:
                    raise HTTPFailure(
                        f"{url} answered HTTP {response.status_code}{_reason(response)}",
                        response,
                    )
                else:
                    problem = accept(response) if accept is not None else None
                    if problem is None:
                        return response
                    last = problem
                    last_response = response
            if attempt == self.retry.attempts:
                break
            delay = self.retry.delay(attempt, retry_after)
            if self.clock.now() + delay >= give_up:
                raise HTTPFailure(
                    f"{url} failed: {last}; no time left to retry before the deadline",
                    last_response,
                )
            log.warning(
                "%s %s: %s; retry %d of %d in %.1f s",
                method,
                url,
                last,
                attempt,
                self.retry.attempts - 1,
                delay,
            )
            self.clock.sleep(delay)
        raise HTTPFailure(
            f"{url} failed after {self.retry.attempts} attempts: {last}", last_response
        )

    def _attempt(
        self, method: str, url: str, give_up: float, kwargs: dict[str, Any]
    ) -> httpx.Response:
        """One attempt, reading the body in chunks against the deadline and the size cap."""
        with self._http.stream(method, url, **kwargs) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large(url)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_large(url)
                if self.clock.now() > give_up:
                    raise HTTPFailure(
                        f"{url} was still sending its answer at the deadline "
                        f"({self.deadline:g} s a request); gave up (a slow or "
                        "stuck server)"
                    )
                chunks.append(chunk)
        headers = [
            (k, v) for k, v in response.headers.multi_items() if k.lower() not in _BODY_HEADERS
        ]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=b"".join(chunks),
            request=response.request,
            extensions={"reason_phrase": response.reason_phrase.encode()},
        )

    def _too_large(self, url: str) -> HTTPFailure:
        return HTTPFailure(
            f"{url} sent an answer larger than {self.max_bytes / 2**20:g} MB; "
            "refused (no real answer is this large)"
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


def _reason(response: httpx.Response) -> str:
    return f" {response.reason_phrase}" if response.reason_phrase else ""
