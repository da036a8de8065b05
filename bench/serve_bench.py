"""Benchmark the preview: how soon ``mkdocs serve`` shows an edited record, its memory
over rebuilds, and its CPU while nothing changes.

Runs ``mkdocs serve`` on the bench's archive (write it first with ``bench/bench.py``),
then edits one record's title ``--edits`` times, as a person would in an editor (the
file rewritten in place, each time once the server is idle again and ``--pause`` seconds
after the last edit showed: a person reads the page before editing again, and the
preview frees the last rebuild's garbage 2 s after it), and for each edit times how long
until the served day page shows the new title. Prints the median and
slowest of those times, the resident memory of the serve process (and any children)
after the first, middle and last rebuild (and every tenth, over 20 edits or more), and
the share of a core it uses over ``--idle`` seconds with nothing changing. The first rebuild
after startup reads every record; the rest should reuse what did not change. With
``--dirty`` it runs ``mkdocs serve --dirty``, which keeps the site folder and rewrites
only the pages an edit changed::

    .venv/bin/python bench/serve_bench.py [--project bench/out/daily-papers] [--edits 20] [--dirty]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench import process_tree, tree_rss_bytes  # noqa: E402
from generator.plugin.collector import IDLE_SECONDS  # noqa: E402

#: A person's pause between an edit shown and the next: past the preview's pass while
#: idle, which starts IDLE_SECONDS after a rebuild.
PAUSE = IDLE_SECONDS + 1

#: Seconds to wait for the first build, and for any one edit to show.
STARTUP_LIMIT = 600.0
EDIT_LIMIT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, limit: float) -> float:
    """Seconds until the page at ``url`` contains ``text``, polling every 20 ms."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - started
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {text!r} within {limit:.0f} s")


def tree_cpu_seconds(root: int) -> float:
    """User and system CPU seconds of ``root`` and its living descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    return sum((int(fields[11]) + int(fields[12])) / ticks for _, fields in process_tree(root))


def wait_until_idle(root: int, limit: float = 120.0) -> None:
    """Return once the server spends under 5% of a core for a quarter of a second: the
    previous rebuild (its last files, the open data) is over, as it would be before a
    person's next edit."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        before = tree_cpu_seconds(root)
        time.sleep(0.25)
        if tree_cpu_seconds(root) - before < 0.0125:
            return
    raise SystemExit(f"the server was still busy after {limit:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=REPO / "bench" / "out" / "daily-papers")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measurement")
    parser.add_argument(
        "--pause",
        type=float,
        default=PAUSE,
        help="seconds from an edit shown to the next edit (0: as soon as the server is idle)",
    )
    parser.add_argument(
        "--dirty",
        action="store_true",
        help="run 'mkdocs serve --dirty' (the site folder kept, unchanged pages not rewritten)",
    )
    args = parser.parse_args()
    config = args.project / "mkdocs-no-index.yml"
    if not config.is_file():
        raise SystemExit(f"{config} is missing; run bench/bench.py first")
    records = sorted((args.project / "data").rglob("*.yaml"))
    if not records:
        raise SystemExit(f"no records below {args.project / 'data'}")
    record = records[len(records) // 2]
    original = record.read_text(encoding="utf-8")
    title_line = next(line for line in original.splitlines() if line.startswith("title: "))
    day = record.parent.relative_to(args.project / "data")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{day.as_posix()}/"

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--quiet",
            "--config-file",
            str(config.resolve()),
            "--dev-addr",
            f"127.0.0.1:{port}",
            *(["--dirty"] if args.dirty else []),
        ],
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        # `python -m` puts its working folder first on sys.path: from the repository's,
        # its generator/ would shadow one given by PYTHONPATH (a baseline's worktree).
        cwd=config.parent,
    )
    latencies: list[float] = []
    memory: list[int] = []
    try:
        started = time.perf_counter()
        wait_for(url, "</html>", STARTUP_LIMIT)
        print(
            f"{len(records):,} records; first build served after "
            f"{time.perf_counter() - started:.1f} s; editing {record.relative_to(args.project)}"
        )
        for number in range(1, args.edits + 1):
            if number > 1:
                time.sleep(args.pause)
            wait_until_idle(server.pid)
            marker = f"Edited title {number}"
            record.write_text(original.replace(title_line, f"title: {marker}", 1), encoding="utf-8")
            latencies.append(wait_for(url, marker, EDIT_LIMIT))
            memory.append(tree_rss_bytes(server.pid))
        # The last rebuild's livereload settles, and IDLE_SECONDS after it the preview frees
        # its garbage (a pass of about a second at 30,000 papers): idle is what follows.
        time.sleep(PAUSE)
        wait_until_idle(server.pid)
        before = tree_cpu_seconds(server.pid)
        time.sleep(args.idle)
        idle = (tree_cpu_seconds(server.pid) - before) / args.idle
    finally:
        record.write_text(original, encoding="utf-8")
        # Ctrl-C, as a person stops it: on SIGTERM MkDocs leaves its temporary site folder
        # behind (1.5 GB a run at 30,000 papers).
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.terminate()
            server.wait(timeout=30)

    mib = 2**20
    print(
        f"edit served after: median {statistics.median(latencies):.2f} s, "
        f"slowest {max(latencies):.2f} s, first {latencies[0]:.2f} s ({len(latencies)} edits, "
        f"each {args.pause:g} s after the last showed)"
    )
    half = max(1, len(memory) // 2)
    print(
        f"memory after rebuild 1: {memory[0] / mib:.0f} MB, "
        f"{half}: {memory[half - 1] / mib:.0f} MB, {len(memory)}: {memory[-1] / mib:.0f} MB "
        f"(largest {max(memory) / mib:.0f} MB)"
    )
    if len(memory) >= 20:  # enough rebuilds to tell growth from a level
        steps = ", ".join(f"{n}: {memory[n - 1] / mib:.0f}" for n in range(10, len(memory) + 1, 10))
        print(f"memory every tenth rebuild (MB): {steps}")
    print(f"idle CPU over {args.idle:.0f} s (after the pass while idle): {idle:.1%} of a core")


if __name__ == "__main__":
    main()
