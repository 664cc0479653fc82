"""The reader's own sources (the desk-wide ones shown apart), and OPML files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from handpicked.deliver.wording import clean
from handpicked.desk.errors import DeskError
from handpicked.desk.sources import MAX_OPML_BYTES
from handpicked.store import ReaderRecord
from handpicked.web.context import WebContext, page
from handpicked.web.pages.views import (
    Csrf,
    Reader,
    Web,
    done_message,
    not_found,
    see_other,
    source_view,
    zone_of,
)

router = APIRouter(include_in_schema=False)


def _sources_page(
    request: Request,
    context: WebContext,
    reader: ReaderRecord,
    *,
    status_code: int = 200,
    error: str | None = None,
    import_error: str | None = None,
    url: str = "",
) -> HTMLResponse:
    zone = zone_of(reader)
    sources = [source_view(s, zone) for s in context.desk.sources.of_reader(reader)]
    desk_wide = [source_view(s, zone) for s in context.desk.sources.desk_wide()]
    return page(request, "sources.html", status_code=status_code, title="Sources",
                reader=reader, sources=sources, desk_wide=desk_wide, error=error,
                import_error=import_error, url=url, done=done_message(request))  # fmt: skip


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    return _sources_page(request, context, reader)


@router.post("/sources", response_model=None, dependencies=Csrf)
async def add_source(
    request: Request, context: Web, reader: Reader, url: Annotated[str, Form()] = ""
) -> Response:
    """Follow a feed, sitemap, site or article by URL (fetched once to see what it is)."""
    try:
        source, created = await context.desk.sources.add(url, reader)
    except (DeskError, ValueError) as error:
        return _sources_page(request, context, reader, status_code=400, error=str(error),
                             url=url)  # fmt: skip
    name = clean(source.title) or source.url
    return see_other(
        "/sources",
        "source-added" if created else "source-known",
        name,
        key=context.settings.secret_key(),
    )


@router.post("/sources/import", response_model=None, dependencies=Csrf)
async def import_sources(
    request: Request,
    context: Web,
    reader: Reader,
    opml: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if opml is None:
        return _sources_page(request, context, reader, status_code=400,
                             import_error="Choose an OPML file to import.")  # fmt: skip
    content = await opml.read(MAX_OPML_BYTES + 1)
    await opml.close()
    try:
        imported = await context.desk.sources.import_opml(content, reader)
    except DeskError as error:
        return _sources_page(request, context, reader, status_code=400,
                             import_error=str(error))  # fmt: skip
    feeds = "feed" if imported.total == 1 else "feeds"
    summary = f"{imported.added} new of {imported.total} {feeds}"
    if imported.refused:
        summary += f", {len(imported.refused)} refused (private or unusable addresses)"
    return see_other("/sources", "imported", summary, key=context.settings.secret_key())


@router.get("/sources/export.opml")
def export_sources(context: Web, reader: Reader) -> Response:
    return Response(
        context.desk.sources.export_opml(reader),
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="handpicked-sources.opml"'},
    )


@router.post("/sources/{source_id:id}/remove", response_model=None, dependencies=Csrf)
def remove_source(request: Request, source_id: int, context: Web, reader: Reader) -> Response:
    try:
        source = context.desk.sources.remove(reader, source_id)
    except DeskError:
        return not_found(request, reader, "source of yours")
    return see_other(
        "/sources",
        "source-removed",
        clean(source.title) or source.url,
        key=context.settings.secret_key(),
    )


# -- settings -------------------------------------------------------------------------------
