"""The one HTTP client for every command that talks to a server.

Both the Hugging Face API (``fetch``) and chat-completions servers (``summarize``) rate
limit, fail transiently, and may be slow or hostile, so both go through :class:`Client`,
which carries its whole policy as httpx keeps its configuration on the client: retries
with exponential backoff and full jitter on 429, 5xx and connection errors (honouring
``Retry-After``, each retry logged with its reason), a shared rate limit, a deadline for
a whole request and a cap on the size of an answer, all on one injectable clock.

httpx bounds each wait on the network (``timeout``), not a whole request: a server that
sends its headers a byte a second keeps the request alive for hours. The deadline is
therefore also enforced below httpx, in the connection pool's network streams
(:class:`_DeadlineBackend`, on httpcore's public backend interface): every read, write
and connect of a request waits at most until the request's deadline. The error says
which bound was hit: a silent server (``timeout``), the deadline (while connecting,
reading headers or reading the body), the rate limit, or a ``Retry-After`` beyond it.
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

import httpcore
import httpx

from generator import __version__
from generator.pace import SharedPace

log = logging.getLogger("daily-papers")

USER_AGENT = f"daily-papers/{__version__} (+https://github.com/daily-papers/daily-papers)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Seconds before the first retry; tests set it near zero through the environment.
ENV_RETRY_DELAY = "DAILY_PAPERS_RETRY_DELAY"
#: No answer we read comes near this: a day of the API is about 100 KB, a summary 5 KB.
MAX_ANSWER_BYTES = 20 * 1024 * 1024
#: A whole request's deadline, by default, in multiples of the timeout of each wait: 300 s
#: for the default 30 s, and a trickling server given up within a minute at 5 s.
DEADLINE_PER_TIMEOUT = 10
#: Headers the decoded body no longer matches once it has been read.
_BODY_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


class DeadlineHit(Exception):
    """An attempt stopped at the deadline; ``doing`` says what the server was doing."""

    def __init__(self, doing: str) -> None:
        super().__init__(doing)
        self.doing = doing


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
        """Seconds to wait before retry number ``attempt`` (1-based).

        A server's ``Retry-After`` is honoured as it is, however long: retrying early only
        burns the attempts. The request's deadline decides whether it is worth waiting.
        """
        if retry_after is not None:
            return max(retry_after, 0.0)
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

    def wait(self, until: float | None = None) -> bool:
        """Block until one more request may start; False (without waiting) when that
        would be after ``until``, a point on the clock."""
        while True:
            with self._lock:
                now = self._clock.now()
                while self._starts and now - self._starts[0] >= self.per:
                    self._starts.popleft()
                if len(self._starts) < self.requests:
                    self._starts.append(now)
                    return True
                delay = self.per - (now - self._starts[0])
                if until is not None and now + delay > until:
                    return False
            self._clock.sleep(delay)


class DeadlinePassed(httpcore.TimeoutException):
    """A network wait stopped at the request's deadline (not at ``timeout``)."""


#: The current request's deadline on the real monotonic clock, per thread: the request
#: and its network reads run in one thread, whichever pooled connection they use.
_deadline = threading.local()


def _bounded(timeout: float | None) -> float | None:
    """A network wait's timeout, shortened to end at the current request's deadline."""
    until: float | None = getattr(_deadline, "until", None)
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        raise DeadlinePassed("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection's stream whose every wait ends at the request's deadline at the latest."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own synchronous backend, its streams bounded by the request's deadline."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _bounded(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._backend.connect_unix_socket(path, _bounded(timeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport on a connection pool with :class:`_DeadlineBackend`."""

    def __init__(self) -> None:
        super().__init__()
        # httpx builds its pool from public httpcore parts; only the network backend
        # differs (httpx offers no setting for it). A test fails if httpx stops using it.
        limits = httpx.Limits()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )


@dataclass
class Client:
    """An httpx client with the project's policy; safe to share across threads.

    ``timeout`` bounds each wait for the server (connecting, each read); ``deadline``
    bounds a whole request, retries, the rate limit's waits, the headers and the body
    included, so a server that trickles its answer cannot hold a command for hours; by
    default it is ten times ``timeout``. An answer larger than ``max_bytes`` is refused
    while it is read, before it can fill the memory.
    """

    timeout: float = 30.0
    deadline: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: At most this many requests in this many seconds (every attempt counts).
    rate_limit: tuple[int, float] | None = None
    #: A pace shared with every other command talking to the same server (arXiv's).
    pace: SharedPace | None = None
    max_bytes: int = MAX_ANSWER_BYTES
    headers: Mapping[str, str] = field(default_factory=dict)
    clock: Clock = field(default_factory=Clock)
    transport: httpx.BaseTransport | None = None

    def __post_init__(self) -> None:
        if self.deadline is None:
            self.deadline = DEADLINE_PER_TIMEOUT * self.timeout
        self._limiter = RateLimiter(*self.rate_limit, clock=self.clock) if self.rate_limit else None
        self._http = httpx.Client(
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            headers={"User-Agent": USER_AGENT, **self.headers},
            follow_redirects=True,
            transport=self.transport or _DeadlineTransport(),
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
        assert self.deadline is not None
        give_up = self.clock.now() + self.deadline
        bound = f"the request's deadline ({self.deadline:g} s)"
        if until is not None and until < give_up:
            give_up, bound = until, "the deadline of this run's requests together"
        last = "no attempt was made"
        last_response: httpx.Response | None = None
        for attempt in range(1, self.retry.attempts + 1):
            if self._limiter is not None and not self._limiter.wait(until=give_up):
                raise HTTPFailure(
                    f"{url} was not asked: the rate limit ({self._limiter.requests} requests "
                    f"in {self._limiter.per:g} s) would hold it past {bound}",
                    last_response,
                )
            if self.pace is not None and not self.pace.wait(give_up - self.clock.now()):
                raise HTTPFailure(
                    f"{url} was not asked: the pace shared by every command asking "
                    f"{self.pace.name} (one request every {self.pace.per:g} s) would hold it "
                    f"past {bound}",
                    last_response,
                )
            retry_after = None
            last_response = None
            try:
                response = self._attempt(method, url, give_up, bound, kwargs)
            except DeadlineHit as hit:
                raise HTTPFailure(f"{url} {hit.doing} at {bound}; gave up") from None
            except httpx.TimeoutException:
                last = f"the server sent nothing for {self.timeout:g} s (the timeout of each wait)"
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
                asked = (
                    f" and asked to be retried after {retry_after:g} s (Retry-After)"
                    if retry_after is not None
                    else ""
                )
                raise HTTPFailure(
                    f"{url} failed: {last}{asked}; no time left to retry before {bound}",
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
        self, method: str, url: str, give_up: float, bound: str, kwargs: dict[str, Any]
    ) -> httpx.Response:
        """One attempt, reading the body in chunks against the deadline and the size cap.

        The network waits of the attempt (connecting, the headers, each read) end at the
        deadline too: it is set for this thread's streams, on the real clock.
        """
        _deadline.until = time.monotonic() + max(0.0, give_up - self.clock.now())
        doing = "did not finish connecting or sending its headers"
        try:
            with self._http.stream(method, url, **kwargs) as response:
                doing = "was still sending its answer"
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
                        raise DeadlineHit(doing)
                    chunks.append(chunk)
        except httpx.TimeoutException as error:
            if isinstance(error.__context__, DeadlinePassed) or time.monotonic() >= _deadline.until:
                raise DeadlineHit(doing) from None
            raise
        finally:
            _deadline.until = None
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
