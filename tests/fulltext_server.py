"""A real HTTP server on 127.0.0.1 serving papers as arXiv does: ``/html/<id>`` (LaTeXML
pages) and ``/pdf/<id>`` (PDF files), both made here, and 404 for what it has not.

Also :func:`latexml_page` and :func:`make_pdf`, which write a paper of our own in each
format: the markup arXiv's HTML version uses (sections, paragraphs, a table with its
caption, a figure, math with its TeX source, a footnote, a bibliography, the page's
navigation), and a PDF with a text layer (Helvetica, one line per text line).
"""

from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler

from replay_server import LocalServer, Reply, send_reply

#: A made-up paper, in our own words: what each format carries.
TITLE = "Lantern Routing for Sparse Video Models"
ABSTRACT = (
    "We present lantern routing, a way to send each video token to few experts. "
    "It keeps quality while it lowers the cost of training."
)
SECTIONS = [
    (
        "1 Introduction",
        [
            "Video models grow quickly and their cost grows with them. We ask whether "
            "routing tokens to a few experts can keep quality at a lower cost.",
        ],
    ),
    (
        "2 Method",
        [
            "Each token is scored by a small router and sent to its two best experts. "
            "The router is trained with a balance loss so that no expert is idle.",
        ],
    ),
    (
        "3 Experiments",
        [
            "On the lantern benchmark the routed model reaches 47.8% accuracy against "
            "37.95% for the dense baseline, with 3.7B active parameters of 40B in total.",
        ],
    ),
]
TABLE_ROWS = [["Model", "Accuracy", "Cost"], ["Dense", "37.95", "1.0x"], ["Routed", "47.8", "0.4x"]]
TABLE_CAPTION = "Table 1: Accuracy and relative cost on the lantern benchmark."
FOOTNOTE = "Footnote text that is not part of the paper's argument."
REFERENCE = "A. Author. An older paper about routing. 2019."


def latexml_page(paper_id: str) -> str:
    """The paper as arXiv's HTML version marks it up."""
    sections = []
    for number, (heading, paragraphs) in enumerate(SECTIONS, 1):
        body = "".join(
            f'<div class="ltx_para" id="S{number}.p{n}"><p class="ltx_p">{html.escape(text)}'
            + (
                f'<span class="ltx_note ltx_role_footnote"><sup class="ltx_note_mark">1</sup>'
                f'<span class="ltx_note_outer"><span class="ltx_note_content">{FOOTNOTE}'
                "</span></span></span>"
                if number == 1
                else ""
            )
            + "</p></div>"
            for n, text in enumerate(paragraphs, 1)
        )
        if heading.startswith("3"):
            rows = "".join(
                '<tr class="ltx_tr">'
                + "".join(f'<td class="ltx_td">{html.escape(cell)}</td>' for cell in row)
                + "</tr>"
                for row in TABLE_ROWS
            )
            body += (
                f'<figure class="ltx_table" id="S3.T1"><figcaption class="ltx_caption">'
                f"{html.escape(TABLE_CAPTION)}</figcaption>"
                f'<table class="ltx_tabular">{rows}</table></figure>'
                '<div class="ltx_para"><p class="ltx_p">The loss is '
                '<math alttext="\\mathcal{L}=0.12" class="ltx_Math" display="inline">'
                "<semantics><mi>MATHML-ONLY</mi></semantics></math> at the end.</p></div>"
            )
        sections.append(
            f'<section class="ltx_section" id="S{number}">'
            f'<h2 class="ltx_title ltx_title_section">{html.escape(heading)}</h2>{body}</section>'
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><title>"
        f"{html.escape(TITLE)}</title><style>.x{{}}</style></head><body>"
        '<header class="desktop_header"><a href="/">arXiv</a> HEADER-NAV</header>'
        '<nav class="ltx_page_navbar">NAVIGATION-TOC</nav>'
        '<div class="ltx_page_main"><article class="ltx_document">'
        f'<h1 class="ltx_title ltx_title_document">{html.escape(TITLE)}</h1>'
        '<div class="ltx_authors"><span class="ltx_personname">AUTHOR-BLOCK</span></div>'
        '<div class="ltx_abstract"><h6 class="ltx_title ltx_title_abstract">Abstract</h6>'
        f'<p class="ltx_p">{html.escape(ABSTRACT)}</p></div>'
        + "".join(sections)
        + '<section class="ltx_bibliography" id="bib">'
        '<h2 class="ltx_title ltx_title_bibliography">References</h2><ul class="ltx_biblist">'
        f'<li class="ltx_bibitem">{html.escape(REFERENCE)}</li></ul></section>'
        f"</article></div><footer class='ltx_page_footer'>FOOTER-TEXT {paper_id}</footer>"
        "</body></html>"
    )


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (ASCII), written by hand: the
    header, a catalog, a page, its content stream and the font, and the xref table."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    stream = "BT /F1 9 Tf 11 TL 40 800 Td " + " ".join(f"({t}) '" for t in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def pdf_lines() -> list[str]:
    """The paper as lines of a PDF's text layer, references at the end."""
    lines = [TITLE, "Abstract", ABSTRACT]
    for heading, paragraphs in SECTIONS:
        lines += ["", heading, *paragraphs]
    return [*lines, "", "References", REFERENCE]


class FullTextServer(LocalServer):
    """``html`` and ``pdf`` map a paper id to its page or file; anything else is a 404.
    ``replies`` scripts the next answers for a path (an outage). Requests are kept with
    the time each arrived."""

    def __init__(self) -> None:
        self.html: dict[str, str] = {}
        self.pdf: dict[str, bytes] = {}
        self.replies: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, float, str]] = []
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return self.address

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with lock:
                    server.requests.append(
                        (self.path, time.monotonic(), self.headers.get("User-Agent", ""))
                    )
                    scripted = server.replies.get(self.path)
                    reply = scripted.pop(0) if scripted else None
                kind, _, paper_id = self.path.strip("/").partition("/")
                if reply is None and kind == "html" and paper_id in server.html:
                    reply = Reply(body=server.html[paper_id], headers={"Content-Type": "text/html"})
                elif reply is None and kind == "pdf" and paper_id in server.pdf:
                    reply = Reply(
                        body=server.pdf[paper_id], headers={"Content-Type": "application/pdf"}
                    )
                send_reply(self, reply or Reply(status=404, body="<h1>Not found</h1>"))

        return Handler
