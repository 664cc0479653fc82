"""The admin's API: the sign-up mode and shared pool, invite links, readers, and the desk-wide
sources. Every route answers 403 to a reader who is not the desk's admin."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response, status
from fastapi.exceptions import HTTPException
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from handpicked.desk.admin import DeskPolicy, require_admin
from handpicked.desk.errors import DeskError
from handpicked.store import ReaderRecord, SourceRecord
from handpicked.web.api.common import (
    ERROR,
    INVALID,
    NOT_FOUND,
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    SourceId,
    Web,
    invalid,
    not_found,
)
from handpicked.web.api_models import MAX_ID, SourceAdded, SourceCreate, SourceOut

router = APIRouter(route_class=ApiRoute, prefix="/admin", tags=["admin"])
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {**ERROR, "description": "You are not the desk's admin."}
}
ReaderId = Annotated[int, Path(ge=1, le=MAX_ID, description="The reader's id, as listed.")]


class DeskOut(BaseModel):
    signup_mode: Literal["closed", "invite", "open"] = Field(
        description="Who may sign up: nobody, whoever has an invite link, or anyone who "
        "confirms their address by email."
    )
    shared_pool: bool = Field(
        description="Whether readers' follows pick from every source on the desk, not only "
        "their own and the desk-wide ones."
    )


class DeskUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signup_mode: Literal["closed", "invite", "open"] | None = Field(
        default=None, description="closed, invite or open; left out: unchanged."
    )
    shared_pool: StrictBool | None = Field(
        default=None, description="Share the whole pool with every reader's follows."
    )


class InviteOut(BaseModel):
    url: str = Field(description="The single-use sign-up link (good for 7 days).")


class ReaderOut(BaseModel):
    id: int = Field(description="The reader's id.")
    email: str = Field(description="Their address.")
    is_admin: bool = Field(description="Whether they administer the desk.")
    verified: bool = Field(description="Whether the reader confirmed their address.")
    created_at: datetime = Field(description="When the account was made.")


def _admin(reader: ReaderRecord) -> ReaderRecord:
    try:
        require_admin(reader)
    except DeskError as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(error)) from error
    return reader


def _desk(policy: DeskPolicy) -> DeskOut:
    return DeskOut(signup_mode=policy.signup_mode, shared_pool=policy.shared_pool)


def _source(record: SourceRecord, **extra: Any) -> dict[str, Any]:
    return {**{name: getattr(record, name) for name in SourceOut.model_fields}, **extra}


ADMIN = {**UNAUTHORIZED, **FORBIDDEN}


@router.get("/desk", summary="The desk's settings", response_model=DeskOut, responses=ADMIN)
def desk_settings(reader: Reader, context: Web) -> DeskOut:
    _admin(reader)
    return _desk(context.desk.admin.policy())


@router.patch(
    "/desk",
    summary="Change the desk's settings",
    response_model=DeskOut,
    responses={**ADMIN, **INVALID},
)
def change_desk(body: DeskUpdate, reader: Reader, context: Web) -> DeskOut:
    try:
        policy = context.desk.admin.set_policy(
            _admin(reader), signup_mode=body.signup_mode, shared_pool=body.shared_pool
        )
    except DeskError as error:
        raise invalid(str(error)) from error
    return _desk(policy)


@router.post(
    "/invites",
    summary="Make an invite link",
    status_code=status.HTTP_201_CREATED,
    response_model=InviteOut,
    responses=ADMIN,
)
def make_invite(reader: Reader, context: Web) -> InviteOut:
    return InviteOut(url=context.desk.admin.make_invite(_admin(reader)))


@router.get("/readers", summary="Every reader", response_model=list[ReaderOut], responses=ADMIN)
def readers(reader: Reader, context: Web) -> list[ReaderOut]:
    return [
        ReaderOut(
            id=r.id,
            email=r.email,
            is_admin=r.is_admin,
            verified=r.verified_at is not None,
            created_at=r.created_at,
        )
        for r in context.desk.admin.readers(_admin(reader))
    ]


@router.delete(
    "/readers/{reader_id:id}",
    summary="Remove a reader",
    description="The account and everything that is theirs: follows, subscriptions, "
    "feedback, digests, sessions and tokens.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={
        **ADMIN,
        **NOT_FOUND,
        409: {**ERROR, "description": "That is your own account."},
        **INVALID,
    },
)
def remove_reader(reader_id: ReaderId, reader: Reader, context: Web) -> Response:
    try:
        context.desk.admin.remove_reader(_admin(reader), reader_id)
    except DeskError as error:
        if error.code == "not_found":
            raise not_found(str(error)) from error
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/sources",
    summary="The desk-wide sources",
    description="The sources every reader's picks come from.",
    response_model=list[SourceOut],
    responses=ADMIN,
)
def desk_sources(reader: Reader, context: Web) -> list[SourceOut]:
    _admin(reader)
    return [SourceOut.model_validate(_source(s)) for s in context.desk.sources.desk_wide()]


@router.post(
    "/sources",
    summary="Add a desk-wide source",
    status_code=status.HTTP_201_CREATED,
    response_model=SourceAdded,
    responses={200: {"model": SourceAdded}, **ADMIN, **INVALID},
)
async def add_desk_source(
    body: SourceCreate, response: Response, reader: Reader, context: Web
) -> SourceAdded:
    _admin(reader)
    try:
        record, created = await context.desk.sources.add(body.url)
    except (DeskError, ValueError) as error:
        raise invalid(str(error)) from error
    if not created:
        response.status_code = status.HTTP_200_OK
    return SourceAdded.model_validate(_source(record, created=created))


@router.delete(
    "/sources/{source_id:id}",
    summary="Take a source off the desk-wide list",
    description="Readers who subscribe to it keep it; nobody's, it stops being polled.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**ADMIN, **NOT_FOUND, **INVALID},
)
def remove_desk_source(source_id: SourceId, reader: Reader, context: Web) -> Response:
    _admin(reader)
    try:
        context.desk.sources.remove_desk_wide(source_id)
    except DeskError as error:
        raise not_found(str(error)) from error
    return Response(status_code=status.HTTP_204_NO_CONTENT)
