"""Bytes a reader's browser fetches from the built site: a day page view, then queries.

Serves the site on 127.0.0.1 and reads it in headless Chromium (Debian's, through
Playwright) with a cold cache: every response body is counted as served and as gzip
would compress it (GitHub Pages compresses text). Images are not counted: they come from
Hugging Face's CDN, which this machine does not reach, so every request to another host
is answered empty. Used by ``bench.py --browser``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import http.server
import shutil
import threading
from pathlib import Path

#: One to three words, Korean and English, as readers type them.
QUERIES = ("모델", "강화 학습", "언어 모델 추론", "diffusion", "language models")
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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def measure(site: Path, probe: dt.date) -> None:
    """Print the bytes of a cold day page view and of each query on the search page."""
    from playwright.sync_api import BrowserContext, Page, Response, Route, sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    chromium = shutil.which("chromium") or "chromium"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            counted: list[tuple[int, int]] = []

            def count(response: Response) -> None:
                if response.url.startswith(origin) and response.request.resource_type != "image":
                    body = response.body()
                    counted.append((len(body), len(gzip.compress(body))))

            def answer(route: Route) -> None:
                if route.request.url.startswith(origin):
                    route.continue_()
                else:
                    route.fulfill(status=200, body=b"")

            def fresh() -> tuple[BrowserContext, Page]:
                context = browser.new_context()
                context.route("**/*", answer)
                page = context.new_page()
                page.on("response", count)
                return context, page

            def total() -> tuple[int, int]:
                return sum(raw for raw, _ in counted), sum(packed for _, packed in counted)

            context, page = fresh()
            page.goto(f"{origin}/{probe:%Y/%m/%d}/", wait_until="networkidle")
            raw, packed = total()
            print(
                f"\ncold view of the day page {probe}: {raw:,} bytes "
                f"({packed:,} gzipped), images excluded"
            )
            context.close()
            for query in QUERIES:
                counted.clear()
                context, page = fresh()
                page.goto(f"{origin}/search/", wait_until="networkidle")
                before = total()
                counted.clear()
                page.fill("#dp-q", query)  # as typed: the query's own requests only
                page.wait_for_selector(".dp-result", timeout=30_000)
                page.wait_for_load_state("networkidle")
                raw, packed = total()
                shown = page.locator(".dp-search__status").inner_text()
                print(
                    f"query {query!r}: {raw:,} bytes ({packed:,} gzipped) beyond the "
                    f"search page's own {before[0]:,}; {shown}"
                )
                context.close()
            browser.close()
    finally:
        server.shutdown()
