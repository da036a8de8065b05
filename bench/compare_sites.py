"""Compare two built sites file by file: a change made only for speed changes no byte.

Build the same project before and after the change (for instance the bench's archive,
``bench/out/daily-papers``, with two checkouts), then::

    .venv/bin/python bench/compare_sites.py SITE_BEFORE SITE_AFTER

It prints every file that is missing on one side or differs, and exits with status 1
when there is any. Files that hold the build's own time are compared with that time
taken out: the feeds' build date, and the sitemap's dates. A sitemap is compared as
the set of its entries: their order means nothing to a search engine. The generator tag
(``<meta name="generator">``) names the tool that built a page, not what the page says:
the check workflow compares a build by MkDocs with one by ProperDocs this way.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

#: What carries the time of the build or the name of its tool, not the content.
_BUILD_TIME = (
    re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>"),
    re.compile(rb"<lastmod>[^<]*</lastmod>"),
    re.compile(rb'<meta name="generator" content="[^"]*">'),
)


_SITEMAP_ENTRY = re.compile(rb"<(?:url|sitemap)>.*?</(?:url|sitemap)>", re.S)


def content(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    for pattern in _BUILD_TIME:
        data = pattern.sub(b"", data)
    if path.name.startswith("sitemap"):
        data = b"".join(sorted(_SITEMAP_ENTRY.findall(data))) or data
    return data


def differences(before: Path, after: Path) -> list[str]:
    """One line per file that is not the same in both sites."""
    names = {p.relative_to(before).as_posix() for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after).as_posix() for p in after.rglob("*") if p.is_file()}
    found = []
    for name in sorted(names):
        old, new = before / name, after / name
        if not old.is_file():
            found.append(f"only after: {name}")
        elif not new.is_file():
            found.append(f"only before: {name}")
        elif content(old) != content(new):
            found.append(f"differs: {name}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    found = differences(args.before, args.after)
    for line in found:
        print(line)
    files = sum(1 for p in args.after.rglob("*") if p.is_file())
    print(f"{len(found)} of {files:,} files differ", file=sys.stderr)
    raise SystemExit(1 if found else 0)


if __name__ == "__main__":
    main()
