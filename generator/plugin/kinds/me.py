"""The reader's own page (``me/``, 내 피드): the newest papers of what they follow, what
they follow and mute, and their reading list with notes and exports.

Nothing of it is the archive's: the choices live in the reader's browser, and
``assets/me.js`` fills the page from them and from the follow index
(:mod:`generator.plugin.follows`). The page holds the frame, every word the script
says (from the message table, as JSON) and what a reader without script or storage reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import follows, layout
from generator.plugin.kinds.base import Links, Site, SitePage, View, toc_entry

#: What the page's script says, by its names (``{name}`` is filled in by the script).
ME_SCRIPT_MESSAGES = (
    "me_start",
    "me_loading",
    "me_failed",
    "me_feed_count",
    "me_new",
    "me_because",
    "me_follows_empty",
    "me_follow_count",
    "me_unfollow",
    "me_unmute",
    "me_kind_t",
    "me_kind_o",
    "me_kind_a",
    "me_kind_k",
    "me_list_empty",
    "me_list_count",
    "me_note",
    "me_note_hint",
    "me_remove",
    "me_export_missing",
    "me_import_offer",
    "me_imported",
    "me_import_bad",
    "votes",
    "mute",
    "follow",
)


@dataclass(frozen=True, eq=False)
class MePage(SitePage):
    kind: ClassVar[str] = "me"
    in_nav: ClassVar[bool] = True

    @classmethod
    def plan(cls, site: Site) -> Iterator[MePage]:
        t = site.t
        yield cls(layout.ME, t.text("me_title"), t.text("me_description"))

    def view(self, site: Site, link: Links) -> View:
        t = site.t
        return site.view(
            "me.html",
            heading=self.title,
            index=link.page(follows.INDEX),
            script=link.page(layout.ME_SCRIPT),
            messages={key: t.table.get(key) for key in ME_SCRIPT_MESSAGES},
            toc=[
                toc_entry(anchor, t.text(key))
                for anchor, key in (
                    ("feed", "me_feed_title"),
                    ("follows", "me_follows_title"),
                    ("reading-list", "me_list_title"),
                )
            ],
        )
