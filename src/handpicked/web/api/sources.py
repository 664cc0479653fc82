"""Sources and OPML files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.exceptions import HTTPException

from handpicked.desk.errors import DeskError
from handpicked.desk.sources import MAX_OPML_BYTES
from handpicked.store import SourceRecord
from handpicked.web.api.common import (
    ERROR,
    INVALID,
    NOT_FOUND,
    OPML_TYPES,
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    SourceId,
    Web,
    invalid,
    not_found,
)
from handpicked.web.api_models import (
    OpmlImported,
    OpmlRefusal,
    SourceAdded,
    SourceCreate,
    SourceOut,
)

router = APIRouter(route_class=ApiRoute)


def _source(record: SourceRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in SourceOut.model_fields}


@router.get(
    "/sources",
    tags=["sources"],
    summary="Your sources",
    description="The feeds, sitemaps, sites and pages you subscribe to, with why each last "
    "failed. The desk-wide sources that every reader gets are not listed here.",
    response_model=list[SourceOut],
    responses=UNAUTHORIZED,
)
def sources(reader: Reader, context: Web) -> list[SourceOut]:
    return [SourceOut.model_validate(_source(s)) for s in context.desk.sources.of_reader(reader)]


@router.post(
    "/sources",
    tags=["sources"],
    summary="Subscribe to a source",
    description="A feed, sitemap, site or article address. It is fetched to find what it is "
    "(through the guarded fetcher: private addresses are refused unless the server allows "
    "them). 201 when new to you, 200 when you subscribed already.",
    status_code=status.HTTP_201_CREATED,
    response_model=SourceAdded,
    responses={
        200: {"model": SourceAdded, "description": "The source was followed already."},
        **UNAUTHORIZED,
        **INVALID,
    },
)
async def add_source(
    body: SourceCreate, response: Response, reader: Reader, context: Web
) -> SourceAdded:
    try:
        record, created = await context.desk.sources.add(body.url, reader)
    except (DeskError, ValueError) as error:
        raise invalid(str(error)) from error
    if not created:
        response.status_code = status.HTTP_200_OK
    return SourceAdded.model_validate({**_source(record), "created": created})


# ``:id``: /sources/opml is not a source id (it would get DELETE's 405 answers otherwise).
@router.delete(
    "/sources/{source_id:id}",
    tags=["sources"],
    summary="Unsubscribe from a source",
    description="Ends your subscription (404 if you have none to it). A source nobody "
    "subscribes to any more, and not desk-wide, stops being polled; stored articles stay.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def remove_source(source_id: SourceId, reader: Reader, context: Web) -> Response:
    try:
        context.desk.sources.remove(reader, source_id)
    except DeskError as error:
        raise not_found(str(error)) from error
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/sources/opml",
    tags=["sources"],
    summary="Export your feeds as OPML",
    description="The feeds and sitemaps you subscribe to, as an OPML 2.0 file for other readers.",
    response_class=Response,
    response_model=None,
    responses={
        200: {
            "description": "The OPML file.",
            "content": {"text/x-opml": {"schema": {"type": "string"}}},
        },
        **UNAUTHORIZED,
    },
)
def export_opml(reader: Reader, context: Web) -> Response:
    return Response(
        context.desk.sources.export_opml(reader),
        media_type="text/x-opml",
        headers={"Content-Disposition": 'attachment; filename="handpicked.opml"'},
    )


@router.post(
    "/sources/opml",
    tags=["sources"],
    summary="Import feeds from OPML",
    description="Subscribe to every feed of an OPML file (the request body, as text/x-opml or "
    "application/xml; 2 MB at most). Feeds you follow already are counted but not added again.",
    response_model=OpmlImported,
    responses={
        **UNAUTHORIZED,
        415: {**ERROR, "description": "The body is not sent as OPML or XML."},
        **INVALID,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "string"}} for media in OPML_TYPES},
        }
    },
)
async def import_opml(request: Request, reader: Reader, context: Web) -> OpmlImported:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in OPML_TYPES:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"Send the OPML file as {' or '.join(OPML_TYPES)}.",
        )
    content = bytearray()
    async for chunk in request.stream():
        content.extend(chunk)
        if len(content) > MAX_OPML_BYTES:
            raise invalid("That OPML file is too big (2 MB at most).")
    try:
        imported = await context.desk.sources.import_opml(bytes(content), reader)
    except DeskError as error:
        raise invalid(str(error)) from error
    return OpmlImported(
        added=imported.added,
        total=imported.total,
        refused=[OpmlRefusal(url=url, reason=reason) for url, reason in imported.refused],
    )


# --- deliveries ----------------------------------------------------------------------------
