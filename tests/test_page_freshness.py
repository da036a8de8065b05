"""Every page showing a record's field changes when the field does: under ``mkdocs
build``, ``mkdocs serve`` (pages kept between rebuilds) and ``serve --dirty`` (the site
folder kept, only changed pages written).

Each field of the record table is edited in turn, and the preview's rebuilt site must be
byte for byte what a fresh ``mkdocs build`` of the edited records writes. A page whose
key left out a field it shows (the paper page's keywords and its JSON-LD's
``datePublished`` once did) stays stale and fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from record_files import write
from sitebuild import REPO, SITE_URL, make_project, sample_papers

from generator.plugin.plugin import DailyPapersPlugin
from generator.records.model import Media, Organization, Paper, SummarySource
from generator.records.rules import FIELDS

PAPERS = sample_papers()
#: The paper edited: on the sample's busiest day, with every kind of field filled in.
EDITED = PAPERS[8]
#: A day of the sample other than the edited paper's.
OTHER_DAY = PAPERS[0].date

Edit = Callable[[Paper], Paper]

#: One edit per key of the record table. ``id`` and ``date`` name the record's file:
#: changing them moves it, which the store does, not an edit in place.
EDITS: dict[str, Edit] = {
    "also_listed": lambda p: dataclasses.replace(p, also_listed=[OTHER_DAY]),
    "title": lambda p: dataclasses.replace(p, title="A Title Edited In The Preview"),
    "authors": lambda p: dataclasses.replace(p, authors=[*p.authors, "Added Author"]),
    "authors_incomplete": lambda p: dataclasses.replace(p, authors_incomplete=True),
    "author_accounts": lambda p: dataclasses.replace(
        p, author_accounts={p.authors[0]: "edited-account"}
    ),
    "votes": lambda p: dataclasses.replace(p, votes=999),
    "comments": lambda p: dataclasses.replace(p, comments=77),
    "published": lambda p: dataclasses.replace(p, published=dt.date(2023, 1, 2)),
    "summary": lambda p: dataclasses.replace(
        p, summary=["사람이 고친 요약입니다."], summary_source=SummarySource("human")
    ),
    "summary_source": lambda p: dataclasses.replace(p, summary_source=SummarySource("imported")),
    "links": lambda p: dataclasses.replace(
        p, links={**p.links, "github": "https://github.com/example/edited"}
    ),
    "code_stars": lambda p: dataclasses.replace(
        p, links={**p.links, "github": "https://github.com/example/x"}, code_stars=1234
    ),
    "organization": lambda p: dataclasses.replace(
        p, organization=Organization("edited-lab", "Edited Lab")
    ),
    "categories": lambda p: dataclasses.replace(p, categories=["cs.RO"]),
    "thumbnail": lambda p: dataclasses.replace(p, thumbnail="https://cdn.example.org/new.png"),
    "media": lambda p: dataclasses.replace(
        p, media=[Media("image", "https://cdn.example.org/edited-figure.png")]
    ),
    "keywords": lambda p: dataclasses.replace(p, keywords=["edited keyword"]),
    "abstract": lambda p: dataclasses.replace(p, abstract="An abstract edited in the preview."),
}
MOVES = {"id", "date"}


def test_every_field_of_the_record_table_has_an_edit() -> None:
    assert set(EDITS) | MOVES == {field.key for field in FIELDS}


def files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def fresh_build(project: Path, site: Path) -> dict[str, bytes]:
    """``mkdocs build`` in a process of its own: no state kept from any earlier build."""
    environment = {**os.environ, "SITE_URL": SITE_URL, "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        check=True,
        env=environment,
    )
    return files(site)


def preview(project: Path, site: Path, dirty: bool, edit: Callable[[], None]) -> dict[str, bytes]:
    """Two builds with one plugin, as ``mkdocs serve`` (``--dirty``) makes them: before
    and after ``edit``; the site folder is kept between them."""
    os.environ["SITE_URL"] = SITE_URL
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    plugin.on_startup(command="serve", dirty=dirty)
    try:
        build(config, dirty=dirty)
        edit()
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)), dirty=dirty)
    finally:
        plugin.on_startup(command="build", dirty=False)
        os.environ.pop("SITE_URL", None)
    return files(site)


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Feeds carry the build's date: the same in every build compared here."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.mark.parametrize("key", sorted(EDITS))
@pytest.mark.parametrize("mode", ["serve", "dirty"])
def test_an_edited_field_shows_on_every_page_after_a_rebuild(
    tmp_path: Path, key: str, mode: str
) -> None:
    # The preview builds no search index; neither does the reference build here.
    project = tmp_path / "project"
    # Every author gets a page (the sample's authors are on one paper each).
    make_project(project, PAPERS, plugin={"search": False, "author_pages_min": 1})
    edited = EDITS[key](EDITED)
    assert edited != EDITED

    def edit() -> None:
        write(edited, project / "data")

    rebuilt = preview(project, tmp_path / "preview", mode == "dirty", edit)
    expected = fresh_build(project, tmp_path / "fresh")
    stale = sorted(path for path, data in expected.items() if rebuilt.get(path) != data)
    assert not stale, f"after editing {key}, these differ from a fresh build: {stale}"


@pytest.mark.parametrize("mode", ["serve", "dirty"])
@pytest.mark.parametrize(
    "template",
    [
        # Our environment's: a page kind's template.
        "daily-papers/day.html",
        # The theme's environment's: the thin frame, which extends Material's base.
        "daily-papers/frame.html",
    ],
)
def test_an_edited_template_shows_after_a_rebuild(tmp_path: Path, mode: str, template: str) -> None:
    # Compiled templates are kept between rebuilds; an edited one must be compiled again.
    project = tmp_path / "project"
    config = make_project(project, PAPERS, plugin={"search": False})
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    override = project / "overrides" / template
    override.parent.mkdir(parents=True)
    source = (REPO / "generator/plugin/templates" / template.split("/", 1)[1]).read_text()
    override.write_text(source, encoding="utf-8")

    def edit() -> None:
        # Before the first block or extends, so every page of the template carries it.
        override.write_text("<!-- edited in the preview -->\n" + source, encoding="utf-8")

    rebuilt = preview(project, tmp_path / "preview", mode == "dirty", edit)
    expected = fresh_build(project, tmp_path / "fresh")
    assert any(b"edited in the preview" in data for data in expected.values())
    stale = sorted(path for path, data in expected.items() if rebuilt.get(path) != data)
    assert not stale, f"after editing {template}, these differ from a fresh build: {stale}"


@pytest.mark.parametrize("mode", ["serve", "dirty"])
def test_an_edited_glossary_shows_after_a_rebuild(tmp_path: Path, mode: str) -> None:
    # The preview keeps an unchanged glossary with what it found in each record.
    project = tmp_path / "project"
    make_project(project, PAPERS, plugin={"search": False})
    glossary = project / "data" / "glossary.yaml"
    glossary.write_text('- term: "speech"\n  ko: "음성"\n', encoding="utf-8")

    def edit() -> None:
        glossary.write_text(
            '- term: "speech"\n  ko: "음성"\n- term: "vision"\n  ko: "비전"\n', encoding="utf-8"
        )

    rebuilt = preview(project, tmp_path / "preview", mode == "dirty", edit)
    expected = fresh_build(project, tmp_path / "fresh")
    assert "비전" in expected["glossary/index.html"].decode()
    stale = sorted(path for path, data in expected.items() if rebuilt.get(path) != data)
    assert not stale, f"after editing the glossary, these differ from a fresh build: {stale}"


@pytest.mark.parametrize("mode", ["serve", "dirty"])
def test_an_edited_message_table_shows_after_a_rebuild(tmp_path: Path, mode: str) -> None:
    # A site's own messages (the ``messages`` option) are part of every view: a page kept
    # or not written again must not keep the old wording. Every author has a page: an
    # author page equal to its last is kept whole under --dirty (.memo), with the lines
    # it printed for the last rebuild's messages.
    project = tmp_path / "project"
    config = make_project(
        project, PAPERS, plugin={"search": False, "messages": {}, "author_pages_min": 1}
    )
    text = config.read_text(encoding="utf-8")
    assert "messages: {}" in text

    def edit() -> None:
        config.write_text(
            text.replace("messages: {}", "messages: {votes: '추천수 {votes}'}"), encoding="utf-8"
        )

    rebuilt = preview(project, tmp_path / "preview", mode == "dirty", edit)
    expected = fresh_build(project, tmp_path / "fresh")
    showing = [path for path, data in expected.items() if "추천수" in data.decode(errors="ignore")]
    assert len(showing) > 10
    stale = sorted(path for path, data in expected.items() if rebuilt.get(path) != data)
    assert not stale, f"after editing the messages, these differ from a fresh build: {stale}"
