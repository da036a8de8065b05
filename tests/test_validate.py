"""`daily-papers validate`: every broken record gets one precise line, and no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.records import reading as validate
from generator.records.bullets import bullet_problem
from generator.records.rules import check_record
from generator.records.yamlio import _UNUSUAL, _construct_plain, _Loader

GOOD = """\
id: "2402.08093"
date: 2024-02-14
title: BASE TTS
authors:
- Yang Li
votes: 25
summary:
- 음성 합성 모델을 크게 키운 실험을 정리합니다.
"""
PATH = "data/2024/02/14/2402.08093.yaml"


@pytest.fixture(autouse=True)
def project(tmp_path: Path) -> Path:
    """``tmp_path`` as a project: commands find their data folder beside mkdocs.yml."""
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    return tmp_path


def replace(old: str, new: str) -> bytes:
    assert old in GOOD
    return GOOD.replace(old, new).encode()


#: (name, file bytes, expected problem lines). Each broken record is checked for exactly
#: the messages a contributor would see.
CORPUS: list[tuple[str, bytes, list[str]]] = [
    (
        "yaml syntax",
        replace("title: BASE TTS", "title: [BASE TTS"),
        [f"{PATH}:4: yaml: invalid YAML: did not find expected ',' or ']'"],
    ),
    (
        "tab indentation",
        replace("- Yang Li", "\t- Yang Li"),
        [
            f"{PATH}:5: yaml: invalid YAML: found character that cannot start any token "
            "(this line has a tab: YAML is indented with spaces)"
        ],
    ),
    (
        "not utf-8",
        replace("Yang Li", "Yang Li").replace(b"Li", b"L\xe9"),
        [f"{PATH}:5: file: not UTF-8 text (byte 0xe9)"],
    ),
    ("empty file", b"", [f"{PATH}:1: file: the file is empty"]),
    ("only a comment", b"# nothing\n", [f"{PATH}:1: file: the file is empty"]),
    (
        "a list",
        b"- 1\n- 2\n",
        [f"{PATH}:1: file: a record must be a mapping of keys to values, not a list"],
    ),
    (
        "a scalar",
        b"hello\n",
        [f"{PATH}:1: file: a record must be a mapping of keys to values, not a string"],
    ),
    (
        "missing title",
        replace("title: BASE TTS\n", ""),
        [f"{PATH}:1: title: required key is missing"],
    ),
    (
        "missing votes and summary",
        GOOD.split("votes:")[0].encode(),
        [
            f"{PATH}:1: votes: required key is missing",
            f"{PATH}:1: summary: required key is missing",
        ],
    ),
    (
        "id as number",
        replace('"2402.08093"', "2402.08093"),
        [
            f'{PATH}:1: id: must be a quoted string like "2402.08093", not a number (YAML reads 2402.08093)'
        ],
    ),
    (
        "id not arxiv",
        replace('"2402.08093"', '"paper-1"'),
        [f"{PATH}:1: id: must be an arXiv id like \"2402.08093\", not 'paper-1'"],
    ),
    (
        "id differs from file",
        replace('"2402.08093"', '"2402.08094"'),
        [f"{PATH}:1: id: '2402.08094' does not match the file name '2402.08093.yaml'"],
    ),
    (
        "date differs from folder",
        replace("2024-02-14", "2024-02-15"),
        [f"{PATH}:2: date: 2024-02-15 does not match the folder 2024/02/14"],
    ),
    (
        "impossible date",
        replace("2024-02-14", "2024-02-30"),
        [f"{PATH}:2: date: invalid value: day is out of range for month"],
    ),
    (
        "date with time",
        replace("2024-02-14", "2024-02-14 10:00:00"),
        [f"{PATH}:2: date: must be a date (YYYY-MM-DD) without a time"],
    ),
    (
        "date as words",
        replace("2024-02-14", "yesterday"),
        [f"{PATH}:2: date: must be a date written YYYY-MM-DD, not 'yesterday'"],
    ),
    (
        "title two lines",
        replace("title: BASE TTS", 'title: "BASE\\nTTS"'),
        [f"{PATH}:3: title: must be one line with single spaces, no leading or trailing space"],
    ),
    (
        "title empty",
        replace("title: BASE TTS", 'title: ""'),
        [f"{PATH}:3: title: must not be empty"],
    ),
    (
        "title a list",
        replace("title: BASE TTS", "title: [a]"),
        [f"{PATH}:3: title: must be a string, not a list"],
    ),
    (
        "authors a string",
        replace("authors:\n- Yang Li", "authors: Yang Li"),
        [f"{PATH}:4: authors: must be a list, not a string"],
    ),
    (
        "author a number",
        replace("- Yang Li", "- 42"),
        [f"{PATH}:5: authors[0]: must be a string, not a number"],
    ),
    (
        "votes a string",
        replace("votes: 25", "votes: many"),
        [f"{PATH}:6: votes: must be a whole number or null, not a string"],
    ),
    (
        "votes negative",
        replace("votes: 25", "votes: -3"),
        [f"{PATH}:6: votes: must not be negative, got -3"],
    ),
    (
        "votes a float",
        replace("votes: 25", "votes: 2.5"),
        [f"{PATH}:6: votes: must be a whole number or null, not a number"],
    ),
    (
        "summary a string",
        replace("summary:\n- 음", "summary: 음"),
        [f"{PATH}:7: summary: must be a list, not a string"],
    ),
    (
        "summary null",
        replace("summary:\n- 음성 합성 모델을 크게 키운 실험을 정리합니다.", "summary:"),
        [f"{PATH}:7: summary: must be a list (use [] for none)"],
    ),
    (
        "summary empty item",
        replace("- 음성 합성 모델을 크게 키운 실험을 정리합니다.", '- ""'),
        [f"{PATH}:8: summary[0]: must not be empty"],
    ),
    (
        "summary javascript link",
        replace("- 음성", "- 자세히 [클릭](javascript:alert(1)) 음성"),
        [
            f"{PATH}:8: summary[0]: link target must be an absolute http(s) URL (scheme is "
            "'javascript:'): 'javascript:alert(1)'"
        ],
    ),
    (
        "summary multi-line item",
        replace("- 음성 합성 모델을 크게 키운 실험을 정리합니다.", "- |\n  한 줄\n  두 줄"),
        [f"{PATH}:8: summary[0]: must be one line"],
    ),
    (
        "javascript link",
        GOOD.encode() + b"links:\n  arxiv: javascript:alert(1)\n",
        [
            f"{PATH}:10: links.arxiv: must be an absolute http(s) URL (scheme is 'javascript:'): "
            "'javascript:alert(1)'"
        ],
    ),
    (
        "data thumbnail",
        GOOD.encode() + b"thumbnail: data:image/png;base64,AAAA\n",
        [
            f"{PATH}:9: thumbnail: must be an absolute http(s) URL (scheme is 'data:'): "
            "'data:image/png;base64,AAAA'"
        ],
    ),
    (
        "relative media url",
        GOOD.encode() + b"media:\n- kind: image\n  url: /avatars/x.png\n",
        [
            f"{PATH}:11: media[0].url: must be an absolute http(s) URL (scheme is none): '/avatars/x.png'"
        ],
    ),
    (
        "media bad kind",
        GOOD.encode() + b"media:\n- kind: audio\n  url: https://x.org/a.mp3\n",
        [f"{PATH}:10: media[0].kind: must be image or video, not 'audio'"],
    ),
    (
        "media not a mapping",
        GOOD.encode() + b"media:\n- https://x.org/a.png\n",
        [f"{PATH}:10: media[0]: must be a mapping with kind and url, not a string"],
    ),
    (
        "links a list",
        GOOD.encode() + b"links:\n- https://x.org\n",
        [f"{PATH}:9: links: must be a mapping of link names to URLs, not a list"],
    ),
    (
        "bad summary source",
        GOOD.encode() + b"summary_source:\n  kind: robot\n",
        [
            f"{PATH}:10: summary_source.kind: must be one of human, llm, huggingface, imported, not 'robot'"
        ],
    ),
    (
        "bad fingerprint",
        GOOD.encode() + b"summary_source:\n  kind: llm\n  fingerprint: xyz\n",
        [f"{PATH}:11: summary_source.fingerprint: must be 16 lowercase hex digits"],
    ),
    (
        "duplicate key",
        GOOD.encode() + b"votes: 30\n",
        [f"{PATH}:9: votes: duplicate key (YAML would silently keep only the last)"],
    ),
    (
        "alias",
        GOOD.replace("authors:\n- Yang Li", "authors: &a\n- Yang Li").encode() + b"keywords: *a\n",
        [f"{PATH}:9: keywords: anchors and aliases are not allowed in a record"],
    ),
    (
        "python tag",
        replace("title: BASE TTS", "title: !!python/object/apply:os.system [ls]"),
        [
            f"{PATH}:3: yaml: invalid YAML: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'"
        ],
    ),
    (
        "complex key",
        GOOD.encode() + b"? [a]\n: 1\n",
        [f"{PATH}:9: file: keys must be plain words, not lists or mappings"],
    ),
    (
        "nul byte",
        GOOD.encode() + b"x: \x00\n",
        [f"{PATH}:9: file: contains a NUL byte; a record is text"],
    ),
    (
        "control character in title",
        replace("title: BASE TTS", 'title: "BASE\\x1bTTS"'),
        [f"{PATH}:3: title: contains an invisible control character (U+001B); remove it"],
    ),
    (
        "line separator in author",
        replace("- Yang Li", '- "Yang\\u2028Li"'),
        [
            f"{PATH}:5: authors[0]: contains an invisible control character (U+2028 LINE "
            "SEPARATOR); remove it"
        ],
    ),
    (
        "comments a string",
        GOOD.encode() + b"comments: lots\n",
        [f"{PATH}:9: comments: must be a whole number or null, not a string"],
    ),
    (
        "keywords a mapping",
        GOOD.encode() + b"keywords:\n  a: b\n",
        [f"{PATH}:9: keywords: must be a list, not a mapping"],
    ),
    # Values an optional key may not have: only an absent key or null means "none".
    (
        "thumbnail false",
        GOOD.encode() + b"thumbnail: false\n",
        [f"{PATH}:9: thumbnail: must be a URL string, not a boolean"],
    ),
    (
        "thumbnail zero",
        GOOD.encode() + b"thumbnail: 0\n",
        [f"{PATH}:9: thumbnail: must be a URL string, not a number"],
    ),
    (
        "thumbnail empty",
        GOOD.encode() + b'thumbnail: ""\n',
        [f"{PATH}:9: thumbnail: must be an absolute http(s) URL (scheme is none): ''"],
    ),
    (
        "thumbnail a list",
        GOOD.encode() + b"thumbnail: []\n",
        [f"{PATH}:9: thumbnail: must be a URL string, not a list"],
    ),
    (
        "thumbnail a mapping",
        GOOD.encode() + b"thumbnail: {}\n",
        [f"{PATH}:9: thumbnail: must be a URL string, not a mapping"],
    ),
    (
        "abstract false",
        GOOD.encode() + b"abstract: false\n",
        [f"{PATH}:9: abstract: must be a string, not a boolean"],
    ),
    (
        "author with doubled spaces",
        replace("- Yang Li", '- "Yang  Li"'),
        [
            f"{PATH}:5: authors[0]: must be one line with single spaces, no leading or trailing "
            "space"
        ],
    ),
    (
        "unquoted colon in a bullet",
        replace("- 음성 합성 모델을 크게 키운 실험을 정리합니다.", "- 비교: 두 배"),
        [
            f"{PATH}:8: summary[0]: must be a string, not a mapping (a ': ' inside text starts a "
            "mapping in YAML: put the text in quotes)"
        ],
    ),
    (
        "title too long",
        replace("title: BASE TTS", "title: " + "T" * 501),
        [f"{PATH}:3: title: is 501 characters long; at most 500 are allowed"],
    ),
    (
        "too many bullets",
        replace("- 음성 합성 모델을 크게 키운 실험을 정리합니다.", "- 요약\n" * 31),
        [f"{PATH}:7: summary: has 31 items; at most 30 are allowed"],
    ),
    (
        "abstract too long",
        GOOD.encode() + b"abstract: " + b"a" * 10_001 + b"\n",
        [f"{PATH}:9: abstract: is 10,001 characters long; at most 10,000 are allowed"],
    ),
]


@pytest.mark.parametrize(("name", "raw", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_broken_record_messages(name: str, raw: bytes, expected: list[str]) -> None:
    paper, problems = check_record(raw, PATH)
    assert paper is None
    assert [str(p) for p in problems if not p.warning] == expected


@pytest.mark.parametrize(
    "text",
    [
        "a < b",
        "p < 0.05",
        "a<b",
        "</p>",
        "<!-- x -->",
        "<?php",
        "<think> 과정 뒤에 <EOS> 를 낸다",
        "<script>alert(1)</script> 음성",
        "[EoT](End of Text) 토큰",
        "[상대 경로](/relative/path)",
    ],
)
def test_angle_brackets_and_non_links_are_text(text: str) -> None:
    """Only what a contributor must fix is refused; this is all text, shown as written."""
    assert bullet_problem(text) is None


@pytest.mark.parametrize(
    "text",
    ["[x](javascript:alert(1))", "![x](data:image/png;base64,AAAA)", "[x](vbscript:msgbox)"],
)
def test_links_to_other_schemes_are_refused(text: str) -> None:
    problem = bullet_problem(text)
    assert problem is not None and problem.startswith("link target must be an absolute http(s)")


def test_a_bullet_with_surrounding_space_is_kept_stripped_with_a_warning() -> None:
    # A "|" block keeps the final line break: the bullet is still one line of text.
    paper, problems = check_record(
        replace(
            "- 음성 합성 모델을 크게 키운 실험을 정리합니다.",
            "- |\n  음성 합성 모델을 크게 키운 실험을 정리합니다.",
        ),
        PATH,
    )
    assert paper is not None and paper.summary == ["음성 합성 모델을 크게 키운 실험을 정리합니다."]
    assert [str(p) for p in problems] == [
        f"{PATH}:8: summary[0]: warning: starts or ends with spaces or a line break (a '|' "
        "block keeps the final one; use '|-'); they are removed when the record is next written"
    ]


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 20


def test_good_record_and_warnings() -> None:
    paper, problems = check_record(GOOD.encode(), PATH)
    assert paper is not None and problems == []
    paper, problems = check_record(
        GOOD.encode() + b"mood: happy\nlinks:\n  blog: https://x.org\n", PATH
    )
    assert paper is not None
    assert [str(p) for p in sorted(problems)] == [
        f"{PATH}:9: mood: warning: unknown key 'mood' (kept, but the site ignores it)",
        f"{PATH}:11: links.blog: warning: unknown link 'blog'; known: huggingface, arxiv, pdf, github, project",
    ]
    assert paper.extra == {"mood": "happy"}


def test_bad_path() -> None:
    _, problems = check_record(GOOD.encode(), "data/2024/02/2402.08093.yaml")
    assert [str(p) for p in problems] == [
        "data/2024/02/2402.08093.yaml:1: file: a record's path must end in YYYY/MM/DD/<arxiv-id>.yaml"
    ]
    _, problems = check_record(GOOD.encode(), "data/2024/02/31/2402.08093.yaml")
    assert "folder 2024/02/31 is not a valid date" in str(problems[0])


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, raw in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)


def test_cli_reports_every_file_and_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(
        tmp_path,
        {
            "data/2024/02/14/2402.08093.yaml": GOOD.encode(),
            "data/2024/02/15/2402.08093.yaml": GOOD.replace("2024-02-14", "2024-02-15").encode(),
            "data/2024/02/15/2402.00001.yml": b"id: x\n",
            "data/2024/02/16/2402.00002.yaml": b"{{{{",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/2024/02/15/2402.00001.yml:1: file: record files end in .yaml, not .yml",
        "data/2024/02/15/2402.08093.yaml:1: id: duplicate: paper 2402.08093 is also recorded in "
        "data/2024/02/14/2402.08093.yaml",
        "data/2024/02/16/2402.00002.yaml:1: yaml: invalid YAML: did not find expected node content",
    ]
    assert "error(s)" in result.stderr


def test_cli_github_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"data/2024/02/14/2402.08093.yaml": replace("votes: 25", "votes: many")})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--format", "github", "data"])
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=data/2024/02/14/2402.08093.yaml,line=6::votes: must be a whole number or null, "
        "not a string\n"
    )


def test_cli_clean_tree_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"data/2024/02/14/2402.08093.yaml": GOOD.encode()})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_cli_missing_path_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere: no such file or folder" in result.output


def test_no_traceback_for_random_garbage(tmp_path: Path) -> None:
    """Any bytes at all give problem lines and exit 1, through the real console script."""
    garbage = [
        bytes(range(256)),
        b"\xef\xbb\xbf" + GOOD.encode(),
        b"*x",
        b"!!binary |\n  ####",
        b"a: !!timestamp 2024-99-99",
        b"[" * 5000,
        b"- " * 3000,
        b"id: " + b"9" * 5000,
    ]
    for index, raw in enumerate(garbage):
        write_tree(tmp_path, {f"data/2024/02/14/2402.{index:05d}.yaml": raw})
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "data"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stdout.splitlines()) >= len(garbage) - 1  # the BOM one is only missing a match


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        GOOD + "comments: null\npublished: 2024-02-13\nabstract: |\n  Two\n  lines.\n",
        GOOD + "links:\n  arxiv: https://arxiv.org/abs/2402.08093\nmedia:\n- kind: video\n"
        "  url: https://cdn.example.org/a.mp4\n",
        GOOD + "extra: [1, 2.5, true, ~, '']\n",
        GOOD + "<<: {mood: calm}\n",
        GOOD + "tags: !!set {a, b}\n",
        GOOD.replace("votes: 25", "votes: 0x19"),
    ],
)
def test_fast_reading_builds_exactly_what_pyyaml_builds(text: str) -> None:
    """Valid records skip PyYAML's generic constructor; the data must not change."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        fast = _construct_plain(loader, node)
    finally:
        loader.dispose()
    expected = yaml.load(text, Loader=_Loader)
    assert fast is _UNUSUAL or fast == expected
    if "<<" in text or "!!set" in text:
        assert fast is _UNUSUAL  # left to the careful path


def test_lines_of_a_fast_read_record_are_found_when_needed() -> None:
    raw = (GOOD + "links:\n  arxiv: javascript:alert(1)\n").encode()
    paper, problems = check_record(raw, PATH)
    assert paper is None
    assert [str(p) for p in problems] == [
        f"{PATH}:10: links.arxiv: must be an absolute http(s) URL (scheme is 'javascript:'): "
        "'javascript:alert(1)'"
    ]


def _many_records(tmp_path: Path) -> Path:
    """Forty good records over four days, plus a broken one, a .yml and a duplicate."""
    files: dict[str, bytes] = {}
    for day in range(14, 18):
        for index in range(10):
            paper_id = f"2402.{day * 100 + index:05d}"
            files[f"data/2024/02/{day}/{paper_id}.yaml"] = (
                (GOOD + "keywords:\n- speech\n- scaling\n")
                .replace("2402.08093", paper_id)
                .replace("2024-02-14", f"2024-02-{day}")
                .encode()
            )
    files["data/2024/02/15/2402.00001.yml"] = b"id: x\n"
    files["data/2024/02/16/2402.00002.yaml"] = b"{{{{"
    files["data/2024/02/17/2402.01400.yaml"] = files["data/2024/02/14/2402.01400.yaml"].replace(
        b"2024-02-14", b"2024-02-17"
    )
    write_tree(tmp_path, files)
    return tmp_path / "data"


def test_parallel_reading_gives_the_same_scan(tmp_path: Path) -> None:
    """In a fresh single-threaded interpreter (as under ``mkdocs build``): the test run
    itself may have threads, and then files are rightly read one by one."""
    data = _many_records(tmp_path)
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from generator.records import reading as validate
        data, root = Path({str(data)!r}), Path({str(tmp_path)!r})
        validate.PARALLEL_MIN_FILES = 10**9
        one_by_one = validate.scan([data], relative_to=root)
        validate.PARALLEL_MIN_FILES = 1
        validate.os.sched_getaffinity = lambda pid: {{0, 1}}
        pools = []
        real_pool = validate.ProcessPoolExecutor
        validate.ProcessPoolExecutor = lambda *a, **k: pools.append(a) or real_pool(*a, **k)
        parallel = validate.scan([data], relative_to=root)
        assert pools, "the files were not read in parallel"
        assert parallel == one_by_one
        # Each name and keyword is one string object in every record that writes it,
        # read in this process or another (the archive's memory: issue 29).
        for scanned in (one_by_one, parallel):
            for field in ("authors", "keywords"):
                words = [w for paper in scanned.papers for w in getattr(paper, field)]
                assert len(words) > len(set(words)) > 0
                assert len({{id(w) for w in words}}) == len(set(words)), field
        print(len(parallel.papers))
        print("\\n".join(str(p) for p in parallel.errors))
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "40",
        "data/2024/02/15/2402.00001.yml:1: file: record files end in .yaml, not .yml",
        "data/2024/02/16/2402.00002.yaml:1: yaml: invalid YAML: did not find expected node content",
        "data/2024/02/17/2402.01400.yaml:1: id: duplicate: paper 2402.01400 is also recorded in "
        "data/2024/02/14/2402.01400.yaml",
    ]


def test_no_forking_while_other_threads_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process with threads (``mkdocs serve``) must not fork: it reads files itself."""
    data = _many_records(tmp_path)
    monkeypatch.setattr(validate, "PARALLEL_MIN_FILES", 1)

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("forked while another thread was running")

    monkeypatch.setattr(validate, "ProcessPoolExecutor", no_pool)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert len(validate.scan([data]).papers) == 40
    finally:
        stop.set()
        thread.join()
