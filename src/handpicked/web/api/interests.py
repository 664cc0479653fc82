"""Follows, mutes and suggestions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from handpicked.desk import readers as service
from handpicked.pick.interests import Thing
from handpicked.store import InterestRecord
from handpicked.web.api.common import (
    INVALID,
    MODES,
    NOT_FOUND,
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    Web,
    invalid,
    not_found,
    now,
)
from handpicked.web.api.picks import suggestion_outs
from handpicked.web.api_models import (
    InterestChanged,
    InterestCreate,
    InterestOut,
    InterestsOut,
    SuggestionOut,
    Text,
)

router = APIRouter(route_class=ApiRoute)


def _interest(record: InterestRecord) -> InterestOut:
    return InterestOut(
        kind=record.kind,
        key=record.key,
        label=record.label,
        mode=MODES.get(record.mode, "follow"),
        thing=Thing(record.kind, record.key, record.label).spec,
        created_at=record.created_at,
    )


@router.get(
    "/interests",
    tags=["interests"],
    summary="What you follow and mute",
    response_model=InterestsOut,
    responses=UNAUTHORIZED,
)
def list_interests(reader: Reader, context: Web) -> InterestsOut:
    records = context.store.interests.of_readers([reader.id])[reader.id]
    return InterestsOut(
        follows=[_interest(r) for r in records if r.mode != "mute"],
        mutes=[_interest(r) for r in records if r.mode == "mute"],
    )


@router.post(
    "/interests",
    tags=["interests"],
    summary="Follow or mute something",
    description='A person, organisation or place ("Putin" finds Vladimir Putin), a topic '
    '("topic:politics"), a source ("bbc.co.uk") or a phrase (\'"Florida Man"\'). Muting '
    "something followed turns the follow into a mute, and the other way round; mutes win "
    "over follows when picking.",
    status_code=status.HTTP_201_CREATED,
    response_model=InterestChanged,
    responses={**UNAUTHORIZED, **INVALID},
)
def add_interest(body: InterestCreate, reader: Reader, context: Web) -> InterestChanged:
    try:
        change = service.set_interest(context.store, reader, body.thing, body.mode, now())
    except service.ReaderError as error:
        raise invalid(str(error)) from error
    return InterestChanged(
        kind=change.thing.kind,
        key=change.thing.key,
        label=change.thing.label,
        mode=body.mode,
        before=MODES.get(change.before),
        thing=change.thing.spec,
    )


@router.delete(
    "/interests",
    tags=["interests"],
    summary="Stop following or muting something",
    description="Name it as typed (`?thing=Putin`) or by `kind` and `key` as listed.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def remove_interest(
    reader: Reader,
    context: Web,
    thing: Annotated[
        Text | None, Query(max_length=1000, description="What to stop following, as typed.")
    ] = None,
    kind: Annotated[
        Text | None, Query(max_length=50, description="The interest's kind, as listed.")
    ] = None,
    key: Annotated[
        Text | None, Query(max_length=1000, description="The interest's key, as listed.")
    ] = None,
) -> Response:
    if thing is not None:
        try:
            removed = service.remove_interest(context.store, reader, thing) is not None
        except service.ReaderError as error:
            raise invalid(str(error)) from error
    elif kind is not None and key is not None:
        removed = context.store.interests.remove(reader.id, kind, key)
    else:
        raise invalid("Say what to stop following: ?thing=… or ?kind=…&key=….")
    if not removed:
        raise not_found("You do not follow or mute that.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/suggestions",
    tags=["interests"],
    summary="Things you could follow",
    description="People, places, organisations and topics in recent stories that the reader "
    "neither follows nor mutes, most covered first.",
    response_model=list[SuggestionOut],
    responses=UNAUTHORIZED,
)
def suggestions(reader: Reader, context: Web) -> list[SuggestionOut]:
    return suggestion_outs(context.desk.digests.suggestions(reader))


# --- feedback ------------------------------------------------------------------------------
