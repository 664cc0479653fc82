"""The reader's settings, the digest preview and the password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from handpicked.desk import accounts as account_service
from handpicked.desk import credentials
from handpicked.desk import readers as reader_service
from handpicked.schedule import ScheduleError, next_slot
from handpicked.store import ReaderRecord
from handpicked.web.auth_pages import signed_in
from handpicked.web.context import WebContext, page
from handpicked.web.pages import outbox
from handpicked.web.pages.views import (
    DELIVERIES_SHOWN,
    Csrf,
    Reader,
    SettingsForm,
    Web,
    When,
    delivery_view,
    done_message,
    now,
    see_other,
    when,
    zone_of,
)

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class TokenView:
    id: int
    name: str
    created: When | None
    last_used: When | None


def token_views(context: WebContext, reader: ReaderRecord, zone: tzinfo) -> list[TokenView]:
    return [
        TokenView(t.id, t.name, when(t.created_at, zone), when(t.last_used_at, zone))
        for t in credentials.tokens(context.store, reader)
    ]


def _settings_page(
    request: Request,
    context: WebContext,
    reader: ReaderRecord,
    form: SettingsForm | None = None,
    *,
    status_code: int = 200,
    password_error: str | None = None,
    **extra: object,
) -> HTMLResponse:
    zone = zone_of(reader)
    form = form or SettingsForm(
        schedule=reader.schedule,
        time_zone=reader.time_zone,
        max_items=str(reader.max_items),
        language=reader.language or "any",
    )
    try:
        schedule = reader.parsed_schedule
        described = schedule.describe()
        upcoming = when(next_slot(schedule, reader.time_zone, now()), zone)
    except (ScheduleError, ValueError):
        described, upcoming = reader.schedule, None
    deliveries = context.store.deliveries.list(reader.id, limit=DELIVERIES_SHOWN)
    in_outbox = {d.id for d, _message in outbox.in_outbox(context, reader, DELIVERIES_SHOWN)}
    return page(request, "settings.html", status_code=status_code, title="Settings",
                reader=reader, form=form, described=described, upcoming=upcoming,
                zone_name=reader.time_zone, feed_url=context.links.feed(reader.feed_token),
                deliveries=[delivery_view(d, zone, d.id in in_outbox) for d in deliveries],
                has_password=context.store.readers.password_hash(reader.id) is not None,
                password_error=password_error, done=done_message(request),
                tokens=token_views(context, reader, zone), **extra)  # fmt: skip


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    return _settings_page(request, context, reader)


@router.post("/settings", response_model=None, dependencies=Csrf)
def save_settings(
    request: Request,
    context: Web,
    reader: Reader,
    schedule: Annotated[str, Form()] = "",
    time_zone: Annotated[str, Form()] = "",
    max_items: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    """Check each field on its own so every mistake is shown beside its field."""
    form = SettingsForm(schedule, time_zone, max_items, language)
    values: dict[str, object] = {}
    wanted: dict[str, object] = {"schedule": schedule, "time_zone": time_zone,
                                 "language": language}  # fmt: skip
    try:
        wanted["max_items"] = int(max_items.strip())
    except ValueError:
        form.errors["max_items"] = f"Give a number of stories from 1 to {reader_service.MAX_ITEMS}."
    for name, value in wanted.items():
        try:
            values.update(reader_service.check_settings(**{name: value}))  # type: ignore[arg-type]
        except reader_service.ReaderError as error:
            message = str(error)
            form.errors[name] = message[:1].upper() + message[1:]
    if form.errors:
        return _settings_page(request, context, reader, form, status_code=400)
    reader_service.change_reader(context.store, reader, **wanted)
    return see_other("/settings", "settings")


@router.get("/settings/preview", response_class=HTMLResponse)
def digest_preview(context: Web, reader: Reader) -> HTMLResponse:
    """The next digest as its email's HTML, to show in a sandboxed frame."""
    _digest, html, _text = context.desk.digests.preview(reader)
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": "default-src 'none'; img-src http: https: data:; "
            "style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox allow-popups "
            "allow-popups-to-escape-sandbox",
            "X-Frame-Options": "SAMEORIGIN",  # framed by the settings page
            "Cache-Control": "no-store",
        },
    )


@router.post("/settings/password", response_model=None, dependencies=Csrf)
def change_password(
    request: Request,
    context: Web,
    reader: Reader,
    new_password: Annotated[str, Form()],
    current_password: Annotated[str, Form()] = "",
) -> Response:
    """A new password (the current one first, if there is one); other sessions end."""
    client = request.client.host if request.client else None
    try:
        if context.store.readers.password_hash(reader.id) is not None:
            account_service.authenticate(
                context.store, reader.email, current_password, client, now()
            )
        account_service.set_password(context.store, reader, new_password)
    except account_service.AccountError as error:
        message = str(error)
        if error.code == "wrong_password":
            message = "That is not your current password."
        return _settings_page(request, context, reader, status_code=400,
                              password_error=message)  # fmt: skip
    return signed_in(context, reader, "/settings?done=password")
