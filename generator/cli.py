"""The ``daily-papers`` command: thin click wrappers; the work lives in the named modules.

Every workflow step is one of these commands, so anything CI does a person can run too.
"""

from __future__ import annotations

from pathlib import Path

import click

from generator import __version__
from generator.validate import scan


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="daily-papers")
def main() -> None:
    """Build and maintain an archive of Hugging Face Daily Papers with Korean summaries."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--data-dir", type=click.Path(path_type=Path), default=Path("data"),
              show_default=True, help="Folder checked when no PATH is given.")
@click.option("--format", "output_format", type=click.Choice(["text", "github"]),
              default="text", show_default=True,
              help="github: print problems as GitHub Actions annotations.")
def validate(paths: tuple[Path, ...], data_dir: Path, output_format: str) -> None:
    """Check records (default: every record under --data-dir).

    Prints one line per problem, PATH:LINE: KEY: MESSAGE, and exits with status 1 when
    any record has an error. Unknown keys are warnings and do not fail.
    """
    targets = list(paths) or [data_dir]
    for target in targets:
        if not target.exists():
            raise click.UsageError(f"{target}: no such file or folder")
    result = scan(targets, relative_to=Path.cwd())
    for problem in sorted(result.problems):
        click.echo(problem.github() if output_format == "github" else str(problem))
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    checked = len(result.papers) + len({p.path for p in result.errors})
    click.echo(f"{checked} record(s) checked: {errors} error(s), {warnings} warning(s)",
               err=True)
    if errors:
        raise SystemExit(1)
if __name__ == "__main__":
    main()
