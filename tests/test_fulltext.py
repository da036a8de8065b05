"""Summaries from the paper's full text: arXiv's HTML version (LaTeXML markup) read with
its sections, tables and captions and without its bibliography, footnotes, math markup
and navigation; else the PDF's text; else the abstract, each fallback one line saying
why; requests spaced as arXiv asks; full texts kept so a second run asks nothing. Every
full text comes from a local server (tests/fulltext_server.py), made in the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_server import ChatServer, completion, summary_json
from click.testing import CliRunner
from fulltext_server import (
    ABSTRACT,
    FOOTNOTE,
    REFERENCE,
    TABLE_CAPTION,
    TITLE,
    FullTextServer,
    latexml_page,
    make_pdf,
    pdf_lines,
)
from record_files import write
from replay_server import Reply

from generator.arxiv import arxiv_client
from generator.cli import main
from generator.fulltext.cap import MAX_CHARS, capped
from generator.fulltext.latexml import Document, Section, read_html
from generator.fulltext.pdf import read_pdf
from generator.fulltext.sources import FullTexts
from generator.http import USER_AGENT, Client, RetryPolicy
from generator.llm import prompt
from generator.records.model import Paper
from generator.records.reading import read_record

PAPER_ID = "2402.00001"
SUMMARY = [
    "비디오 토큰을 소수의 전문가에게 보내는 라우팅 방법을 제안합니다.",
    "작은 라우터가 토큰마다 두 전문가를 고르고 균형 손실로 학습합니다.",
    "벤치마크에서 정확도 47.8%로 밀집 모델의 37.95%를 넘습니다.",
]


def paper(paper_id: str = PAPER_ID) -> Paper:
    return Paper(
        id=paper_id,
        date=dt.date(2024, 2, 14),
        title=TITLE,
        authors=["Ada Lovelace"],
        votes=3,
        abstract=ABSTRACT,
    )


@pytest.fixture
def server() -> Iterator[FullTextServer]:
    with FullTextServer() as running:
        yield running


def texts(server: FullTextServer, folder: Path, *, paced: bool = False) -> FullTexts:
    """Full texts from ``server``; ``paced``: through arXiv's client, one request every
    3 seconds (the other tests need not wait for it)."""
    retry = RetryPolicy(attempts=2, base_delay=0.001)
    client = arxiv_client(retry=retry) if paced else Client(retry=retry)
    return FullTexts(client, folder, server.url)


# --- what is read ---------------------------------------------------------------------


def test_the_html_gives_sections_tables_and_captions_and_nothing_else() -> None:
    document = read_html(latexml_page(PAPER_ID))
    assert document.title == TITLE
    assert document.abstract == ABSTRACT
    assert [s.title for s in document.sections] == ["1 Introduction", "2 Method", "3 Experiments"]
    text = document.text()
    assert TABLE_CAPTION in text
    assert "Routed | 47.8 | 0.4x" in text  # a table row, cell by cell
    assert "\\mathcal{L}=0.12" in text  # math as its TeX source
    for dropped in (REFERENCE, FOOTNOTE, "MATHML-ONLY", "NAVIGATION-TOC", "HEADER-NAV"):
        assert dropped not in text, dropped
    assert "FOOTER-TEXT" not in text and "AUTHOR-BLOCK" not in text and ".x{}" not in text


def test_a_page_that_is_no_paper_has_no_sections() -> None:
    assert read_html("<html><body><h1>No HTML for this paper</h1></body></html>").sections == []


def test_the_pdf_gives_its_text_without_the_references() -> None:
    text = read_pdf(make_pdf(pdf_lines()))
    assert TITLE in text and "47.8% accuracy" in text
    assert REFERENCE not in text


def test_the_text_is_capped_keeping_the_results_sections() -> None:
    long = ["word " * 300] * 40  # about 60,000 characters before the results
    document = Document(
        TITLE,
        ABSTRACT,
        [
            Section("1 Introduction", long),
            Section("2 Method", long),
            Section("5 Results", ["The routed model reaches 47.8% accuracy."]),
            Section("A Appendix", long),
        ],
    )
    text = capped(document)
    assert len(text) <= MAX_CHARS
    assert text.startswith(TITLE) and ABSTRACT in text
    assert "5 Results" in text and "47.8% accuracy" in text
    assert text.index("1 Introduction") < text.index("5 Results")  # the paper's order
    assert "A Appendix" not in text


# --- where it comes from --------------------------------------------------------------


def test_the_html_is_read_first_and_kept(server: FullTextServer, tmp_path: Path) -> None:
    server.html[PAPER_ID] = latexml_page(PAPER_ID)
    source = texts(server, tmp_path).source(paper())
    assert source.kind == "html" and source.notes == ()
    assert "47.8%" in source.text and REFERENCE not in source.text
    again = texts(server, tmp_path).source(paper())
    assert again == source
    assert [path for path, _, _ in server.requests] == [f"/html/{PAPER_ID}"]  # once
    assert server.requests[0][2] == USER_AGENT


def test_fallbacks_in_order_each_with_one_line(server: FullTextServer, tmp_path: Path) -> None:
    # No HTML version (404): the PDF.
    server.pdf["2402.00001"] = make_pdf(pdf_lines())
    # An HTML page without sections (a withdrawn paper), a PDF without text: the abstract.
    server.html["2402.00002"] = "<html><body><p>This paper has been withdrawn.</p></body></html>"
    server.pdf["2402.00002"] = make_pdf([])
    # arXiv down: the abstract, and nothing is kept (the next run asks again).
    server.replies["/html/2402.00003"] = [Reply(status=503)] * 2
    server.replies["/pdf/2402.00003"] = [Reply(status=503)] * 2
    full = texts(server, tmp_path)
    first = full.source(paper("2402.00001"))
    assert first.kind == "pdf" and "47.8% accuracy" in first.text
    (note,) = first.notes
    assert note.startswith("2402.00001: HTML not used (") and note.endswith("; using the PDF")
    assert "404" in note
    second = full.source(paper("2402.00002"))
    assert second.kind == "abstract" and second.text == ABSTRACT
    assert [note.split(" not used ")[0] for note in second.notes] == [
        "2402.00002: HTML",
        "2402.00002: PDF",
    ]
    assert "no sections" in second.notes[0] and "too short" in second.notes[1]
    third = full.source(paper("2402.00003"))
    assert third.kind == "abstract" and len(third.notes) == 2
    asked = len(server.requests)
    full.source(paper("2402.00002"))  # kept: asks nothing
    assert len(server.requests) == asked
    full.source(paper("2402.00003"))  # not kept: asks again
    assert len(server.requests) == asked + 2


def test_requests_are_spaced_as_arxiv_asks(server: FullTextServer, tmp_path: Path) -> None:
    server.pdf[PAPER_ID] = make_pdf(pdf_lines())  # the HTML is a 404: two requests
    texts(server, tmp_path, paced=True).source(paper())
    (_, first, _), (_, second, _) = server.requests
    assert second - first >= 2.9


# --- the command ----------------------------------------------------------------------


def test_summarize_reads_the_full_text_and_records_it(
    server: FullTextServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    write(paper(), data)
    server.html[PAPER_ID] = latexml_page(PAPER_ID)
    with ChatServer(default=completion(summary_json(*SUMMARY))) as chat:
        result = CliRunner().invoke(
            main,
            ["summarize", "--data-dir", str(data), "--source", "fulltext"],
            env={
                "OPENAI_BASE_URL": chat.url,
                "OPENAI_API_KEY": "sk-test",
                "DAILY_PAPERS_MODEL": "test-model",
                "DAILY_PAPERS_FULLTEXT_URL": server.url,
            },
        )
        assert result.exit_code == 0, result.output
        (request,) = chat.requests
    asked = request.prompt
    assert "The paper's full text:" in asked and "Routed | 47.8 | 0.4x" in asked
    assert REFERENCE not in asked and FOOTNOTE not in asked
    written, _ = read_record(data / paper().relative_path())
    assert written is not None and written.summary == SUMMARY
    assert written.summary_source is not None
    assert (written.summary_source.source, written.summary_source.prompt) == (
        "html",
        prompt().version,
    )
    assert (tmp_path / ".cache" / "daily-papers" / "fulltext" / f"{PAPER_ID}.html.txt").is_file()


def test_a_fulltext_url_that_cannot_work_is_a_usage_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write(paper(), data)
    result = CliRunner().invoke(
        main,
        ["summarize", "--data-dir", str(data), "--source", "fulltext"],
        env={"DAILY_PAPERS_FULLTEXT_URL": "javascript:alert(1)"},
    )
    assert result.exit_code == 2
    assert "--fulltext-url: " in result.output
    assert not (tmp_path / ".cache").exists()
