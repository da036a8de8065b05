"""URLs as records hold them: absolute http(s) only, and what kind of media one points to.

A record is untrusted input (an API answer, a pull request), and its URLs end up in
``href`` and ``src`` attributes; :func:`url_problem` is the one rule both validation and
the site apply, so ``javascript:`` or ``data:`` can never reach a page.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from generator.records.text import CONTROL_CHARS, type_name

HF_BASE_URL = "https://huggingface.co"

#: Video files by extension, with the MIME type a browser or feed reader needs.
VIDEO_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
    ".qt": "video/quicktime",
}

_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f<>\"'\\`]")
#: An absolute http(s) URL with a plain host name and none of the forbidden characters:
#: nearly every URL in the archive, accepted without parsing. Checking URLs was a tenth
#: of reading the archive; anything else goes through the full check.
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9][A-Za-z0-9.-]*(?::[0-9]+)?"
    r"(?:[/?#][^\s\x00-\x1f\x7f<>\"'\\`]*)?"
)


def resolve_url(url: str) -> str:
    """Make an API or digest URL absolute: relative paths resolve against huggingface.co."""
    url = url.strip()
    return urljoin(HF_BASE_URL + "/", url) if url.startswith("/") else url


def url_problem(url: object) -> str | None:
    """Why ``url`` may not appear in a record or on the site, or None when it may.

    Only absolute http(s) URLs are allowed: anything else (``javascript:``, ``data:``,
    relative paths) could run script or point somewhere unexpected.
    """
    if isinstance(url, str) and _PLAIN_URL.fullmatch(url) and not CONTROL_CHARS.search(url):
        return None
    return _parsed_url_problem(url)


def _parsed_url_problem(url: object) -> str | None:
    """:func:`url_problem` by parsing the URL: the reference the fast check must agree with."""
    if not isinstance(url, str):
        return f"must be a URL string, not {type_name(url)}"
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"'{parts.scheme}:'" if parts.scheme else "none"
        return f"must be an absolute http(s) URL (scheme is {shown}): {url!r}"
    if not parts.hostname:
        return f"must be an absolute http(s) URL with a host: {url!r}"
    if _URL_FORBIDDEN.search(url):
        return f"contains a character not allowed in a URL (space, quote or angle bracket): {url!r}"
    if CONTROL_CHARS.search(url):
        return f"contains an invisible character, which could disguise it: {url!r}"
    return None


def video_type(url: str) -> str | None:
    """The video MIME type of ``url`` by its file extension (query ignored), or None."""
    path = urlsplit(url).path.lower()
    return next((mime for ext, mime in VIDEO_TYPES.items() if path.endswith(ext)), None)
