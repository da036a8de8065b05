"""The summaries to review (``review/``): every model's summary that the check against
the paper's text found problems in (:mod:`generator.checks`) and that nobody has edited
since, newest first, each with what was found and its edit link. Where a contributor
who wants to fix a summary by pull request starts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from generator.plugin import layout
from generator.plugin.kinds.base import Links, Site, SitePage, View


@dataclass(frozen=True, eq=False)
class ReviewPage(SitePage):
    kind: ClassVar[str] = "review"

    @classmethod
    def plan(cls, site: Site) -> Iterator[ReviewPage]:
        t = site.t
        yield cls(layout.REVIEW, t.text("review_title"), t.text("review_description"))

    def view(self, site: Site, link: Links) -> View:
        papers = sorted(
            (paper for paper in site.archive.papers if site.card(paper).review),
            key=lambda paper: (paper.date, paper.id),
            reverse=True,
        )
        return site.view(
            "review.html",
            heading=self.title,
            cards=[site.card(paper) for paper in papers],
            link=link,
        )
