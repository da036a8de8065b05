"""The shared HTTP client: User-Agent, retries, Retry-After, failures and the rate limit."""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from replay_server import ReplayServer, Reply

from generator.http import (
    USER_AGENT,
    Client,
    Clock,
    HTTPFailure,
    RateLimiter,
    RetryPolicy,
    retry_after_seconds,
)

FAST = RetryPolicy(attempts=3, base_delay=0.001)


EXPLAINED = {"error": {"message": "explained by the server"}}


@pytest.mark.parametrize(
    "status, message",
    [
        (404, "answered HTTP 404 Not Found"),
        (503, "failed after 2 attempts: HTTP 503 Service Unavailable"),
    ],
)
def test_failure_carries_the_last_response(server: ReplayServer, status: int, message: str) -> None:
    server.script("x", *[Reply(status, EXPLAINED)] * 2)
    url = f"{server.url}?date=x"
    with (
        Client(timeout=5, retry=RetryPolicy(2, 0.001)) as client,
        pytest.raises(HTTPFailure) as caught,
    ):
        client.request("GET", url)
    assert str(caught.value) == f"{url} {message}"
    response = caught.value.response
    assert response is not None and response.status_code == status
    assert response.json() == EXPLAINED


def test_failure_without_an_answer_has_no_response() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago refuses connections
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        Client(timeout=1, retry=RetryPolicy(2, 0.001)) as client,
        pytest.raises(HTTPFailure) as caught,
    ):
        client.request("GET", f"http://127.0.0.1:{port}/")
    assert caught.value.response is None
    assert "connection failed" in str(caught.value)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as running:
        yield running


def answer(retry_after: str) -> httpx.Response:
    return httpx.Response(429, headers={"Retry-After": retry_after})


def test_retry_after_in_seconds() -> None:
    assert retry_after_seconds(answer("120")) == 120.0
    assert retry_after_seconds(answer("1.5")) == 1.5
    assert retry_after_seconds(httpx.Response(429)) is None
    assert retry_after_seconds(answer("soon")) is None


def test_retry_after_as_an_http_date() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (retry_after_seconds(answer(when)) or 0) <= 30
    past = email.utils.formatdate(time.time() - 3600, usegmt=True)
    assert retry_after_seconds(answer(past)) == 0.0


def test_policy_caps_backoff_but_honours_retry_after() -> None:
    policy = RetryPolicy(attempts=5, base_delay=1.0, max_delay=10.0)
    # Retry-After was capped at 60 s, so a 429 asking for 300 s was retried early.
    assert policy.delay(1, 600.0) == 600.0
    assert policy.delay(1, -5.0) == 0.0
    for attempt in range(1, 6):
        assert 0 <= policy.delay(attempt, None) <= min(10.0, 2 ** (attempt - 1))


def test_user_agent_is_sent(server: ReplayServer) -> None:
    with Client() as client:
        client.request("GET", server.url, params={"date": "2025-06-12"})
    (request,) = server.requests
    assert request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("daily-papers/")


def test_retries_server_errors_then_succeeds(server: ReplayServer) -> None:
    server.script("d", Reply(503), Reply(429, headers={"Retry-After": "2"}), Reply(body=[1]))
    clock = FakeClock()
    with Client(retry=FAST, clock=clock.as_clock()) as client:
        response = client.request("GET", server.url, params={"date": "d"})
    assert response.json() == [1]
    assert len(clock.slept) == 2 and clock.slept[1] == 2.0  # the second wait is the server's


def test_gives_up_after_the_last_attempt(server: ReplayServer) -> None:
    server.script("d", *[Reply(500)] * 3)
    clock = FakeClock()
    with Client(retry=FAST, clock=clock.as_clock()) as client, pytest.raises(HTTPFailure) as error:
        client.request("GET", server.url, params={"date": "d"})
    assert str(error.value) == (
        f"{server.url} failed after 3 attempts: HTTP 500 Internal Server Error"
    )
    assert len(clock.slept) == 2 and len(server.requests) == 3


def test_client_errors_are_not_retried(server: ReplayServer) -> None:
    server.script("d", Reply(404))
    with Client(retry=FAST) as client, pytest.raises(HTTPFailure, match="answered HTTP 404"):
        client.request("GET", server.url, params={"date": "d"})
    assert len(server.requests) == 1


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def as_clock(self) -> Clock:
        return Clock(now=self, sleep=self.sleep)


def test_rate_limiter_allows_a_burst_then_waits_for_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 10.0, clock=clock.as_clock())
    for _ in range(3):  # at 1000, 1001 and 1002
        limiter.wait()
        clock.now += 1.0
    assert clock.slept == []
    clock.now = 1004.0
    limiter.wait()  # the fourth waits until the first leaves the window, at 1010
    assert clock.slept == [6.0]
    limiter.wait()  # the fifth until the second leaves, at 1011
    assert clock.slept == [6.0, 1.0]


def test_rate_limiter_counts_every_request_of_a_client(server: ReplayServer) -> None:
    clock = FakeClock()
    server.script("d", Reply(503), Reply(body=[]), Reply(body=[]))
    with Client(retry=RetryPolicy(3, 0.0), rate_limit=(2, 60.0), clock=clock.as_clock()) as client:
        client.request("GET", server.url, params={"date": "d"})
        assert clock.slept == [0.0]  # the retry was the second request of the window
        client.request("GET", server.url, params={"date": "d"})
    assert clock.slept == [0.0, 60.0]


def test_rate_limiter_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0, 1.0)


def test_every_retry_is_logged_with_its_reason(
    server: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.script("d", Reply(503), Reply(429, headers={"Retry-After": "2"}), Reply(body=[]))
    clock = FakeClock()
    with (
        caplog.at_level("WARNING", logger="daily-papers"),
        Client(retry=FAST, clock=clock.as_clock()) as client,
    ):
        client.request("GET", server.url, params={"date": "d"})
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith(f"GET {server.url}: HTTP 503 Service Unavailable; retry 1 of 2 in ")
    assert lines[1] == f"GET {server.url}: HTTP 429 Too Many Requests; retry 2 of 2 in 2.0 s"


def test_a_trickling_answer_is_cut_off_at_the_deadline(server: ReplayServer) -> None:
    """--timeout bounds each read; a server sending a byte a second never trips it."""
    server.script("d", Reply(body=b"[" + b" " * 200 + b"]", trickle=0.02))
    started = time.monotonic()
    with (
        Client(timeout=5, deadline=0.5, retry=RetryPolicy(1, 0.0)) as client,
        pytest.raises(HTTPFailure) as caught,
    ):
        client.request("GET", server.url, params={"date": "d"})
    assert time.monotonic() - started < 2.5  # the whole body would take 4 s
    assert str(caught.value) == (
        f"{server.url} was still sending its answer at the request's deadline (0.5 s); gave up"
    )


def test_trickled_headers_are_cut_off_at_the_deadline(server: ReplayServer) -> None:
    """Headers a byte at a time: each read is quick, so only h11's size limit (16 KB,
    hours at this pace) stopped them."""
    server.script("d", Reply(body=b"[]", header_trickle=0.01))
    started = time.monotonic()
    with (
        Client(timeout=5, deadline=0.5, retry=RetryPolicy(3, 0.0)) as client,
        pytest.raises(HTTPFailure) as caught,
    ):
        client.request("GET", server.url, params={"date": "d"})
    assert time.monotonic() - started < 2.0  # the headers alone would take 20 s
    assert str(caught.value) == (
        f"{server.url} did not finish connecting or sending its headers at the request's "
        "deadline (0.5 s); gave up"
    )
    assert len(server.requests) == 1  # no retry: the deadline is spent


def test_the_deadline_is_ten_times_the_timeout_by_default() -> None:
    assert Client(timeout=5).deadline == 50 and Client().deadline == 300
    assert Client(timeout=5, deadline=20).deadline == 20


def test_the_rate_limits_wait_counts_against_the_deadline(server: ReplayServer) -> None:
    clock = FakeClock()
    with Client(deadline=30, rate_limit=(1, 60.0), clock=clock.as_clock()) as client:
        client.request("GET", server.url, params={"date": "d"})
        with pytest.raises(HTTPFailure) as caught:
            client.request("GET", server.url, params={"date": "d"})
    assert str(caught.value) == (
        f"{server.url} was not asked: the rate limit (1 requests in 60 s) would hold it "
        "past the request's deadline (30 s)"
    )
    assert clock.slept == [] and len(server.requests) == 1


def test_a_retry_after_beyond_the_deadline_gives_up_at_once_saying_why(
    server: ReplayServer,
) -> None:
    clock = FakeClock()
    server.script("d", Reply(429, headers={"Retry-After": "300"}))
    with (
        Client(deadline=120, retry=RetryPolicy(5, 1.0), clock=clock.as_clock()) as client,
        pytest.raises(HTTPFailure) as caught,
    ):
        client.request("GET", server.url, params={"date": "d"})
    assert str(caught.value) == (
        f"{server.url} failed: HTTP 429 Too Many Requests and asked to be retried after "
        "300 s (Retry-After); no time left to retry before the request's deadline (120 s)"
    )
    assert clock.slept == [] and len(server.requests) == 1


def test_a_retry_after_within_the_deadline_is_waited_for_whole(server: ReplayServer) -> None:
    clock = FakeClock()
    server.script("d", Reply(429, headers={"Retry-After": "90"}), Reply(body=[]))
    with Client(deadline=300, retry=RetryPolicy(5, 1.0), clock=clock.as_clock()) as client:
        client.request("GET", server.url, params={"date": "d"})
    assert clock.slept == [90.0]


def test_several_requests_share_a_deadline(server: ReplayServer) -> None:
    clock = FakeClock()
    server.script("d", *[Reply(503, headers={"Retry-After": "7"})] * 2)
    with (
        Client(retry=RetryPolicy(5, 10.0, 10.0), clock=clock.as_clock()) as client,
        pytest.raises(HTTPFailure, match="no time left to retry before the deadline"),
    ):
        client.request("GET", server.url, params={"date": "d"}, until=clock.now + 5)
    assert len(server.requests) == 1


@pytest.mark.parametrize("declared", [True, False], ids=["Content-Length", "no length"])
def test_an_answer_too_large_is_refused_while_it_is_read(
    server: ReplayServer, declared: bool
) -> None:
    server.script("d", Reply(body=b"[" + b"0," * 600_000 + b"0]", length=declared))
    with Client(max_bytes=1_000_000) as client, pytest.raises(HTTPFailure) as caught:
        client.request("GET", server.url, params={"date": "d"})
    assert "sent an answer larger than 0.953674 MB; refused" in str(caught.value)
    assert len(server.requests) == 1  # not retried: the next answer would be as large


def test_an_unusable_answer_is_retried_like_a_5xx(server: ReplayServer) -> None:
    server.script("d", Reply(body="<html>502 Bad Gateway</html>"), Reply(body=[1]))
    clock = FakeClock()
    with Client(retry=FAST, clock=clock.as_clock()) as client:
        response = client.request(
            "GET",
            server.url,
            params={"date": "d"},
            accept=lambda r: None if r.content.startswith(b"[") else "not JSON",
        )
    assert response.json() == [1] and len(server.requests) == 2
