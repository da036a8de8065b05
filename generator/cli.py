"""The ``daily-papers`` command: thin click wrappers; the work lives in the named modules.

Every workflow step is one of these commands, so anything CI does a person can run too.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from generator import __version__, categories, project, summarize
from generator.arxiv import OFF, Arxiv, arxiv_client
from generator.cli_options import (
    arxiv_url_option,
    data_dir_option,
    date_options,
    full_texts,
    llm_settings,
    quiet_option,
    records_folder,
    retry_policy,
    selected_dates,
)
from generator.fetch import (
    DEFAULT_API_URL,
    DEFAULT_WORKERS,
    MAX_REFRESH_DAYS,
    api_client,
    fetch_dates,
    refresh_line,
    summary_line,
)
from generator.fulltext.sources import (
    DEFAULT_FULLTEXT_URL,
    ENV_FULLTEXT_URL,
    ENV_SUMMARY_SOURCE,
)
from generator.importer import import_digests
from generator.llm import ENV_MODEL, LANGUAGES
from generator.records.glossary import NAME as GLOSSARY_NAME
from generator.records.glossary import Glossary, normal, read_glossary
from generator.records.glossary import suggest as suggest_renderings
from generator.records.model import Paper
from generator.records.problems import Problem
from generator.records.reading import read_record, scan, shown_path
from generator.records.store import Store
from generator.records.urls import url_problem


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="daily-papers")
def main() -> None:
    """Build and maintain an archive of Hugging Face Daily Papers with a summary of each."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@data_dir_option("Folder checked when no PATH is given.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: print problems as GitHub Actions annotations.",
)
def validate(paths: tuple[Path, ...], data_dir: Path | None, output_format: str) -> None:
    """Check records (default: every record under --data-dir).

    Prints one line per problem, PATH:LINE: KEY: MESSAGE, and exits with status 1 when
    any record has an error. Unknown keys are warnings and do not fail.
    """
    targets = list(paths) or [records_folder(data_dir)]
    for target in targets:
        if not target.exists():
            raise click.UsageError(f"{target}: no such file or folder")
    # Each record is judged inside the data folder it belongs to, whatever the current
    # folder: the one given with --data-dir, that of the project around the path, or a
    # folder given outside any project's data folder, which is taken as a data folder.
    roots = [data_dir] if data_dir is not None else []
    for target in targets:
        found = project.data_folder_of(target)
        if found is None and target.is_dir():
            found = target
        if found is not None:
            roots.append(found)
    result = scan(targets, relative_to=Path.cwd(), roots=roots)
    # The glossary of each data folder, and the summaries' avoided renderings.
    for root in dict.fromkeys(roots):
        glossary = read_glossary(root, shown_path(root / GLOSSARY_NAME, Path.cwd()))
        result.problems += glossary.problems
        if glossary.entries:
            result.problems += avoided_renderings(result.papers, root, glossary)
    for problem in sorted(result.problems):
        click.echo(problem.github() if output_format == "github" else str(problem))
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    checked = len(result.papers) + len({p.path for p in result.errors})
    click.echo(f"{checked} record(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise SystemExit(1)


@main.command(name="glossary")
@data_dir_option("Folder holding the records and glossary.yaml.")
@click.option(
    "--suggest",
    is_flag=True,
    help="List the Korean renderings the summaries use for each English term in "
    "parentheses, with counts, most used terms first.",
)
@click.option(
    "--min",
    "minimum",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="With --suggest: only terms written in at least this many summaries.",
)
def glossary_command(data_dir: Path | None, suggest: bool, minimum: int) -> None:
    """Check the glossary (data/glossary.yaml), or with --suggest grow it from the archive.

    Without --suggest: prints the glossary's problems (PATH:LINE: KEY: MESSAGE) and how
    many terms it has; exits with status 1 when it has errors. With --suggest: one line
    per English term, the renderings the archive uses with how many summaries use each,
    and the glossary's own rendering where it has the term.
    """
    folder = records_folder(data_dir)
    if not folder.is_dir():
        raise click.UsageError(f"{folder}: no such folder")
    glossary = read_glossary(folder, shown_path(folder / GLOSSARY_NAME, Path.cwd()))
    for problem in glossary.problems:
        click.echo(str(problem), err=True)
    if not suggest:
        click.echo(f"{len(glossary.entries)} term(s) in the glossary", err=True)
        if glossary.problems:
            raise SystemExit(1)
        return
    known = {entry.key: entry for entry in glossary.entries}
    counts = suggest_renderings(p.summary for p in scan([folder], roots=[folder]).papers)
    ranked = sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0].lower()))
    for term, renderings in ranked:
        if sum(renderings.values()) < minimum:
            continue
        used = ", ".join(f"{r} {n}" for r, n in sorted(renderings.items(), key=lambda x: -x[1]))
        entry = known.get(normal(term))
        click.echo(f"{term}: {used}" + (f" (glossary: {entry.ko})" if entry else ""))


def avoided_renderings(papers: list[Paper], root: Path, glossary: Glossary) -> list[Problem]:
    """A warning for each summary below ``root`` that writes a glossary term with a
    rendering the glossary avoids, naming the preferred one (at the bullet's line)."""
    found = []
    for paper in papers:
        uses = glossary.avoided_uses(paper.summary)
        if not uses:
            continue
        path = root / paper.relative_path()
        if not path.is_file():
            continue  # a record of another folder
        lines = path.read_text(encoding="utf-8").splitlines()
        for entry, avoided in uses:
            line = next(
                (n for n, text in enumerate(lines, 1) if f"{avoided}(" in text),
                1,
            )
            found.append(
                Problem(
                    shown_path(path, Path.cwd()),
                    line,
                    "summary",
                    f"{avoided}({entry.term}): the glossary writes {entry.term!r} as "
                    f"{entry.ko!r}, not {avoided!r}",
                    warning=True,
                )
            )
    return found


def _read_papers(paths: list[Path]) -> list[Paper]:
    """The valid records among ``paths`` (a broken one is validate's to report)."""
    return [paper for paper in (read_record(path)[0] for path in paths) if paper is not None]


@main.command(name="summarize")
@date_options
@data_dir_option("Folder holding the records.")
@click.option(
    "--force",
    is_flag=True,
    help="Also replace machine-written summaries (never ones a person edited).",
)
@click.option(
    "--force-human", is_flag=True, help="Replace every summary, even one a person wrote or edited."
)
@click.option("--model", metavar="NAME", help=f"Model to ask (default: ${ENV_MODEL}).")
@click.option(
    "--language",
    type=click.Choice(sorted(LANGUAGES)),
    help="Language of the summaries (default: the site's theme.language when it is one "
    "of these, else ko).",
)
@click.option(
    "--max",
    "max_papers",
    type=click.IntRange(min=1),
    metavar="N",
    help="Summarise at most N papers this run (newest day, most votes first).",
)
@click.option(
    "--source",
    "text_source",
    type=click.Choice(["fulltext", "abstract"]),
    envvar=ENV_SUMMARY_SOURCE,
    default="fulltext",
    show_default=True,
    show_envvar=True,
    help="What the model reads: the paper's full text from arXiv (HTML, else PDF, else "
    "the abstract), or the abstract only.",
)
@click.option(
    "--fulltext-url",
    envvar=ENV_FULLTEXT_URL,
    default=DEFAULT_FULLTEXT_URL,
    show_default=True,
    show_envvar=True,
    help="Where full texts are read: <URL>/html/<id> and <URL>/pdf/<id> (a mirror, a test server).",
)
@quiet_option
def summarize_command(
    date: dt.date | None,
    since: dt.date | None,
    until: dt.date | None,
    data_dir: Path | None,
    force: bool,
    force_human: bool,
    model: str | None,
    language: str | None,
    max_papers: int | None,
    text_source: str,
    fulltext_url: str,
    quiet: bool,
) -> None:
    """Write summaries for records that have none (default: every record), in the site's
    language.

    Asks an OpenAI-compatible chat-completions server: $OPENAI_BASE_URL (default
    https://api.openai.com/v1) with $OPENAI_API_KEY. Without a key nothing is asked and
    the command says how many records still lack a summary. Exits with status 1 when
    any paper could not be summarised.
    """
    dates = selected_dates(date, since, until)
    if dates is None and (force or force_human):
        raise click.UsageError(
            "--force would re-summarise the whole archive; choose the days with --date or --since"
        )
    data_dir = records_folder(data_dir)
    if not data_dir.is_dir():
        raise click.UsageError(f"{data_dir}: no such folder")
    settings = llm_settings(model, language)
    if text_source == "fulltext" and (problem := url_problem(fulltext_url)):
        raise click.UsageError(f"--fulltext-url: {problem}")
    paths = summarize.record_paths(data_dir, dates)
    if not paths:
        click.echo(f"no records in {data_dir} for the chosen days; nothing to summarise", err=True)
        return
    texts = full_texts(data_dir, fulltext_url) if text_source == "fulltext" and settings else None
    try:
        status = summarize.run(
            Store(data_dir),
            paths,
            settings,
            force=force,
            force_human=force_human,
            max_papers=max_papers,
            quiet=quiet,
            texts=texts,
        )
    finally:
        if texts is not None:
            texts.client.close()
    raise SystemExit(status)


@main.command()
@date_options
@data_dir_option("Where records are written.")
@click.option(
    "--api-url",
    envvar="DAILY_PAPERS_API_URL",
    default=DEFAULT_API_URL,
    show_default=True,
    show_envvar=True,
    help="The daily_papers API endpoint.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 8),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Dates fetched at once in a range.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the API to send anything before retrying.",
)
@click.option(
    "--deadline",
    type=click.FloatRange(min=0.1),
    metavar="SECONDS",
    help="Seconds a whole request may take, retries, headers and body included "
    "(default: ten times --timeout).",
)
@arxiv_url_option
@click.option(
    "--summarize",
    "then_summarize",
    is_flag=True,
    help="Then summarise the fetched papers that have no summary yet, as "
    "'daily-papers summarize' does.",
)
@click.option(
    "--model", metavar="NAME", help=f"With --summarize: the model to ask (default: ${ENV_MODEL})."
)
@click.option(
    "--refresh-days",
    type=click.IntRange(0, MAX_REFRESH_DAYS),
    default=0,
    show_default=True,
    metavar="N",
    help="Also refresh the N days before the first date fetched: votes, comments and "
    "stars keep rising for days after a listing (the publish workflow passes 14).",
)
@quiet_option
def fetch(
    date: dt.date | None,
    since: dt.date | None,
    until: dt.date | None,
    data_dir: Path | None,
    api_url: str,
    workers: int,
    timeout: float,
    deadline: float | None,
    arxiv_url: str,
    then_summarize: bool,
    model: str | None,
    refresh_days: int,
    quiet: bool,
) -> None:
    """Fetch Daily Papers from Hugging Face into records (default: today, UTC).

    Votes, comments, media, links and keywords are refreshed; summaries, titles and
    authors already in a record are kept. Then arXiv is asked for the categories of the
    papers written that have none (a line says which are pending if it cannot answer).
    With --refresh-days N the N days before the first date are fetched again too, and
    one line says how many of their records changed. Prints one line per date and exits
    with status 1 when any date failed (nothing is written for a failed date; a failed
    day of the refresh is a warning) or, with --summarize, when any paper could not be
    summarised.
    """
    dates = selected_dates(date, since, until) or [dt.datetime.now(dt.timezone.utc).date()]
    problem = url_problem(api_url)
    if problem:
        raise click.UsageError(f"--api-url {problem}")
    problem = url_problem(arxiv_url) if arxiv_url != OFF else None
    if problem:
        raise click.UsageError(f"--arxiv-url {problem}")
    if model is not None and not then_summarize:
        raise click.UsageError("--model only applies with --summarize")
    data_dir = records_folder(data_dir)
    # Checked before fetching, so a missing model does not surface after the work is done.
    settings = llm_settings(model, None) if then_summarize else None
    # Summaries from the full text, as summarize reads it (its --source and --fulltext-url
    # are the variables DAILY_PAPERS_SUMMARY_SOURCE and DAILY_PAPERS_FULLTEXT_URL here).
    fulltext_url = None
    if settings and os.environ.get(ENV_SUMMARY_SOURCE, "fulltext") != "abstract":
        fulltext_url = os.environ.get(ENV_FULLTEXT_URL) or DEFAULT_FULLTEXT_URL
        if problem := url_problem(fulltext_url):
            raise click.UsageError(f"{ENV_FULLTEXT_URL}: {problem}")
    retry = retry_policy()
    if deadline is not None and deadline < timeout:
        raise click.UsageError(f"--deadline {deadline:g} is shorter than --timeout {timeout:g}")
    refresh = [dates[0] - dt.timedelta(days=n) for n in range(refresh_days, 0, -1)]
    with api_client(timeout, deadline, retry=retry) as client:
        results = fetch_dates(
            [*refresh, *dates], data_dir, client, api_url=api_url, workers=workers, quiet=quiet
        )
    refreshed, results = results[: len(refresh)], results[len(refresh) :]
    for result in results:
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(result.line(), err=result.error is not None)
    failed = any(result.error is not None for result in results)
    if failed or len(results) > 1:
        click.echo(summary_line(results), err=failed)
    if refreshed:
        # Nothing is lost when a day of the window fails (its records keep their counts
        # until the next run), so it is a warning, not a failed fetch.
        for result in refreshed:
            if result.error is not None:
                click.echo(f"warning: refresh: {result.line()}", err=True)
        click.echo(refresh_line(refreshed), err=True)
    status = 1 if failed else 0
    fetched = [path for result in results if result.error is None for path in result.paths]
    written = fetched + [path for r in refreshed if r.error is None for path in r.paths]
    if written and arxiv_url != OFF:
        # arXiv's categories for the papers written that have none: a line saying what
        # is still pending when arXiv cannot answer, never a failed fetch.
        papers = categories.wanting(_read_papers(written))
        if papers:
            with arxiv_client(timeout, deadline, retry) as arxiv_http:
                report = categories.fill(
                    Store(data_dir), papers, Arxiv(arxiv_http, arxiv_url), quiet=quiet
                )
            for line in report.lines():
                click.echo(line, err=True)
    if then_summarize and fetched:
        texts = full_texts(data_dir, fulltext_url) if fulltext_url else None
        try:
            summarized = summarize.run(Store(data_dir), fetched, settings, quiet=quiet, texts=texts)
        finally:
            if texts is not None:
                texts.client.close()
        status = max(status, summarized)
    if status:
        raise SystemExit(status)


@main.command(name="categories")
@date_options
@data_dir_option("Folder holding the records.")
@arxiv_url_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for arXiv to send anything before retrying.",
)
@click.option(
    "--again",
    is_flag=True,
    help="Also ask for papers recorded with no categories (categories: []).",
)
@quiet_option
def categories_command(
    date: dt.date | None,
    since: dt.date | None,
    until: dt.date | None,
    data_dir: Path | None,
    arxiv_url: str,
    timeout: float,
    again: bool,
    quiet: bool,
) -> None:
    """Fill the arXiv categories of records that have none (default: every record).

    Asks arXiv's API for 100 papers a request, one request every 3 seconds, and writes
    each answer at once: an interrupted run keeps what it got, and running it again asks
    only for the rest. A paper arXiv does not return is recorded with no categories once
    its latest listing is a week old. Exits with status 1 when arXiv could not answer.
    """
    if arxiv_url == OFF:
        raise click.UsageError("--arxiv-url is off, so there is no one to ask")
    problem = url_problem(arxiv_url)
    if problem:
        raise click.UsageError(f"--arxiv-url {problem}")
    dates = selected_dates(date, since, until)
    data_dir = records_folder(data_dir)
    if not data_dir.is_dir():
        raise click.UsageError(f"{data_dir}: no such folder")
    papers = categories.wanting(_read_papers(summarize.record_paths(data_dir, dates)), again=again)
    if not papers:
        click.echo("every chosen record has its categories; nothing to ask", err=True)
        return
    with arxiv_client(timeout, retry=retry_policy()) as client:
        report = categories.fill(Store(data_dir), papers, Arxiv(client, arxiv_url), quiet=quiet)
    for line in report.lines():
        click.echo(line)
    if report.error:
        raise SystemExit(1)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_dir_option("Where records are written.")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace the summary of papers that already have a record with the "
    "digest's (even one a person edited).",
)
@quiet_option
def import_(paths: tuple[Path, ...], data_dir: Path | None, overwrite: bool, quiet: bool) -> None:
    """Import legacy Markdown digests (daily_papers_ko's paper_logs) as records.

    PATH is a digest file or a folder searched for YYYY/MM/DD.md and YYYY-MM-DD.md. An
    existing record keeps its fields and summary and gains what it lacks. Prints every
    line that could not be imported as FILE:LINE: KEY: WHY and a tally per file; exits
    with status 1 when anything could not be imported, after importing all the rest.
    """
    for target in paths:
        if not target.exists():
            raise click.UsageError(f"{target}: no such file or folder")
    report = import_digests(
        paths, records_folder(data_dir), overwrite=overwrite, relative_to=Path.cwd(), quiet=quiet
    )
    for line in report.lines():
        click.echo(line)
    if report.errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
