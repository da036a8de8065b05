"""What the reader's own features cost a built site, in bytes: the follow index, the topic
and organization feeds, the scripts, and a visit to ``me/`` with ten follows.

    python bench/reader_bytes.py <site folder>

A visit's transfer is what the browser fetches, gzip-compressed as GitHub Pages serves
it: me/'s page, reader.js and me.js, the follow index's small file and the shards of the
ten follows (picked as a reader might: the three largest topics, the two largest
organizations, three authors with a page (most papers, median, fewest), two keywords (most
papers, median)). The theme's own stylesheet and scripts are reported apart: every page
loads them and the browser keeps them. bench.py prints this after its builds.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from generator.plugin import follows, layout


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def ten_follows(index: dict[str, list[object]]) -> list[str]:
    """The ten keys a visit follows (see the module's docstring)."""

    def by_count(kind: str) -> list[str]:
        keys = [key for key in index if key.startswith(kind)]
        return sorted(keys, key=lambda key: (-int(index[key][0]), key))  # type: ignore[call-overload]

    topics, orgs, authors, words = (by_count(kind) for kind in ("t:", "o:", "a:", "k:"))
    chosen = topics[:3] + orgs[:2]
    if authors:
        chosen += [authors[0], authors[len(authors) // 2], authors[-1]]
    if words:
        chosen += [words[0], words[len(words) // 2]]
    return chosen


def report(site: Path) -> None:
    meta = json.loads((site / follows.INDEX).read_text(encoding="utf-8"))
    shards = [site / follows.shard_path(number) for number in range(meta["shards"])]
    index: dict[str, list[object]] = {}
    where: dict[str, int] = {}
    for number, path in enumerate(shards):
        for key, entry in json.loads(path.read_text(encoding="utf-8")).items():
            index[key] = entry
            where[key] = number
    raw = sum(path.stat().st_size for path in shards)
    print(
        f"follow index: {len(index):,} keys in {meta['shards']:,} shards, {raw:,} bytes "
        f"({raw / max(1, len(shards)):,.0f} a shard)"
    )
    feeds = sorted(
        path.stat().st_size
        for pattern in ("feed-topic-*", "feed-org-*")
        for path in site.glob(pattern)
    )
    if feeds:
        print(
            f"topic and organization feeds: {len(feeds):,} files, {sum(feeds):,} bytes "
            f"(median {feeds[len(feeds) // 2]:,}, largest {feeds[-1]:,})"
        )
    scripts = [site / layout.READER_SCRIPT, site / layout.ME_SCRIPT]
    print(
        "reader scripts: "
        + ", ".join(f"{p.name} {p.stat().st_size:,} bytes ({gz(p):,} gzipped)" for p in scripts)
        + f"; together {sum(gz(p) for p in scripts):,} gzipped"
    )
    chosen = ten_follows(index)
    files = [site / "me" / "index.html", *scripts, site / follows.INDEX]
    files += [shards[number] for number in sorted({where[key] for key in chosen})]
    theme = [
        path
        for folder in ("assets/javascripts", "assets/stylesheets")
        for path in (site / folder).glob("*.min.*")
        if path.suffix in (".js", ".css")
    ]
    print(
        f"me/ with {len(chosen)} follows ({', '.join(chosen)}): "
        f"{sum(gz(p) for p in files):,} bytes gzipped in {len(files)} files; the theme's "
        f"assets, loaded by every page, {sum(gz(p) for p in theme):,} more"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1].strip())
    report(Path(sys.argv[1]))
