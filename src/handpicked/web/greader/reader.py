"""The Google Reader API's ``/reader/api/0/…`` and FeedHQ's ``/reader/atom/…``, as FreshRSS
serves them: subscriptions, labels, unread counts, item streams (whole or as ids) and state.

Nothing here is outside the signed-in reader: a stream that is not theirs answers 404, and
item ids that are not theirs are left out (or left alone, when marking).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from handpicked.desk.greader import (
    PICKS_LABEL,
    ReaderSync,
    StateFilter,
    Stream,
)
from handpicked.store import StoredArticle
from handpicked.store.streams import StreamPage
from handpicked.web.greader import ids
from handpicked.web.greader.auth import AppReader, Web, check_action_token
from handpicked.web.greader.items import atom_feed, item_json, source_title, usec
from handpicked.web.greader.params import Params, read_params

router = APIRouter(prefix="/reader")
API = "/api/0"
DEFAULT_ITEMS = 20
MAX_ITEMS = 1000
_OK = "OK"


def _bad(message: str) -> HTTPException:
    return HTTPException(status.HTTP_400_BAD_REQUEST, message)


def _int(params: Params, name: str) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not value.lstrip("-").isdigit() or len(value) > 20:
        raise _bad(f"{name} must be a whole number")
    return int(value)


def _time(params: Params, name: str) -> datetime | None:
    value = _int(params, name)
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(max(0, value), UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise _bad(f"{name} is out of range") from error


def _page(params: Params) -> tuple[StreamPage, StateFilter, int]:
    """Google's paging parameters: ``n`` items, ``r=o`` oldest first, ``c`` continuation,
    ``xt``/``it`` exclude/include a state, ``ot``/``nt`` found since/before (seconds)."""
    count = _int(params, "n") or DEFAULT_ITEMS
    after = _int(params, "c")
    excluded = {ids.normalise_user(x) for x in params.getlist("xt")}
    included = {ids.normalise_user(x) for x in params.getlist("it")}
    where = StreamPage(
        after_id=after if after is not None and after > 0 else None,
        oldest_first=params.get("r") == "o",
        found_since=_time(params, "ot"),
        found_before=_time(params, "nt"),
    )
    states = StateFilter(
        exclude_read=ids.READ in excluded,
        only_read=ids.READ in included,
        only_starred=ids.STARRED in included,
    )
    return where, states, max(1, min(count, MAX_ITEMS))


def _stream(sync: ReaderSync, stream_id: str) -> Stream:
    stream = ids.parse_stream(stream_id)
    if stream is None or sync.scope(stream) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such stream.")
    return stream


def _stream_title(sync: ReaderSync, stream: Stream) -> str:
    if stream.kind == "source":
        for source in sync.subscriptions:
            if source.id == stream.source_id or source.url == stream.source_url:
                return source_title(source)
    return {"picks": PICKS_LABEL, "read": "Read", "starred": "Starred"}.get(
        stream.kind, "All items"
    )


def _items(sync: ReaderSync, articles: list[StoredArticle], web: Web) -> list[dict[str, Any]]:
    sources = {s.id: s for s in sync.subscriptions}
    sync.load_states([a.id for a in articles])
    return [
        item_json(a, sync.state(a.id), sources, web.links, sync.reasons.get(a.id, ""))
        for a in articles
    ]


def _in_order(articles: list[StoredArticle], order: list[int]) -> list[StoredArticle]:
    by_id = {a.id: a for a in articles}
    return [by_id[i] for i in order if i in by_id]


@router.get(f"{API}/user-info", include_in_schema=False)
def user_info(reader: AppReader) -> dict[str, Any]:
    return {
        "userId": str(reader.id),
        "userName": reader.email,
        "userProfileId": str(reader.id),
        "userEmail": reader.email,
        "isBloggerUser": False,
        "signupTimeSec": int(reader.created_at.timestamp()),
    }


@router.get(f"{API}/subscription/list", include_in_schema=False)
def subscriptions(reader: AppReader, web: Web) -> dict[str, Any]:
    sync = web.desk.apps.for_reader(reader)
    return {
        "subscriptions": [
            {
                "id": ids.source_stream(source.id),
                "title": source_title(source),
                "categories": [],
                "url": source.url,
                "htmlUrl": source.site_url or source.url,
                "iconUrl": "",
                "firstitemmsec": str(int(source.created_at.timestamp() * 1000)),
            }
            for source in sync.subscriptions
        ]
    }


@router.get(f"{API}/tag/list", include_in_schema=False)
def tags(reader: AppReader, web: Web) -> dict[str, Any]:
    sync = web.desk.apps.for_reader(reader)
    _counts, unread_picks, _total = sync.unread_counts()
    return {
        "tags": [
            {"id": ids.STARRED},
            {"id": ids.PICKS, "type": "tag", "unread_count": unread_picks},
        ]
    }


def _unread(stream_id: str, count: int, newest: datetime | None) -> dict[str, Any]:
    stamp = str(usec(newest)) if newest is not None else "0"
    return {"id": stream_id, "count": count, "newestItemTimestampUsec": stamp}


@router.get(f"{API}/unread-count", include_in_schema=False)
def unread_count(reader: AppReader, web: Web) -> dict[str, Any]:
    sync = web.desk.apps.for_reader(reader)
    counts, unread_picks, total = sync.unread_counts()
    rows = [_unread(ids.source_stream(source_id), count, newest)
            for source_id, (count, newest) in sorted(counts.items())]  # fmt: skip
    newest_all = max((newest for _count, newest in counts.values()), default=None)
    rows.append(_unread(ids.PICKS, unread_picks, None))
    rows.append(_unread(ids.READING_LIST, total, newest_all))
    return {"max": max([total, unread_picks]), "unreadcounts": rows}


async def _contents(request: Request, reader: AppReader, web: Web, stream_id: str) -> JSONResponse:
    params = await read_params(request)
    sync = web.desk.apps.for_reader(reader)
    stream = _stream(sync, stream_id)
    where, states, count = _page(params)
    found = sync.page(stream, where, states, count)
    assert found is not None
    order = [ref.id for ref in found.refs]
    articles = _in_order(sync.articles(order), order)
    body: dict[str, Any] = {
        "id": ids.stream_id(stream),
        "title": _stream_title(sync, stream),
        "updated": int(datetime.now(UTC).timestamp()),
        "items": _items(sync, articles, web),
    }
    if found.continuation is not None:
        body["continuation"] = str(found.continuation)
    return JSONResponse(body)


@router.api_route(
    API + "/stream/contents/{stream_id:path}", methods=["GET", "POST"], include_in_schema=False
)
async def stream_contents(
    stream_id: str, request: Request, reader: AppReader, web: Web
) -> Response:
    return await _contents(request, reader, web, stream_id)


@router.api_route(f"{API}/stream/contents", methods=["GET", "POST"], include_in_schema=False)
async def stream_contents_query(request: Request, reader: AppReader, web: Web) -> Response:
    params = await read_params(request)
    return await _contents(request, reader, web, params.get("s") or ids.READING_LIST)


@router.api_route(f"{API}/stream/items/ids", methods=["GET", "POST"], include_in_schema=False)
async def item_ids(request: Request, reader: AppReader, web: Web) -> dict[str, Any]:
    params = await read_params(request)
    sync = web.desk.apps.for_reader(reader)
    stream = _stream(sync, params.get("s") or ids.READING_LIST)
    where, states, count = _page(params)
    found = sync.page(stream, where, states, count)
    assert found is not None
    body: dict[str, Any] = {
        "itemRefs": [
            {
                "id": ids.short_item_id(ref.id),
                "directStreamIds": [],
                "timestampUsec": str(usec(ref.fetched_at)),
            }
            for ref in found.refs
        ]
    }
    if found.continuation is not None:
        body["continuation"] = str(found.continuation)
    return body


def _item_ids(params: Params) -> list[int]:
    wanted = [ids.parse_item_id(value) for value in params.getlist("i")]
    return [i for i in wanted if i is not None]


@router.api_route(f"{API}/stream/items/contents", methods=["GET", "POST"], include_in_schema=False)
async def item_contents(request: Request, reader: AppReader, web: Web) -> dict[str, Any]:
    params = await read_params(request)
    sync = web.desk.apps.for_reader(reader)
    order = _item_ids(params)
    articles = _in_order(sync.articles(order), order)
    return {
        "id": ids.READING_LIST,
        "updated": int(datetime.now(UTC).timestamp()),
        "items": _items(sync, articles, web),
    }


_STATE_CHANGES = {ids.READ: "read", ids.STARRED: "starred", ids.KEPT_UNREAD: "kept-unread"}


@router.post(f"{API}/edit-tag", include_in_schema=False)
async def edit_tag(request: Request, reader: AppReader, web: Web) -> PlainTextResponse:
    """Add (``a``) or remove (``r``) the read or starred state on items (``i``); labels other
    than the reader's states are not kept, and asking for them changes nothing."""
    params = await read_params(request)
    check_action_token(request, params)
    added = {_STATE_CHANGES.get(ids.normalise_user(a)) for a in params.getlist("a")}
    removed = {_STATE_CHANGES.get(ids.normalise_user(r)) for r in params.getlist("r")}
    read: bool | None = None
    if "read" in added or "kept-unread" in removed:
        read = True
    if "read" in removed or "kept-unread" in added:
        read = False
    starred = True if "starred" in added else False if "starred" in removed else None
    web.desk.apps.for_reader(reader).mark(_item_ids(params), read=read, starred=starred)
    return PlainTextResponse(_OK)


@router.post(f"{API}/mark-all-as-read", include_in_schema=False)
async def mark_all_as_read(request: Request, reader: AppReader, web: Web) -> PlainTextResponse:
    """Mark a stream read (``s``), up to when the app last looked (``ts``, microseconds)."""
    params = await read_params(request)
    check_action_token(request, params)
    sync = web.desk.apps.for_reader(reader)
    stream = _stream(sync, params.get("s") or ids.READING_LIST)
    stamp = _int(params, "ts")
    before = None
    if stamp is not None and stamp > 0:
        try:
            before = datetime.fromtimestamp(stamp / 1_000_000, UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise _bad("ts is out of range") from error
    sync.mark_all_read(stream, before)
    return PlainTextResponse(_OK)


@router.get("/atom/{stream_id:path}", include_in_schema=False)
async def atom(stream_id: str, request: Request, reader: AppReader, web: Web) -> Response:
    """A stream as Atom, the way FeedHQ served it to newsboat."""
    params = await read_params(request)
    sync = web.desk.apps.for_reader(reader)
    stream = _stream(sync, stream_id)
    where, states, count = _page(params)
    found = sync.page(stream, where, states, count)
    assert found is not None
    order = [ref.id for ref in found.refs]
    articles = _in_order(sync.articles(order), order)
    sync.load_states(order)
    document = atom_feed(
        reader,
        _stream_title(sync, stream),
        ids.stream_id(stream),
        [(a, sync.state(a.id), sync.reasons.get(a.id, "")) for a in articles],
        {s.id: s for s in sync.subscriptions},
        web.links,
        str(found.continuation) if found.continuation is not None else None,
    )
    return Response(document, media_type="application/atom+xml; charset=utf-8")
