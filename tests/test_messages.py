"""The interface text lives in one table a site can override or replace by configuration."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml
from sitebuild import build_site, make_project, read_page, sample_papers

from generator.plugin import messages
from generator.plugin.messages import MessagesError

PLUGIN = Path(__file__).resolve().parent.parent / "generator" / "plugin"
HANGUL = re.compile("[\uac00-\ud7a3]")
PAPERS = sample_papers()[:2]


def reference() -> dict[str, str]:
    table = messages.shipped(messages.REFERENCE)
    assert table is not None
    return table


def test_no_interface_text_outside_the_message_tables() -> None:
    """Korean words in the plugin's code or templates would escape a translation.

    Comments and docstrings may quote Korean (as examples, marked with ``...``).
    """
    found = []
    for path in sorted(PLUGIN.rglob("*")):
        if path.suffix not in (".py", ".html", ".xml", ".js") or "messages" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if path.suffix == ".py":
                line = line.split("#", 1)[0]
                line = "" if "``" in line else line
            if HANGUL.search(line):
                found.append(f"{path.relative_to(PLUGIN)}:{number}: {line.strip()}")
    assert found == []


def test_a_site_overrides_one_message(tmp_path: Path) -> None:
    config = make_project(tmp_path, PAPERS, plugin={"messages": {"archive_title": "날짜로 보기"}})
    site = build_site(config, tmp_path / "site")
    assert next(read_page(site, "archive/").find("h1")).text == "날짜로 보기"


def test_a_fork_publishes_in_another_language(tmp_path: Path) -> None:
    english = {key: f"EN {key}" for key in reference()}
    english.update(
        weekdays="MTWTFSS",
        date_long="{year}-{month:02d}-{day:02d} ({weekday})",
        date_short="{year}-{month:02d}-{day:02d}",
        votes="{votes} votes",
    )
    papers = [
        dataclasses.replace(p, summary=["An English bullet."], summary_source=None) for p in PAPERS
    ]
    config = make_project(tmp_path, papers, plugin={"messages": english})
    # The plugin follows the theme's language, as a fork would set it.
    config.write_text(
        config.read_text(encoding="utf-8").replace("  language: ko\n", "  language: en\n")
    )
    site = build_site(config, tmp_path / "site")
    day = PAPERS[0].date
    page = read_page(site, f"{day:%Y/%m/%d}/")
    assert next(page.find("h1")).text.startswith(f"{day:%Y-%m-%d} (")
    # The page's own content: the site's navigation titles come from its mkdocs.yml.
    assert not HANGUL.search("".join(e.text for e in page.elements if e.in_content))
    html = (site / f"{day:%Y/%m/%d}" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.feed.language == "en"


def test_a_theme_override_replaces_a_template(tmp_path: Path) -> None:
    config = make_project(tmp_path, PAPERS)
    text = config.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"
    )
    config.write_text(text, encoding="utf-8")
    override = tmp_path / "overrides" / "daily-papers" / "day.html"
    override.parent.mkdir(parents=True)
    override.write_text('<h1 class="my-day">{{ day.date | date_long }}</h1>\n', encoding="utf-8")
    site = build_site(config, tmp_path / "site")
    day = PAPERS[0].date
    assert read_page(site, f"{day:%Y/%m/%d}/").by_class("my-day")
    assert not read_page(site, "").by_class("my-day")  # only day.html was replaced


@pytest.mark.parametrize(
    ("language", "overrides", "message"),
    [
        ("ko", {"archive_titel": "x"}, "unknown message 'archive_titel'"),
        (
            "ko",
            {"papers": "{count} papers in {month}"},
            "message 'papers' uses {month}, which is not given (it may use: {count})",
        ),
        ("ko", {"papers": "{count"}, "message 'papers' is not a valid template"),
        ("ko", {"weekdays": "월화"}, "message 'weekdays' must be seven characters"),
        ("ko", {"papers": 3}, "message 'papers' must be text (or plural forms), not int"),
        (
            "en",
            {"papers": {"one": "{count} paper", "several": "{count} papers"}},
            "message 'papers': plural forms are zero, one, two, few, many, other, 'other' "
            "among them, not several",
        ),
        ("en", {"papers": {"one": "{count} paper"}}, "not without other"),
    ],
)
def test_bad_messages_are_named(language: str, overrides: dict[str, object], message: str) -> None:
    with pytest.raises(MessagesError, match=re.escape(message)):
        messages.load(language, overrides)


def test_a_bad_message_stops_the_build_with_its_name(tmp_path: Path) -> None:
    config = make_project(tmp_path, PAPERS, plugin={"messages": {"nope": "x"}})
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "unknown message 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_tables_are_yaml_text_or_plural_forms() -> None:
    for name in ("ko", "en"):
        table = yaml.safe_load((PLUGIN / "messages" / f"{name}.yml").read_text(encoding="utf-8"))
        for key, value in table.items():
            assert isinstance(key, str)
            assert isinstance(value, str) or (
                isinstance(value, dict)
                and "other" in value
                and all(isinstance(v, str) for v in value.values())
            ), f"{name}.yml: {key}"


def test_the_english_table_has_every_key_but_the_dates() -> None:
    english = messages.shipped("en")
    assert english is not None
    assert set(english) == set(reference()) - messages.DATE_KEYS
    assert not [key for key, value in english.items() if HANGUL.search(str(value))]


def test_a_language_without_a_table_falls_back_to_english_key_by_key() -> None:
    # A French fork used to have to give every one of 120 messages.
    french = messages.load("fr", {"archive_title": "Archives"})
    assert french.text("archive_title") == "Archives"
    assert french.text("search_title") == "Search"
    # Dates are the language's own, written by Babel, never the English fallback's.
    day = dt.date(2024, 2, 14)
    assert french.date_long(day) == "mercredi 14 février 2024"
    assert french.date_short(day) == "14 février 2024"
    assert french.month_long(day) == "février 2024"
    assert french.locale == "fr_FR"


def test_english_words_numbers_as_english_does() -> None:
    english = messages.load("en", {})
    assert english.text("papers", count=1) == "1 paper"
    assert english.text("papers", count=12) == "12 papers"
    assert english.text("votes", votes=1) == "1 upvote"
    assert english.text("votes", votes="–") == "– upvotes"
    assert english.date_long(dt.date(2024, 2, 14)) == "Wednesday, February 14, 2024"
    assert english.year(2024) == "2024" and english.locale == "en_US"
    korean = messages.load("ko", {})  # the Korean table's own date templates stay
    assert korean.date_long(dt.date(2024, 2, 14)) == "2024년 2월 14일 (수)"
    assert korean.text("papers", count=1) == "1편" and korean.locale == "ko_KR"
