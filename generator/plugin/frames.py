"""One frame rendered by the theme for the many pages that differ only in what they hold.

Material's page template costs 2 to 4 ms a page (profiled: 466 pages, 1.75 s), so 30,000
paper pages through it would take as long as the rest of the build. Pages of the deferred
kinds (day, week, month, organization, topic, author and paper pages) in the same first
folder and at the same depth of the site differ in the theme's output only in six
places: the title (``<title>`` and the header), the description, the canonical address,
the edit link, the content and the preview tags in the head. So the first of them in
each folder and depth (with an edit link or without, and for each frame template:
Material's page or the project's thin frame, :data:`THIN_FRAME`) is rendered through the
theme with a sentinel in each place, and kept as a frame; every such page is then the
frame with its own values in those places. The others go
through MkDocs' events with a template that renders nothing.

The values are put in as Material prints them: the title and description as HTML-escaped
text, the addresses as they are. The sentinels hold a token drawn anew for every build, so
no record can spell one. What other plugins see is unchanged where it matters: every
page passes through every event, and plugins after ours get the final HTML in
``on_post_page``; only a plugin that changes a page's *template context* per page
(``on_page_context``) would find its change on the frame's page alone.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from markupsafe import escape
from mkdocs.structure.pages import Page

#: The template every framed page but the frame's own renders: nothing (the page's HTML
#: comes from the frame in ``on_post_page``). Added to the theme's templates.
EMPTY_TEMPLATE = "daily-papers-framed.html"
#: The project's own thin frame (``templates/frame.html``): Material's look, header and
#: scripts without the navigation and table-of-contents sidebars, for the many pages
#: that need neither. Added to the theme's templates under this name, so a site's
#: ``custom_dir`` overrides it like any other.
THIN_FRAME = "daily-papers/frame.html"

FrameKey = tuple[str, int, bool, str | None]


def frame_key(url: str, edit: bool, template: str | None) -> FrameKey:
    """Pages sharing a frame: the same first folder and depth, edit button and frame
    template (None: the theme's own page template). The frame's links are relative to
    its first page, and MkDocs makes a link within a folder shorter (``../`` from
    ``orgs/a/`` to ``orgs/``, where ``2024/02/`` has ``../../orgs/``): pages of one
    depth in one first folder get the same links to every page of the navigation."""
    return url.partition("/")[0], url.count("/"), edit, template


@dataclass
class Frames:
    """The frames of one build and the pages that render them."""

    token: str = field(default_factory=lambda: secrets.token_hex(8))
    _owners: dict[FrameKey, str] = field(default_factory=dict)
    _frames: dict[FrameKey, str] = field(default_factory=dict)

    def sentinel(self, place: str) -> str:
        return f"daily-papers-{place}-{self.token}"

    @property
    def content(self) -> str:
        """What a framed page's content is until it is written (in the frame too)."""
        return f"<!-- {self.sentinel('content')}: rendered when written; it has its <h1> -->"

    @property
    def preview(self) -> str:
        return f"<!-- {self.sentinel('preview')} -->"

    def assign(self, page: Page, template: str | None) -> bool:
        """Whether ``page`` renders its frame (the first of its kind) with ``template``
        (None: the theme's): it then gets the sentinels; every other page gets the empty
        template. Call with its title, description and edit link set."""
        key = frame_key(page.url, page.edit_url is not None, template)
        if key not in self._owners:
            self._owners[key] = page.file.src_uri
            if template is not None:
                page.meta["template"] = template
            page.meta["title"] = self.sentinel("title")
            page.meta["description"] = self.sentinel("description")
            if page.edit_url is not None:
                page.edit_url = self.sentinel("edit")
            if page.canonical_url:
                page.canonical_url = self.sentinel("canonical")
            return True
        page.meta["template"] = EMPTY_TEMPLATE
        return False

    def owns(self, page: Page, template: str | None) -> bool:
        """Whether ``page`` renders its frame in this build (after :meth:`assign`, its edit
        link, if any, is a sentinel)."""
        key = frame_key(page.url, page.edit_url is not None, template)
        return self._owners.get(key) == page.file.src_uri

    def keep(self, page: Page, template: str | None, frame: str) -> None:
        """The frame ``page`` rendered (already decorated as every page is)."""
        self._frames[frame_key(page.url, page.edit_url is not None, template)] = frame

    def frame(self, url: str, edit: bool, template: str | None) -> str | None:
        """The frame of the page at ``url``, with an edit button or without."""
        return self._frames.get(frame_key(url, edit, template))

    def fill(
        self,
        frame: str,
        *,
        title: str,
        description: str,
        edit_url: str | None,
        canonical_url: str | None,
        content: str,
        preview: str,
    ) -> str:
        """A page's HTML: ``frame`` with this page's values in their places."""
        for place, value in (
            ("title", str(escape(title))),
            ("description", str(escape(description))),
            ("edit", edit_url or ""),
            ("canonical", canonical_url or ""),
        ):
            frame = frame.replace(self.sentinel(place), value)
        return frame.replace(self.content, content, 1).replace(self.preview, preview, 1)
