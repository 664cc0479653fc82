"""Signing in apps: ClientLogin, the ``GoogleLogin auth=`` header, and the action token.

ClientLogin takes the reader's email and either their password or one of their API tokens as
an app password, counted against the same limits on guessing as the sign-in page. A password
sign-in is answered with a new session token (it ends with the reader's sessions, when they
change their password); an API token is answered with itself, so revoking it in Settings
signs the app out.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import PlainTextResponse

from handpicked.desk import accounts
from handpicked.store import ReaderRecord
from handpicked.store.accounts import API_TOKEN_PREFIX
from handpicked.web.context import WebContext, web
from handpicked.web.greader.params import MAX_VALUES, Params

router = APIRouter()
_MAX_TOKEN = 200
_ACTION_TOKEN_CHARS = 57


def _now() -> datetime:
    return datetime.now(UTC)


class AppUnauthorized(HTTPException):
    """401 in the API's own words (a line of text, as Google's servers answered)."""

    def __init__(self, bad_action_token: bool = False) -> None:
        headers = {"Google-Bad-Token": "true"} if bad_action_token else None
        super().__init__(status.HTTP_401_UNAUTHORIZED, "Unauthorized!", headers=headers)


def _auth_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _space, value = header.partition(" ")
    if scheme.lower() != "googlelogin":
        return None
    _name, equals, token = value.strip().partition("auth=")
    token = token.strip()
    if not equals or not token or len(token) > _MAX_TOKEN:
        return None
    return token


def action_token(auth_token: str) -> str:
    """The short-lived-looking token apps fetch before they change anything (Google's ``T``):
    derived from the sign-in token, so it needs no storage and dies with it."""
    digest = hashlib.sha256(f"greader-action:{auth_token}".encode()).hexdigest()
    return digest[:_ACTION_TOKEN_CHARS]


def app_reader(request: Request, context: Annotated[WebContext, Depends(web)]) -> ReaderRecord:
    """The reader whose ``Authorization: GoogleLogin auth=…`` came with the request."""
    token = _auth_token(request)
    reader = None
    if token is not None:
        if token.startswith(API_TOKEN_PREFIX):
            reader = context.store.accounts.api_token_reader(token, _now())
        else:
            reader = context.store.accounts.session_reader(token, _now())
    if reader is None:
        raise AppUnauthorized()
    request.state.greader_auth = token
    return reader


AppReader = Annotated[ReaderRecord, Depends(app_reader)]
Web = Annotated[WebContext, Depends(web)]


def check_action_token(request: Request, params: Params) -> None:
    """Refuse a change whose ``T`` is not this sign-in's (a missing ``T`` is allowed: the
    sign-in travels in a header, which no other site can make a browser send)."""
    sent = params.get("T")
    auth: str = request.state.greader_auth
    if sent is not None and not hmac.compare_digest(sent.strip(), action_token(auth)):
        raise AppUnauthorized(bad_action_token=True)


def _text(
    body: str, status_code: int = 200, headers: dict[str, str] | None = None
) -> PlainTextResponse:
    return PlainTextResponse(body, status_code=status_code, headers=headers)


@router.post("/accounts/ClientLogin", include_in_schema=False)
async def client_login(request: Request, context: Web) -> PlainTextResponse:
    """Sign in with ``Email`` and ``Passwd`` from a form body only: never the query string,
    which servers and proxies write to their logs."""
    params = await request.form(max_files=0, max_fields=MAX_VALUES)
    email, secret = params.get("Email"), params.get("Passwd")
    if not isinstance(email, str) or not isinstance(secret, str):
        return _text("Error=BadAuthentication\n", status.HTTP_401_UNAUTHORIZED)
    email = email.strip()
    if not email or not secret:
        return _text("Error=BadAuthentication\n", status.HTTP_401_UNAUTHORIZED)
    address = request.client.host if request.client else None
    now = _now()
    try:
        reader = accounts.authenticate_app(context.store, email, secret, address, now)
    except accounts.TooManyAttempts as error:
        wait = str(max(1, math.ceil(error.retry_after.total_seconds())))
        return _text("Error=BadAuthentication\n", status.HTTP_429_TOO_MANY_REQUESTS,
                     {"Retry-After": wait})  # fmt: skip
    except accounts.AccountError:
        return _text("Error=BadAuthentication\n", status.HTTP_401_UNAUTHORIZED)
    if secret.startswith(API_TOKEN_PREFIX):
        token = secret
    else:
        token = context.store.accounts.create_session(reader.id, now, accounts.SESSION_LIFETIME)
    return _text(f"SID={token}\nLSID=null\nAuth={token}\n")


@router.get("/reader/api/0/token", include_in_schema=False)
def token(request: Request, _reader: AppReader) -> PlainTextResponse:
    return _text(action_token(request.state.greader_auth))
