"""What a summary bullet may hold: the one rule for validation, import, LLM and the site.

A bullet is one line of inline Markdown. It may not carry raw HTML (outside code
spans) or a link whose target is not an absolute http(s) URL. Validation refuses such a
bullet with :func:`bullet_problem`, the importer and the summarizer drop one, and the
site's renderer (:mod:`generator.plugin.inline_markdown`) enforces the same rule again.
"""

from __future__ import annotations

import re

from generator.records.urls import url_problem

# A tag starts with "<" directly followed by a letter, "/", "!" or "?" (HTML tokenizer
# rules); "a < b" is text, which is what the error message tells people to write.
_HTML_RE = re.compile(r"<[A-Za-z/!?]")
_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1", re.S)
_MD_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]*)")


def bullet_problem(item: str) -> str | None:
    """Why a summary bullet may not be published, or None when it may."""
    without_code = _CODE_SPAN_RE.sub("", item)
    html = _HTML_RE.search(without_code)
    if html:
        snippet = without_code[html.start() : html.start() + 12]
        return (
            f"contains raw HTML ({snippet!r}); write plain text or Markdown, "
            "or put spaces around '<'"
        )
    for target in _MD_LINK_RE.findall(without_code):
        problem = url_problem(target)
        if problem:
            return f"link target {problem}"
    return None
