"""Fixtures for reading pages in headless Chromium, as a reader would.

Chromium is Debian's (``apt-get install chromium``), not a Playwright download. Without it
the tests skip, saying why; under CI (``CI`` set, as ``.ci/run`` and GitHub Actions do)
they fail instead, so a CI run can never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: The flags Debian's Chromium needs here: no sandbox as root, no GPU, and no background
#: traffic (component updates, sync, QUIC probes), which a closed network refuses noisily.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _required() -> bool:
    """True in CI, where a missing browser must fail the run rather than skip the tests."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    if _required():
        pytest.fail(f"{reason} (CI is set, so the browser tests may not be skipped)",
                    pytrace=False)
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
        _unavailable("Chromium not found: install it (Debian: apt-get install chromium) or set "
                     "DAILY_PAPERS_CHROMIUM to its executable")
    return executable  # type: ignore[return-value]


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_executable,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()
