"""The site the browser tests read: the repository's records plus records made for the tests.

The repository's ``mkdocs.yml``, ``docs/`` and records are used as they are; the tests add
two days of their own, older than any real record so they never become the home page:

* ``READER_DAY``: what a reader meets on a normal day: a paper with a demo video served by
  the test server and a long author list, one with an image on an external host, an English
  fallback summary, a paper with no summary (its abstract shown folded), a paper whose vote
  count is unknown.
* ``XSS_DAY``: one paper per payload of :mod:`xss_payloads`, with payloads in every field
  that accepts them.

The site is built with MkDocs' Python API, as ``mkdocs build`` does, into a folder the test
server serves, with ``site_url`` pointing at that server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from sitebuild import REPO, make_project
from xss_payloads import SUMMARY, TEXT, URLS

from generator.records.bullets import bullet_problem
from generator.records.model import (
    Media,
    Organization,
    Paper,
    SummarySource,
    default_links,
    summary_fingerprint,
)
from generator.records.reading import scan

READER_DAY = dt.date(2023, 6, 1)
XSS_DAY = dt.date(2023, 6, 2)
TEST_DAYS = (READER_DAY, XSS_DAY)

#: Where the test server serves files that records point at (the video and its poster).
FIXTURES_PATH = "_fixtures/"
#: Where it serves the site: below a path, as GitHub project Pages serve one.
SITE_PATH = "daily-papers/"
#: An image on a host the tests cannot reach: the browser fixture answers it locally.
EXTERNAL_IMAGE = "https://cdn-uploads.huggingface.co/production/uploads/sample/sparse-lanterns.png"

#: The organization of the reader day's first three papers: enough for a page of its own.
LAB = Organization("example-lab", "Example Lab")

VIDEO_PAPER = "2306.80001"
IMAGE_PAPER = "2306.80002"
FALLBACK_PAPER = "2306.80003"
ABSTRACT_PAPER = "2306.80004"
UNKNOWN_VOTES_PAPER = "2306.80005"

#: A link text with no place to break a line, as a pasted repository URL often is.
LONG_URL = (
    "https://github.com/example/an-unusually-long-repository-name-for-testing/tree/"
    "main/examples/multi_vector_retrieval_with_hierarchical_indexes.py"
)

#: Search targets: a word found only in one title, and a surname found only in one author.
TITLE_WORD = "Zebrafish"
AUTHOR_SURNAME = "Quillfeather"

_GIVEN = (
    "Minji",
    "Jonas",
    "Aiko",
    "Rafael",
    "Seo-yeon",
    "Tomasz",
    "Priya",
    "Lucas",
    "Hana",
    "Dmitri",
    "Amara",
    "Wei",
    "Ingrid",
    "Mateo",
    "Yuna",
    "Kwame",
)
_FAMILY = (
    "Kim",
    "Albrecht",
    "Tanaka",
    "Oliveira",
    "Park",
    "Nowak",
    "Raman",
    "Moreau",
    "Lee",
    "Volkov",
    "Okafor",
    "Zhang",
    "Lund",
    "Garcia",
    "Choi",
    "Mensah",
)


def long_author_list(count: int) -> list[str]:
    """``count`` distinct made-up names, as a large lab's paper lists them."""
    return [
        f"{_GIVEN[i % len(_GIVEN)]} {_FAMILY[(i * 7 + i // len(_GIVEN)) % len(_FAMILY)]}"
        for i in range(count)
    ]


#: An author on two of the reader's papers (the long lists share their first names): with
#: the sample's ``author_pages_min: 2`` they have a page.
PROLIFIC_AUTHOR = long_author_list(6)[0]


def _llm(summary: list[str]) -> SummarySource:
    return SummarySource(
        kind="llm", model="test-model", language="ko", fingerprint=summary_fingerprint(summary)
    )


def reader_records(fixtures_url: str) -> list[Paper]:
    """The papers of :data:`READER_DAY`; ``fixtures_url`` is where the video is served."""
    video_summary = [
        "물고기 떼의 **동기화된 움직임**을 영상 확산 모델로 학습한다.",
        "짧은 관찰 영상만으로 수백 마리의 궤적을 함께 생성한다.",
        "시간 축 주의(attention)를 개체 단위로 나눠 계산량을 줄였다.",
        "실제 수조 촬영 영상과 비교한 사람 평가에서 더 자연스럽다는 응답을 받았다.",
        "코드와 데모 영상을 공개했다.",
    ]
    image_summary = [
        "긴 문맥에서 모든 토큰 대신 학습된 **랜드마크** 토큰만 주의 대상으로 삼는다.",
        "`top-k` 선택을 미분 가능하게 바꿔 처음부터 함께 학습한다.",
        "128K 토큰 문맥에서 메모리를 크게 줄이면서 정확도는 거의 유지한다.",
        "자세한 실험은 [프로젝트 페이지](https://example.org/sparse-lanterns)에 있다.",
    ]
    fallback_summary = [
        "The paper studies how small vision-language models can be distilled on synthetic "
        "charts, and reports gains on three chart question answering benchmarks.",
    ]
    return [
        Paper(
            id=VIDEO_PAPER,
            date=READER_DAY,
            title=f"{TITLE_WORD} Choreography: Learning Synchronized Swimming from Video Diffusion",
            authors=long_author_list(32),
            votes=321,
            comments=12,
            published=dt.date(2023, 5, 30),
            summary=video_summary,
            summary_source=_llm(video_summary),
            links={
                **default_links(VIDEO_PAPER),
                "github": "https://github.com/example/zebrafish-choreography",
                "project": "https://example.org/zebrafish",
            },
            thumbnail=f"{fixtures_url}poster.png",
            media=[Media(kind="video", url=f"{fixtures_url}demo.mp4")],
            keywords=["video diffusion", "collective motion"],
            organization=LAB,
            categories=["cs.CV", "cs.LG"],
        ),
        Paper(
            id=IMAGE_PAPER,
            date=READER_DAY,
            title="Sparse Lanterns: Efficient Long-Context Attention with Learned Landmarks",
            authors=["Hyeonwoo Baek", f"Odalys {AUTHOR_SURNAME}", "Tariq Benali", "Sun Yi"],
            votes=154,
            comments=3,
            summary=image_summary,
            summary_source=SummarySource(kind="human"),
            links={
                **default_links(IMAGE_PAPER),
                "github": "https://github.com/example/sparse-lanterns",
            },
            thumbnail=EXTERNAL_IMAGE,
            media=[Media(kind="image", url=EXTERNAL_IMAGE)],
            keywords=["long context", "sparse attention"],
            organization=LAB,
            categories=["cs.CL", "cs.LG"],
        ),
        Paper(
            id=FALLBACK_PAPER,
            date=READER_DAY,
            title="Tiny Chart Readers: Distilling Chart Understanding into Small Models",
            authors=long_author_list(6),
            votes=48,
            comments=1,
            summary=fallback_summary,
            summary_source=SummarySource(
                kind="huggingface",
                model="test-model",
                language="en",
                fingerprint=summary_fingerprint(fallback_summary),
            ),
            links=default_links(FALLBACK_PAPER),
            organization=LAB,
            categories=["cs.CV", "cs.CL"],
        ),
        Paper(
            id=ABSTRACT_PAPER,
            date=READER_DAY,
            title="A Note on Evaluating Retrieval with Shuffled Queries",
            authors=["Ines Carvalho", "Jae-won Shin"],
            votes=9,
            summary=[],
            links=default_links(ABSTRACT_PAPER),
            abstract="We shuffle the words of retrieval queries and measure how much each "
            "benchmark still rewards a system.\n\nSome benchmarks barely change, "
            "which says they reward keyword overlap more than understanding.",
        ),
        Paper(
            id=UNKNOWN_VOTES_PAPER,
            date=READER_DAY,
            title="Counting Votes Nobody Recorded",
            authors=["Noor Haddad"],
            votes=None,
            summary=[
                "투표 수가 기록되지 않은 논문도 목록에 나온다.",
                "이 경우 숫자 대신 알 수 없다는 표시가 보여야 한다.",
                f"긴 주소도 화면 밖으로 나가지 않아야 한다: [{LONG_URL}]({LONG_URL})",
                "띄어쓰기없이아주길게이어지는한국어문장도화면폭을넘지않고다음줄로넘어가야한다",
            ],
            summary_source=SummarySource(kind="human"),
            links=default_links(UNKNOWN_VOTES_PAPER),
            keywords=["retrieval-augmented-generation-with-hierarchical-multi-vector-indexes"],
        ),
    ]


#: Payloads that try to break out of attributes get the most votes, so the archive's
#: "most voted paper" and the month's top papers, which may quote titles, carry them.
_VOTE_ORDER = (
    "double-quote-breakout",
    "single-quote-breakout",
    "close-tag-breakout",
    "comment-opener",
    "close-many-contexts",
)


def xss_records() -> list[Paper]:
    """One paper of :data:`XSS_DAY` per text payload, with payloads in every field."""
    ranked = sorted(
        TEXT, key=lambda p: _VOTE_ORDER.index(p.name) if p.name in _VOTE_ORDER else len(_VOTE_ORDER)
    )
    papers = []
    count = len(TEXT)
    for index, payload in enumerate(TEXT):
        paper_id = f"2306.9{index + 1:04d}"
        texts = [TEXT[(index + step) % count].text for step in range(3)]
        url = [URLS[(index + step) % len(URLS)] for step in range(6)]
        if index == 0:  # one record carries every bullet, so bullets can refer to each other
            summary = list(SUMMARY)
        elif index % 4 == 3:  # no summary: the day page shows the abstract instead
            summary = []
        else:
            summary = [SUMMARY[(index * 3 + step) % len(SUMMARY)] for step in range(3)]
            if bullet_problem(payload.text) is None:  # raw HTML in a bullet is text too
                summary.append(payload.text)
        if index % 3 == 0 and summary:
            source = SummarySource(
                kind="huggingface",
                model=texts[1],
                language="en",
                fingerprint=summary_fingerprint(summary),
            )
        elif index % 3 == 1 and summary:
            source = SummarySource(
                kind="llm", model=texts[2], language="ko", fingerprint=summary_fingerprint(summary)
            )
        else:
            source = None
        authors = [t.text for t in TEXT] if index == 0 else [*texts[:2], "Ordinary Author"]
        media = (
            [Media(kind="video", url=f"{url[3]}#.mp4")]
            if index % 5 == 0
            else [Media(kind="image", url=url[4])]
        )
        papers.append(
            Paper(
                id=paper_id,
                date=XSS_DAY,
                title=payload.text,
                authors=authors,
                votes=1000 - ranked.index(payload),
                comments=index,
                published=dt.date(2023, 5, 1 + index % 28),
                summary=summary,
                summary_source=source,
                links={
                    "huggingface": url[0],
                    "arxiv": url[1],
                    "pdf": url[2],
                    "github": url[3],
                    "project": url[5],
                },
                thumbnail=url[5],
                media=media,
                keywords=[texts[0], texts[2]],
                abstract=f"{texts[0]}\n\n{texts[1]}\n{texts[2]}</script><script>"
                "alert('xss-abstract')</script>",
            )
        )
    return papers


@dataclass
class SampleSite:
    """A built sample site and the records it was built from."""

    url: str
    site_dir: Path
    config: MkDocsConfig
    papers: list[Paper] = field(default_factory=list)

    def papers_on(self, day: dt.date) -> list[Paper]:
        """The day's papers in page order: most votes first (unknown votes last)."""
        found = [p for p in self.papers if p.date == day]
        return sorted(found, key=lambda p: (-(p.votes if p.votes is not None else -1), p.id))

    @property
    def days(self) -> list[dt.date]:
        """Every day with at least one paper, oldest first."""
        return sorted({p.date for p in self.papers})

    def paper(self, paper_id: str) -> Paper:
        return next(p for p in self.papers if p.id == paper_id)


def build_sample_site(
    project: Path, site_dir: Path, site_url: str, extra: list[Paper]
) -> SampleSite:
    """Build the repository's records plus ``extra`` as ``mkdocs build`` would.

    The project is the repository's configuration and docs (:func:`sitebuild.make_project`)
    with all records in a data folder of its own; the repository is not touched.
    """
    found = scan([REPO / "data"], relative_to=REPO)
    if found.errors:
        raise RuntimeError(
            "the repository's records do not validate:\n" + "\n".join(str(p) for p in found.errors)
        )
    clashes = sorted({p.date for p in found.papers} & set(TEST_DAYS))
    if clashes:
        raise RuntimeError(
            f"the repository's data/ already has records on the test days "
            f"{clashes}; move READER_DAY and XSS_DAY in {__file__}"
        )
    papers = found.papers + extra
    # Authors on two papers get pages: the sample has no one on five.
    config = load_config(
        str(make_project(project, papers, {"author_pages_min": 2})),
        site_dir=str(site_dir),
        site_url=site_url,
    )
    build(config)
    return SampleSite(url=site_url, site_dir=site_dir, config=config, papers=papers)
