"""Benchmark ``daily-papers import`` on a generated archive of legacy digests.

Writes a synthetic archive (``paper_logs/YYYY/MM/DD.md``, every digest variant the
importer knows, our own invented text) to a temporary folder, then times, through the
real console command:

* a fresh import into an empty data folder,
* the same import again (every record already up to date, nothing written),
* as the baseline in the same run, ``daily-papers validate`` of the records produced
  (reading and checking every record once: the least any import has to do to update them).

Run it from the repository root::

    .venv/bin/python bench/import_bench.py            # 400 days, 20 papers a day
    .venv/bin/python bench/import_bench.py --days 50 --repeat 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "모델",
    "데이터",
    "학습",
    "추론",
    "성능",
    "효율",
    "영상",
    "언어",
    "구조",
    "평가",
    "방법",
    "결과",
    "정확도",
    "확산",
    "토큰",
    "메모리",
    "그래프",
    "에이전트",
    "로봇",
    "음성",
)
ENDINGS = (
    "을 개선합니다.",
    "를 제안합니다.",
    "에서 좋은 결과를 보입니다.",
    "를 분석합니다.",
    "의 한계를 다룹니다.",
)
KEYS = ("What's New", "Technical Details", "Performance Highlights")
NAMES = ("Kim", "Lee", "Park", "Choi", "Jung", "O'Neil", "Smith, Jr.", "Müller", "Zhang", "Rossi")


def sentence(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
    return f"{words}{rng.choice(ENDINGS)}"


def paper_block(rng: random.Random, day_index: int, paper_index: int, paper_id: str) -> str:
    """One paper, in the variant the day's position picks (as the real format drifted)."""
    variant = day_index % 6
    lines = [
        f"### [Synthetic Paper {day_index}-{paper_index}: On {rng.choice(WORDS)}]"
        f"(https://arxiv.org/abs/{paper_id})",
        "",
    ]
    media = f"https://cdn.example.org/uploads/{paper_id}"
    if variant == 1:
        lines += [
            f"[Watch Video]{media}.mp4",
            f'<div><video controls src="{media}.mp4" muted="false"></video></div>',
            "",
        ]
    elif variant == 2:
        lines += [
            f"[Watch Video]({media}.mp4)",
            f'<div><video controls src="{media}.mp4" muted="false"></video></div>',
            "",
            "Vote: -",
            "",
        ]
    elif variant >= 3:
        image = f"/avatars/{paper_id}.svg" if variant == 4 else f"{media}.png"
        lines += [f"![]({image})", "", f"Vote: {rng.randint(0, 99)}", ""]
    authors = [f"{rng.choice(NAMES)} {chr(65 + i)}." for i in range(rng.randint(2, 12))]
    if variant == 5:
        lines += [f"Authors: {authors!r}", ""]
    elif variant >= 1:
        lines += [f"Authors: {', '.join(authors)}", ""]
    for index in range(rng.randint(3, 8)):
        text = sentence(rng)
        if variant >= 4 and index < len(KEYS):
            stars = "***" if variant == 5 else "**"
            lines.append(f"- {stars}{KEYS[index]}{stars}: {text}")
            lines.append("") if variant == 4 else None
        else:
            lines.append(f"- {text}")
    lines.append("")
    return "\n".join(lines)


def write_archive(root: Path, days: int, papers: int, seed: int = 1) -> int:
    """Write ``days`` digests of ``papers`` papers each; returns the number of papers."""
    rng = random.Random(seed)
    start = dt.date(2023, 11, 1)
    for day_index in range(days):
        date = start + dt.timedelta(days=day_index)
        blocks = [f"## Daily Papers ({date})", ""]
        for paper_index in range(papers):
            paper_id = f"{date:%y%m}.{10000 + day_index * 100 + paper_index:05d}"
            blocks.append(paper_block(rng, day_index, paper_index, paper_id))
        path = root / "paper_logs" / f"{date:%Y}" / f"{date:%m}" / f"{date:%d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(blocks), encoding="utf-8")
    return days * papers


def timed(args: list[str], cwd: Path) -> float:
    command = [sys.executable, "-m", "generator.cli", *args]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(
            f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}"
            f"{done.stderr[-2000:]}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=400, help="day files (default 400)")
    parser.add_argument("--papers", type=int, default=20, help="papers a day (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median shown)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
        root = Path(folder)
        total = write_archive(root, options.days, options.papers)
        fresh, again, baseline = [], [], []
        for _ in range(options.repeat):
            shutil.rmtree(root / "data", ignore_errors=True)
            fresh.append(timed(["import", "paper_logs", "--data-dir", "data"], root))
            again.append(timed(["import", "paper_logs", "--data-dir", "data"], root))
            baseline.append(timed(["validate", "data"], root))
        records = sum(1 for _ in (root / "data").rglob("*.yaml"))
    if records != total:
        sys.exit(f"expected {total} records, found {records}")

    f, a, b = (statistics.median(x) for x in (fresh, again, baseline))
    print(f"archive: {options.days} day files, {total} papers; median of {options.repeat} runs")
    print(f"  baseline: validate the {records} records  {b:6.2f} s")
    print(
        f"  import, fresh (all written)        {f:6.2f} s  {f / b:4.2f}x baseline  "
        f"{total / f:6.0f} papers/s"
    )
    print(
        f"  import, again (nothing changes)    {a:6.2f} s  {a / b:4.2f}x baseline  "
        f"{total / a:6.0f} papers/s"
    )


if __name__ == "__main__":
    main()
