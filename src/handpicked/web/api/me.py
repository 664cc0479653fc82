"""The reader's own settings."""

from __future__ import annotations

from fastapi import APIRouter

from handpicked.desk import readers as service
from handpicked.schedule import ScheduleError, next_slot
from handpicked.store import ReaderRecord
from handpicked.web.api.common import (
    INVALID,
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    Web,
    invalid,
    now,
)
from handpicked.web.api_models import (
    MeOut,
    MeUpdate,
)
from handpicked.web.context import WebContext

router = APIRouter(route_class=ApiRoute)


def _me(context: WebContext, reader: ReaderRecord) -> MeOut:
    description = reader.schedule
    next_at = None
    try:
        schedule = reader.parsed_schedule
        description = schedule.describe()
        if reader.active:
            next_at = next_slot(schedule, reader.time_zone, now())
    except (ScheduleError, ValueError):
        pass  # a stored schedule the parser no longer reads: shown as stored
    return MeOut(
        id=reader.id,
        email=reader.email,
        time_zone=reader.time_zone,
        schedule=reader.schedule,
        schedule_description=description,
        next_digest_at=next_at,
        max_items=reader.max_items,
        language=reader.language,
        feed_url=context.links.feed(reader.feed_token),
        unsubscribed=not reader.active,
        created_at=reader.created_at,
    )


@router.get(
    "/me",
    tags=["reader"],
    summary="Your settings",
    description="Where and when digests go, how long they are, and the private feed.",
    response_model=MeOut,
    responses=UNAUTHORIZED,
)
def get_me(reader: Reader, context: Web) -> MeOut:
    return _me(context, reader)


@router.patch(
    "/me",
    tags=["reader"],
    summary="Change your settings",
    description="Change any of time zone, schedule, digest length, language and subscription. "
    "Nothing changes when any value is refused (422, with the reason).",
    response_model=MeOut,
    responses={**UNAUTHORIZED, **INVALID},
)
def update_me(body: MeUpdate, reader: Reader, context: Web) -> MeOut:
    values = {
        name: value
        for name in ("time_zone", "schedule", "max_items", "language")
        if (value := getattr(body, name)) is not None
    }
    try:
        reader = service.change_reader(context.store, reader, **values)
    except service.ReaderError as error:
        raise invalid(str(error)) from error
    if body.subscribed is not None and body.subscribed != reader.active:
        unsubscribed_at = None if body.subscribed else now()
        reader = context.store.readers.update(reader.id, unsubscribed_at=unsubscribed_at)
    return _me(context, reader)


# --- picks ---------------------------------------------------------------------------------
