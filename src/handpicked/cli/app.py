"""The ``handpicked`` command group; each stage adds its commands to it from its own module."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import click
from tqdm import tqdm

from handpicked import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def wants_progress(no_progress: bool) -> bool:
    """A bar on a terminal only, so that logs and pipes stay clean."""
    return not no_progress and sys.stderr.isatty()


@contextmanager
def progress(unit: str, enabled: bool) -> Iterator[Callable[..., None]]:
    """A progress bar on standard error; yields the callback that moves it one step."""
    with tqdm(disable=not enabled, unit=unit, file=sys.stderr, leave=False) as bar:

        def advance(_item: object = None) -> None:
            bar.update()

        yield advance


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="handpicked")
def cli() -> None:
    """handpicked: news, handpicked for each reader.

    Gathers news (feeds, sitemaps, pages, WARC crawls), extracts clean articles, understands
    them (people, places, topics, duplicates, stories), picks stories for each reader with the
    reason, and delivers them: email digests on each reader's schedule, a web app, a feed and
    a JSON API.

    \b
    Examples:
      handpicked try                                  the web app on a bundled sample
      handpicked extract https://example.com/news/story --format markdown
      handpicked sources add https://example.com/feed.xml
      handpicked poll --loop
      handpicked readers add ann@example.com --tz Europe/Berlin --schedule "daily 07:00"
      handpicked follow ann@example.com Putin '"Florida Man"' topic:politics
      handpicked digest ann@example.com --preview digest.html
      handpicked serve                                web app, polling and digests
    """


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point. Output that the terminal cannot encode is replaced, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in (
            "utf-8",
            "utf8",
        ):
            stream.reconfigure(errors="replace")
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="handpicked")
    except Exception as error:  # a database found damaged while a command reads it
        damaged = _damaged_database(error)
        if damaged is None:
            raise
        click.echo(f"Error: {damaged}", err=True)
        sys.exit(1)


def _damaged_database(error: Exception) -> str | None:
    """One line for a damaged database, or None. The store is imported only when the error
    came from it: the base install (extraction alone) has no SQLAlchemy."""
    if not type(error).__module__.startswith("sqlalchemy"):
        return None
    from handpicked.cli.common import damaged_database

    return damaged_database(error)
