"""Every kind of page, light and dark, checked with axe-core in the browser: no serious
or critical violation. axe-core comes bundled with axe-playwright-python (PyPI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from conftest import DESKTOP, open_reader
from sample_site import LAB, PROLIFIC_AUTHOR, READER_DAY, VIDEO_PAPER

from generator.plugin.authors import author_key, slug_of

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from sample_site import SampleSite
    from static_server import StaticServer

pytestmark = pytest.mark.browser

#: One page of each kind (generated and hand-written), by what it is.
PAGES = {
    "home": "",
    "day": f"{READER_DAY:%Y/%m/%d}/",
    "paper": f"papers/{VIDEO_PAPER}/",
    "week": f"weeks/{READER_DAY.isocalendar()[0]}-W{READER_DAY.isocalendar()[1]:02d}/",
    "month": f"{READER_DAY:%Y/%m}/",
    "year": f"{READER_DAY:%Y}/",
    "archive": "archive/",
    "top": "top/",
    "top of a year": f"top/{READER_DAY:%Y}/",
    "organizations": "orgs/",
    "organization": f"orgs/{LAB.name}/",
    "topics": "topics/",
    "topic": "topics/cs.CV/",
    "authors": "authors/",
    "author": f"authors/{slug_of(author_key(PROLIFIC_AUTHOR))}/",
    "trends": "trends/",
    "review": "review/",
    "glossary": "glossary/",
    "my feed": "me/",
    "search": "search/?q=diffusion",
    "about (hand-written)": "about/",
}
SERIOUS = ("serious", "critical")
#: Moderate, but found here once: two page navigations both labelled "이동".
ALSO = ("landmark-unique",)


def violations(page: object) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS or violation["id"] in ALSO:
            targets = [" ".join(node["target"]) for node in violation["nodes"]][:3]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}: {targets}"
            )
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_kind_has_a_serious_accessibility_violation(
    browser: Browser, sample_site: SampleSite, server: StaticServer, scheme: str
) -> None:
    reader, context = open_reader(browser, sample_site, server, DESKTOP)
    reader.page.emulate_media(color_scheme=scheme)
    found = []
    try:
        for kind, path in PAGES.items():
            reader.open(path)
            if kind == "search":
                reader.results()
            found += [f"{kind} ({path or '/'}): {line}" for line in violations(reader.page)]
    finally:
        context.close()
    assert not found, "\n".join(found)
