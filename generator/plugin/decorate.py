"""What every page of the site gets besides its own content.

The head's links (the site's feeds and its OpenSearch description), a page's link preview
(Open Graph tags) with what its kind adds to its head (a paper's JSON-LD), the header's
search box and, under ``mkdocs serve``, the invalid records' problems at the top of the
content. Pages in the project's thin frame print them from their template
(:meth:`Decorator.frame_parts`); Material's own pages get them spliced in
(:mod:`.postprocess`), every splice failing loudly where the theme's marker is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import jinja2
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from generator.plugin import layout, postprocess
from generator.plugin.feed import FEED_FILES
from generator.plugin.icons import FrameIcons
from generator.plugin.kinds.base import Site, SitePage
from generator.plugin.messages import Messages
from generator.plugin.preview import Preview


class Decorator:
    """One build's decorations; ``problems`` is set once the records are read."""

    def __init__(
        self,
        *,
        env: jinja2.Environment,
        messages: Messages,
        config: MkDocsConfig,
        description: str,
        feeds: bool,
        missing_markers: str,
        log: logging.Logger | logging.LoggerAdapter[logging.Logger],
        icons: FrameIcons,
        sprite: str,
    ) -> None:
        self.env = env
        self.t = messages
        self.site_name = config.site_name
        #: The site's own description, or the interface's stock one.
        self.description = description
        self.links = head_links(config, feeds, messages)
        self.missing_markers = missing_markers
        self.log = log
        #: Under ``mkdocs serve`` only: the invalid records' problems, shown on every page.
        self.problems = ""
        #: The thin frame's icons, and the file that draws them (:data:`layout.ICONS`).
        self.icons = icons
        self.sprite = sprite

    def settings(self) -> tuple[object, ...]:
        """What a generated page's value reads of the decorations: its preview's site
        name, stock description and locale, and the preview's list of invalid records
        (:mod:`.memo`)."""
        return self.site_name, self.description, self.t, self.problems

    def search_box(self, action: str) -> str:
        """The header's search box, sending its words to the search page at ``action``."""
        return self.env.get_template("search_box.html").render(action=action)

    def preview(
        self, site: Site, site_page: SitePage | None, url: str, page: Page | None = None
    ) -> str:
        """The Open Graph tags of the page at ``url`` (:mod:`.preview`) and what its kind
        adds to the head (a paper's JSON-LD); a hand-written ``page`` gives its own title
        and description."""
        title: str | None = None
        description: str | None = None
        if site_page is not None:
            title, description = site_page.title, site_page.description
        elif page is not None:
            title, description = page.title, page.meta.get("description")
        absolute = site.directory.absolute(url) if site.directory.site_url else None
        image = None
        if site_page is not None:
            # The picture of the paper standing for the page: a day's, a week's top paper.
            top = site_page.top_card(site)
            picture = top.image if top else None
            image = picture.url if picture else None
        tags = Preview(
            site_name=self.site_name,
            title=title or self.site_name,
            description=description or self.description,
            locale=self.t.locale,
            type=site_page.preview_type if site_page else "website",
            url=absolute,
            image=image,
        ).tags()
        if site_page is not None:
            tags += site_page.head(site, absolute)
        return tags

    def decorate(self, html: str, search_action: str, where: str) -> str:
        """Material's page ``html`` with the preview's problems, the header's search box
        and the head's links spliced in."""
        html = self.splice(postprocess.add_to_content, html, self.problems, where)
        html = self.splice(postprocess.add_search_box, html, self.search_box(search_action), where)
        return self.splice(postprocess.add_to_head, html, self.links, where)

    def splice(
        self, change: Callable[[str, str], str], html: str, addition: str, where: str
    ) -> str:
        """``change(html, addition)``; where the page has no place for it, a build error
        naming the marker (or, with ``missing_markers: warn``, a warning)."""
        try:
            return change(html, addition)
        except postprocess.MissingMarker as missing:
            message = (
                f"daily-papers: {where}: {missing}. A theme override (custom_dir) changed "
                "Material's markup; restore the marker, or set the plugin option "
                "'missing_markers: warn' to build without it"
            )
            if self.missing_markers == "error":
                raise PluginError(message) from None
            self.log.warning("%s", message)
            return html

    def frame_parts(self, search_action: str, preview: str, page_url: str) -> dict[str, object]:
        """What the thin frame prints (``daily_papers`` in its template) on the page at
        ``page_url``: the search box, the head's links, the page's own head tags
        (``preview``), the problems, its icons (their symbol ids, and the address of the
        file that draws them) and the address of its palette script."""
        return {
            "search_box": Markup(self.search_box(search_action)),
            "head": Markup(self.links),
            "preview": Markup(preview),
            "problems": Markup(self.problems),
            "sections": self.t.text("sections"),
            "icons": self.icons.ids(),
            "sprite": get_relative_url(layout.ICONS, page_url),
            "palette_script": get_relative_url(layout.PALETTE_SCRIPT, page_url),
        }


def head_links(config: MkDocsConfig, feeds: bool, t: Messages) -> str:
    """The ``<link>`` tags every page's head gets: the feeds and the OpenSearch description."""
    links = []
    if feeds and config.site_url:
        for path, mime, title in FEED_FILES:
            links.append(
                f'<link rel="alternate" type="{mime}" '
                f'title="{escape(t.text(title, site=config.site_name))}" '
                f'href="{escape(config.site_url + path)}">'
            )
    if config.site_url:
        links.append(
            f'<link rel="search" type="application/opensearchdescription+xml" '
            f'title="{escape(config.site_name)}" '
            f'href="{escape(config.site_url + layout.OPENSEARCH)}">'
        )
    return "\n".join(links)
