"""Subscribing and unsubscribing from an app: the Google Reader API's
``subscription/quickadd`` and ``subscription/edit``, as FreshRSS answers them.

A feed added here becomes one of the signed-in reader's own subscriptions, found and checked
by the same guarded fetcher as the web app's "Add a source" (no private addresses unless the
server allows them). Unsubscribing ends only the reader's own subscription: a desk-wide source
stays the desk's, and another reader's is not reachable. The desk keeps no per-reader feed
titles or folders, so a rename or a folder change is answered "OK" and changes nothing, as
``edit-tag`` does for labels other than read and starred.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import PlainTextResponse

from handpicked.desk.errors import DeskError
from handpicked.store import ReaderRecord, SourceRecord
from handpicked.web.greader import ids
from handpicked.web.greader.auth import AppReader, Web, check_action_token
from handpicked.web.greader.items import source_title
from handpicked.web.greader.params import read_params

router = APIRouter(prefix="/reader/api/0")
MAX_FEEDS_PER_EDIT = 20
"""Feeds one ``subscription/edit`` may subscribe to: each is fetched while the app waits."""


def _refused(error: DeskError) -> HTTPException:
    if error.code == "not_found":
        return HTTPException(status.HTTP_404_NOT_FOUND, str(error))
    return HTTPException(status.HTTP_400_BAD_REQUEST, str(error))


def _feed_url(stream_id: str) -> str:
    """The address in a ``feed/<url>`` stream id (apps may also send the bare address)."""
    text = stream_id.strip()
    return text.removeprefix("feed/")


async def _subscribe(web: Web, reader: ReaderRecord, stream_id: str) -> SourceRecord:
    try:
        source, _created = await web.desk.sources.add(_feed_url(stream_id), reader)
    except DeskError as error:
        raise _refused(error) from error
    return source


def _unsubscribe(web: Web, reader: ReaderRecord, stream_id: str) -> None:
    stream = ids.parse_stream(stream_id)
    if stream is None or stream.kind != "source":
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"{stream_id!r} is not a feed")
    source_id = stream.source_id
    if source_id is None:
        own = web.desk.sources.of_reader(reader)
        source_id = next((s.id for s in own if s.url == stream.source_url), None)
        if source_id is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "You do not follow that feed.")
    try:
        web.desk.sources.remove(reader, source_id)
    except DeskError as error:
        raise _refused(error) from error


@router.post("/subscription/quickadd", include_in_schema=False)
async def quick_add(request: Request, reader: AppReader, web: Web) -> dict[str, Any]:
    """Follow the feed, site or page at ``quickadd``; the answer names the new stream."""
    params = await read_params(request)
    check_action_token(request, params)
    address = (params.get("quickadd") or "").strip()
    if not address:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "quickadd needs a feed's address")
    source = await _subscribe(web, reader, address)
    return {
        "numResults": 1,
        "query": address,
        "streamId": ids.source_stream(source.id),
        "streamName": source_title(source),
    }


@router.post("/subscription/edit", include_in_schema=False)
async def edit(request: Request, reader: AppReader, web: Web) -> PlainTextResponse:
    """``ac=subscribe`` or ``ac=unsubscribe`` the feeds ``s`` (repeatable); ``ac=edit`` (a
    new title ``t``, folders ``a``/``r``) is accepted and keeps nothing, see the module."""
    params = await read_params(request)
    check_action_token(request, params)
    action = (params.get("ac") or "").strip()
    streams = [s for s in params.getlist("s") if s.strip()]
    if action not in {"subscribe", "unsubscribe", "edit"}:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, "ac must be subscribe, unsubscribe or edit"
        )
    if not streams:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "s must name at least one feed")
    if action == "subscribe":
        if len(streams) > MAX_FEEDS_PER_EDIT:
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST,
                f"at most {MAX_FEEDS_PER_EDIT} feeds at once; import an OPML file for more",
            )
        for stream_id in streams:
            await _subscribe(web, reader, stream_id)
    elif action == "unsubscribe":
        for stream_id in streams:
            _unsubscribe(web, reader, stream_id)
    return PlainTextResponse("OK")
