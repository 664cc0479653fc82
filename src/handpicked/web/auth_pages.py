"""Signing up, in and out: by password or by an emailed one-time link."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from handpicked.desk import accounts as account_service
from handpicked.store import ReaderRecord
from handpicked.web.context import WebContext, page, web
from handpicked.web.security import (
    SESSION_COOKIE,
    check_csrf,
    optional_reader,
    safe_next,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)
Web = Annotated[WebContext, Depends(web)]
Reader = Annotated[ReaderRecord | None, Depends(optional_reader)]
Csrf = Depends(check_csrf)


def _now() -> datetime:
    return datetime.now(UTC)


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def signed_in(context: WebContext, reader: ReaderRecord, next_path: str) -> RedirectResponse:
    """Start a session and go on to ``next_path``."""
    lifetime = account_service.SESSION_LIFETIME
    token = context.store.accounts.create_session(reader.id, _now(), lifetime)
    response = RedirectResponse(safe_next(next_path), status_code=303)
    secure = context.settings.base_url.startswith("https://")
    set_session_cookie(response, token, secure, int(lifetime.total_seconds()))
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, reader: Reader, next: str = "/") -> Response:
    if reader is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "signin.html", title="Sign in", next=safe_next(next))


@router.post("/signin", response_class=HTMLResponse, dependencies=[Csrf])
def signin(
    request: Request,
    context: Web,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        reader = account_service.authenticate(
            context.store, email, password, _client(request), _now()
        )
    except account_service.TooManyAttempts as error:
        return page(
            request,
            "signin.html",
            status_code=429,
            title="Sign in",
            next=next,
            email=email,
            error=str(error),
        )
    except account_service.AccountError as error:
        return page(
            request,
            "signin.html",
            status_code=401,
            title="Sign in",
            next=next,
            email=email,
            error=str(error),
        )
    return signed_in(context, reader, next)


@router.post("/signin/link", response_class=HTMLResponse, dependencies=[Csrf])
def request_link(request: Request, context: Web, email: Annotated[str, Form()]) -> Response:
    """Email a sign-in link; the answer is the same whether the account exists or not."""
    try:
        account_service.send_sign_in_link(
            context.store, context.settings, email, _client(request), _now()
        )
    except account_service.AccountError as error:
        return page(
            request,
            "signin.html",
            status_code=429,
            title="Sign in",
            email=email,
            error=str(error),
            next="/",
        )
    return page(
        request,
        "message.html",
        title="Check your email",
        message=f"If {email} has an account, a sign-in link is on its way. It works "
        "once, for 20 minutes.",
    )


def _expired_link(request: Request) -> Response:
    return page(
        request,
        "message.html",
        status_code=400,
        title="This link has expired",
        message="Sign-in links work once, for 20 minutes. Ask for a new one on the sign-in page.",
    )


@router.get("/signin/link/{token}", response_class=HTMLResponse)
def link_page(request: Request, token: str, context: Web) -> Response:
    """Ask before using the link: mail scanners open links too."""
    if not context.store.accounts.sign_in_link_is_live(token, _now()):
        return _expired_link(request)
    return page(request, "signin_link.html", title="Sign in", token=token)


@router.post("/signin/link/{token}", dependencies=[Csrf])
def use_link(request: Request, token: str, context: Web) -> Response:
    reader = account_service.use_sign_in_link(context.store, token, _now())
    if reader is None:
        return _expired_link(request)
    return signed_in(context, reader, "/")


def _signup_form(context: WebContext, invite: str) -> dict[str, Any]:
    """What the sign-up page shows under the desk's sign-up mode (see desk.admin)."""
    mode = context.desk.admin.policy().signup_mode
    first = context.store.readers.count() == 0
    invited = mode == "invite" and context.desk.admin.invite_is_live(invite)
    closed = not first and (mode == "closed" or (mode == "invite" and not invited))
    return {"closed": closed, "confirm": mode == "open" and not first,
            "invite": invite if invited else ""}  # fmt: skip


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, reader: Reader, context: Web, invite: str = "") -> Response:
    if reader is not None:
        return RedirectResponse("/", status_code=303)
    form = _signup_form(context, invite[:200])
    return page(request, "signup.html", title="Create your account", **form)


@router.post("/signup", response_class=HTMLResponse, dependencies=[Csrf])
def signup(
    request: Request,
    context: Web,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    time_zone: Annotated[str, Form()] = "UTC",
    invite: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    mode = context.desk.admin.policy().signup_mode
    try:
        registration = account_service.register(
            context.store, context.settings, email, password, _now(), time_zone,
            mode=mode, invite=invite,
        )  # fmt: skip
    except account_service.AccountError as error:
        form = _signup_form(context, invite)
        return page(
            request,
            "signup.html",
            status_code=403 if error.code == "closed" else 400,
            title="Create your account",
            email=email,
            time_zone=time_zone,
            error=str(error),
            **form,
        )
    if registration.confirm is not None:
        return page(
            request,
            "message.html",
            title="Check your email",
            message=f"We sent a link to {registration.reader.email}: open it to confirm your "
            "address and sign in. It works once, for two days.",
        )
    return signed_in(context, registration.reader, "/follows")


@router.post("/signout", dependencies=[Csrf])
def signout(request: Request, context: Web) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        context.store.accounts.end_session(token)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
