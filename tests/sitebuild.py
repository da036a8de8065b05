"""Helpers for the plugin tests: sample records, a site project in a temporary folder,
a real ``mkdocs build`` through MkDocs' Python API, and an HTML reader (stdlib parser)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

from mkdocs.commands.build import build
from mkdocs.config import load_config
from record_files import write

from generator.records.model import Media, Paper, SummarySource, default_links, summary_fingerprint

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://example.github.io/daily-papers/"
REPO_URL = "https://github.com/example/daily-papers"

#: Summary bullets written for these tests (inline Markdown, as the summarizer writes).
BULLETS = [
    "**음성 합성** 모델을 크게 키웠을 때 생기는 변화를 살펴봅니다.",
    "공개 데이터만으로 학습해 `재현`하기 쉽게 만들었습니다.",
    "자세한 결과는 [프로젝트 페이지](https://example.org/project)에 있습니다.",
]


#: The arXiv categories of each day's papers, by index (the last has none recorded).
CATEGORIES: tuple[list[str] | None, ...] = (
    ["cs.CL", "cs.AI"],
    ["cs.CV"],
    ["cs.CV", "cs.CL", "cs.LG"],
    None,
)


def sample_papers() -> list[Paper]:
    """Four days over two years and three months, covering every way a card can look."""
    papers: list[Paper] = []
    days = [dt.date(2023, 12, 4), dt.date(2024, 2, 13), dt.date(2024, 2, 14), dt.date(2024, 3, 1)]
    for day_index, date in enumerate(days):
        for index in range(4):
            paper_id = f"{date:%y%m}.{10000 + day_index * 10 + index:05d}"
            kind = ("llm", "huggingface", "human", None)[index]
            summary = [] if index == 3 else list(BULLETS)
            source = None
            if kind in ("llm", "huggingface"):
                source = SummarySource(
                    kind,
                    model="test-model" if kind == "llm" else None,
                    language="ko" if kind == "llm" else "en",
                    fingerprint=summary_fingerprint(summary),
                )
            elif kind == "human":
                source = SummarySource("human")
            media = []
            if index == 1:
                media = [Media("video", f"https://cdn.example.org/{paper_id}.mp4")]
            elif index == 2:
                media = [
                    Media("image", f"https://cdn.example.org/{paper_id}-fig.png"),
                    Media("image", f"https://cdn.example.org/{paper_id}-fig2.png"),
                ]
            links = default_links(paper_id)
            if index == 0:
                links["github"] = f"https://github.com/example/{paper_id}"
                links["project"] = f"https://example.org/{paper_id}"
            papers.append(
                Paper(
                    id=paper_id,
                    date=date,
                    title=f"Scaling Test Paper {day_index}-{index}: Speech & Vision",
                    authors=[f"Author{day_index}{index} Name{n}" for n in range(2 + index * 6)],
                    votes=None if (day_index, index) == (0, 3) else 5 + 7 * index + day_index,
                    summary=summary,
                    comments=index if index else None,
                    published=date - dt.timedelta(days=1),
                    summary_source=source,
                    links=links,
                    thumbnail=f"https://cdn.example.org/{paper_id}.png",
                    media=media,
                    keywords=["speech", "scaling"],
                    abstract="We study a made-up problem.\n\nWe report made-up results.",
                    categories=CATEGORIES[index],
                )
            )
    return papers


def make_project(
    root: Path, papers: list[Paper], plugin: dict[str, Any] | None = None, **config: Any
) -> Path:
    """A site project like the repository's (its mkdocs.yml and docs/) with these records.

    Returns the path of the project's ``mkdocs.yml``. ``plugin`` options replace the
    daily-papers plugin's, other keyword arguments replace top-level settings.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "docs", root / "docs", dirs_exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    for paper in papers:
        write(paper, root / "data")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    original = "  - daily-papers:\n      data_dir: data\n"
    assert original in text, "the repository's mkdocs.yml no longer configures the plugin so"
    options = {"data_dir": "data", **(plugin or {})}
    text = text.replace(
        original,
        "  - daily-papers:\n"
        + "".join(f"      {key}: {json.dumps(value)}\n" for key, value in options.items()),
    )
    for key, value in config.items():
        text += f"{key}: {json.dumps(value)}\n"
    path = root / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build_site(config_file: Path, site_dir: Path) -> Path:
    """``mkdocs build`` through the Python API, with the URLs CI would set."""
    previous = {key: os.environ.get(key) for key in ("SITE_URL", "REPO_URL")}
    os.environ.update(SITE_URL=SITE_URL, REPO_URL=REPO_URL)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
        build(config)
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return site_dir


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    classes: set[str] = field(default_factory=set)
    #: Inside the page's content (Material's content article), apart from its edit button.
    in_content: bool = False


class Page(HTMLParser):
    """Every element of an HTML page, in order, with its attributes and all text inside it."""

    VOID: ClassVar[frozenset[str]] = frozenset(
        {
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        }
    )

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), classes=set((dict(attrs).get("class") or "").split()))
        element.in_content = any("md-content__inner" in e.classes for e in self._open) and not any(
            "md-content__button" in e.classes for e in [*self._open, element]
        )
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find(self, tag: str | None = None, **attrs: str) -> Iterator[Element]:
        for element in self.elements:
            if tag is not None and element.tag != tag:
                continue
            if all(element.attrs.get(key.rstrip("_")) == value for key, value in attrs.items()):
                yield element

    def by_class(self, name: str) -> list[Element]:
        return [element for element in self.elements if name in element.classes]

    def edit_button(self) -> Element:
        """Material's edit button (the first content action; 9.5.0 gives it no rel)."""
        return next(e for e in self.elements if e.tag == "a" and "md-content__button" in e.classes)

    def content(self) -> Element:
        """The page's main content (Material's ``md-content__inner`` article)."""
        return next(e for e in self.elements if "md-content__inner" in e.classes)


def read_page(site: Path, url: str) -> Page:
    """The built page at a site URL such as ``2024/02/14/``."""
    path = site / url
    if url == "" or url.endswith("/"):
        path = path / "index.html"
    return Page(path.read_text(encoding="utf-8"))
