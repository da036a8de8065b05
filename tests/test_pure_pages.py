"""Pure pages (a paper's, an author's, a day's, a topic's older month): all they show of
the archive is in their fields, so ``serve --dirty`` makes the value only of those
unequal to the pages it last wrote.

First, every pure page's value (view, edit link, preview) is made again from a site whose
archive, cards, authors, related papers and glossary refuse every question: a page that
read any of them besides its own fields fails here, and what it makes must be what the
real site made, down to the HTML. Then an edit under ``serve --dirty``: the pure pages
valued again are only those unequal to the pages last written (those holding the edited
record, and those whose neighbours or related papers the edit changed). Whether the
pages written are right is tests/test_page_freshness.py's question (every field, byte
for byte).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from record_files import write
from sitebuild import SITE_URL, make_project, sample_papers

from generator.plugin import layout
from generator.plugin.cards import Card
from generator.plugin.fingerprint import Fingerprints
from generator.plugin.frames import FrameKey, frame_key
from generator.plugin.kinds.base import ARCHIVE_FIELDS, SitePage
from generator.plugin.plugin import DailyPapersPlugin
from generator.plugin.writer import PageValue, PageWriter
from generator.records.model import Paper

PAPERS = sample_papers()
#: On the sample's busiest day, with neighbours on both sides.
EDITED = PAPERS[8]
#: What the preview compares otherwise (the directory: its addresses, by the memo; the
#: templates: by their files, by the session): not refused here.
COMPARED_APART = {"directory", "env"}


class Refused:
    """Stands for a part of the site a pure page must not read: any question fails."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise AssertionError(f"a pure page's value read the site's {self.name}")

    __getattr__ = __call__ = __contains__ = __iter__ = __len__ = __getitem__ = __bool__ = _refuse


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample site with every author on a page (each is on one paper)."""
    monkeypatch.setenv("SITE_URL", SITE_URL)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = tmp_path / "project"
    make_project(folder, PAPERS, plugin={"search": False, "author_pages_min": 1})
    return folder


def config_of(folder: Path, site: Path) -> MkDocsConfig:
    return load_config(str(folder / "mkdocs.yml"), site_dir=str(site))


def plugin_of(config: MkDocsConfig) -> DailyPapersPlugin:
    plugin = config.plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    return plugin


def test_a_pure_pages_value_reads_nothing_of_the_archive_but_its_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_of(project(tmp_path, monkeypatch), tmp_path / "site")
    build(config)
    plan = plugin_of(config).plan
    assert plan is not None
    pure = [page for page in plan.pages.values() if page.pure]
    assert {"paper", "author", "topic_month", "day"} <= {page.kind for page in pure}
    refused = dataclasses.replace(
        plan.site, **{name: Refused(name) for name in ARCHIVE_FIELDS - COMPARED_APART}
    )
    writer, fingerprints = plan.writer, Fingerprints()

    def value(site_page: SitePage) -> PageValue:
        return writer.value(site_page, plan.directory.url(site_page.src_uri), config)

    for page in pure:
        expected = value(page)
        writer.site = writer.renderer.site = refused
        try:
            made = value(page)
            html = refused.render(made.view).html
        finally:
            writer.site = writer.renderer.site = plan.site
        assert fingerprints.of(made) == fingerprints.of(expected), page.src_uri
        assert html == plan.site.render(expected.view).html, page.src_uri


def held(value: object, found: set[str]) -> set[str]:
    """The ids of the records and cards ``value`` holds, however deep."""
    if isinstance(value, Paper | Card):
        found.add(value.id)
    if isinstance(value, tuple | list):
        for item in value:
            held(item, found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            held(getattr(value, field.name), found)
    return found


EDITS: dict[str, Callable[[Paper], Paper]] = {
    "votes": lambda paper: dataclasses.replace(paper, votes=999),
    # A title changes the related papers' terms: every list is found again.
    "title": lambda paper: dataclasses.replace(paper, title="Edited In The Preview"),
}


@pytest.mark.parametrize("key", sorted(EDITS))
def test_serve_dirty_values_only_the_pure_pages_an_edit_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    valued: list[SitePage] = []
    made = PageWriter.value

    def counting(self: PageWriter, site_page: SitePage, url: str, config: MkDocsConfig) -> Any:
        valued.append(site_page)
        return made(self, site_page, url, config)

    monkeypatch.setattr(PageWriter, "value", counting)
    folder = project(tmp_path, monkeypatch)
    config = config_of(folder, tmp_path / "site")
    plugin = plugin_of(config)
    plugin.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        first = plugin.plan
        assert first is not None
        every = {page.src_uri for page in first.pages.values() if page.pure}
        assert every <= {page.src_uri for page in valued}  # nothing written yet: all valued
        valued.clear()
        write(EDITS[key](EDITED), folder / "data")
        build(config_of(folder, tmp_path / "site"), dirty=True)
    finally:
        plugin.on_startup(command="build", dirty=False)
    plan = plugin.plan
    assert plan is not None
    # Each frame's own page is rendered (so valued) at every rebuild: the first of its
    # first folder and depth.
    owners: dict[FrameKey, str] = {}
    for page in plan.pages.values():
        if page.deferred:
            url = plan.directory.url(page.src_uri)
            owners.setdefault(
                frame_key(url, page.edit_url(plan.site) is not None, page.frame), page.src_uri
            )
    pure = [
        page for page in plan.pages.values() if page.pure and page.src_uri not in owners.values()
    ]
    # Unequal to the last: those holding the edited record (records compare by value), and
    # those whose neighbours (votes order a day) or related papers (a title's terms weigh
    # in every list holding them) the edit changed.
    changed = {page.src_uri for page in pure if page != first.pages[page.src_uri]}
    assert {page.src_uri for page in pure if EDITED.id in held(page, set())} <= changed
    again = {page.src_uri for page in valued if page.pure} & {page.src_uri for page in pure}
    assert again <= changed, "pages valued again though equal to the pages last written"
    assert len(changed) < len(pure) / 2
    # The edited paper's page, and its authors' (they list it), are among them.
    assert layout.paper(EDITED.id) in again
    assert any(plan.pages[src_uri].kind == "author" for src_uri in again)
    assert {"paper", "author", "day"} <= {page.kind for page in pure}
