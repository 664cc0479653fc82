"""``handpicked search``: the stored articles that match a query."""

from __future__ import annotations

import json

import click

from handpicked.cli.app import CONTEXT, cli
from handpicked.cli.common import open_store_or_fail
from handpicked.desk.core import Desk
from handpicked.desk.search import MAX_LIMIT, SearchError, SearchRequest
from handpicked.settings import load_settings


@cli.command("search", context_settings=CONTEXT)
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the matches.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=20, show_default=True,
              help="At most this many, best first.")  # fmt: skip
@click.option("--source", metavar="DOMAIN", help="Only from this site (e.g. bbc.co.uk).")
@click.option("--language", metavar="CODE", help="Only in this language (e.g. en).")
@click.option("--since", metavar="DATE", help="Only published on or after this date.")
@click.option("--until", metavar="DATE", help="Only published on or before this date.")
@click.option("--newest", is_flag=True, help="Newest first instead of best match first.")
def search_command(
    query: tuple[str, ...],
    as_json: bool,
    limit: int,
    source: str | None,
    language: str | None,
    since: str | None,
    until: str | None,
    newest: bool,
) -> None:
    """Search the stored articles' titles, leads, bodies, authors and sites.

    All the words must match; "quotes" match a phrase, OR either word, -word leaves a word
    out, word* matches words that start so (SQLite).

    \b
    Examples:
      handpicked search lighthouse keeper
      handpicked search '"florida man"' --since 2026-12-01 --json
    """
    request = SearchRequest(query=" ".join(query), source=source, language=language,
                            since=since, until=until, limit=limit, newest=newest)  # fmt: skip
    desk = Desk(open_store_or_fail(), load_settings())
    try:
        page = desk.search.find(request)
    except SearchError as error:
        raise click.ClickException(str(error)) from None
    finally:
        desk.close()
    if as_json:
        rows = [
            {"id": f.article.id, "title": f.article.title, "url": f.article.url,
             "site": f.article.site_name, "score": round(f.score, 4),
             "published": f.article.published.isoformat() if f.article.published else None,
             "snippet": "".join(text for text, _match in f.snippet)}
            for f in page.found
        ]  # fmt: skip
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not page.found:
        click.echo("Nothing matches.")
    for found in page.found:
        article = found.article
        when = article.published.date().isoformat() if article.published else "undated"
        click.echo(f"#{article.id:<5} {when}  {article.site_name or ''}  {article.title or ''}")
        snippet = "".join(f"[{t}]" if match else t for t, match in found.snippet)
        click.echo(f"       {snippet}")
