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

    Turns news pages into clean articles: the body without the site's chrome, and the facts
    about it (title, authors, dates, images with captions and credits, pull quotes).

    \b
    Examples:
      handpicked demo
      handpicked extract page.html
      handpicked extract https://example.com/news/story --format markdown
      handpicked extract pages/ --json --jobs 0 > articles.jsonl
    """


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point. Output that the terminal cannot encode is replaced, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in (
            "utf-8",
            "utf8",
        ):
            stream.reconfigure(errors="replace")
    cli.main(args=list(argv) if argv is not None else None, prog_name="handpicked")
