"""What the reader follows and mutes, and suggestions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from handpicked.desk import readers as reader_service
from handpicked.store import ReaderRecord
from handpicked.web.context import WebContext, page
from handpicked.web.pages.views import (
    Csrf,
    Reader,
    Web,
    done_message,
    interest_view,
    now,
    see_other,
    suggestion_views,
)
from handpicked.web.security import safe_next

router = APIRouter(include_in_schema=False)


def _follows_page(
    request: Request,
    context: WebContext,
    reader: ReaderRecord,
    *,
    status_code: int = 200,
    error: str | None = None,
    thing: str = "",
) -> HTMLResponse:
    interests = context.store.interests.of_readers([reader.id])[reader.id]
    follows = [interest_view(i) for i in interests if i.mode == "follow"]
    mutes = [interest_view(i) for i in interests if i.mode == "mute"]
    return page(request, "follows.html", status_code=status_code, title="Follows",
                reader=reader, follows=follows, mutes=mutes,
                suggestions=suggestion_views(context.desk.digests.suggestions(reader)), error=error,
                thing=thing, done=done_message(request))  # fmt: skip


@router.get("/follows", response_class=HTMLResponse)
def follows_page(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    return _follows_page(request, context, reader)


@router.post("/follows", response_model=None, dependencies=Csrf)
def follow(
    request: Request,
    context: Web,
    reader: Reader,
    thing: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "follow",
    next: Annotated[str, Form()] = "/follows",
) -> Response:
    if mode not in ("follow", "mute"):
        return _follows_page(request, context, reader, status_code=400, thing=thing,
                             error="Choose to follow or to mute.")  # fmt: skip
    try:
        change = reader_service.set_interest(context.store, reader, thing, mode, now())
    except reader_service.ReaderError as error:
        message = str(error)
        return _follows_page(request, context, reader, status_code=400, thing=thing,
                             error=message[:1].upper() + message[1:])  # fmt: skip
    described = change.thing.describe()
    back = next if safe_next(next) == next else "/follows"
    if change.before == mode:
        return see_other(
            back, "unchanged", f"{mode} {described}", key=context.settings.secret_key()
        )
    return see_other(
        back,
        "followed" if mode == "follow" else "muted",
        described,
        key=context.settings.secret_key(),
    )


@router.post("/follows/remove", response_model=None, dependencies=Csrf)
def unfollow(
    request: Request,
    context: Web,
    reader: Reader,
    kind: Annotated[str, Form()] = "",
    key: Annotated[str, Form()] = "",
    thing: Annotated[str, Form()] = "",
) -> Response:
    """Stop following or muting: by ``kind`` and ``key`` (the page's buttons) or by what
    the reader types (``thing``)."""
    if kind and key:
        interests = context.store.interests.of_readers([reader.id])[reader.id]
        found = next((i for i in interests if i.kind == kind and i.key == key), None)
        if found is None or not context.store.interests.remove(reader.id, kind, key):
            return see_other("/follows", "not-followed", key, key=context.settings.secret_key())
        return see_other(
            "/follows", "removed", interest_view(found).text, key=context.settings.secret_key()
        )
    try:
        removed = reader_service.remove_interest(context.store, reader, thing)
    except reader_service.ReaderError as error:
        message = str(error)
        return _follows_page(request, context, reader, status_code=400, thing=thing,
                             error=message[:1].upper() + message[1:])  # fmt: skip
    if removed is None:
        return see_other("/follows", "not-followed", thing, key=context.settings.secret_key())
    return see_other("/follows", "removed", removed.describe(), key=context.settings.secret_key())


# -- sources --------------------------------------------------------------------------------
