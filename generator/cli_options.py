"""What the ``daily-papers`` commands share: their common options (``--data-dir``,
the days, ``--quiet``, ``--arxiv-url``) and turning the environment and a project into
settings, each a usage error (never a traceback) when it cannot work."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import project
from generator.arxiv import DEFAULT_ARXIV_URL, ENV_ARXIV_URL, arxiv_client
from generator.fulltext.sources import MAX_FULLTEXT_BYTES, FullTexts, cache_dir
from generator.http import RetryPolicy, SettingError
from generator.llm import LANGUAGES, ConfigError, Settings, settings_from_env

F = TypeVar("F", bound=Callable[..., Any])


def data_dir_option(purpose: str) -> Callable[[F], F]:
    """``--data-dir``, shared by every command working on records."""
    return click.option(
        "--data-dir",
        type=click.Path(path_type=Path, file_okay=False),
        help=f"{purpose} Default: the data folder of the project around the current "
        "folder (the nearest one holding mkdocs.yml).",
    )


def records_folder(given: Path | None) -> Path:
    """The records' folder for this run; a usage error outside a project."""
    try:
        return project.records_folder(given)
    except project.ProjectError as error:
        raise click.UsageError(str(error)) from None


class Day(click.ParamType[dt.date, Any]):
    """A calendar day written YYYY-MM-DD, as the help says (strptime also takes 2024-2-3,
    and calls 2024-02-30 a mismatch of the format, though only the day does not exist)."""

    name = "YYYY-MM-DD"
    _FORM = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        match = self._FORM.fullmatch(text)
        if match is None:
            self.fail(f"{text!r} is not a day written YYYY-MM-DD (such as 2024-02-14)", param, ctx)
        year, month, day = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            self.fail(f"{text!r} is not a day: there is no month {month}", param, ctx)
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            name = calendar.month_name[month]
            self.fail(f"{text!r} is not a day: {name} {year} has {days} days", param, ctx)
        return dt.date(year, month, day)


def date_options(command: F) -> F:
    """``--date D | --since D [--until D]``, shared by the commands working on days."""
    day = Day()
    command = click.option(
        "--until",
        type=day,
        metavar="YYYY-MM-DD",
        help="Last day of the --since range (default: today, UTC).",
    )(command)
    command = click.option(
        "--since", type=day, metavar="YYYY-MM-DD", help="First day of a range of days."
    )(command)
    return click.option("--date", type=day, metavar="YYYY-MM-DD", help="One day.")(command)


def quiet_option(command: F) -> F:
    """``--quiet``, shared by the commands whose long work shows its progress."""
    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="Show no progress while working; only problems and the closing line.",
    )(command)


def arxiv_url_option(command: F) -> F:
    """``--arxiv-url``, shared by the commands that ask arXiv for categories."""
    return click.option(
        "--arxiv-url",
        envvar=ENV_ARXIV_URL,
        default=DEFAULT_ARXIV_URL,
        show_default=True,
        show_envvar=True,
        help="arXiv's API endpoint (categories are asked for there); 'off' asks nothing.",
    )(command)


def full_texts(data_dir: Path, url: str) -> FullTexts:
    """Where ``summarize`` reads full texts: ``url``'s HTML and PDF versions, through
    arXiv's paced client, kept in the cache folder beside ``data_dir``."""
    return FullTexts(
        arxiv_client(retry=retry_policy(), max_bytes=MAX_FULLTEXT_BYTES),
        cache_dir(data_dir.resolve().parent),
        url,
    )


def retry_policy() -> RetryPolicy:
    """The retry policy from the environment; a usage error when it cannot work."""
    try:
        return RetryPolicy.from_env()
    except SettingError as error:
        raise click.UsageError(str(error)) from None


def selected_dates(
    date: dt.date | None, since: dt.date | None, until: dt.date | None
) -> list[dt.date] | None:
    """The days chosen by :func:`date_options`, oldest first; None when none were given."""
    if date is not None and (since is not None or until is not None):
        raise click.UsageError("give either --date or --since/--until, not both")
    if until is not None and since is None:
        raise click.UsageError("--until needs --since")
    if date is not None:
        return [date]
    if since is None:
        return None
    first = since
    last = until if until is not None else dt.datetime.now(dt.timezone.utc).date()
    if first > last:
        raise click.UsageError(f"--since {first} is after --until {last}")
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def llm_settings(model: str | None, language: str | None) -> Settings | None:
    """Summarizer settings from options and environment; a usage error when they cannot work.

    The language is ``--language``, else the site's own (``theme.language`` in the
    project's mkdocs.yml) when summaries can be written in it, else Korean.
    """
    if language is None:
        site = project.site_language()
        language = site if site in LANGUAGES else "ko"
    try:
        return settings_from_env(model, language)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
