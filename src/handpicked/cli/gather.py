"""``handpicked sources``, ``poll`` and ``articles``: following sources and reading what came in."""

from __future__ import annotations

import asyncio
import json
import sys
import time
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
from handpicked.desk import Desk, DeskError
from handpicked.fetch.client import Fetcher
from handpicked.fetch.errors import FetchError
from handpicked.fetch.poller import PollReport
from handpicked.fetch.subscribe import ResolvedSource, resolve_address
from handpicked.fetch.xmlsafety import FeedError
from handpicked.settings import load_settings
from handpicked.store import ReaderRecord, Store

_MIN_SLEEP_S = 5.0
_MAX_SLEEP_S = 300.0


@cli.group("sources", context_settings=CONTEXT)
def sources_group() -> None:
    """Follow feeds, sitemaps, sites and single articles.

    \b
    Examples:
      handpicked sources add https://example.com/feed.xml
      handpicked sources add https://example.com/          (finds the site's feed)
      handpicked sources add bbc.co.uk                     (https://bbc.co.uk/)
      handpicked sources add --reader ann@example.com https://example.org/feed.xml
      handpicked sources list
      handpicked sources import subscriptions.opml
      handpicked sources export > subscriptions.opml
    """


async def _resolve(url: str) -> ResolvedSource:
    async with Fetcher() as fetcher:
        return await resolve_address(fetcher, url)


_READER_HELP = "A reader's own subscriptions instead of the desk-wide sources (their email)."


def _reader_of(store: Store, email: str | None) -> ReaderRecord | None:
    if email is None:
        return None
    reader = store.readers.get(email=email)
    if reader is None:
        raise click.ClickException(f"no reader {email!r} (see: handpicked readers list)")
    return reader


@sources_group.command("add", context_settings=CONTEXT)
@click.argument("urls", metavar="URL...", nargs=-1, required=True)
@click.option("--interval", default=30, show_default=True, help="Minutes between polls.")
@click.option("--reader", "email", metavar="EMAIL", help=_READER_HELP)
def sources_add(urls: tuple[str, ...], interval: int, email: str | None) -> None:
    """Add sources: a feed, a sitemap, a home page or bare domain (its feed is found) or an
    article. They are desk-wide (every reader's picks use them) unless --reader names whose
    own subscription they are."""
    store = open_store_or_fail()
    reader = _reader_of(store, email)
    failures = 0
    for url in urls:
        try:
            resolved = asyncio.run(_resolve(url))
        except ValueError as error:  # not a web address at all
            failures += 1
            click.echo(f"error: {error}", err=True)
            continue
        except (FetchError, FeedError) as error:
            failures += 1
            click.echo(f"error: {url}: {getattr(error, 'reason', None) or error}", err=True)
            continue
        record, created = store.sources.add(
            resolved.url,
            resolved.kind,
            title=resolved.title,
            site_url=resolved.site_url,
            poll_interval_s=interval * 60,
            desk_wide=reader is None,
        )
        if reader is not None:
            created = store.subscriptions.add(reader.id, record.id, datetime.now(UTC))
        verb = "added" if created else "already following"
        title = record.title or "untitled"
        click.echo(f"{verb} {record.kind} #{record.id}: {record.url} ({title})")
    if failures:
        sys.exit(1)


@sources_group.command("list", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source.")
@click.option("--reader", "email", metavar="EMAIL", help="Only this reader's subscriptions.")
def sources_list(as_json: bool, email: str | None) -> None:
    """List every source the desk polls (desk-wide ones marked), with when each was last
    polled and its last error."""
    store = open_store_or_fail()
    reader = _reader_of(store, email)
    found = store.subscriptions.sources_of(reader.id) if reader else store.sources.list()
    for source in found:
        if as_json:
            click.echo(json.dumps(source.to_dict(), ensure_ascii=False))
            continue
        polled = (
            source.last_polled_at.isoformat(timespec="minutes")
            if source.last_polled_at
            else "never"
        )
        line = f"#{source.id:<4} {source.kind:<8} {source.url}  (polled {polled})"
        if source.desk_wide:
            line += "  [desk-wide]"
        if source.last_error:
            line += f"\n      last error: {source.last_error}"
        click.echo(line)


@sources_group.command("remove", context_settings=CONTEXT)
@click.argument("source", metavar="ID_OR_URL")
def sources_remove(source: str) -> None:
    """Stop following a source. Articles already stored are kept."""
    key: int | str = int(source) if source.isdigit() else source
    if not open_store_or_fail().sources.remove(key):
        raise click.ClickException(f"no source {source!r} (see: handpicked sources list)")
    click.echo(f"removed {source}")


@sources_group.command("import", context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reader", "email", metavar="EMAIL", help=_READER_HELP)
def sources_import(path: Path, email: str | None) -> None:
    """Follow every feed in an OPML file (as exported by another reader).

    Each address is checked as the fetcher checks it; private ones are refused unless
    HANDPICKED_ALLOW_PRIVATE_NETWORKS=1.
    """
    desk = Desk(open_store_or_fail(), load_settings())
    reader = _reader_of(desk.store, email)
    try:
        imported = asyncio.run(desk.sources.import_opml(path.read_bytes(), reader))
    except DeskError as error:
        raise click.ClickException(f"{path}: {error}") from error
    for url, reason in imported.refused:
        click.echo(f"refused {url}: {reason}", err=True)
    click.echo(f"{imported.added} new of {imported.total} sources in {path}")


@sources_group.command("export", context_settings=CONTEXT)
@click.option("--reader", "email", metavar="EMAIL", help="Only this reader's subscriptions.")
def sources_export(email: str | None) -> None:
    """Print the followed feeds as OPML, for another reader or a backup."""
    desk = Desk(open_store_or_fail(), load_settings())
    click.echo(desk.sources.export_opml(_reader_of(desk.store, email)), nl=False)


def _print_report(report: PollReport) -> None:
    click.echo(
        f"polled {report.sources_polled} sources ({report.sources_unchanged} unchanged, "
        f"{report.sources_failed} failed), queued {report.urls_queued} pages, "
        f"added {report.articles_added} articles ({report.pages_duplicate} already stored), "
        f"{report.pages_failed} pages failed"
        + (f", {report.entries_skipped} older entries left out" if report.entries_skipped else ""),
        err=True,
    )
    for where, reason in report.errors:
        click.echo(f"  {where}: {reason}", err=True)


@cli.command("poll", context_settings=CONTEXT)
@click.option("--loop", is_flag=True, help="Keep polling each source on its schedule.")
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
def poll_command(loop: bool, no_progress: bool) -> None:
    """Fetch the sources that are due, store their new articles and understand them
    (language, entities, topics, duplicates, stories).

    A source that fails is recorded with the reason (see `handpicked sources list`) and
    tried again later; it never stops the others. Interrupted polls resume where they stopped.
    """
    store = open_store_or_fail()
    gathering = Desk(store, load_settings()).gathering
    show = wants_progress(no_progress)
    while True:
        with progress("page", show) as on_page, progress("article", show) as on_article:
            gathered = asyncio.run(
                gathering.poll_and_understand(on_page=on_page, on_article=on_article)
            )
        _print_report(gathered.polled)
        if gathered.understood is not None:
            print_understand_report(gathered.understood)
        if not loop:
            return
        time.sleep(_seconds_until_next(store))


def _seconds_until_next(store: Store) -> float:
    upcoming = [s.next_poll_at for s in store.sources.list() if s.next_poll_at]
    if not upcoming:
        return _MAX_SLEEP_S
    wait = (min(upcoming) - datetime.now(UTC)).total_seconds()
    return max(_MIN_SLEEP_S, min(_MAX_SLEEP_S, wait))


@cli.command("articles", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of articles.")
@click.option("--since", "since", metavar="WHEN", help=FOUND_SINCE_HELP)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, newest first.")
def articles_command(as_json: bool, since: str | None, limit: int | None) -> None:
    """List stored articles, newest first."""
    after = parse_when(since) if since else None
    stored = open_store_or_fail().articles.list(found_since=after, limit=limit)
    if as_json:
        click.echo(json.dumps([item.to_dict() for item in stored], ensure_ascii=False, indent=1))
        return
    for item in stored:
        when = item.published.date().isoformat() if item.published else "undated"
        click.echo(f"#{item.id:<5} {when}  {item.site_name or ''}  {item.title or item.url}")
