"""`daily-papers import`: records from digests, merging, the report, exit codes, idempotence."""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from record_files import write

from generator.cli import main
from generator.records.model import Media, Paper, SummarySource, default_links, summary_fingerprint
from generator.records.reading import LOCK_NAME, read_record, scan
from generator.records.urls import resolve_url

FIXTURES = Path(__file__).parent / "fixtures" / "digests"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a copy of the fixture digests as ``logs/``."""
    shutil.copytree(FIXTURES, tmp_path / "logs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def project(tmp_path: Path) -> Path:
    """``tmp_path`` as a project: commands find their data folder beside mkdocs.yml."""
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["import", *args])


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file with its bytes and time, but the lock (filelock rewrites it; it holds
    nothing)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def write_digest(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(path: str) -> Paper:
    paper, problems = read_record(Path(path))
    assert paper is not None, problems
    return paper


FIXTURE_REPORT = [
    "logs/archive/README.md:1: file: warning: not named like a day (YYYY/MM/DD.md or "
    "YYYY-MM-DD.md), so not imported; name it on the command line to import it",
    "logs/archive/2023/11/20.md: 2 papers found, 2 records written, 0 unchanged, "
    "0 duplicates merged, 0 not imported",
    "logs/archive/2023/12/04.md: 2 papers found, 2 records written, 0 unchanged, "
    "0 duplicates merged, 0 not imported",
    "logs/archive/2023/12/12.md: 2 papers found, 2 records written, 0 unchanged, "
    "0 duplicates merged, 0 not imported",
    "logs/archive/2024/06/12.md: 1 paper found, 1 record written, 0 unchanged, "
    "0 duplicates merged, 0 not imported",
    "logs/archive/2024/10/18.md:26: duplicate: warning: paper 2410.90002 is also listed at "
    "logs/archive/2024/10/18.md:14; merged into one record",
    "logs/archive/2024/10/18.md: 4 papers found, 3 records written, 0 unchanged, "
    "1 duplicate merged, 0 not imported",
    "logs/loose/2024-03-01.md:1: date: warning: the heading says 2024-03-02 but the file's path "
    "says 2024-03-01; the papers below are dated 2024-03-02",
    "logs/loose/2024-03-01.md: 1 paper found, 1 record written, 0 unchanged, "
    "0 duplicates merged, 0 not imported",
    "All 6 digests: 12 papers found, 11 records written, 0 unchanged, 1 duplicate merged, "
    "0 not imported; 0 errors, 3 warnings",
]

VIDEO_RECORD = """\
id: "2312.90002"
date: 2023-12-04
title: 'Tidepool: Video Diffusion at Low Tide'
authors:
- Chidi Okafor
- Dana Øster
- Eun-ji Seo
votes: null
summary:
- 썰물 때의 조수 웅덩이처럼 작은 영상 확산 모델을 다룹니다.
- 생성된 영상은 [프로젝트 페이지](https://tidepool.example.org)에서 볼 수 있습니다.
summary_source:
  kind: imported
  language: ko
  fingerprint: {fingerprint}
links:
  huggingface: https://huggingface.co/papers/2312.90002
  arxiv: https://arxiv.org/abs/2312.90002
  pdf: https://arxiv.org/pdf/2312.90002
media:
- kind: video
  url: https://cdn.example.org/uploads/tidepool.mp4
"""


def test_fixture_archive_report_and_records(workdir: Path) -> None:
    result = run("logs/archive", "logs/loose")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == FIXTURE_REPORT
    assert len(list((workdir / "data").rglob("*.yaml"))) == 11
    summary = [
        "썰물 때의 조수 웅덩이처럼 작은 영상 확산 모델을 다룹니다.",
        "생성된 영상은 [프로젝트 페이지](https://tidepool.example.org)에서 볼 수 있습니다.",
    ]
    assert (workdir / "data/2023/12/04/2312.90002.yaml").read_text(
        encoding="utf-8"
    ) == VIDEO_RECORD.format(fingerprint=summary_fingerprint(summary))

    merged = load("data/2024/10/18/2410.90002.yaml")  # listed twice: one record, the fuller data
    assert (merged.votes, merged.authors) == (6, ["Nia Brooks", "Omar Sayed"])
    keyed = load("data/2024/06/12/2406.90001.yaml")
    assert keyed.thumbnail == "https://huggingface.co/avatars/0123456789abcdef.svg"
    assert keyed.summary_source == SummarySource(
        "imported", None, "ko", summary_fingerprint(keyed.summary)
    )
    assert not keyed.summary_is_human
    assert load("data/2024/03/02/2403.90001.yaml").date == dt.date(2024, 3, 2)

    checked = CliRunner().invoke(main, ["validate"])
    assert checked.exit_code == 0 and checked.stdout == ""


def test_second_run_changes_no_byte(workdir: Path) -> None:
    assert run("logs").exit_code == 0
    before = snapshot(workdir / "data")
    again = run("logs")
    assert again.exit_code == 0
    assert snapshot(workdir / "data") == before
    assert again.stdout.splitlines()[-1] == (
        "All 6 digests: 12 papers found, 0 records written, 11 unchanged, "
        "1 duplicate merged, 0 not imported; 0 errors, 3 warnings"
    )


def test_a_digest_named_on_the_command_line_needs_no_day_name(workdir: Path) -> None:
    write_digest(workdir / "notes/reading.md", DIGEST)
    result = run("notes/reading.md")
    assert result.exit_code == 0, result.output
    assert load("data/2024/02/14/2402.00001.yaml").title == "Digest Title"


def test_duplicates_across_days_merge_into_the_earliest(workdir: Path) -> None:
    paper = "### [Same Paper](https://arxiv.org/abs/2402.00001)\n\n"
    write_digest(workdir / "dup/2024/02/14.md", f"{paper}Vote: 3\n\nAuthors: A, +\n\n- 첫날 요약\n")
    write_digest(
        workdir / "dup/2024/02/15.md",
        f"{paper}![](https://x.org/t.png)\n\nVote: 9\n\nAuthors: A, B\n\n- 다음날 요약\n",
    )
    result = run("dup")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "dup/2024/02/14.md: 1 paper found, 1 record written, 0 unchanged, 0 duplicates merged, "
        "0 not imported",
        "dup/2024/02/15.md:1: duplicate: warning: paper 2402.00001 is also listed on 2024-02-14 at "
        "dup/2024/02/14.md:1; merged into one record, shown on both days (its summary differs; "
        "the one listed first is kept)",
        "dup/2024/02/15.md: 1 paper found, 0 records written, 0 unchanged, 1 duplicate merged, "
        "0 not imported",
    ]
    assert [p.relative_to(workdir).as_posix() for p in workdir.rglob("*.yaml")] == [
        "data/2024/02/14/2402.00001.yaml"
    ]
    paper_record = load("data/2024/02/14/2402.00001.yaml")
    assert (paper_record.votes, paper_record.authors) == (9, ["A", "B"])
    assert paper_record.authors_incomplete is False  # the second day's list is complete
    assert paper_record.also_listed == [dt.date(2024, 2, 15)]  # shown on both day pages
    assert paper_record.thumbnail == "https://x.org/t.png"
    assert paper_record.summary == ["첫날 요약"]


def test_an_author_list_cut_short_is_marked_incomplete(workdir: Path) -> None:
    write_digest(
        workdir / "cut/2024/02/14.md",
        "### [Many Authors](https://arxiv.org/abs/2402.00001)\n\nAuthors: A, B, +\n\n- 요약\n",
    )
    assert run("cut").exit_code == 0
    paper = load("data/2024/02/14/2402.00001.yaml")
    assert (paper.authors, paper.authors_incomplete) == (["A", "B"], True)
    assert "authors_incomplete: true\n" in (workdir / "data/2024/02/14/2402.00001.yaml").read_text()


DIGEST = """\
## Daily Papers (2024-02-14)

### [Digest Title](https://arxiv.org/abs/2402.00001)

![](https://x.org/thumb.png)

Vote: 4

Authors: Digest Author

- 디지스트의 요약입니다.
"""


def existing(tmp: Path, summary: list[str], source: SummarySource | None, **fields: object) -> Path:
    paper = Paper(
        id="2402.00001",
        date=dt.date(2024, 2, 14),
        title="Fetched Title",
        authors=["Fetched Author"],
        votes=40,
        summary=summary,
        summary_source=source,
        comments=3,
        keywords=["kept"],
        extra={"note": "a person's note"},
    )
    for key, value in fields.items():
        setattr(paper, key, value)
    write(paper, tmp / "data")
    return tmp / "data" / paper.relative_path()


def llm(summary: list[str], fingerprint: str | None = None) -> SummarySource:
    return SummarySource("llm", "model-x", "ko", fingerprint or summary_fingerprint(summary))


def test_an_existing_record_keeps_its_fields_and_gains_what_it_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_digest(tmp_path / "2024-02-14.md", DIGEST)
    path = existing(tmp_path, ["모델이 쓴 요약"], llm(["모델이 쓴 요약"]))
    result = run("2024-02-14.md")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "2024-02-14.md:3: record: warning: data/2024/02/14/2402.00001.yaml: keeps its own summary "
        "(1 bullet, from llm (model-x)), which differs from the digest's; --overwrite replaces it",
        "2024-02-14.md: 1 paper found, 1 record written, 0 unchanged, 0 duplicates merged, "
        "0 not imported",
    ]
    paper = load(str(path))
    assert (paper.title, paper.authors, paper.votes, paper.comments) == (
        "Fetched Title",
        ["Fetched Author"],
        40,
        3,
    )
    assert paper.summary == ["모델이 쓴 요약"] and paper.summary_source == llm(["모델이 쓴 요약"])
    assert paper.thumbnail == "https://x.org/thumb.png"
    assert paper.links == default_links("2402.00001")
    assert (paper.keywords, paper.extra) == (["kept"], {"note": "a person's note"})

    replaced = run("--overwrite", "2024-02-14.md")
    assert replaced.exit_code == 0
    assert replaced.stdout.splitlines()[0] == (
        "2024-02-14.md:3: record: warning: data/2024/02/14/2402.00001.yaml: summary replaced "
        "with the digest's (was 1 bullet, from llm (model-x))"
    )
    paper = load(str(path))
    assert paper.summary == ["디지스트의 요약입니다."] and paper.summary_source is not None
    assert paper.summary_source.kind == "imported" and paper.votes == 40
    assert (
        run("--overwrite", "2024-02-14.md")
        .stdout.splitlines()[0]
        .startswith("2024-02-14.md: 1 paper found, 0 records written, 1 unchanged")
    )


def test_an_english_fallback_or_empty_summary_is_not_a_summary_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_digest(tmp_path / "2024-02-14.md", DIGEST)
    english = ["An English summary from the API."]
    path = existing(
        tmp_path,
        english,
        SummarySource("huggingface", "some-model", "en", summary_fingerprint(english)),
    )
    result = run("2024-02-14.md")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].endswith(
        "1 record written, 0 unchanged, 0 duplicates merged, 0 not imported"
    )
    assert load(str(path)).summary == ["디지스트의 요약입니다."]

    path.unlink()
    existing(tmp_path, [], None, votes=None, authors=[])
    assert run("2024-02-14.md").exit_code == 0
    paper = load(str(path))
    assert (paper.summary, paper.votes, paper.authors) == (
        ["디지스트의 요약입니다."],
        4,
        ["Digest Author"],
    )


def test_a_summary_a_person_edited_is_named_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_digest(tmp_path / "2024-02-14.md", DIGEST)
    existing(tmp_path, ["사람이 고친 요약"], llm(["모델이 쓴 요약"]))
    kept = run("2024-02-14.md")
    assert kept.exit_code == 0
    assert "keeps its own summary (1 bullet, written or edited by a person)" in kept.stdout
    replaced = run("--overwrite", "2024-02-14.md")
    assert (
        "summary replaced with the digest's (was 1 bullet, written or edited by a person)"
        in replaced.stdout
    )


def test_a_paper_recorded_on_another_day_is_merged_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_digest(tmp_path / "2024-02-14.md", DIGEST)
    path = existing(tmp_path, [], None, date=dt.date(2024, 2, 13))
    result = run("2024-02-14.md")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "2024-02-14.md:3: record: warning: data/2024/02/13/2402.00001.yaml: paper 2402.00001 is "
        "already recorded on 2024-02-13; merged there, and listed on 2024-02-14 too"
    )
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.yaml")] == [
        "data/2024/02/13/2402.00001.yaml"
    ]
    assert load(str(path)).summary == ["디지스트의 요약입니다."]
    assert scan([tmp_path / "data"]).errors == []


def test_a_broken_existing_record_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_digest(
        tmp_path / "2024-02-14.md",
        DIGEST + "\n### [Other](https://arxiv.org/abs/2402.00002)\n\n- 다른 요약\n",
    )
    broken = tmp_path / "data/2024/02/14/2402.00001.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"id: [\n")
    result = run("2024-02-14.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "2024-02-14.md:3: record: data/2024/02/14/2402.00001.yaml: has an error (yaml: invalid "
        "YAML: did not find expected node content); left as it is: fix it (see 'daily-papers "
        "validate data/2024/02/14/2402.00001.yaml') and run again",
        "2024-02-14.md: 2 papers found, 1 record written, 0 unchanged, 0 duplicates merged, "
        "1 not imported",
    ]
    assert broken.read_bytes() == b"id: [\n"
    assert load("data/2024/02/14/2402.00002.yaml").summary == ["다른 요약"]


def test_problems_fail_the_run_after_everything_else_is_imported(workdir: Path) -> None:
    write_digest(
        workdir / "logs/bad/2024/02/20.md",
        "## Daily Papers (2024-02-20)\n\n### [Bad Bullet](https://arxiv.org/abs/2402.00009)\n"
        "\n- 좋은 항목\n- <img src=x onerror=alert(1)> 는 글자\n- [나쁜](javascript:alert(1)) 항목\n",
    )
    result = run("logs")
    assert result.exit_code == 1
    assert (
        "logs/bad/2024/02/20.md:7: summary: link target must be an absolute http(s) URL "
        "(scheme is 'javascript:'): 'javascript:alert(1)'; bullet not imported"
    ) in result.stdout
    assert result.stdout.splitlines()[-1].endswith("; 1 error, 3 warnings")
    assert len(list((workdir / "data").rglob("*.yaml"))) == 12
    assert load("data/2024/02/20/2402.00009.yaml").summary == [
        "좋은 항목",
        "<img src=x onerror=alert(1)> 는 글자",
    ]


def test_a_paper_without_bullets_has_no_summary_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_digest(tmp_path / "2024-02-14.md", "### [Bare](https://arxiv.org/abs/2402.00001)\n")
    assert run("2024-02-14.md").exit_code == 0
    paper = load("data/2024/02/14/2402.00001.yaml")
    assert (paper.summary, paper.summary_source, paper.media) == ([], None, [])


def test_records_that_cannot_be_written_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_digest(tmp_path / "2024-02-14.md", DIGEST)
    (tmp_path / "data").mkdir()
    (tmp_path / "data/2024").write_text("a file where a folder should be")
    result = run("2024-02-14.md")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "2024-02-14.md:3: record: data/2024/02/14/2402.00001.yaml: cannot be written: "
    )


def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = run("nowhere")
    assert missing.exit_code == 2 and "nowhere: no such file or folder" in missing.output
    assert run().exit_code == 2
    write_digest(tmp_path / "2024-02-14.md", DIGEST)
    (tmp_path / "file").write_text("")
    not_a_folder = run("--data-dir", "file", "2024-02-14.md")
    assert not_a_folder.exit_code == 2 and "'file' is a file" in not_a_folder.output


def test_no_traceback_for_malformed_digests(tmp_path: Path) -> None:
    """Broken digests of every kind give problem lines and exit 1 through the real command."""
    logs = tmp_path / "logs"
    garbage = {
        "2024/01/01.md": bytes(range(256)),
        "2024/01/02.md": "## Daily Papers (2024-01-02)\n- 요약\n".encode("euc-kr"),
        "2024/01/03.md": b"\x00\x00\x00",
        "2024/01/04.md": b"### [x](https://arxiv.org/abs/2401.00004)\nAuthors: " + b"[" * 3000,
        "2024/01/05.md": b"### [" * 2000,
        "2024/01/06.md": b"",
        "notes/anything.md": b"### [T](https://arxiv.org/abs/2401.00007)\n",
    }
    for name, raw in garbage.items():
        (logs / name).parent.mkdir(parents=True, exist_ok=True)
        (logs / name).write_bytes(raw)
    (logs / "2024/01/07.md").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "import", "logs", "logs/notes/anything.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "not named like a day" not in done.stdout  # it was named on the command line
    assert (
        "logs/notes/anything.md:1: file: no '## Daily Papers (YYYY-MM-DD)' heading" in done.stdout
    )
    assert "logs/2024/01/02.md:2: file: not UTF-8 text" in done.stdout


# --- the real archive, when the reference material is present --------------------------


def expected_papers(text: str) -> dict[str, dict[str, object]]:
    """The reference digest's papers, read with plain string handling (not the importer)."""
    papers: dict[str, dict[str, object]] = {}
    for block in text.split("\n### [")[1:]:
        heading, _, body = block.partition("\n")
        title, _, url = heading.rpartition("](")
        paper_id = re.search(r"\d{4}\.\d{4,5}", url)[0]  # type: ignore[index]
        lines = [line.strip() for line in body.splitlines()]
        fields: dict[str, object] = {
            "title": " ".join(title.split()),
            "authors": [],
            "votes": None,
            "thumbnail": None,
            "media": [],
            "summary": [],
        }
        for line in lines:
            if line.startswith("Authors: ["):
                fields["authors"] = [a for a in ast.literal_eval(line[9:]) if a != "+"]
            elif line.startswith("Authors: "):
                fields["authors"] = [a.strip() for a in line[9:].split(",") if a.strip() != "+"]
            elif line.startswith("Vote: "):
                fields["votes"] = None if line == "Vote: -" else int(line[6:])
            elif line.startswith("![]("):
                url = resolve_url(line[4:-1])
                if url.endswith((".mp4", ".webm")):
                    fields["media"] = [Media("video", url)]
                else:
                    fields["thumbnail"] = url
            elif line.startswith("[Watch Video]"):
                fields["media"] = [Media("video", line[13:].strip("()"))]
            elif line.startswith("- "):
                fields["summary"].append(line[2:].strip())  # type: ignore[attr-defined]
        papers.setdefault(paper_id, fields)
    return papers


def test_reference_digests_import_completely(
    shared_reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digests = shared_reference / "digests"
    monkeypatch.chdir(tmp_path)
    result = run(str(digests))
    assert result.exit_code == 0, result.output
    assert re.search(r"; 0 errors, 0 warnings$", result.stdout)

    headings = written = duplicates = 0
    for path in sorted(digests.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        count = sum(1 for line in text.splitlines() if line.startswith("### ["))
        line = next(x for x in result.stdout.splitlines() if x.startswith(f"{path.as_posix()}: "))
        found, made, merged = (
            int(n)
            for n in re.findall(
                r"(\d+) papers? found, (\d+) records? written, \d+ unchanged, (\d+) duplicates? merged",
                line,
            )[0]
        )
        assert found == count == made + merged, line
        headings, written, duplicates = headings + count, written + made, duplicates + merged

        day = dt.date.fromisoformat(path.stem)
        for paper_id, fields in expected_papers(text).items():
            paper = load(f"data/{day:%Y/%m/%d}/{paper_id}.yaml")
            assert paper.id == paper_id and paper.date == day
            got = {
                "title": paper.title,
                "authors": paper.authors,
                "votes": paper.votes,
                "thumbnail": paper.thumbnail,
                "media": paper.media,
                "summary": paper.summary,
            }
            assert got == fields, paper_id
            assert paper.summary_source is not None and paper.summary_source.kind == "imported"
    assert headings == written + duplicates == len(list(Path("data").rglob("*.yaml"))) + duplicates
    assert scan([Path("data")]).errors == []


def test_import_run_inside_a_day_folder_writes_valid_records(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From data/2024 every record was refused: the path rule read the path as shown
    # (10/18/...) instead of its place in the data folder.
    (workdir / "data" / "2024").mkdir(parents=True)
    monkeypatch.chdir(workdir / "data" / "2024")
    result = run("../../logs/archive/2024/10/18.md")
    assert result.exit_code == 0, result.output
    assert "3 records written" in result.stdout
    checked = scan([workdir / "data"])
    assert checked.errors == [] and len(checked.papers) == 3
