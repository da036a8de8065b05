"""A paper's text from its PDF, where arXiv has no HTML version: pypdf's text of each page.

pypdf (pure Python, no dependency, from PyPI) reads the text layer a PDF carries; a PDF
without one (scanned pages) gives no text, and the caller falls back to the abstract.
Text extraction cannot tell a reference list from the body, so the bibliography is cut
at its heading when one is found at the start of a line near the end.
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError

#: A bibliography's heading on a line of its own.
_REFERENCES = re.compile(r"^\s*(?:\d+\.?\s*)?(references|bibliography)\s*$", re.I | re.M)
_BLANKS = re.compile(r"[ \t]+")


class PdfTextError(Exception):
    """The PDF cannot be read; the message says why."""


def read_pdf(data: bytes) -> str:
    """The text of the PDF in ``data``, pages in order, without its bibliography;
    empty for a PDF without a text layer."""
    # pypdf logs every oddity of a PDF it still reads; those are not the user's problem.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise PdfTextError(f"not a readable PDF ({error.__class__.__name__}: {error})") from None
    text = "\n".join(_BLANKS.sub(" ", page).strip() for page in pages).strip()
    cut = [match.start() for match in _REFERENCES.finditer(text)]
    if cut and cut[-1] > len(text) // 2:
        text = text[: cut[-1]].rstrip()
    return text
