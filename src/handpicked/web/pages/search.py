"""The search page, and the Atom feed of a followed search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from handpicked.deliver.atom import digest_feed
from handpicked.desk.search import Found, SearchError, SearchPage, SearchRequest, Snippet
from handpicked.pick.digest import DigestItem
from handpicked.pick.reasons import Reason, clause
from handpicked.store import ReaderRecord
from handpicked.web.context import page
from handpicked.web.pages.views import (
    Reader,
    Web,
    When,
    article_language,
    done_message,
    site_name,
    when,
    zone_of,
)

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
MAX_FILTER_CHARS = 200
Text = Annotated[str, Query(max_length=MAX_FILTER_CHARS)]


@dataclass(frozen=True, slots=True)
class HitView:
    article_id: int
    title: Snippet
    snippet: Snippet
    site: str
    when: When | None
    lang: str | None


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    context: Web,
    reader: Reader,
    q: Annotated[str, Query(max_length=20_000)] = "",
    source: Text = "",
    language: Text = "",
    since: Text = "",
    until: Text = "",
    entity: Text = "",
    sort: Text = "",
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> HTMLResponse:
    """Results with the matches marked, filters, paging, and following the search."""
    form = {"q": q, "source": source, "language": language, "since": since,
            "until": until, "entity": entity, "sort": sort}  # fmt: skip
    values: dict[str, Any] = {"reader": reader, "form": form, "done": done_message(request)}
    if not q.strip():
        return page(request, "search.html", title="Search", **values)
    wanted = SearchRequest(query=q, source=source, language=language, since=since,
                           until=until, entity=entity, limit=PAGE_SIZE, offset=offset,
                           newest=sort == "newest")  # fmt: skip
    try:
        found = context.desk.search.find(wanted)
    except SearchError as error:
        return page(request, "search.html", status_code=400, title="Search", error=str(error),
                    **values)  # fmt: skip
    zone = zone_of(reader)
    followed = context.desk.search.followed(reader, q)
    return page(request, "search.html", title=f"Search: {q.strip()[:60]}",
                hits=[_hit(f, zone) for f in found.found], results=found,
                pages=_paging(form, found), followed=followed,
                feed_url=search_feed_path(reader, followed.id) if followed else None,
                here=_here(form, offset),
                **values)  # fmt: skip


@router.get("/feeds/{token}/searches/{interest_id:id}.atom")
def search_feed(token: str, interest_id: int, context: Web) -> Response:
    """A followed search's newest matches as Atom; the reader's secret feed token is the key,
    and only that reader's own followed searches have a feed (404 for any other)."""
    reader = context.store.readers.by_feed_token(token)
    if reader is None:
        return Response("No such feed.\n", status_code=404, media_type="text/plain")
    try:
        feed = context.desk.search.feed(reader, interest_id)
    except SearchError:
        return Response("No such feed.\n", status_code=404, media_type="text/plain")
    reason = clause(Reason("follow", "search", feed.interest.label))
    items = [
        DigestItem(story_id=a.story_id, article=a, reasons=(reason,),
                   outlets=(site_name(a),), score=0.0)
        for a in feed.articles
    ]  # fmt: skip
    updated = max((a.fetched_at for a in feed.articles), default=feed.interest.created_at)
    self_url = context.links.base_url + search_feed_path(reader, feed.interest.id)
    search = (feed.interest.id, feed.interest.label, self_url)
    body = digest_feed(reader, items, context.links, updated.astimezone(UTC), search=search)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _hit(found: Found, zone: tzinfo) -> HitView:
    article = found.article
    title = found.title if article.title else (("(untitled)", False),)
    return HitView(article.id, title, found.snippet, site_name(article),
                   when(article.published or article.fetched_at, zone),
                   article_language(article))  # fmt: skip


def search_feed_path(reader: ReaderRecord, interest_id: int) -> str:
    """Where a followed search's feed is (secret: it holds the reader's feed token)."""
    return f"/feeds/{quote(reader.feed_token, safe='')}/searches/{int(interest_id)}.atom"


def _here(form: dict[str, str], offset: int) -> str:
    query = {k: v for k, v in form.items() if v}
    if offset:
        query["offset"] = str(offset)
    return "/search?" + urlencode(query)


def _paging(form: dict[str, str], found: SearchPage) -> dict[str, str | None]:
    return {
        "previous": None if found.previous_offset is None else _here(form, found.previous_offset),
        "next": None if found.next_offset is None else _here(form, found.next_offset),
    }
