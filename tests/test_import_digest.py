"""Reading legacy digests: every variant of the format, and a problem line for the rest.

The digests here are our own: invented titles, ids and bullet text, written in each of the
forms the daily_papers_ko script produced over the years.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from generator.digest import Authors, Digest, parse_authors, parse_digest, path_date, read_digest
from generator.records.model import Media

FIXTURES = Path(__file__).parent / "fixtures" / "digests"
DAY = dt.date(2024, 2, 14)


def parse(text: str, default: dt.date | None = DAY, path: str = "d.md") -> Digest:
    return parse_digest(text, path, default)


def messages(digest: Digest) -> list[str]:
    return [str(p) for p in digest.problems]


def fixture(name: str) -> Digest:
    return read_digest(FIXTURES / name, name)


def test_earliest_form_title_and_bullets_only() -> None:
    digest = fixture("archive/2023/11/20.md")
    assert digest.problems == [] and digest.headings == 2
    first, second = digest.papers
    assert (first.id, first.date, first.line) == ("2311.90001", dt.date(2023, 11, 20), 3)
    assert first.title == "Lanterns in Latent Space: Probing Invented Benchmarks"
    assert (first.authors, first.votes, first.thumbnail, first.media) == ([], None, None, [])
    # An indented line continues its bullet; nested items become bullets of their own.
    assert first.summary == [
        "가상의 벤치마크를 만들어 잠재 공간을 살펴봅니다.",
        "두 번째 항목은 길어서 다음 줄로 이어지지만 같은 항목입니다.",
        "제안한 방법의 세 가지 특징:",
        "(1) 작은 모델에서도 동작합니다.",
        "(2) 추가 데이터가 필요 없습니다.",
    ]
    assert second.id == "2311.90002"  # the v2 of the link is not part of the id
    assert second.summary[1] == "비교 실험에서 p < 0.05 수준의 차이를 보입니다."


def test_image_and_bare_watch_video_with_its_html_player() -> None:
    digest = fixture("archive/2023/12/04.md")
    assert digest.problems == []  # the <video> line is understood, not reported
    image, video = digest.papers
    assert image.thumbnail == "https://cdn.example.org/uploads/orchard.png" and image.media == []
    assert image.authors == ["Ana Núñez", "Bo Li"]
    assert video.thumbnail is None
    assert video.media == [Media("video", "https://cdn.example.org/uploads/tidepool.mp4")]
    assert video.authors == ["Chidi Okafor", "Dana Øster", "Eun-ji Seo"]
    assert (
        video.summary[1]
        == "생성된 영상은 [프로젝트 페이지](https://tidepool.example.org)에서 볼 수 있습니다."
    )


def test_watch_video_in_parentheses_unknown_votes_and_webm_image() -> None:
    digest = fixture("archive/2023/12/12.md")
    assert digest.problems == []
    compass, moving = digest.papers
    assert compass.media == [Media("video", "https://cdn.example.org/uploads/compass.mp4")]
    assert compass.votes == 16
    # `Vote: -` means the digest did not know the count; image syntax with a video file.
    assert moving.votes is None
    assert moving.thumbnail is None
    assert moving.media == [Media("video", "https://cdn.example.org/uploads/moving.webm")]


def test_keyed_bullets_relative_avatar_and_truncated_author_list() -> None:
    digest = fixture("archive/2024/06/12.md")
    assert digest.problems == []
    (paper,) = digest.papers
    assert paper.thumbnail == "https://huggingface.co/avatars/0123456789abcdef.svg"
    assert paper.authors == ["Ivo Petrov", "Jun Tanaka", "Kai Müller"]
    assert paper.summary == [
        "**What's New**: 요약을 항목별 머리말과 함께 정리합니다.",
        "**Technical Details**: `x < y` 같은 코드와 *기울임*도 그대로 둡니다.",
        "**Performance Highlights**: 세 항목 모두 한 줄로 남습니다.",
    ]


def test_python_list_authors_and_two_runs_of_one_day() -> None:
    digest = fixture("archive/2024/10/18.md")
    assert digest.problems == [] and digest.headings == 4
    assert [p.id for p in digest.papers] == ["2410.90001", "2410.90002", "2410.90002", "2410.90003"]
    assert {p.date for p in digest.papers} == {dt.date(2024, 10, 18)}
    assert digest.papers[0].authors == ["Lena Ortiz", "Liam O'Brien", "Smith, Jr., Mo"]
    assert digest.papers[0].summary[0].startswith("***What's New***: ")
    assert [p.line for p in digest.papers] == [3, 14, 26, 36]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ana Li, Bo Kim", ["Ana Li", "Bo Kim"]),
        ("Ana Li,  Bo   Kim ,", ["Ana Li", "Bo Kim"]),
        ("", []),
        ("['Ana Li', 'Bo Kim']", ["Ana Li", "Bo Kim"]),
        ("[\"O'Hara, Jr.\", 'Bo \"BK\" Kim', '+']", ["O'Hara, Jr.", 'Bo "BK" Kim', "+"]),
        ("('Ana Li',)", ["Ana Li"]),
        ("[]", []),
        ("Ana Li, +, Bo Kim", ["Ana Li", "Bo Kim", "+"]),
    ],
)
def test_author_forms(value: str, expected: list[str]) -> None:
    """A "+" among the names marks a list cut short (it is not a name)."""
    names = [name for name in expected if name != "+"]
    assert parse_authors(value) == Authors(names, cut_short="+" in expected)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("['Ana Li', 'Bo", "not a valid Python list of names: \"['Ana Li', 'Bo\""),
        ("[1, 2]", "not a list of names (quoted strings): '[1, 2]'"),
        ("[__import__('os').system('true')]", "not a valid Python list of names"),
        ("[" * 5000, "not a valid Python list of names"),
    ],
)
def test_author_lists_that_are_not_lists_of_names(value: str, why: str) -> None:
    result = parse_authors(value)
    assert isinstance(result, str) and result.startswith(why)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("paper_logs/2024/02/14.md", DAY),
        ("2024/02/14.md", DAY),
        ("digests/2024-02-14.md", DAY),
        ("C:\\logs\\2024\\02\\14.md", DAY),
        ("paper_logs/2024/02/30.md", None),
        ("paper_logs/2024/2/14.md", None),
        ("notes/README.md", None),
        ("x2024-02-14.md", None),
    ],
)
def test_date_from_path(path: str, expected: dt.date | None) -> None:
    assert path_date(path) == expected


def test_heading_date_wins_over_path_date() -> None:
    digest = fixture("loose/2024-03-01.md")
    (paper,) = digest.papers
    assert paper.date == dt.date(2024, 3, 2) and paper.id == "2403.90001"
    assert messages(digest) == [
        "loose/2024-03-01.md:1: date: warning: the heading says 2024-03-02 but the file's path "
        "says 2024-03-01; the papers below are dated 2024-03-02"
    ]


def test_path_date_applies_without_heading() -> None:
    digest = parse("### [T](https://arxiv.org/abs/2402.00001)\n- 요약\n")
    assert digest.problems == [] and digest.papers[0].date == DAY


def test_no_heading_and_no_date_in_path() -> None:
    digest = parse(
        "### [T](https://arxiv.org/abs/2402.00001)\n- 요약\n"
        "### [U](https://arxiv.org/abs/2402.00002)\n",
        default=None,
    )
    assert digest.papers == [] and digest.headings == 2
    assert messages(digest) == [
        "d.md:1: file: no '## Daily Papers (YYYY-MM-DD)' heading above and no date in the path "
        "(YYYY/MM/DD.md or YYYY-MM-DD.md); its papers are not imported"
    ]


BROKEN = """\
# My reading list
## Daily Papers (2024-02-30)
Some words before any paper.

### [Good Paper](https://arxiv.org/abs/2402.00001)

![](javascript:alert(1))

Vote: many

Vote: 3

Authors: ['Ana Li', 'Bo

<p>an HTML paragraph</p>

- 첫 항목은 괜찮습니다.
- <script>alert(1)</script> 는 태그가 아니라 글자입니다.
  이 줄도 같은 항목에 속합니다.
- [클릭](javascript:alert(1)) 나쁜 링크입니다.
- 마지막 항목은 괜찮습니다.

Stray text after a blank line.

### [No Arxiv Here](https://example.org/paper)

- 이 항목은 조용히 건너뜁니다.

### Plain heading without a link

#### A deeper heading
"""


def test_every_uninterpretable_line_is_reported_and_the_rest_imported() -> None:
    digest = parse(BROKEN)
    assert digest.headings == 3
    (paper,) = digest.papers
    assert paper.id == "2402.00001" and paper.date == DAY
    assert paper.votes == 3 and paper.authors == [] and paper.thumbnail is None
    assert paper.summary == [
        "첫 항목은 괜찮습니다.",
        "<script>alert(1)</script> 는 태그가 아니라 글자입니다. 이 줄도 같은 항목에 속합니다.",
        "마지막 항목은 괜찮습니다.",
    ]
    assert messages(digest) == [
        "d.md:1: line: a heading this format does not have: '# My reading list'; not imported",
        "d.md:2: heading: date '2024-02-30' is not a real date written YYYY-MM-DD; the heading "
        "is ignored",
        "d.md:3: line: outside any paper (before the first '### [' heading): 'Some words before "
        "any paper.'; not imported",
        "d.md:7: image: URL must be an absolute http(s) URL (scheme is 'javascript:'): "
        "'javascript:alert(1)'; not imported",
        "d.md:9: vote: 'many' is not a whole number or '-'; votes left empty",
        "d.md:13: authors: not a valid Python list of names: \"['Ana Li', 'Bo\"; no authors "
        "imported",
        "d.md:15: line: not part of the digest format: '<p>an HTML paragraph</p>'; not imported",
        "d.md:20: summary: link target must be an absolute http(s) URL (scheme is "
        "'javascript:'): 'javascript:alert(1)'; bullet not imported",
        "d.md:23: line: not part of the digest format: 'Stray text after a blank line.'; not "
        "imported",
        "d.md:25: paper: link 'https://example.org/paper' is not an arXiv or Hugging Face paper "
        "link, so the paper has no id; paper not imported",
        "d.md:29: paper: heading has no '[title](link)': 'Plain heading without a link'; paper "
        "not imported",
        "d.md:31: line: a heading this format does not have: '#### A deeper heading'; not imported",
    ]
    assert all(not p.warning for p in digest.problems)


def test_an_unknown_heading_inside_a_paper_does_not_end_it() -> None:
    digest = parse("### [T](https://arxiv.org/abs/2402.00001)\n- 하나\n#### 자세히\n- 둘\n")
    assert digest.papers[0].summary == ["하나", "둘"]
    assert messages(digest) == [
        "d.md:3: line: a heading this format does not have: '#### 자세히'; not imported"
    ]


def test_a_second_vote_or_authors_line_is_reported() -> None:
    digest = parse(
        "### [T](https://arxiv.org/abs/2402.00001)\nVote: 1\nVote: 2\nAuthors: A\nAuthors: B\n"
    )
    assert (digest.papers[0].votes, digest.papers[0].authors) == (1, ["A"])
    assert messages(digest) == [
        "d.md:3: vote: a second vote line for paper 2402.00001; only the first is imported",
        "d.md:5: authors: a second authors line for paper 2402.00001; only the first is imported",
    ]


def test_lazy_continuation_and_thematic_breaks() -> None:
    text = (
        "### [T](https://arxiv.org/abs/2402.00001)\n"
        "- 첫 항목이\n다음 줄로 이어집니다.\n\n---\n\n* 별표 항목\n+ 더하기 항목\n-\n"
    )
    digest = parse(text)
    assert digest.problems == []
    assert digest.papers[0].summary == [
        "첫 항목이 다음 줄로 이어집니다.",
        "별표 항목",
        "더하기 항목",
    ]


def test_standalone_video_tag_and_second_picture() -> None:
    text = (
        "### [T](https://arxiv.org/abs/2402.00001)\n"
        "![](https://x.org/a.png)\n![](https://x.org/b.jpg)\n"
        '<video src="https://x.org/c.mp4"></video>\n'
        "[Watch Video](https://x.org/c.mp4)\n"
    )
    (paper,) = parse(text).papers
    assert paper.thumbnail == "https://x.org/a.png"
    assert paper.media == [
        Media("image", "https://x.org/b.jpg"),
        Media("video", "https://x.org/c.mp4"),
    ]


def test_paper_links_in_other_forms() -> None:
    text = "".join(
        f"### [T{i}]({url})\n"
        for i, url in enumerate(
            [
                "https://arxiv.org/pdf/2402.00001v3",
                "https://huggingface.co/papers/2402.00002",
                "http://www.arxiv.org/abs/2402.00003?context=cs",
                "<https://arxiv.org/abs/2402.00004>",
            ]
        )
    )
    digest = parse(text)
    assert [p.id for p in digest.papers] == ["2402.00001", "2402.00002", "2402.00003", "2402.00004"]
    assert digest.papers[0].title == "T0"


def test_title_with_brackets_and_empty_title() -> None:
    digest = parse(
        "### [[RE] Reproducing [X]](https://arxiv.org/abs/2402.00001)\n"
        "### [ ](https://arxiv.org/abs/2402.00002)\n"
    )
    assert [p.title for p in digest.papers] == ["[RE] Reproducing [X]"]
    assert messages(digest) == [
        "d.md:2: paper: paper 2402.00002 has an empty title; paper not imported"
    ]


def test_empty_digest_is_a_warning() -> None:
    digest = parse("## Daily Papers (2024-02-14)\n")
    assert messages(digest) == [
        "d.md:1: file: warning: no papers found (no '### [title](link)' heading)"
    ]


def test_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "2024-02-14.md"
    path.write_bytes(
        b"\xef\xbb\xbf## Daily Papers (2024-02-14)\r\n\r\n"
        b"### [T](https://arxiv.org/abs/2402.00001)\r\n\r\nVote: 2\r\n- a\r\n"
    )
    digest = read_digest(path, "x.md")
    assert digest.problems == []
    assert (digest.papers[0].votes, digest.papers[0].summary) == (2, ["a"])


def test_unreadable_not_utf8_and_binary_files(tmp_path: Path) -> None:
    (tmp_path / "korean.md").write_bytes("## Daily Papers (2024-02-14)\n- 요약\n".encode("cp949"))
    (tmp_path / "binary.md").write_bytes(b"## Daily\n\x00\x01")
    (tmp_path / "folder.md").mkdir()
    assert messages(read_digest(tmp_path / "korean.md", "korean.md")) == [
        "korean.md:2: file: not UTF-8 text (byte 0xbf); save the file as UTF-8 and import it "
        "again; nothing imported"
    ]
    assert messages(read_digest(tmp_path / "binary.md", "binary.md")) == [
        "binary.md:2: file: contains a NUL byte, so it is not a text file; nothing imported"
    ]
    [problem] = read_digest(tmp_path / "folder.md", "folder.md").problems
    assert str(problem).startswith("folder.md:1: file: cannot be read: ")


def test_random_garbage_never_raises() -> None:
    pieces = [
        "## Daily Papers (2024-02-14)",
        "### [T](https://arxiv.org/abs/2402.00001)",
        "###",
        "### [",
        "- ",
        "-",
        "  - x",
        "![](",
        "![]()",
        "[Watch Video]",
        "[Watch Video](",
        "<video src=>",
        "Vote:",
        "Vote: 99999999999999999999",
        "Authors: [",
        "Authors: ['",
        "Authors: [[[]]]",
        "Authors: {'a': 1}",
        "<",
        "]]((",
        "\t",
        "\ufeff",
        "\u2028",
        "`",
        "**",
        "# x",
        "## Daily Papers ()",
        "## Daily Papers (2024-13-01)",
    ]
    rng = random.Random(7)
    for _ in range(300):
        text = "\n".join(
            rng.choice(pieces) + rng.choice(["", " x", "(y)"]) for _ in range(rng.randint(1, 30))
        )
        digest = parse(text, default=rng.choice([None, DAY]))
        assert digest.headings >= len(digest.papers)
