"""The plugin's options, its errors and its edges: every mistake is one clear message."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from sitebuild import REPO_URL, build_site, make_project, read_page, sample_papers

from generator.plugin.edit_links import EditLinkError, edit_links
from generator.plugin.kinds.base import Rendered, Site, View
from generator.plugin.plugin import DailyPapersPlugin
from generator.records.model import Organization

PAPERS = sample_papers()


def mkdocs_build(config: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--config-file",
            str(config),
            "--site-dir",
            str(config.parent / "site"),
            *options,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"feed_size": "many"},
            "Plugin 'daily-papers' option 'feed_size': Expected a whole number, "
            "but received: 'many'",
        ),
        ({"feed_size": 0}, "option 'feed_size': Expected a number of at least 1, but received: 0"),
        ({"authors_shown": True}, "option 'authors_shown': Expected a whole number"),
        ({"top_papers": -3}, "option 'top_papers': Expected a number of at least 1"),
        ({"feed": "yes"}, "option 'feed': Expected type: <class 'bool'>"),
        ({"data_dir": "no-such-folder"}, "option 'data_dir': The path "),
        ({"data_edit_uri": 5}, "option 'data_edit_uri': Expected type: <class 'str'>"),
        (
            {"feed_sise": 20},
            "option 'feed_sise': unknown option; known: data_dir, feed, feed_size, "
            "authors_shown, top_papers, search, open_data, paper_pages, trends, author_pages, "
            "author_pages_min, related, data_edit_uri",
        ),
    ],
)
def test_a_wrong_option_is_a_configuration_error(
    tmp_path: Path, options: dict[str, object], message: str
) -> None:
    result = mkdocs_build(make_project(tmp_path, PAPERS[:2], plugin=options))
    assert result.returncode == 1
    assert "Config value 'plugins': " in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_record_stops_the_build_with_the_validator_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_project(tmp_path, PAPERS[:2])
    record = tmp_path / "data" / "2023" / "12" / "04" / f"{PAPERS[0].id}.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace(f"votes: {PAPERS[0].votes}", "votes: many"),
        encoding="utf-8",
    )
    line = record.read_text(encoding="utf-8").splitlines().index("votes: many") + 1
    expected = (
        f"data/2023/12/04/{PAPERS[0].id}.yaml:{line}: votes: must be a whole number "
        "or null, not a string"
    )
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert expected in caplog.text
    result = mkdocs_build(config)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_preview_shows_invalid_records_instead_of_failing(tmp_path: Path) -> None:
    config_file = make_project(tmp_path, PAPERS[:2])
    broken = tmp_path / "data" / "2023" / "12" / "04" / f"{PAPERS[0].id}.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("votes:", "votes: [") + "\n")
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    plugin = config.plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    plugin.on_startup(command="serve", dirty=False)
    try:
        build(config)  # does not raise: the preview keeps serving
    finally:
        plugin.on_startup(command="build", dirty=False)  # plugin objects are reused
    for url in ("", "archive/", "about/"):
        banner = read_page(tmp_path / "site", url).by_class("dp-record-problems")
        assert banner, url
        assert f"data/2023/12/04/{PAPERS[0].id}.yaml:" in banner[0].text
    day = PAPERS[1].date
    assert (tmp_path / "site" / f"{day:%Y/%m/%d}" / "index.html").is_file()


def test_unknown_keys_are_not_errors(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = make_project(tmp_path, PAPERS[:1])
    record = tmp_path / "data" / "2023" / "12" / "04" / f"{PAPERS[0].id}.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "mood: calm\n", encoding="utf-8")
    with caplog.at_level(logging.INFO):
        build_site(config, tmp_path / "site")
    assert f"{PAPERS[0].id}.yaml:" in caplog.text and "unknown key 'mood'" in caplog.text
    assert mkdocs_build(config, "--strict").returncode == 0


def test_a_hand_written_page_may_not_take_a_generated_path(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_project(tmp_path, PAPERS[:1])
    (tmp_path / "docs" / "archive.md").write_text("# 내 아카이브\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert (
        "archive/index.html: docs/archive.md and the generated archive page '아카이브' (archive.md)"
    ) in caplog.text


def test_an_empty_archive_builds_a_site_that_says_so(tmp_path: Path) -> None:
    site = build_site(make_project(tmp_path, []), tmp_path / "site")
    for url in ("", "archive/", "top/"):
        assert "아직 기록된 논문이 없습니다" in read_page(site, url).content().text
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.entries == []


def test_without_site_url_there_is_no_feed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_project(tmp_path, PAPERS[:1], site_url=None)
    with caplog.at_level(logging.WARNING):
        site = build_site(config, tmp_path / "site")
    assert "the feed needs absolute links" in caplog.text
    assert not (site / "feed.xml").exists()
    assert "application/rss+xml" not in (site / "index.html").read_text(encoding="utf-8")


def test_authors_shown_and_top_papers(tmp_path: Path) -> None:
    site = build_site(
        make_project(tmp_path, PAPERS, plugin={"authors_shown": 2, "top_papers": 1}),
        tmp_path / "site",
    )
    paper = next(p for p in PAPERS if len(p.authors) > 2)
    page = read_page(site, f"{paper.date:%Y/%m/%d}/")
    heading = next(page.find("h2", id=paper.id))
    summary = next(e for e in page.elements[page.elements.index(heading) :] if e.tag == "summary")
    assert summary.text == f"+{len(paper.authors) - 2}"
    top = read_page(site, "top/")
    assert len([e for e in top.elements if e.tag == "li" and e.in_content]) == 3  # a month each


def test_a_single_extra_author_is_not_folded(tmp_path: Path) -> None:
    paper = next(p for p in PAPERS if len(p.authors) > 3)
    shown = len(paper.authors) - 1  # folding would hide exactly one name
    site = build_site(
        make_project(tmp_path, [paper], plugin={"authors_shown": shown}), tmp_path / "site"
    )
    page = read_page(site, f"{paper.date:%Y/%m/%d}/")
    heading = next(page.find("h2", id=paper.id))
    card = page.elements[page.elements.index(heading) :]
    assert not [e for e in card if e.tag == "summary"]
    authors = next(e for e in card if "dp-authors" in e.classes)
    assert authors.text == ", ".join(paper.authors)


def test_edit_links_follow_data_edit_uri(tmp_path: Path) -> None:
    site = build_site(
        make_project(tmp_path, PAPERS[:1], plugin={"data_edit_uri": "edit/trunk/records/"}),
        tmp_path / "site",
    )
    page = read_page(site, f"{PAPERS[0].date:%Y/%m/%d}/")
    edits = {e.attrs["href"] for e in page.elements if "dp-edit" in e.classes}
    assert edits == {f"{REPO_URL}/edit/trunk/records/2023/12/04/{PAPERS[0].id}.yaml"}
    assert page.edit_button().attrs["href"] == (f"{REPO_URL}/tree/trunk/records/2023/12/04")


@pytest.mark.parametrize(
    ("edit_uri", "docs", "data", "override", "edit", "tree"),
    [
        (
            "edit/main/docs/",
            "docs",
            "data",
            None,
            "https://github.com/o/r/edit/main/data/",
            "https://github.com/o/r/tree/main/data/",
        ),
        (
            "blob/release/2.x/site/docs/",
            "site/docs",
            "data",
            None,
            "https://github.com/o/r/blob/release/2.x/data/",
            "https://github.com/o/r/tree/release/2.x/data/",
        ),
        (
            "-/edit/main/docs/",
            "docs",
            "records",
            None,
            "https://github.com/o/r/-/edit/main/records/",
            "https://github.com/o/r/-/tree/main/records/",
        ),
        (
            "edit/main/docs/",
            "docs",
            "data",
            "edit/dev/data",
            "https://github.com/o/r/edit/dev/data/",
            "https://github.com/o/r/tree/dev/data/",
        ),
        (
            "https://example.org/edit/main/docs/",
            "docs",
            "data",
            None,
            "https://example.org/edit/main/data/",
            "https://example.org/tree/main/data/",
        ),
    ],
)
def test_edit_links_are_derived_from_edit_uri(
    tmp_path: Path, edit_uri: str, docs: str, data: str, override: str | None, edit: str, tree: str
) -> None:
    links = edit_links(
        repo_url="https://github.com/o/r",
        edit_uri=edit_uri,
        docs_dir=str(tmp_path / docs),
        data_dir=str(tmp_path / data),
        config_dir=str(tmp_path),
        data_edit_uri=override,
    )
    assert links is not None
    assert (links.edit_base, links.tree_base) == (edit, tree)


def test_edit_links_need_an_edit_uri_that_names_the_docs_folder(tmp_path: Path) -> None:
    with pytest.raises(EditLinkError, match="set the plugin option data_edit_uri"):
        edit_links(
            repo_url="https://github.com/o/r",
            edit_uri="edit/main/website/",
            docs_dir=str(tmp_path / "docs"),
            data_dir=str(tmp_path / "data"),
            config_dir=str(tmp_path),
        )
    assert (
        edit_links(
            repo_url=None,
            edit_uri=None,
            docs_dir=str(tmp_path / "docs"),
            data_dir=str(tmp_path / "data"),
            config_dir=str(tmp_path),
        )
        is None
    )
    with pytest.raises(EditLinkError, match="must be an absolute http"):
        edit_links(
            repo_url="javascript:alert(1)//",
            edit_uri="edit/main/docs/",
            docs_dir=str(tmp_path / "docs"),
            data_dir=str(tmp_path / "data"),
            config_dir=str(tmp_path),
        )


def test_serve_rebuilds_when_a_record_changes(tmp_path: Path) -> None:
    """Watched with the system's file events, not MkDocs' polling (a core's half, idle)."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    plugin = DailyPapersPlugin()
    plugin.load_config({"data_dir": str(tmp_path)})
    plugin.on_serve(server, config=None, builder=None)  # type: ignore[arg-type]
    try:
        assert server._watched_paths == {}  # nothing for MkDocs' polling observer
        (tmp_path / "2402.00001.yaml").write_text("id: x\n", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=10)
    finally:
        plugin._observer.stop()
        server.server_close()


def test_serve_falls_back_to_mkdocs_watcher(tmp_path: Path) -> None:
    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    plugin = DailyPapersPlugin()
    plugin.load_config({"data_dir": str(tmp_path)})
    plugin.on_serve(Server(), config=None, builder=None)  # type: ignore[arg-type]
    assert watched == [str(tmp_path)]


def test_the_preview_reads_only_the_records_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs serve rebuilds everything on each change; records and cards are kept."""
    from generator.records import reading as store_module

    config_file = make_project(tmp_path, PAPERS)
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    plugin = config.plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    checked: list[str] = []
    real = store_module.check_record

    def counting(raw: bytes, path: str, location: str | None = None):  # type: ignore[no-untyped-def]
        checked.append(path)
        return real(raw, path, location)

    monkeypatch.setattr(store_module, "check_record", counting)
    plugin.on_startup(command="serve", dirty=False)
    try:
        build(config)
        assert len(checked) == len(PAPERS)
        record = tmp_path / "data" / PAPERS[0].relative_path()
        record.write_text(
            record.read_text(encoding="utf-8").replace(
                PAPERS[0].title, "A Title Edited In The Preview"
            ),
            encoding="utf-8",
        )
        checked.clear()
        config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
        build(config)
    finally:
        plugin.on_startup(command="build", dirty=False)
    assert checked == [f"data/{PAPERS[0].relative_path().as_posix()}"]
    day = read_page(tmp_path / "site", f"{PAPERS[0].date:%Y/%m/%d}/")
    assert "A Title Edited In The Preview" in [e.text for e in day.find("a")]


def test_serve_dirty_rewrites_only_what_an_edit_changed(tmp_path: Path) -> None:
    """``mkdocs serve --dirty`` keeps the site folder: an edited record rewrites its day
    and week pages and its day's open data, and leaves every other day's files alone.
    Without related papers: here every title shares the same words, so a new title
    changes every paper's related list (tests/test_related.py edits keywords instead)."""
    config_file = make_project(tmp_path, PAPERS, {"related": False})
    site = tmp_path / "site"
    config = load_config(str(config_file), site_dir=str(site))
    plugin = config.plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    edited = PAPERS[0]
    others = sorted({p.date for p in PAPERS if p.date != edited.date})
    assert others, "the sample needs a second day"

    def written(date: dt.date) -> tuple[int, int]:
        page = site / f"{date:%Y/%m/%d}" / "index.html"
        data = site / "api" / "days" / f"{date.isoformat()}.json"
        return page.stat().st_mtime_ns, data.stat().st_mtime_ns

    plugin.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        before = {date: written(date) for date in [edited.date, *others]}
        time.sleep(0.01)  # file times must be able to differ
        record = tmp_path / "data" / edited.relative_path()
        record.write_text(
            record.read_text(encoding="utf-8").replace(edited.title, "Edited While Dirty"),
            encoding="utf-8",
        )
        config = load_config(str(config_file), site_dir=str(site))
        build(config, dirty=True)
    finally:
        plugin.on_startup(command="build", dirty=False)
    for date in others:
        assert written(date) == before[date], f"{date} was written again"
    page, data = written(edited.date)
    assert page != before[edited.date][0] and data != before[edited.date][1]
    day = read_page(site, f"{edited.date:%Y/%m/%d}/")
    assert "Edited While Dirty" in [e.text for e in day.find("a")]
    assert "Edited While Dirty" in (site / "api" / "days" / f"{edited.date}.json").read_text(
        encoding="utf-8"
    )


def test_serve_dirty_writes_again_only_the_feeds_and_open_data_an_edit_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``serve --dirty`` the files besides pages are kept as pure pages are
    (generator/plugin/memo.py): a topic's or an organization's feed, a shard of the
    follow index and a day's open data are written again only where the edit changed
    them; the rest keep their files. (That the rewritten ones are right, byte for byte,
    tests/test_page_freshness.py checks for every field.)"""
    monkeypatch.setenv("SITE_URL", "https://example.org/papers/")  # feeds need it
    labs = [Organization("lab-a", "Lab A"), Organization("lab-b", "Lab B")]
    papers = [
        dataclasses.replace(paper, organization=labs[number % 2])
        for number, paper in enumerate(PAPERS)
    ]
    config_file = make_project(tmp_path, papers, {"related": False, "author_pages_min": 1})
    site = tmp_path / "site"
    plugin = load_config(str(config_file), site_dir=str(site)).plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    edited = papers[0]

    def outputs() -> dict[str, tuple[int, bytes]]:
        found = [*site.glob("feed-topic-*"), *site.glob("feed-org-*")]
        found += [site / "api" / "follow.json", *(site / "api" / "follow").iterdir()]
        found += (site / "api" / "days").iterdir()
        return {
            path.relative_to(site).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
            for path in found
        }

    plugin.on_startup(command="serve", dirty=True)
    try:
        build(load_config(str(config_file), site_dir=str(site)), dirty=True)
        before = outputs()
        time.sleep(0.01)  # file times must be able to differ
        record = tmp_path / "data" / edited.relative_path()
        record.write_text(
            record.read_text(encoding="utf-8").replace(edited.title, "Edited While Dirty"),
            encoding="utf-8",
        )
        build(load_config(str(config_file), site_dir=str(site)), dirty=True)
        after = outputs()
    finally:
        plugin.on_startup(command="build", dirty=False)
    assert set(after) == set(before)
    changed = {path for path in after if after[path][1] != before[path][1]}
    rewritten = {path for path in after if after[path][0] != before[path][0]}
    assert rewritten == changed
    for family in ("feed-topic-", "feed-org-", "api/follow", "api/days/"):
        paths = {path for path in after if path.startswith(family)}
        assert paths & changed, f"the edit shows in no file of {family}"
        assert paths - changed, f"every file of {family} shows the edit"


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "dirty"])
def test_the_preview_renders_again_only_the_navigation_pages_whose_view_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dirty: bool
) -> None:
    """The pages MkDocs renders itself (the few in the navigation: the home page, the
    glossary, the search page...) are kept by their view's fingerprint under ``serve``
    and ``serve --dirty`` alike: a rebuild after an edit renders again only those whose
    view the edit changed (at 30,000 papers the trends page alone took 0.4 s to print)."""
    config_file = make_project(tmp_path, PAPERS)
    site = tmp_path / "site"
    printed: list[str] = []
    render = Site.render

    def counted(self: Site, view: View) -> Rendered:
        printed.append(view.template)
        return render(self, view)

    monkeypatch.setattr(Site, "render", counted)
    plugin = load_config(str(config_file), site_dir=str(site)).plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    plugin.on_startup(command="serve", dirty=dirty)
    try:
        build(load_config(str(config_file), site_dir=str(site)), dirty=dirty)
        first = set(printed)
        printed.clear()
        edited = PAPERS[0]
        record = tmp_path / "data" / edited.relative_path()
        record.write_text(
            record.read_text(encoding="utf-8").replace(edited.title, "Edited In The Preview"),
            encoding="utf-8",
        )
        build(load_config(str(config_file), site_dir=str(site)), dirty=dirty)
    finally:
        plugin.on_startup(command="build", dirty=False)
    assert {"search.html", "me.html", "glossary.html", "day.html"} <= first
    assert "day.html" in printed  # the edited paper's day
    assert not {"search.html", "me.html", "glossary.html"} & set(printed)


def test_serve_dirty_removes_the_open_data_of_a_deleted_day(tmp_path: Path) -> None:
    """The site folder is kept between rebuilds: a day whose records were all deleted kept
    its api/days/<date>.json, and api/days.json no longer listed it."""
    config_file = make_project(tmp_path, PAPERS)
    site = tmp_path / "site"
    plugin = load_config(str(config_file), site_dir=str(site)).plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    gone = PAPERS[0].date
    data = site / "api" / "days" / f"{gone.isoformat()}.json"
    plugin.on_startup(command="serve", dirty=True)
    try:
        build(load_config(str(config_file), site_dir=str(site)), dirty=True)
        assert data.is_file()
        shutil.rmtree(tmp_path / "data" / f"{gone:%Y/%m/%d}")
        build(load_config(str(config_file), site_dir=str(site)), dirty=True)
    finally:
        plugin.on_startup(command="build", dirty=False)
    assert not data.exists()
    index = json.loads((site / "api" / "days.json").read_text(encoding="utf-8"))
    assert gone.isoformat() not in {day["date"] for day in index["days"]}


@pytest.mark.parametrize("dirty", [False, True])
def test_serve_suggests_dirty_for_a_large_archive(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    dirty: bool,
) -> None:
    from generator.plugin import plugin as plugin_module

    monkeypatch.setattr(plugin_module, "DIRTY_HINT_PAPERS", len(PAPERS))
    config = load_config(str(make_project(tmp_path, PAPERS)), site_dir=str(tmp_path / "site"))
    plugin = config.plugins["daily-papers"]
    assert isinstance(plugin, DailyPapersPlugin)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    plugin.on_startup(command="serve", dirty=dirty)
    caplog.set_level(logging.INFO)
    try:
        build(config, dirty=dirty)
        plugin.on_serve(server, config=config, builder=None)
    finally:
        plugin.on_startup(command="build", dirty=False)
        if plugin._observer is not None:
            plugin._observer.stop()
            plugin._observer = None
        server.server_close()
    hinted = "'mkdocs serve --dirty' rewrites only the pages" in caplog.text
    assert hinted is not dirty


def test_a_bad_record_stops_the_build_before_the_last_good_site_is_emptied(
    tmp_path: Path,
) -> None:
    """MkDocs empties site/ before on_files, where the records used to be read: one bad
    record left nothing of the last good build."""
    config = make_project(tmp_path, PAPERS)
    site = build_site(config, tmp_path / "site")
    before = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    record = tmp_path / "data" / PAPERS[0].relative_path()
    record.write_text(record.read_text(encoding="utf-8").replace("votes:", "votes: -"), "utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 1
    assert f"{PAPERS[0].id}.yaml" in result.stderr and "daily-papers validate" in result.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file()) == before
