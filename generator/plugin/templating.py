"""The jinja2 environment for the generated pages, the feed and the search records.

Autoescaping is on for every template: record text is untrusted, and only values the
plugin made safe itself (``Markup`` from :mod:`generator.records.bullets` and :mod:`.messages`)
are printed as HTML. Templates are looked up in the site's ``theme.custom_dir`` first
(``<custom_dir>/daily-papers/day.html`` replaces ``day.html``), as Material lets a site
override its own templates, then in the plugin's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import jinja2

from generator.plugin import layout
from generator.plugin.frames import EMPTY_TEMPLATE
from generator.plugin.messages import Messages

#: Below a theme's ``custom_dir``: where a site puts its versions of our templates.
OVERRIDES = "daily-papers"
#: The plugin's own templates.
TEMPLATES = Path(__file__).parent / "templates"


def template_files(folders: Iterable[str | Path]) -> frozenset[tuple[str, int, int]]:
    """Every file below ``folders`` (the theme's, a site's ``custom_dir``, ours) as
    (path, modification time, size), leaving out hidden folders (Material's thousands of
    icons) and ``assets`` (copied, not rendered): what a page's HTML is made from
    besides its view. A few hundred files: a few milliseconds."""
    found = set()
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = [name for name in dirs if not name.startswith(".") and name != "assets"]
            for name in names:
                path = Path(root, name)
                try:
                    stat = path.stat()
                except OSError:  # removed meanwhile: the next rebuild sees it gone
                    continue
                found.add((str(path), stat.st_mtime_ns, stat.st_size))
    return frozenset(found)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory across the rebuilds of ``mkdocs serve``.

    Each rebuild makes new environments (ours and the theme's), so each would compile
    every template again (63 of them: 0.63 s of a profiled rebuild at 5,400 papers).
    jinja2 keys what it keeps by the template's name and checks it against the
    template's source, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def environment(
    messages: Messages, custom_dir: str | None = None, compiled: CompiledTemplates | None = None
) -> jinja2.Environment:
    """One build's environment; templates are compiled once a build (once a ``serve``
    session with ``compiled``)."""
    loaders: list[jinja2.BaseLoader] = []
    if custom_dir:
        loaders.append(jinja2.FileSystemLoader(Path(custom_dir) / OVERRIDES))
    loaders.append(jinja2.FileSystemLoader(TEMPLATES))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        # A build renders templates thousands of times; each build (and each rebuild of
        # mkdocs serve) makes its own environment, so a changed template is still seen.
        auto_reload=False,
        bytecode_cache=compiled,
    )
    env.globals["t"] = messages
    env.filters.update(topic_page=layout.topic, topic_feeds=layout.topic_feeds)
    env.filters.update(
        date_long=messages.date_long,
        date_short=messages.date_short,
        month_long=messages.month_long,
        month_only=messages.month_only,
        year=messages.year,
    )
    return env


#: The empty template every framed page but its frame's own renders (see .frames).
_EMPTY = jinja2.DictLoader({EMPTY_TEMPLATE: ""})


class _WithOurs(jinja2.ChoiceLoader):
    """The theme's templates, then the empty one framed pages render and the project's
    own below ``daily-papers/`` (its frame, ``daily-papers/frame.html``)."""


def with_our_templates(env: jinja2.Environment, compiled: CompiledTemplates | None) -> None:
    """Add to the theme's environment ``env`` the templates framed pages render: the
    empty one and the project's own, after the theme's folders (so a site's custom_dir
    overrides ``daily-papers/frame.html`` as it overrides the theme's templates); with
    ``compiled``, its templates are compiled once a ``serve`` session (unless the theme
    keeps its own cache)."""
    if env.bytecode_cache is None:
        env.bytecode_cache = compiled
    if env.loader is None or isinstance(env.loader, _WithOurs):
        return
    ours = jinja2.FileSystemLoader(TEMPLATES)
    env.loader = _WithOurs([_EMPTY, env.loader, jinja2.PrefixLoader({OVERRIDES: ours})])
