"""``handpicked understand`` and ``handpicked stories``: what stored articles are about, and
the same story told by several outlets, shown once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from handpicked.cli.app import CONTEXT, cli, progress, wants_progress
from handpicked.cli.common import (
    FOUND_SINCE_HELP,
    open_store_or_fail,
    parse_when,
    print_understand_report,
)
from handpicked.store import Store
from handpicked.understand.pipeline import Understander, UnderstandReport


def understand_backlog(store: Store, show: bool) -> UnderstandReport:
    """Understand every stored article not yet understood, with a progress bar on a terminal."""
    with progress("article", show) as advance:
        return Understander(store).run(on_article=advance)


@cli.command("understand", context_settings=CONTEXT)
@click.option("--bulk", is_flag=True, help="Spread the work over a local Dask cluster.")
@click.option("--workers", type=click.IntRange(min=1), help="Local Dask workers (all cores).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Use an existing Dask cluster.")
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
def understand_command(
    bulk: bool, workers: int | None, scheduler: str | None, no_progress: bool
) -> None:
    """Find language, entities, topics, duplicates and stories of articles not yet understood.

    `handpicked poll` does this for what it stores; run this after a big import or to finish
    an interrupted run. With --bulk (or --workers/--scheduler) the per-article work runs on
    Dask; matching articles against each other stays in this process, in order.

    \b
    Examples:
      handpicked understand
      handpicked understand --bulk --workers 4
      handpicked understand --scheduler tcp://10.0.0.5:8786
    """
    store = open_store_or_fail()
    show = wants_progress(no_progress)
    if not (bulk or workers or scheduler):
        print_understand_report(understand_backlog(store, show))
        return
    if scheduler and not scheduler.startswith("tcp://"):
        raise click.BadParameter("the address looks like tcp://HOST:PORT", param_hint="--scheduler")
    from handpicked.bulk.job import SchedulerError
    from handpicked.understand.pipeline import understand_on_dask

    with progress("article", show) as advance:
        try:
            report = understand_on_dask(
                store, scheduler=scheduler, workers=workers, on_article=advance
            )
        except SchedulerError as error:
            raise click.ClickException(str(error)) from error
    print_understand_report(report)


@cli.command("stories", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of stories.")
@click.option("--since", "since", metavar="WHEN", help=FOUND_SINCE_HELP)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, newest first.")
def stories_command(as_json: bool, since: str | None, limit: int | None) -> None:
    """List stories: each event once, with every outlet's article.

    \b
    Examples:
      handpicked stories --since 1d
      handpicked stories --json --limit 20
    """
    after = parse_when(since) if since else None
    stories = open_store_or_fail().stories.list(limit=limit, found_since=after)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in stories], ensure_ascii=False, indent=1))
        return
    for story in stories:
        others = max(0, len(story.outlets) - 1)
        also = f" — also covered by {others} outlet{'s' if others != 1 else ''}" if others else ""
        click.echo(f"#{story.id:<5} {story.title or 'untitled'}{also}")
        for article in story.articles:
            copy = f" (copy of #{article.duplicate_of})" if article.duplicate_of else ""
            click.echo(f"        {article.site_name or '?'}: {article.title}{copy}")


@cli.command("load", context_settings=CONTEXT)
@click.argument(
    "paths",
    metavar="FILE...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--no-understand", is_flag=True, help="Only store; understand later.")
@click.option("--bulk", is_flag=True, help="Understand on a local Dask cluster.")
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
def load_command(
    paths: tuple[Path, ...], no_understand: bool, bulk: bool, no_progress: bool
) -> None:
    """Store the articles of a crawl's output (JSON Lines or Parquet from `handpicked extract
    crawl.warc.gz --out FILE`) and understand them. Articles stored already are skipped.

    \b
    Examples:
      handpicked extract crawl.warc.gz --out crawl.parquet
      handpicked load crawl.parquet --bulk
    """
    from handpicked.article import Article
    from handpicked.bulk.readers import read_rows
    from handpicked.bulk.writers import OutputFormatError

    store = open_store_or_fail()
    show = wants_progress(no_progress)
    now = datetime.now(UTC)
    added = skipped = 0
    with progress("row", show) as advance:
        for path in paths:
            try:
                for row in read_rows(path):
                    advance()
                    article = Article.from_dict(row)
                    if not (article.canonical_url or article.url):
                        skipped += 1
                        continue
                    _id, created = store.articles.save(article, source_id=None, now=now)
                    added += created
                    skipped += not created
            except OutputFormatError as error:
                raise click.ClickException(str(error)) from error
    click.echo(f"stored {added} articles ({skipped} skipped: stored already or no URL)", err=True)
    if no_understand:
        return
    if bulk:
        from handpicked.understand.pipeline import understand_on_dask

        with progress("article", show) as advance:
            print_understand_report(understand_on_dask(store, on_article=advance))
    else:
        print_understand_report(understand_backlog(store, show))
