"""Benchmark the site build against plain Markdown day pages, in one run.

Writes a synthetic archive of N days x M papers shaped like the real imported archive
(five Korean bullets of 173 characters on average, mostly 3 to 15 authors with a tail
of lists of several hundred names, authors spread over papers as the real archive's
are, no abstract, keywords, a thumbnail, some videos),
builds it and prints a table with the ratios:

- daily-papers: the repository's mkdocs.yml and docs/ with the synthetic data/, its
  Pagefind search index included;
- daily-papers without its search index (``search: false``), to show what indexing
  adds to a build, and five variants of that: without paper pages (``paper_pages:
  false``), on the same records without categories (no topic pages or feeds), without
  the trends page and charts (``trends: false``), without related papers (``related:
  false``) and without author pages (``author_pages: false``), to show what each adds;
- plain Markdown: the same papers as one Markdown page per day in the legacy digest
  format (what a reader of the old digests gets), built with stock mkdocs-material,
  its (lunr) search plugin and its navigation, under the same theme settings.

With ``--browser``, headless Chromium (Debian's, through Playwright) then reads the
daily-papers site from a server on 127.0.0.1 with a cold cache and reports the bytes of
a day page view (images excluded) and the bytes each query adds on the search page: as
served, and gzip-compressed as GitHub Pages sends them.

Each build runs in its own process, alternating between the two projects, and the
fastest of ``--repeat`` builds counts (the usual guard against a busy machine); build
seconds are wall time; peak memory is the largest sum of the resident sets of the build
and all its processes at once (Pagefind's indexer runs beside the build), sampled
every 50 ms from ``/proc``. CPU
seconds (user + system) are printed too: on a busy machine they compare the two builds
more fairly than wall time. The text is generated from word lists written for this
script, with a long tail of invented names and Korean word forms so that its vocabulary
grows like a real archive's (which decides how large Pagefind's index chunks are): about
3,000 distinct words in 79 papers and 46,000 in 5,400, where the six real digests in
``../shared`` have 4,764 in their 79; bullets average 173 characters, as the whole real
archive's do (the six digests' 117 are shorter than its average). Usage:

    .venv/bin/python bench/bench.py --days 360 --papers 15
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import unicodedata
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402
from mkdocs.utils.yaml import get_yaml_loader  # noqa: E402

from generator.records.model import (  # noqa: E402
    Media,
    Organization,
    Paper,
    SummarySource,
    default_links,
    summary_fingerprint,
)
from generator.records.store import Store  # noqa: E402

#: Early enough that 2,000 weekdays (30,000 papers) end before today: records dated
#: after tomorrow are refused.
START = dt.date(2018, 1, 1)
#: The day page compared between runs: the same date (and content) at every archive size.
PROBE_DAY = 49

KO_SUBJECTS = [
    "이 연구는",
    "본 논문은",
    "저자들은",
    "제안한 방법은",
    "새로운 프레임워크는",
    "이 모델은",
    "실험 결과는",
    "이 접근법은",
]
KO_TOPICS = [
    "대규모 언어 모델의",
    "확산 모델 기반 영상 생성의",
    "멀티모달 추론의",
    "강화 학습 에이전트의",
    "음성 합성 시스템의",
    "3차원 장면 복원의",
    "코드 생성 모델의",
    "긴 문맥 처리의",
    "시각 언어 모델의",
    "로봇 조작 정책의",
    "수학 문제 풀이의",
    "효율적인 미세 조정의",
]
KO_OBJECTS = [
    "추론 성능을",
    "학습 효율을",
    "일반화 능력을",
    "메모리 사용량을",
    "정확도를",
    "안정성을",
    "데이터 효율을",
    "생성 품질을",
    "추론 속도를",
]
KO_VERBS = [
    "크게 개선합니다.",
    "체계적으로 분석합니다.",
    "새로운 방식으로 높입니다.",
    "기존 방법보다 효과적으로 끌어올립니다.",
    "적은 비용으로 달성합니다.",
    "여러 벤치마크에서 검증합니다.",
]
KO_DETAILS = ["특히", "또한", "이를 위해", "그 결과", "추가로", "실험에서"]
KO_FILLERS = [
    "공개 데이터셋에서",
    "다양한 규모의 모델로",
    "사람 평가와 자동 평가 모두에서",
    "기존 최고 성능 모델과 비교해",
    "추가 학습 없이",
    "작은 모델로도",
    "여러 언어와 과제에 걸쳐",
    "긴 입력에서도",
]
EN_WORDS = [
    "Scaling",
    "Efficient",
    "Diffusion",
    "Language",
    "Models",
    "Reasoning",
    "Video",
    "Generation",
    "Learning",
    "Multimodal",
    "Agents",
    "Benchmark",
    "Alignment",
    "Transformers",
    "Vision",
    "Speech",
    "Sparse",
    "Retrieval",
    "Robust",
    "Adaptive",
    "Latent",
    "Policy",
    "Reward",
    "Tokens",
    "Context",
    "Memory",
    "Planning",
    "Fast",
]
GIVEN = [
    "Min-jun",
    "Seo-yeon",
    "Wei",
    "Yuki",
    "Anna",
    "Carlos",
    "Priya",
    "Ahmed",
    "Lena",
    "Tomás",
    "Haruto",
    "Ji-woo",
    "Olga",
    "Mateo",
    "Chen",
    "Sara",
    "Ivan",
    "Noor",
]


#: Korean nouns of the field and the particles that inflect them: a real summary writes
#: "모델을", "모델이", "모델의"..., and each form is a word of its own to a search index.
_NOUNS = """
    모델 데이터 성능 학습 추론 생성 방법 구조 평가 토큰 문맥 영상 이미지 음성
    텍스트 정책 보상 에이전트 벤치마크 인코더 디코더 어텐션 파라미터 손실 최적화 샘플링 정렬 검색
    메모리 지식 계획 도구 코드 수학 물리 로봇 장면 객체 동작 표현 특징 분포
    확률 노이즈 잠재 공간 해상도 프레임 시퀀스 그래프 노드 질의 응답 대화 번역 요약
    분류 분할 탐지 추적 복원 편집 합성 압축 양자화 증류 전이 적응 일반화 견고성
    효율 속도 비용 규모 확장 안전 편향 환각 설명 해석 검증 피드백 선호 지시
    프롬프트 예제 과제 사용자 인간 전문가 시뮬레이션 환경 궤적 계층 모듈 전문가망
"""
KO_NOUNS = tuple(_NOUNS.split())
_PARTICLES = "을 를 이 가 의 에 에서 으로 과 와 은 는 만 도"
KO_PARTICLES = ("", *_PARTICLES.split())
#: Invented syllables: names in the long tail (models, datasets, methods) are made of them.
_SYLLABLES = """
    ka ri to ne mo va lu si ze pa xo ren dal vi quo tor bex fin gal hu ja ke lim nor
    pex ros sul tam ux wen yo zar ble cri dro fla glo pri stu tra
"""
SYLLABLES = tuple(_SYLLABLES.split())


def long_tail_name(rank: int) -> str:
    """The invented name of rank ``rank`` (1 is the most common): syllables spelling the
    rank in base ``len(SYLLABLES)``, some with a size suffix as model names have."""
    syllables = []
    number = rank + len(SYLLABLES)  # at least two syllables
    while number:
        number, digit = divmod(number, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
    name = "".join(syllables).capitalize()
    return f"{name}-{rank % 70 + 1}B" if rank % 3 == 0 else name


def long_tail_term(rng: random.Random) -> str:
    """A name drawn from a heavy-tailed distribution: a few recur across the archive,
    most appear in a paper or two, as model and dataset names do in the real summaries
    (about 60 words new to the archive per paper in the real digests)."""
    return long_tail_name(int(rng.paretovariate(0.6) * 60))


#: Hangul syllables the long tail of Korean words is made of.
HANGUL = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추"


def korean_noun(rng: random.Random) -> str:
    """A noun with a particle: one of the field's common nouns, or (as often) one of the
    long tail of rarer ones a real archive has thousands of."""
    if rng.random() < 0.3:
        noun = rng.choice(KO_NOUNS)
    else:
        rank = int(rng.paretovariate(0.6) * 60) + len(HANGUL)
        letters = []
        while rank:
            rank, digit = divmod(rank, len(HANGUL))
            letters.append(HANGUL[digit])
        noun = "".join(letters)
    return noun + rng.choice(KO_PARTICLES)


def korean_bullet(rng: random.Random) -> str:
    """One summary bullet of the real archive's length (173 characters on average, from
    about 80 to 300)."""
    parts = [
        rng.choice(KO_SUBJECTS),
        long_tail_term(rng) + rng.choice(("은", "는", "의", "을", "")),
        rng.choice(KO_TOPICS),
        *(korean_noun(rng) for _ in range(rng.randint(7, 15))),
        rng.choice(KO_OBJECTS),
        rng.choice(KO_VERBS),
    ]
    for _ in range(rng.randint(4, 8)):
        term = long_tail_term(rng) + rng.choice(("", "로", "와"))
        parts.insert(rng.randrange(1, len(parts)), term)
    if rng.random() < 0.7:
        parts = [rng.choice(KO_DETAILS), rng.choice(KO_FILLERS), *parts]
    if rng.random() < 0.6:
        parts.insert(-1, rng.choice(KO_FILLERS))
    if rng.random() < 0.05:  # a term in a code span
        parts.insert(1, f"`{rng.choice(EN_WORDS).lower()}`")
    if rng.random() < 0.03:  # a link
        parts.append(f"[{rng.choice(EN_WORDS)}](https://github.com/lab{rng.randrange(500)}/code)")
    text = " ".join(parts)
    # 57% of the real archive's bullets start with a bold key, as the legacy digests wrote
    # them; a few of those keys are bold italic.
    roll = rng.random()
    if roll < 0.50:
        return f"**{rng.choice(KEYS)}**: {text}"
    if roll < 0.57:
        return f"***{rng.choice(KEYS)}***: {text}"
    return text


def author_count(rng: random.Random) -> int:
    """How many authors a paper lists: mostly a handful, with the real archive's long
    tail (a few lists of several hundred names, as large collaborations sign)."""
    roll = rng.random()
    if roll < 0.90:
        return rng.randint(3, 15)
    if roll < 0.98:
        return rng.randint(16, 60)
    return rng.randint(100, 500)


#: Bold keys of our own, in the shape the legacy digests used.
KEYS = ("Key Idea", "Method", "Results", "Why It Matters", "Data", "Limits")


#: Authors as the real archive has them (12,180 papers: 46,391 names, 19,375 of them on
#: 2 papers or more, 11,571 on 3, 5,648 on 5, 1,755 on 10), drawn from a pool of names by
#: a Zipf law (exponent 1.2, ranks offset by 200). Fitted on those figures, at 12,180
#: papers it gives about 54,600 names, 18,800 on 2 or more, 11,000 on 3, 6,100 on 5 and
#: 3,000 on 10 (a tail heavier than the real one, never lighter: a single law cannot
#: match all four), the most prolific author on about 275 papers.
AUTHOR_POOL = 300_000
_AUTHOR_WEIGHTS = list(itertools.accumulate((rank + 201) ** -1.2 for rank in range(AUTHOR_POOL)))


def author(rng: random.Random) -> str:
    """A name drawn by the law above; one mention in fifty written in another case or
    Unicode form, as records have them (the site counts them as one author)."""
    rank = bisect.bisect(_AUTHOR_WEIGHTS, rng.random() * _AUTHOR_WEIGHTS[-1])
    family = long_tail_name(rank // len(GIVEN)).split("-")[0]
    name = f"{GIVEN[rank % len(GIVEN)]} {family}"
    roll = rng.random()
    if roll < 0.01:
        return name.upper()
    if roll < 0.02:
        return unicodedata.normalize("NFD", name)
    return name


#: Primary categories with their weights: Daily Papers is mostly vision and language,
#: then machine learning and AI, with a tail of robotics, sound, graphics and others.
PRIMARY = (
    ("cs.CV", 35),
    ("cs.CL", 33),
    ("cs.LG", 10),
    ("cs.AI", 8),
    ("cs.RO", 3),
    ("cs.SD", 2),
    ("cs.GR", 2),
    ("cs.IR", 1.5),
    ("cs.SE", 1),
    ("cs.HC", 1),
    ("eess.IV", 1),
    ("cs.CR", 0.5),
    ("cs.MA", 0.5),
    ("eess.AS", 0.5),
    ("stat.ML", 0.5),
    ("cs.DC", 0.3),
    ("q-bio.QM", 0.2),
)
#: Categories papers add after their primary, most often AI, learning, language, vision.
SECONDARY = (
    ("cs.AI", 40),
    ("cs.LG", 30),
    ("cs.CL", 15),
    ("cs.CV", 12),
    ("cs.MM", 3),
    ("cs.RO", 3),
    ("eess.AS", 2),
    ("stat.ML", 2),
    ("cs.IR", 2),
    ("cs.HC", 1),
    ("cs.NE", 1),
    ("eess.SP", 0.5),
    ("physics.comp-ph", 0.2),
)


def synthetic_categories(rng: random.Random) -> list[str]:
    """A primary category and zero to three others (2.2 on average, as arXiv's listings
    of these papers have)."""
    codes = [rng.choices(*zip(*PRIMARY, strict=True))[0]]
    for _ in range(rng.choices((0, 1, 2, 3), (25, 40, 25, 10))[0]):
        code = rng.choices(*zip(*SECONDARY, strict=True))[0]
        if code not in codes:
            codes.append(code)
    return codes


#: Organizations are long-tailed, as Hugging Face's are: a few labs name many papers,
#: most a handful (weights 1/rank over 300 names).
ORG_WEIGHTS = [1 / rank for rank in range(1, 301)]


def synthetic_organization(rng: random.Random) -> Organization | None:
    """About 30% of papers name an organization (as the API does since 2025)."""
    if rng.random() >= 0.3:
        return None
    lab = rng.choices(range(len(ORG_WEIGHTS)), ORG_WEIGHTS)[0]
    return Organization(f"lab-{lab:03d}", f"Lab {lab:03d}")


def synthetic_paper(date: dt.date, index: int) -> Paper:
    """The same paper for the same (date, index) in every run, whatever the archive size."""
    rng = random.Random(f"{date.isoformat()}:{index}")
    paper_id = f"{date:%y%m}.{date.day * 1000 + index:05d}"
    summary = [korean_bullet(rng) for _ in range(5)]
    video = rng.random() < 0.15
    links = default_links(paper_id)
    if rng.random() < 0.4:
        links["github"] = f"https://github.com/lab{rng.randrange(500)}/{paper_id}"
    if rng.random() < 0.3:
        links["project"] = f"https://lab{rng.randrange(500)}.github.io/{paper_id}/"
    media_url = f"https://cdn-uploads.huggingface.co/production/uploads/{rng.getrandbits(48):012x}"
    return Paper(
        id=paper_id,
        date=date,
        title=long_tail_term(rng)
        + ": "
        + " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(4, 10))),
        authors=[author(rng) for _ in range(author_count(rng))],
        votes=int(rng.paretovariate(1.2) * 5),
        summary=summary,
        comments=rng.randint(0, 12),
        published=date - dt.timedelta(days=rng.randint(1, 5)),
        summary_source=SummarySource(
            "llm", model="bench-model", language="ko", fingerprint=summary_fingerprint(summary)
        ),
        links=links,
        thumbnail=f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper_id}.png",
        media=[Media("video", media_url + ".mp4")]
        if video
        else ([Media("image", media_url + ".png")] if rng.random() < 0.8 else []),
        keywords=[rng.choice(EN_WORDS).lower() for _ in range(rng.randint(2, 5))]
        + [long_tail_term(rng).lower() for _ in range(rng.randint(1, 3))],
        # No abstract: the real archive is imported digests, which carry none (a paper
        # fetched from the API has one, shown folded on its page, searched only where
        # there is no summary).
        organization=synthetic_organization(rng),
        code_stars=rng.randrange(5000) if "github" in links else None,
        categories=synthetic_categories(rng),
    )


def days(count: int) -> list[dt.date]:
    """``count`` weekdays from START (Daily Papers has no weekend lists)."""
    found: list[dt.date] = []
    date = START
    while len(found) < count:
        if date.weekday() < 5:
            found.append(date)
        date += dt.timedelta(days=1)
    return found


def legacy_markdown(date: dt.date, papers: list[Paper]) -> str:
    """A day in the legacy digest format."""
    lines = [f"# Daily Papers ({date.isoformat()})", ""]
    for paper in sorted(papers, key=lambda p: -(p.votes or 0)):
        lines += [f"### [{paper.title}](https://arxiv.org/abs/{paper.id})", ""]
        if paper.media and paper.media[0].kind == "video":
            url = paper.media[0].url
            lines += [
                f"[Watch Video]{url}",
                f'<div><video controls src="{url}" muted="false"></video></div>',
                "",
            ]
        elif paper.thumbnail:
            lines += [f"![]({paper.thumbnail})", ""]
        lines += [f"Vote: {paper.votes}", "", f"Authors: {', '.join(paper.authors)}", ""]
        lines += [f"- {bullet}" for bullet in paper.summary] + [""]
    return "\n".join(lines)


def plain_config() -> str:
    """The repository's mkdocs.yml without the plugin and its navigation: the same theme,
    palettes, features and links, so the comparison is only about how pages are made."""
    with open(REPO / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml.load(handle, Loader=get_yaml_loader())
    config["plugins"] = ["search"]
    del config["nav"]
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def plain_out_of_nav_config() -> str:
    """The plain project with its day pages out of the navigation, as ours are: a sidebar
    listing every day makes each page (and the build) grow with the archive, which
    flatters every ratio against the plain build."""
    with open(REPO / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml.load(handle, Loader=get_yaml_loader())
    config["plugins"] = ["search"]
    config["nav"] = [{"Daily Papers": "index.md"}]
    config["not_in_nav"] = "/2*/"
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


@dataclass(frozen=True)
class Projects:
    """The mkdocs.yml of every project the bench builds, and the probe date."""

    ours: Path
    #: Ours without the search index: the baseline of the three below.
    no_index: Path
    #: Without the index and without paper pages (``paper_pages: false``).
    no_papers: Path
    #: Without the index, on the same records stripped of their categories: no topics.
    no_topics: Path
    #: Without the index and without the trends page and charts (``trends: false``).
    no_trends: Path
    #: Without the index and without related papers (``related: false``).
    no_related: Path
    #: Without the index and without author pages (``author_pages: false``).
    no_authors: Path
    plain: Path
    #: Plain Markdown with its day pages out of the navigation, as ours are.
    plain_out_of_nav: Path
    probe: dt.date


def variant(text: str, options: str, data_dir: str = "data") -> str:
    """The repository's mkdocs.yml with plugin ``options`` added and ``data_dir`` set."""
    return text.replace("      data_dir: data\n", f"      data_dir: {data_dir}\n{options}")


def write_projects(out: Path, day_count: int, papers_per_day: int) -> Projects:
    """Write the projects to build (every variant of ours shares one folder)."""
    shutil.rmtree(out, ignore_errors=True)
    ours, plain = out / "daily-papers", out / "plain"
    shutil.copytree(REPO / "docs", ours / "docs")
    shutil.copy(REPO / "mkdocs.yml", ours / "mkdocs.yml")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    no_index = "      search: false\n"
    variants = {
        "mkdocs-no-index.yml": variant(text, no_index),
        "mkdocs-no-papers.yml": variant(text, no_index + "      paper_pages: false\n"),
        "mkdocs-no-topics.yml": variant(text, no_index, "data-no-topics"),
        "mkdocs-no-trends.yml": variant(text, no_index + "      trends: false\n").replace(
            "  - 연구 동향: trends.md\n", ""
        ),
        "mkdocs-no-related.yml": variant(text, no_index + "      related: false\n"),
        "mkdocs-no-authors.yml": variant(text, no_index + "      author_pages: false\n").replace(
            "  - 저자별 논문: authors.md\n", ""
        ),
    }
    for name, config in variants.items():
        (ours / name).write_text(config, encoding="utf-8")
    (plain / "docs").mkdir(parents=True)
    (plain / "docs" / "index.md").write_text("# Daily Papers\n", encoding="utf-8")
    (plain / "mkdocs.yml").write_text(plain_config(), encoding="utf-8")
    (plain / "mkdocs-out-of-nav.yml").write_text(plain_out_of_nav_config(), encoding="utf-8")
    dates = days(day_count)
    store, no_topics = Store(ours / "data"), Store(ours / "data-no-topics")
    for date in dates:
        papers = [synthetic_paper(date, index) for index in range(papers_per_day)]
        store.put(papers)
        no_topics.put([replace(paper, categories=None) for paper in papers])
        page = plain / "docs" / f"{date:%Y}" / f"{date:%m}" / f"{date:%d}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(legacy_markdown(date, papers), encoding="utf-8")
    return Projects(
        ours=ours / "mkdocs.yml",
        no_index=ours / "mkdocs-no-index.yml",
        no_papers=ours / "mkdocs-no-papers.yml",
        no_topics=ours / "mkdocs-no-topics.yml",
        no_trends=ours / "mkdocs-no-trends.yml",
        no_related=ours / "mkdocs-no-related.yml",
        no_authors=ours / "mkdocs-no-authors.yml",
        plain=plain / "mkdocs.yml",
        plain_out_of_nav=plain / "mkdocs-out-of-nav.yml",
        probe=dates[min(PROBE_DAY, len(dates) - 1)],
    )


#: Parts of the built site, by where they are: what the benchmark reports per part.
SECTIONS = (
    ("day pages", re.compile(r"\d{4}/\d{2}/\d{2}/index\.html")),
    ("month and year pages", re.compile(r"(top/)?\d{4}(/\d{2})?/index\.html")),
    ("paper pages", re.compile(r"papers/.*\.html")),
    ("week pages", re.compile(r"weeks/.*\.html")),
    ("organization pages", re.compile(r"orgs/.*\.html")),
    ("topic pages", re.compile(r"topics/.*\.html")),
    ("author pages", re.compile(r"authors/.*\.html")),
    ("feeds (site and topics)", re.compile(r"feed[^/]*\.(xml|json)")),
    ("sitemaps", re.compile(r"sitemap(s/.*)?\.xml(\.gz)?")),
    ("open data (api/)", re.compile(r"api/.*")),
    ("search index (pagefind/)", re.compile(r"pagefind/.*")),
)


def sections(site: Path) -> list[tuple[str, int, int]]:
    """(part, files, bytes) of a built site."""
    found = {name: [0, 0] for name, _ in SECTIONS}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        for name, pattern in SECTIONS:
            if pattern.fullmatch(relative):
                found[name][0] += 1
                found[name][1] += path.stat().st_size
                break
    return [(name, files, size) for name, (files, size) in found.items()]


class _Deflated:
    """A write-only stream that keeps nothing: it counts the bytes written to it and the
    bytes they deflate to."""

    def __init__(self) -> None:
        self.raw = 0
        self.deflated = 0
        self._compressor = zlib.compressobj(6)

    def write(self, data: bytes) -> int:
        self.raw += len(data)
        self.deflated += len(self._compressor.compress(data))
        return len(data)

    def close(self) -> None:
        self.deflated += len(self._compressor.flush())


def artifact_bytes(site: Path) -> tuple[int, int]:
    """(tar bytes, deflated bytes) of ``site`` packed as the publish workflow packs it.

    actions/upload-pages-artifact makes one tar of the site (hidden files left out) and
    actions/upload-artifact stores it deflated at its default level, 6; actions/deploy-
    pages compares that stored size with GitHub Pages' 1 GB and warns above it. Files
    are HTML, JSON and XML, so this is a fraction of the site's bytes."""
    stream = _Deflated()
    with tarfile.open(fileobj=stream, mode="w|", format=tarfile.GNU_FORMAT) as tar:
        tar.add(site, arcname=".", filter=lambda info: None if _hidden(info.name) else info)
    stream.close()
    return stream.raw, stream.deflated


def _hidden(name: str) -> bool:
    """Whether upload-pages-artifact leaves the entry out (``--exclude=.[^/]*``)."""
    return any(part.startswith(".") and part != "." for part in name.split("/"))


def floor_seconds(data_dir: Path) -> float:
    """CPU seconds to read every record with libyaml's loader, in a fresh process: the
    floor a build cannot go below (it must read every record)."""
    script = (
        "import pathlib, resource, sys, yaml\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
        "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
        "u = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(u.ru_utime + u.ru_stime)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)], capture_output=True, text=True, check=True
    )
    baseline = subprocess.run(
        [sys.executable, "-c", script, str(data_dir / "none")],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout) - float(baseline.stdout)


@dataclass
class Result:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    site_bytes: int
    day_page_bytes: int
    search_bytes: int


def process_tree(root: int) -> list[tuple[Path, list[str]]]:
    """Process ``root`` and all its living descendants: each one's ``/proc`` folder and
    the fields of its ``stat`` after the command name (state, parent, ...)."""
    found: dict[int, tuple[Path, list[str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited meanwhile
            continue
        found[int(entry.name)] = (entry, stat[stat.rindex(")") + 2 :].split())
    tree = []
    for pid, (entry, fields) in found.items():
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in found:
            ancestor = int(found[ancestor][1][1])
        if ancestor == root:
            tree.append((entry, fields))
    return tree


def tree_rss_bytes(root: int) -> int:
    """The resident bytes of process ``root`` and all its descendants, from ``/proc``."""
    total = 0
    for entry, _ in process_tree(root):
        try:
            total += int((entry / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:  # exited meanwhile
            continue
    return total


class PeakMemory(threading.Thread):
    """Samples a process tree's resident bytes until ``stop``; ``peak`` is the largest."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(0.05):
            self.peak = max(self.peak, tree_rss_bytes(self.root))

    def stop(self) -> int:
        self._stopped.set()
        self.join()
        return self.peak


def build(config: Path, probe: dt.date) -> Result:
    """Build one project in a child process and measure it."""
    site = config.parent / f"site-{config.stem}"
    shutil.rmtree(site, ignore_errors=True)  # every build starts from nothing, untimed
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "--config-file",
            str(config.resolve()),
            "--site-dir",
            str(site.resolve()),
        ],
        env=env,
        # `python -m` puts its working folder first on sys.path: from the repository's,
        # its generator/ would shadow one given by PYTHONPATH (a baseline's worktree).
        cwd=config.parent,
    )
    memory = PeakMemory(process.pid)
    memory.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    peak = memory.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"build of {config} failed with status {process.returncode}")
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    day_page = site / f"{probe:%Y}" / f"{probe:%m}" / f"{probe:%d}" / "index.html"
    lunr = site / "search" / "search_index.json"
    search = (
        lunr.stat().st_size
        if lunr.is_file()
        else sum(path.stat().st_size for path in (site / "pagefind").rglob("*") if path.is_file())
        if (site / "pagefind").is_dir()
        else 0
    )
    return Result(
        seconds,
        usage.ru_utime + usage.ru_stime,
        max(peak, usage.ru_maxrss * 1024) / 2**20,
        size,
        day_page.stat().st_size,
        search,
    )


def page_sizes(folder: Path) -> list[int]:
    """The sizes of the ``index.html`` pages below ``folder``, smallest first."""
    return sorted(path.stat().st_size for path in folder.rglob("index.html"))


def report_parts(projects: Projects, best: dict[Path, Result], site: Path) -> None:
    """What paper pages and topics cost, each against the build without the index in the
    same run, and how large their pages are."""
    no_index = best[projects.no_index]
    for label, config in (
        ("paper pages", projects.no_papers),
        ("topics", projects.no_topics),
        ("related papers", projects.no_related),
        ("author pages", projects.no_authors),
    ):
        without = best[config]
        print(
            f"{label}: build {without.seconds:.1f} s without them, {no_index.seconds:.1f} s "
            f"with them ({no_index.seconds - without.seconds:+.1f} s, "
            f"{no_index.seconds / without.seconds - 1:+.0%}); CPU {without.cpu_seconds:.1f} s "
            f"and {no_index.cpu_seconds:.1f} s ({no_index.cpu_seconds - without.cpu_seconds:+.1f}"
            f" s, {no_index.cpu_seconds / without.cpu_seconds - 1:+.0%}); peak memory "
            f"{without.peak_mb:.0f} MB and {no_index.peak_mb:.0f} MB "
            f"({no_index.peak_mb - without.peak_mb:+.0f} MB)"
        )
    report_charts(projects, best, site)
    for label, folder in (
        ("paper page", site / "papers"),
        ("topic page", site / "topics"),
        ("author page", site / "authors"),
    ):
        sizes = page_sizes(folder)
        if sizes:
            print(
                f"{label} bytes: median {sizes[len(sizes) // 2]:,}, largest {sizes[-1]:,} "
                f"({len(sizes):,} pages)"
            )


def report_charts(projects: Projects, best: dict[Path, Result], site: Path) -> None:
    """What the trends page and the charts of topic and organization pages cost, against
    the build without the index and as a share of the whole build (the index's too),
    and the trends page's bytes."""
    without, no_index, ours = best[projects.no_trends], best[projects.no_index], best[projects.ours]
    added, added_cpu = (
        no_index.seconds - without.seconds,
        no_index.cpu_seconds - without.cpu_seconds,
    )
    print(
        f"trends and charts: build {without.seconds:.1f} s without them, "
        f"{no_index.seconds:.1f} s with them ({added:+.1f} s, {added / without.seconds:+.1%}; "
        f"CPU {added_cpu:+.1f} s, {added_cpu / without.cpu_seconds:+.1%}); of the whole build "
        f"{added / ours.seconds:+.1%} ({added_cpu / ours.cpu_seconds:+.1%} CPU)"
    )
    page = site / "trends" / "index.html"
    if page.is_file():
        print(f"trends page bytes: {page.stat().st_size:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=360)
    parser.add_argument("--papers", type=int, default=15, help="papers per day")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="builds of each project, alternating; the fastest counts",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "bench" / "out",
        help="scratch folder (deleted and rewritten)",
    )
    parser.add_argument(
        "--charts-only",
        action="store_true",
        help="build only ours, without the index, and without trends: what charts cost",
    )
    parser.add_argument(
        "--browser",
        action="store_true",
        help="also measure page and query bytes in headless Chromium",
    )
    args = parser.parse_args()
    if min(args.days, args.papers, args.repeat) < 1:
        parser.error("--days, --papers and --repeat must be at least 1")

    projects = write_projects(args.out, args.days, args.papers)
    probe = projects.probe
    papers = args.days * args.papers
    configs = (
        (projects.ours, projects.no_index, projects.no_trends)
        if args.charts_only
        else (
            projects.ours,
            projects.no_index,
            projects.no_papers,
            projects.no_topics,
            projects.no_trends,
            projects.no_related,
            projects.no_authors,
            projects.plain,
            projects.plain_out_of_nav,
        )
    )
    runs: dict[Path, list[Result]] = {config: [] for config in configs}
    for _ in range(args.repeat):
        for config, results in runs.items():
            results.append(build(config, probe))
    best = {config: min(results, key=lambda r: r.seconds) for config, results in runs.items()}
    if args.charts_only:
        print(f"{papers:,} papers (fastest of {args.repeat} builds each)")
        report_charts(projects, best, projects.ours.parent / f"site-{projects.ours.stem}")
        return
    ours, no_index, plain = best[projects.ours], best[projects.no_index], best[projects.plain]
    fair = best[projects.plain_out_of_nav]
    ours_config = projects.ours

    rows = [
        ("build seconds", "seconds", "{:.1f}"),
        ("build CPU seconds", "cpu_seconds", "{:.1f}"),
        ("peak memory, all processes (MB)", "peak_mb", "{:.0f}"),
        ("site bytes", "site_bytes", "{:,}"),
        (f"day page bytes ({probe})", "day_page_bytes", "{:,}"),
        ("search index bytes (all files)", "search_bytes", "{:,}"),
    ]
    print(
        f"{args.days} days x {args.papers} papers = {papers:,} papers "
        f"(fastest of {args.repeat} builds each)"
    )
    print(
        f"{'':32} {'daily-papers':>13} {'plain':>13} {'ratio':>6} {'plain, days':>13} {'ratio':>6}"
    )
    print(f"{'':32} {'':>13} {'':>13} {'':>6} {'out of nav':>13}")
    for label, field, shown in rows:
        value, baseline, fairer = (getattr(r, field) for r in (ours, plain, fair))
        print(
            f"{label:32} {shown.format(value):>13} {shown.format(baseline):>13} "
            f"{value / baseline:>6.2f} {shown.format(fairer):>13} {value / fairer:>6.2f}"
        )
    print(f"{'search index bytes per paper':32} {ours.search_bytes / papers:>13,.0f}")
    floor = min(floor_seconds(ours_config.parent / "data") for _ in range(args.repeat))
    print(
        f"\nfloor: reading every record with libyaml takes {floor:.2f} CPU s (one process, so "
        f"as many seconds); the build takes {ours.cpu_seconds:.1f} CPU s, "
        f"{ours.cpu_seconds / floor:.1f}x the floor ({no_index.cpu_seconds / floor:.1f}x "
        f"without the search index), and {ours.seconds:.1f} s, {ours.seconds / floor:.1f}x "
        f"({no_index.seconds / floor:.1f}x without the search index). The build reads with "
        "a process per CPU and Pagefind indexes beside it: less time, more CPU seconds."
    )
    print(f"\n{'part of the site':32} {'files':>8} {'bytes':>14} {'bytes/file':>11}")
    for name, files, size in sections(ours_config.parent / f"site-{ours_config.stem}"):
        print(f"{name:32} {files:>8,} {size:>14,} {size // max(files, 1):>11,}")
    print(
        f"\nindexing: build {no_index.seconds:.1f} s without the search index, "
        f"{ours.seconds:.1f} s with it ({ours.seconds / no_index.seconds - 1:+.0%}); "
        f"CPU {no_index.cpu_seconds:.1f} s and {ours.cpu_seconds:.1f} s "
        f"({ours.cpu_seconds / no_index.cpu_seconds - 1:+.0%}); peak memory "
        f"{no_index.peak_mb:.0f} MB without it"
    )
    tar_bytes, deflated = artifact_bytes(ours_config.parent / f"site-{ours_config.stem}")
    print(
        f"Pages artifact (the site as a tar, deflated at level 6 as upload-artifact stores "
        f"it; deploy-pages warns above 1 GB): {tar_bytes:,} bytes of tar, {deflated:,} "
        f"deflated ({deflated / tar_bytes:.0%})"
    )
    report_parts(projects, best, ours_config.parent / f"site-{ours_config.stem}")
    from reader_bytes import report as report_reader  # a script of its own as well

    report_reader(ours_config.parent / f"site-{ours_config.stem}")
    if args.browser:
        from browser_bytes import measure  # Playwright is a test dependency

        measure(ours_config.parent / f"site-{ours_config.stem}", probe)


if __name__ == "__main__":
    main()
