"""What a summary bullet may hold and how it becomes HTML: one rule for every side.

A bullet is one line of inline Markdown written by a model, a legacy digest or a person.
Everything in it is text except emphasis, code spans and links to absolute http(s) URLs:
``<think>``, ``<EOS>`` or ``a < b`` are shown as written, never as markup, and so is a
bracket pair that is not a link (``[EoT](End of Text)``). The one thing a contributor
must fix is a link to another scheme (``javascript:``, ``data:``): :func:`bullet_problem`
refuses it. Validation, the importer and the summarizer call :func:`bullet_problem`; the
site calls :func:`render_bullets`, which applies the same rule through the same parser
and then an allowlist sanitizer (nh3), so even a bullet that never met validation
cannot put markup on a page.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree  # noqa: N813 - Python-Markdown's own name
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import ImageInlineProcessor, LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import Registry
from markupsafe import Markup, escape

from generator.records.text import without_controls
from generator.records.urls import url_problem

#: Kept, in the order they run: blank lines and paragraphs. Everything else would turn
#: a bullet into a block (a heading, a list, a quote).
_BLOCK_PROCESSORS_KEPT = ("empty", "paragraph")
_PARAGRAPH_BREAK = "</p>\n<p>"
#: A bullet without any of these is plain text to Python-Markdown: escaping it gives the
#: same HTML a conversion would, many times faster (most bullets are plain Korean).
_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>&\\]")
#: What the rendered HTML may contain, whatever the parser did.
_TAGS = {"a", "em", "strong", "code"}
_ATTRIBUTES = {"a": {"href", "title"}}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def bullet_problem(item: str) -> str | None:
    """Why a bullet may not be published as it is, or None: only a link (or image) whose
    target names a scheme other than http(s)."""
    if "](" not in item:  # the only link syntax the parser keeps
        return None
    refused = _Converter.get().convert(item)[1]
    return f"link target {refused[0]}" if refused else None


def render_bullets(bullets: Sequence[str]) -> list[Markup]:
    """Each bullet as inline HTML (no surrounding ``<p>``), in order; empty ones dropped.

    Control characters are never text (and STX/ETX are Python-Markdown's placeholders),
    so they are removed first, as validation would have refused them.
    """
    texts = [one for one in (without_controls(b).strip() for b in bullets) if one]
    quick = [_render_quickly(text) for text in texts]
    converted = iter(_convert_all([t for t, q in zip(texts, quick, strict=True) if q is None]))
    return [next(converted) if q is None else q for q in quick]


#: Text Python-Markdown leaves as it is (no character that could start any syntax).
_PLAIN = r"[^*_`\[\]<>&\\]"
#: The shape of most legacy digest bullets, ``**What's New**: ...`` or
#: ``***Technical Details***: ...``, with nothing else to convert.
_KEYED = re.compile(
    rf"(?P<marks>\*\*\*?)(?P<key>{_PLAIN[:-1]}\s](?:{_PLAIN}*{_PLAIN[:-1]}\s])?)(?P=marks)"
    rf"(?P<rest>{_PLAIN}*)"
)


def _render_quickly(text: str) -> Markup | None:
    """``text``'s HTML without Python-Markdown, for the shapes that need none; else None.

    Most bullets are plain text, and most of the rest are a bold key and plain text: the
    conversion would give exactly what is built here (a test compares both on many
    bullets), several times slower.
    """
    if _MARKDOWN_SYNTAX.search(text) is None:
        return escape(text)
    match = _KEYED.fullmatch(text)
    if match is None:
        return None
    key, rest = match["key"], match["rest"]
    inner = f"<em>{key}</em>" if len(match["marks"]) == 3 else key
    # Neither part can hold "<", ">" or "&", so this is already what the sanitizer would
    # write: HTML's serialization escapes only those and the no-break space.
    return Markup(f"<strong>{inner}</strong>{rest}".replace("\xa0", "&nbsp;"))


def _convert_all(texts: list[str]) -> list[Markup]:
    """Convert bullets in one pass, a paragraph each (several times faster than one pass
    per bullet); the split is checked, and each bullet is converted on its own whenever
    it does not come out exactly one paragraph per bullet."""
    if not texts:
        return []
    converter = _Converter.get()
    parts = _paragraphs(converter.convert("\n\n".join(texts))[0])
    if parts is None or len(parts) != len(texts):
        parts = [" ".join(_paragraphs(converter.convert(text)[0]) or []) for text in texts]
    return [Markup(_sanitize(part)) for part in parts]


def _sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow ugc",
        strip_comments=True,
    )


def _paragraphs(html: str) -> list[str] | None:
    if not (html.startswith("<p>") and html.endswith("</p>")):
        return None
    return html[3:-4].split(_PARAGRAPH_BREAK)


def _target_problem(target: str) -> str | None:
    """Why a link target is refused, or None when the link is kept or left as text.

    An absolute http(s) URL makes a link. A target naming another scheme is refused.
    Anything else (``End of Text``, a relative path) is not a link: the bracketed text
    stays text.
    """
    if url_problem(target) is None:
        return None
    scheme = _SCHEME.match(target.strip())
    if scheme and urlsplit(target.strip()).scheme.lower() not in ("http", "https"):
        return url_problem(target)
    return None


_Match = tuple[etree.Element | str | None, int | None, int | None]


def _text_unless_http(md: Any, found: _Match) -> _Match:
    """A link or image the parser found, kept when its target is an http(s) URL;
    otherwise no match, so the source text stays as written (a refused target noted)."""
    element = found[0]
    if not isinstance(element, etree.Element):
        return found
    target = element.get("href" if element.tag == "a" else "src", "")
    if url_problem(target) is None:
        return found
    problem = _target_problem(target)
    if problem is not None:
        md.refused.append(problem)
    return None, None, None


class _Link(LinkInlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> _Match:  # type: ignore[override]  # noqa: N802
        return _text_unless_http(self.md, super().handleMatch(m, data))


class _Image(ImageInlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> _Match:  # type: ignore[override]  # noqa: N802
        return _text_unless_http(self.md, super().handleMatch(m, data))


class _ImagesAsLinks(Treeprocessor):
    """A bullet shows no pictures: an image becomes a link to it, labelled by its
    alternative text, else its address."""

    def run(self, root: etree.Element) -> None:
        for image in root.iter("img"):
            src, label = image.get("src", ""), image.get("alt", "")
            image.tag = "a"
            image.attrib.clear()
            image.set("href", src)
            image.text = label or src


class _Converter:
    """A Python-Markdown instance set up for bullets, one per thread (it keeps state)."""

    _local = threading.local()

    def __init__(self) -> None:
        md = markdown.Markdown(output_format="html")
        md.preprocessors.deregister("html_block")
        for name in (
            "html",
            "automail",
            "reference",
            "short_reference",
            "image_reference",
            "short_image_ref",
        ):
            md.inlinePatterns.deregister(name)
        link, image = md.inlinePatterns["link"], md.inlinePatterns["image_link"]
        md.inlinePatterns.register(_Link(link.pattern, md), "link", 160)
        md.inlinePatterns.register(_Image(image.pattern, md), "image_link", 150)
        blocks = md.parser.blockprocessors
        kept: Registry[BlockProcessor] = Registry()
        for priority, name in enumerate(reversed(_BLOCK_PROCESSORS_KEPT)):
            kept.register(blocks[name], name, priority)
        md.parser.blockprocessors = kept
        md.treeprocessors.register(_ImagesAsLinks(md), "images_as_links", -10)
        md.refused = []  # type: ignore[attr-defined]
        self.md = md

    @classmethod
    def get(cls) -> _Converter:
        converter: _Converter | None = getattr(cls._local, "converter", None)
        if converter is None:
            converter = cls._local.converter = cls()
        return converter

    def convert(self, text: str) -> tuple[str, list[str]]:
        """The HTML of ``text`` and the problems of the link targets it refused."""
        md = self.md
        md.reset()
        md.refused = []  # type: ignore[attr-defined]
        return md.convert(text), list(md.refused)  # type: ignore[attr-defined]
