"""The thin frame's icons, drawn once: an SVG sprite of the theme's icons it shows.

Material prints every icon of its header inline, in every page: the logo, the palette
toggles, the repository's and the edit button's, about 2 KB of the same paths on each of
30,000 pages. The thin frame refers to one file instead (``<use href="...#id">``), which
the browser fetches once: the theme's own icons, as ``mkdocs.yml`` chooses them, read
from the theme's folders (a site's ``custom_dir`` first) as Material reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2

#: Material's defaults where ``theme.icon`` names none (its partials' own).
DEFAULTS = {
    "logo": "material/library",
    "repo": "fontawesome/brands/git-alt",
    "edit": "material/file-edit-outline",
    "view": "material/file-eye-outline",
}
_SVG = re.compile(r"\s*<svg\b([^>]*)>(.*)</svg>\s*", re.S)
_VIEW_BOX = re.compile(r'viewBox="([^"]*)"')


def symbol_id(name: str) -> str:
    """``material/github`` becomes ``material-github``."""
    return name.replace("/", "-")


@dataclass(frozen=True)
class FrameIcons:
    """The icons the thin frame shows, by role, as symbol ids; no ``logo`` where the site
    has a logo picture (``theme.logo``); each palette option's toggle, None without one."""

    logo: str | None
    repo: str
    edit: str
    view: str
    palette: tuple[str | None, ...]

    @classmethod
    def of(cls, theme: Any) -> FrameIcons:
        """The icons ``theme`` (MkDocs' theme, as mkdocs.yml sets it) asks for."""
        icon = theme.get("icon") or {}
        palette = theme.get("palette") or []
        toggles = [
            option.get("toggle", {}).get("icon") if isinstance(option, dict) else None
            for option in (palette if isinstance(palette, list) else [])
        ]
        return cls(
            logo=None if theme.get("logo") else icon.get("logo") or DEFAULTS["logo"],
            repo=icon.get("repo") or DEFAULTS["repo"],
            edit=icon.get("edit") or DEFAULTS["edit"],
            view=icon.get("view") or DEFAULTS["view"],
            palette=tuple(toggles),
        )

    def names(self) -> list[str]:
        """Every icon's name, each once, in a stable order."""
        found = [self.logo, self.repo, self.edit, self.view, *self.palette]
        return sorted({name for name in found if name})

    def ids(self) -> dict[str, object]:
        """The symbol ids by role, for the frame's template."""
        return {
            "logo": self.logo and symbol_id(self.logo),
            "repo": symbol_id(self.repo),
            "edit": symbol_id(self.edit),
            "view": symbol_id(self.view),
            "palette": [name and symbol_id(name) for name in self.palette],
        }


def sprite(env: jinja2.Environment, names: list[str]) -> str:
    """One SVG file holding each named icon as a ``<symbol>``, read from the theme's
    folders; an icon the theme does not have is an error naming it."""
    symbols = []
    for name in names:
        try:
            source = env.loader.get_source(env, f".icons/{name}.svg")[0] if env.loader else ""
        except jinja2.TemplateNotFound:
            raise ValueError(f"the theme has no icon {name!r} (theme.icon in mkdocs.yml)") from None
        match = _SVG.fullmatch(source)
        if match is None:
            raise ValueError(f"the theme's icon {name!r} is not an SVG file")
        box = _VIEW_BOX.search(match.group(1))
        view_box = f' viewBox="{box.group(1)}"' if box else ""
        symbols.append(f'<symbol id="{symbol_id(name)}"{view_box}>{match.group(2)}</symbol>')
    return '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n"
