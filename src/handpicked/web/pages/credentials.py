"""Settings for the reader's credentials and data: API tokens, a new feed URL, the data export
and deleting the account. The work is in :mod:`handpicked.desk.credentials`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from handpicked.desk import accounts as account_service
from handpicked.desk import credentials
from handpicked.web.api.account import export_response
from handpicked.web.context import page
from handpicked.web.pages.settings import _settings_page
from handpicked.web.pages.views import Csrf, Reader, Web, now, see_other
from handpicked.web.security import SESSION_COOKIE

router = APIRouter(include_in_schema=False)


@router.post("/settings/tokens", response_class=HTMLResponse, dependencies=Csrf)
def make_token(
    request: Request, context: Web, reader: Reader, name: Annotated[str, Form()] = ""
) -> HTMLResponse:
    """Make a token and show its secret on this answer only (never stored, never cached)."""
    made = credentials.make_token(context.store, reader, name, now())
    response = _settings_page(request, context, reader, status_code=201, new_token=made)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/settings/tokens/{token_id:id}/revoke", response_model=None, dependencies=Csrf)
def revoke_token(request: Request, context: Web, reader: Reader, token_id: int) -> Response:
    revoked = credentials.revoke_token(context.store, reader, token_id)
    if revoked is None:  # not theirs, or revoked already (another tab)
        return page(request, "message.html", status_code=404, title="No such token",
                    message="You have no API token by that id: it may have been revoked "
                            "already.", reader=reader)  # fmt: skip
    key = context.settings.secret_key()
    return see_other("/settings#tokens", "token-revoked", revoked.name, key=key)


@router.post("/settings/feed-url", response_model=None, dependencies=Csrf)
def rotate_feed_url(context: Web, reader: Reader) -> Response:
    credentials.rotate_feed(context.store, reader)
    return see_other("/settings#feed", "feed-url")


@router.get("/settings/export", response_model=None)
def export_data(context: Web, reader: Reader) -> Response:
    moment = now()
    document = credentials.export(context.store, reader, moment)
    return export_response(document, moment.date().isoformat())


@router.post("/settings/delete", response_model=None, dependencies=Csrf)
def delete_account(
    request: Request,
    context: Web,
    reader: Reader,
    password: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    """Delete the account once the reader confirms; then sign this browser out too."""
    client = request.client.host if request.client else None
    try:
        credentials.confirm(context.store, reader, password=password, email=email,
                            address=client, now=now())  # fmt: skip
    except account_service.AccountError as error:  # too many attempts
        return _settings_page(request, context, reader, status_code=429, delete_error=str(error))
    except credentials.NotConfirmed as error:
        return _settings_page(request, context, reader, status_code=403, delete_error=str(error))
    credentials.delete_account(context.store, reader)
    response = page(request, "message.html", title="Your account is deleted",
                    message=f"The account of {reader.email} and everything that was yours "
                            "are gone, and you are signed out everywhere. Thank you for "
                            "reading with handpicked.")  # fmt: skip
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
