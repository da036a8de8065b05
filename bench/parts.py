"""Where a build's time goes: seconds per kind of generated page and per generated file.

Builds a project in this process (``--config``, default the bench's archive) with the
search index off, timing the plugin's steps by wrapping them: reading the records, the
authors and the related papers, each kind of page (its view and its rendering: day,
week, organization, ...), the feeds and the open data. Run
``bench/bench.py`` first to write the archive::

    .venv/bin/python bench/parts.py [--config bench/out/daily-papers/mkdocs-no-index.yml]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from generator.plugin import authors, emitters, plugin, related  # noqa: E402
from generator.plugin.kinds import base  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)
COUNT: dict[str, int] = defaultdict(int)


def timed(label: Callable[..., str], function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            name = label(*args, **kwargs)
            SPENT[name] += time.process_time() - started
            COUNT[name] += 1

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--config", type=Path, default=REPO / "bench/out/daily-papers/mkdocs-no-index.yml"
    )
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    kind: Callable[..., str] = lambda self, page, *rest: f"{page.kind} pages"  # noqa: E731
    base.Renderer.view = timed(kind, base.Renderer.view)  # type: ignore[method-assign]
    base.Renderer.render = timed(kind, base.Renderer.render)  # type: ignore[method-assign]
    emitters.feed_files = timed(lambda *a, **k: "feeds", emitters.feed_files)
    emitters.subject_feed_files = timed(lambda *a, **k: "feeds", emitters.subject_feed_files)
    emitters.write_open_data = timed(lambda *a, **k: "open data", emitters.write_open_data)
    plugin.read_archive = timed(lambda *a, **k: "reading records", plugin.read_archive)
    authors.AuthorsCache.find = timed(  # type: ignore[method-assign]
        lambda *a, **k: "authors", authors.AuthorsCache.find
    )
    related.RelatedCache.find = timed(  # type: ignore[method-assign]
        lambda *a, **k: "related papers", related.RelatedCache.find
    )
    started = time.process_time()
    build(load_config(str(args.config), site_dir=str(args.config.parent / "site-parts")))
    total = time.process_time() - started
    print(f"{'part':24} {'count':>7} {'CPU s':>7} {'share':>6}")
    for name, seconds in sorted(SPENT.items(), key=lambda item: -item[1]):
        print(f"{name:24} {COUNT[name]:>7,} {seconds:>7.2f} {seconds / total:>6.0%}")
    print(f"{'whole build':24} {'':>7} {total:>7.2f}")


if __name__ == "__main__":
    main()
