"""``handpicked extract`` and ``handpicked demo``: pages in, articles out.

Each input is read and extracted on its own, so one bad page is reported on standard error and
the rest still come out; the exit status says whether every input made it (0) or not (1).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from handpicked.bulk.warc import WarcOpenError, is_warc_path
from handpicked.bulk.writers import OutputFormatError, check_output
from handpicked.cli.app import CONTEXT as _CONTEXT
from handpicked.cli.app import cli
from handpicked.cli.extras import MissingExtra
from handpicked.cli.inputs import (
    DEFAULT_TIMEOUT,
    STDIN,
    Kind,
    Source,
    SourceError,
    expand_sources,
    read_source,
    read_stream,
)
from handpicked.cli.render import FORMATS, WIDTH, Format, render
from handpicked.errors import HandpickedError
from handpicked.extract import extract
from handpicked.extract.document import MAX_INPUT_BYTES

SEED_URL = "https://ledger.example/world/its-time-for-russias-remaining-jews-to-leave"
_SEED_RESOURCE = "data/seed-article.html"


@dataclass(frozen=True, slots=True)
class _Task:
    """Everything a worker process needs for one input (plain data, so it pickles)."""

    source: Source
    fmt: Format
    timeout: float
    max_bytes: int
    stdin: bytes | None = None
    stdin_error: str | None = None
    allow_private_networks: bool | None = None


@dataclass(frozen=True, slots=True)
class _Outcome:
    """A rendered article or an error message, never both."""

    output: str | None = None
    error: str | None = None


def _process(task: _Task) -> _Outcome:
    """Read, extract and render one input; every failure becomes a message, not a crash."""
    if task.stdin_error is not None:
        return _Outcome(error=task.stdin_error)
    try:
        page = read_source(
            task.source,
            stdin=task.stdin,
            timeout=task.timeout,
            max_bytes=task.max_bytes,
            allow_private_networks=task.allow_private_networks,
        )
        article = extract(
            page.data, page.url, content_type=page.content_type, max_bytes=task.max_bytes
        )
        return _Outcome(output=render(article, task.source.name, task.fmt))
    except HandpickedError as error:
        return _Outcome(error=str(error))
    except Exception as error:  # a bug in the engine must not sink the other inputs
        return _Outcome(
            error=f"internal error ({type(error).__name__}: {error}); "
            "please report it with this page"
        )


def _run_serial(tasks: Sequence[_Task], bar: tqdm[Any]) -> Iterator[_Outcome]:
    for task in tasks:
        outcome = _process(task)
        bar.update(1)
        yield outcome


def _run_parallel(tasks: Sequence[_Task], jobs: int, bar: tqdm[Any]) -> Iterator[_Outcome]:
    """Extract in worker processes, yielding outcomes in input order as soon as each is next.

    Workers are spawned, not forked: a fork of a process with threads (an HTTP client, a
    test server) can deadlock, and spawn behaves the same on every platform.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures: dict[Future[_Outcome], int] = {
            pool.submit(_process, task): index for index, task in enumerate(tasks)
        }
        ready: dict[int, _Outcome] = {}
        next_index = 0
        try:
            for future in as_completed(futures):
                try:
                    ready[futures[future]] = future.result()
                except Exception as error:  # a worker died (killed, out of memory)
                    ready[futures[future]] = _Outcome(
                        error=f"worker process failed ({type(error).__name__}: {error})"
                    )
                bar.update(1)
                while next_index in ready:
                    yield ready.pop(next_index)
                    next_index += 1
        finally:
            for future in futures:
                future.cancel()


def _run(tasks: Sequence[_Task], jobs: int, bar: tqdm[Any]) -> Iterator[_Outcome]:
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        return _run_serial(tasks, bar)
    return _run_parallel(tasks, workers, bar)


def _byte_size(value: str) -> int:
    """Parse ``20000000``, ``20MB``, ``20M``, ``512k`` (binary multiples) to a byte count."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", value, re.IGNORECASE)
    if not match:
        raise ValueError(value)
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * 1024 ** " kmg".index(unit or " "))


def _parse_size(ctx: click.Context, param: click.Parameter, value: object) -> int:
    """Click callback for --max-bytes: a byte count with an optional k/M/G suffix."""
    if isinstance(value, int):
        size = value
    else:
        try:
            size = _byte_size(str(value))
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not a size (try 20000000, 20MB or 512k)", ctx, param
            ) from None
    if size < 1:
        raise click.BadParameter("must be at least 1 byte", ctx, param)
    return size


@cli.command("extract", context_settings=_CONTEXT)
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format.  [default: text]",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Same as --format json: one JSON object per line."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes; 0 uses every core. Output stays in input order.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds allowed for fetching each URL, redirects included.",
)
@click.option(
    "--max-bytes",
    type=click.STRING,
    metavar="SIZE",
    default=MAX_INPUT_BYTES,
    callback=_parse_size,
    help="Largest page accepted, e.g. 50MB; bigger inputs are refused, not truncated.  "
    "[default: 20MB]",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Fetch URLs on private and loopback addresses too (as does "
    "HANDPICKED_ALLOW_PRIVATE_NETWORKS=1); cloud metadata addresses are never fetched.",
)
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="WARC inputs only (required for them): write every page to this file, "
    "as JSON Lines (.jsonl, .json) or Parquet (.parquet).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    default=None,
    help="WARC inputs only: run on this Dask cluster instead of a local one.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="WARC inputs only: worker processes of the local cluster.  [default: every core]",
)
@click.pass_context
def extract_command(
    ctx: click.Context,
    sources: tuple[str, ...],
    fmt: Format | None,
    as_json: bool,
    jobs: int,
    timeout: float,
    max_bytes: int,
    allow_private: bool,
    no_progress: bool,
    out: Path | None,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Extract the article from each SOURCE and print it.

    SOURCE is an HTML file (.html, .htm, .html.gz), a folder (every such file in it,
    recursively, in sorted order), an http or https URL, or - for standard input.

    An input that fails (missing file, HTTP error, timeout, too large, not HTML) is reported
    on standard error and the others still come out; the exit status is then 1. URLs are
    fetched as polling fetches them: private and loopback addresses are refused unless
    --allow-private, and cloud metadata addresses always. A progress
    bar shows on standard error for several inputs when it is a terminal.

    SOURCE may instead be web archives (.warc, .warc.gz; all of them, not mixed with pages):
    every HTTP 200 HTML response in them is extracted on a Dask cluster (local, one worker
    per core, or --scheduler) and written to --out, with a summary line on standard error.
    Broken archive records are counted and skipped; the exit status is 1 only when an
    archive cannot be opened or the scheduler cannot be reached.

    \b
    Examples:
      handpicked extract page.html
      handpicked extract saved/ --format markdown
      handpicked extract https://example.com/news/story --timeout 5
      handpicked extract pages/ --json --jobs 0 > articles.jsonl
      curl -s https://example.com/story | handpicked extract - --json
      handpicked extract crawl.warc.gz --out articles.parquet
      handpicked extract a.warc.gz b.warc.gz --out articles.jsonl --workers 4
      handpicked extract crawl.warc.gz --out articles.jsonl --scheduler tcp://10.0.0.5:8786
    """
    if any(is_warc_path(source) for source in sources):
        _check_warc_usage(ctx, sources, out, scheduler, workers)
        assert out is not None
        ctx.exit(_run_warc_job(sources, out, scheduler, workers, not no_progress))
    for name, value in (("--out", out), ("--scheduler", scheduler), ("--workers", workers)):
        if value is not None:
            raise click.UsageError(f"{name} is for WARC inputs (.warc, .warc.gz) only", ctx)
    if as_json and fmt not in (None, "json"):
        raise click.UsageError(f"--json conflicts with --format {fmt}", ctx)
    chosen: Format = "json" if as_json else fmt or "text"

    stdin: bytes | None = None
    stdin_error: str | None = None
    if STDIN in sources:
        try:
            stdin = read_stream(sys.stdin.buffer, max_bytes)
        except SourceError as error:
            stdin_error = str(error)

    allow = True if allow_private else None  # None: HANDPICKED_ALLOW_PRIVATE_NETWORKS decides
    tasks = [
        _Task(source, chosen, timeout, max_bytes, stdin, stdin_error)
        if source.kind is Kind.STDIN
        else _Task(source, chosen, timeout, max_bytes, allow_private_networks=allow)
        for source in expand_sources(sources)
    ]
    show_bar = len(tasks) > 1 and not no_progress and sys.stderr.isatty()
    failures = 0
    printed = False
    separator = "\n" + "─" * WIDTH + "\n" if chosen == "text" else "\n---\n"
    with tqdm(
        total=len(tasks), disable=not show_bar, file=sys.stderr, unit="page", leave=False
    ) as bar:

        def emit(text: str, err: bool = False) -> None:
            if show_bar:
                tqdm.write(text, file=sys.stderr if err else sys.stdout)
            else:
                click.echo(text, err=err)

        for task, outcome in zip(tasks, _run(tasks, jobs, bar), strict=True):
            if outcome.error is not None:
                failures += 1
                emit(f"error: {task.source.name}: {outcome.error}", err=True)
            elif outcome.output is not None:
                if printed and chosen != "json":
                    emit(separator)
                emit(outcome.output)
                printed = True
    if failures:
        if len(tasks) > 1:
            click.echo(f"{failures} of {len(tasks)} inputs failed", err=True)
        ctx.exit(1)


def _check_warc_usage(
    ctx: click.Context,
    sources: Sequence[str],
    out: Path | None,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """WARC runs write a file, not the terminal, so they take their own options."""
    if not all(is_warc_path(source) for source in sources):
        raise click.UsageError(
            "WARC files and HTML pages cannot be mixed in one run; run the WARC files "
            "(with --out) and the pages separately",
            ctx,
        )
    if out is None:
        raise click.UsageError(
            "WARC inputs need --out FILE (.jsonl or .parquet) for the extracted pages", ctx
        )
    try:
        check_output(out)
    except OutputFormatError as error:
        raise click.BadParameter(str(error), ctx, param_hint="'--out'") from None
    if scheduler is not None and workers is not None:
        raise click.UsageError(
            "--workers sizes the local cluster; a --scheduler cluster has its own workers", ctx
        )
    if scheduler is not None and not scheduler.startswith(("tcp://", "tls://")):
        raise click.BadParameter(
            f"{scheduler!r} is not a scheduler address (try tcp://HOST:PORT)",
            ctx,
            param_hint="'--scheduler'",
        )


def _run_warc_job(
    sources: Sequence[str],
    out: Path,
    scheduler: str | None,
    workers: int | None,
    progress: bool,
) -> int:
    """Run the bulk job; report truncated files and the summary line. 1 when an archive
    cannot be opened or the scheduler cannot be reached; bad records are not failures."""
    # Dask loads only when it is needed, not for every single-page run.
    try:
        from handpicked.bulk.job import SchedulerError, run_warc_extraction
    except ModuleNotFoundError as missing:
        raise MissingExtra("bulk", missing.name) from missing

    try:
        summary = run_warc_extraction(
            [Path(source) for source in sources],
            out,
            scheduler=scheduler,
            workers=workers,
            progress=progress and sys.stderr.isatty(),
        )
    except (WarcOpenError, SchedulerError) as error:
        click.echo(f"error: {error}", err=True)
        return 1
    for path in summary.truncated_files:
        click.echo(f"warning: {path}: the file ends mid-record (truncated download?)", err=True)
    if summary.bad_reasons:
        tally = "; ".join(f"{count} × {reason}" for reason, count in summary.bad_reasons.items())
        click.echo(f"skipped bad records: {tally}", err=True)
    click.echo(summary.line(), err=True)
    return 0


@cli.command("demo", context_settings=_CONTEXT)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
def demo_command(fmt: Format) -> None:
    """Extract the bundled seed article and print it.

    The page is a news article wrapped in the chrome readers never want (navigation, ads,
    share bars, a newsletter promo, comments); the output shows what is kept.

    \b
    Examples:
      handpicked demo
      handpicked demo --format json
    """
    data = resources.files("handpicked").joinpath(_SEED_RESOURCE).read_bytes()
    article = extract(data, SEED_URL, content_type="text/html; charset=utf-8")
    click.echo(render(article, None, fmt))
