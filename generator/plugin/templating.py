"""The jinja2 environment for the generated pages, the feed and the search records.

Autoescaping is on for every template: record text is untrusted, and only values the
plugin made safe itself (``Markup`` from :mod:`generator.records.bullets` and :mod:`.messages`)
are printed as HTML. Templates are looked up in the site's ``theme.custom_dir`` first
(``<custom_dir>/daily-papers/day.html`` replaces ``day.html``), as Material lets a site
override its own templates, then in the plugin's.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator.plugin import layout
from generator.plugin.frames import EMPTY_TEMPLATE
from generator.plugin.messages import Messages

#: Below a theme's ``custom_dir``: where a site puts its versions of our templates.
OVERRIDES = "daily-papers"


def environment(messages: Messages, custom_dir: str | None = None) -> jinja2.Environment:
    """One build's environment; templates are compiled once and cached by jinja2."""
    loaders: list[jinja2.BaseLoader] = []
    if custom_dir:
        loaders.append(jinja2.FileSystemLoader(Path(custom_dir) / OVERRIDES))
    loaders.append(jinja2.PackageLoader("generator.plugin", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        # A build renders templates thousands of times; each build (and each rebuild of
        # mkdocs serve) makes its own environment, so a changed template is still seen.
        auto_reload=False,
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


def with_our_templates(env: jinja2.Environment) -> None:
    """Add to the theme's environment ``env`` the templates framed pages render: the
    empty one and the project's own, after the theme's folders (so a site's custom_dir
    overrides ``daily-papers/frame.html`` as it overrides the theme's templates)."""
    if env.loader is None or isinstance(env.loader, _WithOurs):
        return
    ours = jinja2.PackageLoader("generator.plugin", "templates")
    env.loader = _WithOurs([_EMPTY, env.loader, jinja2.PrefixLoader({OVERRIDES: ours})])
