"""Summary bullets as safe inline HTML.

A bullet is one line of inline Markdown written by a model or by a contributor: emphasis,
code spans and links are rendered; anything that could inject markup is not. Raw HTML
is shown as text, block syntax (headings, lists, quotes) stays literal, and a link or
image whose target is not an absolute http(s) URL becomes plain text. Validation already
refuses such bullets; rendering enforces the same rules again, so a record that slipped
past validation still cannot put markup on the site.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from xml.etree import ElementTree as etree  # noqa: N813 - Python-Markdown's name

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import Registry
from markupsafe import Markup, escape

from generator.records.text import without_controls
from generator.records.urls import url_problem

#: Kept, in the order they run: blank lines and paragraphs. Everything else would turn
#: a bullet into a block.
_BLOCK_PROCESSORS_KEPT = ("empty", "paragraph")
_PARAGRAPH_BREAK = "</p>\n<p>"
#: A bullet without any of these is plain text to Python-Markdown: escaping it gives the
#: same HTML a conversion would, many times faster (most bullets are plain Korean).
_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>&\\]")


class _SafeTargets(Treeprocessor):
    """Unwrap links with a non-http(s) target; turn images into links to the image
    (labelled by its alternative text, else its address).

    Runs after every other tree step (after backslash escapes are restored), so it sees
    the final attribute values.
    """

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img":
                    self._image_to_link(child)
                if child.tag == "a":
                    if url_problem(child.get("href", "")) is None:
                        child.set("rel", "nofollow ugc")
                    else:
                        _unwrap(parent, child)

    @staticmethod
    def _image_to_link(image: etree.Element) -> None:
        src, label = image.get("src", ""), image.get("alt", "")
        image.tag = "a"
        image.attrib.clear()
        image.set("href", src)
        image.text = label or src


def _unwrap(parent: etree.Element, child: etree.Element) -> None:
    """Replace ``child`` by its text and children, keeping the text around it."""
    index = list(parent).index(child)
    before = parent[index - 1] if index > 0 else None
    leading = child.text or ""
    if before is None:
        parent.text = (parent.text or "") + leading
    else:
        before.tail = (before.tail or "") + leading
    grandchildren = list(child)
    parent.remove(child)
    for offset, grandchild in enumerate(grandchildren):
        parent.insert(index + offset, grandchild)
    trailing = child.tail or ""
    if grandchildren:
        grandchildren[-1].tail = (grandchildren[-1].tail or "") + trailing
    elif before is None:
        parent.text = (parent.text or "") + trailing
    else:
        before.tail = (before.tail or "") + trailing


@functools.cache
def _converter() -> markdown.Markdown:
    """One Markdown instance per process: building one costs more than converting a page."""
    md = markdown.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    blocks = md.parser.blockprocessors
    kept: Registry[BlockProcessor] = Registry()
    for priority, name in enumerate(reversed(_BLOCK_PROCESSORS_KEPT)):
        kept.register(blocks[name], name, priority)
    md.parser.blockprocessors = kept
    md.treeprocessors.register(_SafeTargets(md), "safe_targets", -10)
    return md


def _convert(text: str) -> str:
    md = _converter()
    md.reset()
    return md.convert(text)


def render_bullets(bullets: Sequence[str]) -> list[Markup]:
    """Each bullet as inline HTML (no surrounding ``<p>``), in order; empty ones dropped.

    Control characters are never text (and STX/ETX are Python-Markdown's placeholders),
    so they are removed first, as validation would have refused them.
    """
    texts = [one for one in (without_controls(b).strip() for b in bullets) if one]
    plain = [_MARKDOWN_SYNTAX.search(text) is None for text in texts]
    converted = iter(
        _convert_all([t for t, is_plain in zip(texts, plain, strict=True) if not is_plain])
    )
    return [
        escape(text) if is_plain else next(converted)
        for text, is_plain in zip(texts, plain, strict=True)
    ]


def _convert_all(texts: list[str]) -> list[Markup]:
    """Convert bullets in one pass, a paragraph each (several times faster than one pass
    per bullet); the split is checked, and each bullet is converted on its own whenever
    it does not come out exactly one paragraph per bullet."""
    if not texts:
        return []
    parts = _paragraphs(_convert("\n\n".join(texts)))
    if parts is None or len(parts) != len(texts):
        parts = [" ".join(_paragraphs(_convert(text)) or []) for text in texts]
    return [Markup(part) for part in parts]


def _paragraphs(html: str) -> list[str] | None:
    if not (html.startswith("<p>") and html.endswith("</p>")):
        return None
    return html[3:-4].split(_PARAGRAPH_BREAK)
