"""Fixtures for reading the built site in headless Chromium, as a reader would.

Once per session: a static server on 127.0.0.1, the sample site built into a subfolder
of what it serves (``/daily-papers/``, as GitHub project Pages serve a site; see
:mod:`sample_site`), a test video and poster beside it, and one Chromium.
Per test: a fresh browser context (no shared cookies or storage) wrapped in a
:class:`Reader` that records what a reader's browser would complain about.

Requests to other hosts never leave the machine (there is no network here, and a test must
not depend on one): they are answered locally through ``BrowserContext.route``. Images get a placeholder
PNG, media gets the test video, anything else an empty ``200``. So a thumbnail on Hugging
Face's CDN renders as a real image of the usual size instead of a broken one, and the
browser logs no error for it; every such request is kept in ``Reader.external`` so tests
can check what the site loads from elsewhere.

Chromium is Debian's (``apt-get install chromium``), not a Playwright download. Without it
the tests skip, saying why; under CI (``CI`` set, as ``.ci/run`` and GitHub Actions do)
they fail instead, so a CI run can never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest
from media_fixtures import DEMO_VIDEO, placeholder_png
from sample_site import (
    FIXTURES_PATH,
    SITE_PATH,
    SampleSite,
    build_sample_site,
    reader_records,
    xss_records,
)
from static_server import StaticServer

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        Dialog,
        Locator,
        Page,
        Request,
        Response,
        Route,
    )

#: The flags Debian's Chromium needs here: no sandbox as root, no GPU, and no background
#: traffic (component updates, sync, QUIC probes), which a closed network refuses noisily.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


def _required() -> bool:
    """True in CI, where a missing browser must fail the run rather than skip the tests."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    if _required():
        pytest.fail(f"{reason} (CI is set, so the browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """Chromium's executable: ``$DAILY_PAPERS_CHROMIUM``, else the first on ``PATH``."""
    configured = os.environ.get("DAILY_PAPERS_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    executable = find_chromium()
    if executable is None:
        _unavailable(
            "Chromium not found: install it (Debian: apt-get install chromium) or set "
            "DAILY_PAPERS_CHROMIUM to its executable"
        )
    return executable  # type: ignore[return-value]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    served = StaticServer(tmp_path_factory.mktemp("www"))
    yield served
    served.close()


@pytest.fixture(scope="session")
def sample_site(server: StaticServer, tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    """The sample site, built once per session and served by ``server``."""
    fixtures_url = urljoin(server.url, FIXTURES_PATH)
    site = build_sample_site(
        tmp_path_factory.mktemp("project"),
        server.root / SITE_PATH,
        urljoin(server.url, SITE_PATH),
        extra=reader_records(fixtures_url) + xss_records(),
    )
    fixtures = server.root / FIXTURES_PATH
    fixtures.mkdir()
    (fixtures / "poster.png").write_bytes(placeholder_png(320, 180))
    shutil.copyfile(DEMO_VIDEO, fixtures / "demo.mp4")
    return site


@pytest.fixture(scope="session")
def demo_video(sample_site: SampleSite, server: StaticServer) -> Path:
    """The served test video (a fixture in the repository: no ffmpeg needed)."""
    return server.root / FIXTURES_PATH / "demo.mp4"


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$DAILY_PAPERS_SCREENSHOTS``, else a folder of this run."""
    configured = os.environ.get("DAILY_PAPERS_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _SCREENSHOTS.append(folder)
    return folder


_SCREENSHOTS: list[Path] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for folder in _SCREENSHOTS:
        shots = sorted(folder.glob("*.png"))
        if shots:
            terminalreporter.write_line(f"browser screenshots ({len(shots)}): {folder}")


@dataclass
class Reader:
    """One browser tab on the sample site, and everything the browser complained about."""

    page: Page
    site: SampleSite
    server: StaticServer
    viewport: dict[str, int]
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    first_hit: int = 0

    def open(self, path: str) -> Response:
        """Go to a page of the site (path relative to its root) and wait until it loaded."""
        response = self.page.goto(urljoin(self.site.url, path.lstrip("/")), wait_until="load")
        assert response is not None, f"{path}: no response"
        assert response.ok, f"{path}: HTTP {response.status}"
        return response

    def card(self, paper_id: str) -> Locator:
        """The card of one paper on the current page (its heading carries the paper's id)."""
        return self.page.locator(f"article:has(> h2[id='{paper_id}'])")

    def search(self, query: str) -> Locator:
        """Search from the header as a reader would; the result items once they show.

        On a desktop the header's box takes the words and Enter opens the search page;
        on a phone the header shows only a button, which opens the search page, and the
        words go into that page's box.
        """
        box = self.page.locator(".dp-search-box input")
        if box.is_visible():
            box.click()
            box.press_sequentially(query, delay=10)
            box.press("Enter")
        else:
            self.page.locator(".dp-search-box button").click()
            self.page.wait_for_url("**/search/**")
            page_box = self.page.locator("#dp-q")
            page_box.click()
            page_box.press_sequentially(query, delay=10)
        self.page.wait_for_url("**/search/?q=*")
        return self.results()

    def results(self) -> Locator:
        """The search page's result items, once the search has finished."""
        self.page.wait_for_function(
            "() => !/찾는 중|검색어를 입력/.test("
            "document.querySelector('.dp-search__status').textContent)",
            timeout=10_000,
        )
        return self.page.locator(".dp-result")

    def failed_requests(self) -> list[str]:
        """Requests this test made that the server answered with an error status."""
        return [
            f"{hit.status} {hit.method} {hit.path}"
            for hit in self.server.hits[self.first_hit :]
            if hit.status >= 400
        ]

    def complaints(self) -> list[str]:
        """Console errors, uncaught exceptions, dialogs and failed requests, in that order."""
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"uncaught exception: {text}" for text in self.page_errors]
            + [f"dialog opened: {text}" for text in self.dialogs]
            + [f"failed request: {text}" for text in self.failed_requests()]
        )

    def take_complaints(self) -> list[str]:
        """The complaints so far, forgetting them (to tell pages apart in one test)."""
        complaints = self.complaints()
        for kept in (self.console_errors, self.page_errors, self.dialogs):
            kept.clear()
        self.first_hit = len(self.server.hits)
        return complaints


def _answer_external(
    reader: Reader, origin: str, video: bytes | None
) -> Callable[[Route, Request], None]:
    image = placeholder_png()

    def handle(route: Route, request: Request) -> None:
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" == origin or parts.scheme not in ("http", "https"):
            route.continue_()
            return
        reader.external.append(f"{request.resource_type} {request.url}")
        if request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=image)
        elif request.resource_type == "media" and video is not None:
            route.fulfill(status=200, content_type="video/mp4", body=video)
        else:
            route.fulfill(status=200, body=b"")

    return handle


def open_reader(
    browser: Browser, site: SampleSite, server: StaticServer, viewport: dict[str, int]
) -> tuple[Reader, BrowserContext]:
    """A new browser context and tab on the site; returns the reader and the context."""
    context = browser.new_context(
        viewport=viewport,
        locale="ko-KR",
        service_workers="block",
        is_mobile=viewport["width"] < 600,
        has_touch=viewport["width"] < 600,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    reader = Reader(
        page=page, site=site, server=server, viewport=viewport, first_hit=len(server.hits)
    )
    page.on(
        "console",
        lambda message: (
            reader.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: reader.page_errors.append(str(error)))

    def on_dialog(dialog: Dialog) -> None:
        reader.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    video = DEMO_VIDEO.read_bytes()
    origin = server.url.rstrip("/")
    context.route("**/*", _answer_external(reader, origin, video))
    return reader, context


@pytest.fixture
def reader(browser: Browser, sample_site: SampleSite, server: StaticServer) -> Iterator[Reader]:
    """A desktop reader; the test fails if the browser complained about anything."""
    opened, context = open_reader(browser, sample_site, server, DESKTOP)
    yield opened
    context.close()
    assert not opened.complaints(), "\n".join(opened.complaints())


@pytest.fixture
def mobile_reader(
    browser: Browser, sample_site: SampleSite, server: StaticServer
) -> Iterator[Reader]:
    """A phone-sized reader (375x812, touch); fails on complaints like ``reader``."""
    opened, context = open_reader(browser, sample_site, server, MOBILE)
    yield opened
    context.close()
    assert not opened.complaints(), "\n".join(opened.complaints())
