"""Links that let a reader propose a fix: a record's edit page and a day's folder on GitHub.

MkDocs' ``edit_uri`` says where the docs folder is edited (``edit/main/docs/``); records
live next to it, so their edit path is the same with the docs folder replaced by the
data folder (``edit/main/data/``). The day page's own edit button opens the day's folder
(``tree/main/data/YYYY/MM/DD``), where every record of that day is one click away.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from generator.records.model import Paper
from generator.records.urls import url_problem

_EDIT_SEGMENT = re.compile(r"(^|/)(edit|blob)/")


class EditLinkError(ValueError):
    """The record edit path cannot be derived from the configuration."""


@dataclass(frozen=True)
class EditLinks:
    """Absolute URL prefixes for editing a record and for browsing a day's folder."""

    edit_base: str
    tree_base: str

    def record(self, paper: Paper) -> str:
        date = paper.date  # (record_relpath's Path is slow for a link on every card)
        return f"{self.edit_base}{date.year:04d}/{date.month:02d}/{date.day:02d}/{paper.id}.yaml"

    def folder(self, date: dt.date) -> str:
        return f"{self.tree_base}{date:%Y}/{date:%m}/{date:%d}"


def edit_links(
    *,
    repo_url: str | None,
    edit_uri: str | None,
    docs_dir: str,
    data_dir: str,
    config_dir: str,
    data_edit_uri: str | None = None,
) -> EditLinks | None:
    """The record edit links for this site, or None when the site has no edit links.

    Raises :class:`EditLinkError` when ``edit_uri`` does not end with the docs folder, so
    the record path cannot be guessed and ``data_edit_uri`` must be given.
    """
    if data_edit_uri is None:
        if not edit_uri:
            return None
        docs = _relative_dir(docs_dir, config_dir)
        if not edit_uri.endswith(docs):
            raise EditLinkError(
                f"cannot derive where records are edited: edit_uri {edit_uri!r} does not end "
                f"with the docs folder {docs!r}; set the plugin option data_edit_uri "
                f"(for example 'edit/main/{_relative_dir(data_dir, config_dir)}')"
            )
        data_edit_uri = edit_uri[: len(edit_uri) - len(docs)] + _relative_dir(data_dir, config_dir)
    if not data_edit_uri.endswith("/"):
        data_edit_uri += "/"
    base = repo_url.rstrip("/") + "/" if repo_url else ""
    edit_base = urljoin(base, data_edit_uri)
    tree_base = urljoin(base, _EDIT_SEGMENT.sub(r"\1tree/", data_edit_uri, count=1))
    for url in (edit_base, tree_base):
        problem = url_problem(url)
        if problem:
            raise EditLinkError(f"record edit links {problem}; check repo_url and edit_uri")
    return EditLinks(edit_base, tree_base)


def _relative_dir(path: str, start: str) -> str:
    """``path`` relative to ``start`` as a URL path ending in a slash (``docs/``)."""
    relative = os.path.relpath(path, start).replace(os.sep, "/")
    return "" if relative == "." else relative.rstrip("/") + "/"
