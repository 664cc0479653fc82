"""The admin's page: the sign-up mode and shared pool, invite links, readers and the desk-wide
sources. Readers who are not admin get 403 on every route here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from handpicked.deliver.wording import clean
from handpicked.desk.admin import SIGNUP_MODES
from handpicked.desk.errors import DeskError
from handpicked.store import ReaderRecord
from handpicked.web.context import WebContext, page
from handpicked.web.pages.views import Csrf, Reader, Web, source_view, when, zone_of

router = APIRouter(include_in_schema=False, prefix="/admin")


def _forbidden(request: Request, reader: ReaderRecord) -> HTMLResponse:
    return page(request, "message.html", status_code=403, title="Admins only", reader=reader,
                message="Only the desk's admin may open this page.")  # fmt: skip


def _admin_page(
    request: Request,
    context: WebContext,
    reader: ReaderRecord,
    *,
    status_code: int = 200,
    notice: str | None = None,
    error: str | None = None,
    invite: str | None = None,
    url: str = "",
) -> HTMLResponse:
    zone = zone_of(reader)
    readers = [
        {
            "id": r.id,
            "email": r.email,
            "is_admin": r.is_admin,
            "verified": r.verified_at is not None,
            "since": when(r.created_at, zone),
        }
        for r in context.desk.admin.readers(reader)
    ]
    sources = [source_view(s, zone) for s in context.desk.sources.desk_wide()]
    return page(request, "admin.html", status_code=status_code, title="Admin", reader=reader,
                policy=context.desk.admin.policy(), modes=SIGNUP_MODES, readers=readers,
                sources=sources, notice=notice, error=error, invite=invite,
                url=url)  # fmt: skip


@router.get("", response_class=HTMLResponse)
def admin_page(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    if not reader.is_admin:
        return _forbidden(request, reader)
    return _admin_page(request, context, reader)


@router.post("/desk", response_class=HTMLResponse, dependencies=Csrf)
def change_desk(
    request: Request,
    context: Web,
    reader: Reader,
    signup_mode: Annotated[str, Form(max_length=16)] = "",
    shared_pool: Annotated[str, Form(max_length=8)] = "",
) -> HTMLResponse:
    if not reader.is_admin:
        return _forbidden(request, reader)
    try:
        context.desk.admin.set_policy(
            reader, signup_mode=signup_mode or None, shared_pool=shared_pool == "on"
        )
    except DeskError as error:
        return _admin_page(request, context, reader, status_code=400, error=str(error))
    return _admin_page(request, context, reader, notice="Desk settings saved.")


@router.post("/invites", response_class=HTMLResponse, dependencies=Csrf)
def make_invite(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    if not reader.is_admin:
        return _forbidden(request, reader)
    invite = context.desk.admin.make_invite(reader)
    return _admin_page(request, context, reader, invite=invite)


@router.post("/readers/{reader_id:id}/remove", response_class=HTMLResponse, dependencies=Csrf)
def remove_reader(request: Request, reader_id: int, context: Web, reader: Reader) -> HTMLResponse:
    if not reader.is_admin:
        return _forbidden(request, reader)
    try:
        removed = context.desk.admin.remove_reader(reader, reader_id)
    except DeskError as error:
        code = 404 if error.code == "not_found" else 400
        return _admin_page(request, context, reader, status_code=code, error=str(error))
    return _admin_page(request, context, reader, notice=f"Removed the reader {removed.email}.")


@router.post("/sources", response_class=HTMLResponse, dependencies=Csrf)
async def add_source(
    request: Request, context: Web, reader: Reader, url: Annotated[str, Form()] = ""
) -> HTMLResponse:
    if not reader.is_admin:
        return _forbidden(request, reader)
    try:
        source, _created = await context.desk.sources.add(url)
    except (DeskError, ValueError) as error:
        return _admin_page(request, context, reader, status_code=400, error=str(error), url=url)
    name = clean(source.title) or source.url
    return _admin_page(request, context, reader, notice=f"Added the desk-wide source {name}.")


@router.post("/sources/{source_id:id}/remove", response_model=None, dependencies=Csrf)
def remove_source(request: Request, source_id: int, context: Web, reader: Reader) -> Response:
    if not reader.is_admin:
        return _forbidden(request, reader)
    try:
        source = context.desk.sources.remove_desk_wide(source_id)
    except DeskError as error:
        return _admin_page(request, context, reader, status_code=404, error=str(error))
    name = clean(source.title) or source.url
    return _admin_page(request, context, reader, notice=f"Removed the desk-wide source {name}.")
