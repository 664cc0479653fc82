"""Who is asking, and whether a form really came from our pages.

Browsers sign in with a session cookie (HttpOnly, SameSite=Lax, Secure behind HTTPS); API
clients send ``Authorization: Bearer hp_…``. Every state-changing form or htmx request from a
browser must carry the CSRF token: a double-submit token kept in its own cookie and echoed in
a hidden field or the ``X-CSRF-Token`` header, checked in constant time, together with the
``Origin`` header when the browser sends one.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, HTTPException, Request, Response, status
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handpicked.store import ReaderRecord
from handpicked.web.context import WebContext, web

SESSION_COOKIE = "handpicked_session"
CSRF_COOKIE = "handpicked_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CsrfCookieMiddleware:
    """Gives every browser a CSRF token (``request.state.csrf_token``) and its cookie."""

    def __init__(self, app: ASGIApp, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)  # the API uses bearer tokens, no cookies
            return
        cookie = _cookie(scope, CSRF_COOKIE)
        token = cookie if cookie and _TOKEN.match(cookie) else secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        if token == cookie:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                flags = "; Secure" if self.secure else ""
                headers.append(
                    "set-cookie", f"{CSRF_COOKIE}={token}; Path=/; SameSite=Lax; HttpOnly{flags}"
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie(scope: Scope, name: str) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cookie_name, _eq, cookie_value = part.strip().partition("=")
                if cookie_name == name:
                    return str(cookie_value)
    return None


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing browser request without the right CSRF token (403)."""
    if request.method in _SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin and origin != "null":
        expected = f"{request.url.scheme}://{request.url.netloc}"
        if origin.rstrip("/") != expected:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Cross-site request refused.")
    expected_token = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected_token or not sent or not secrets.compare_digest(sent, expected_token):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "This form has expired or did not come from handpicked: reload the page and try again.",
        )


def _now() -> datetime:
    return datetime.now(UTC)


def optional_reader(
    request: Request, context: Annotated[WebContext, Depends(web)]
) -> ReaderRecord | None:
    """The signed-in reader, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 128:
        return None
    return context.store.accounts.session_reader(token, _now())


class SignInRequired(Exception):
    """Raised by pages that need a reader; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def page_reader(
    request: Request, reader: Annotated[ReaderRecord | None, Depends(optional_reader)]
) -> ReaderRecord:
    if reader is None:
        raise SignInRequired(request.url.path)
    return reader


def sign_in_url(next_path: str) -> str:
    return f"/signin?next={quote(safe_next(next_path))}"


def safe_next(value: str | None) -> str:
    """Only a local path may follow sign-in (no open redirects)."""
    if not value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    return value


def api_reader(request: Request, context: Annotated[WebContext, Depends(web)]) -> ReaderRecord:
    """The reader an ``Authorization: Bearer`` token belongs to (401 otherwise)."""
    header = request.headers.get("authorization", "")
    scheme, _space, token = header.partition(" ")
    reader = None
    if scheme.lower() == "bearer" and token.strip() and len(token) < 200:
        reader = context.store.accounts.api_token_reader(token.strip(), _now())
    if reader is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Send an API token: Authorization: Bearer hp_… (make one in Settings, under "
            "API tokens (/settings#tokens), or with POST /api/v1/tokens).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return reader


def set_session_cookie(response: Response, token: str, secure: bool, max_age_s: int) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS; and a new CSRF token
    with every new session, so that a token seen before sign-in is worth nothing after."""
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(32),
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age_s,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )
