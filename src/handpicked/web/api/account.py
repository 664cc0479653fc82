"""The reader's rights over their account: a new feed URL, an export of their data, and
deleting the account. The work is in :mod:`handpicked.desk.credentials`."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response, status
from fastapi.exceptions import HTTPException
from pydantic import BaseModel, Field

from handpicked.desk import accounts as account_service
from handpicked.desk import credentials
from handpicked.web.api.common import (
    ERROR,
    INVALID,
    TOO_MANY_ATTEMPTS,
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    Web,
    now,
    too_many_attempts,
)
from handpicked.web.api_models import Text, _Request

router = APIRouter(route_class=ApiRoute)


class FeedOut(BaseModel):
    feed_url: str = Field(description="The private Atom feed's new address.")


class AccountDelete(_Request):
    password: Text | None = Field(
        default=None, max_length=1024, description="Your password, to confirm."
    )
    email: Text | None = Field(
        default=None,
        max_length=320,
        description="Your email address, to confirm; only for an account without a password.",
    )


@router.post(
    "/me/feed-url",
    tags=["reader"],
    summary="Give your feed a new address",
    description="A new private Atom feed URL; the old one stops working at once (404). Feed "
    "readers that use the old address must be given the new one.",
    response_model=FeedOut,
    responses=UNAUTHORIZED,
)
def rotate_feed_url(reader: Reader, context: Web) -> FeedOut:
    fresh = credentials.rotate_feed(context.store, reader)
    return FeedOut(feed_url=context.links.feed(fresh.feed_token))


def export_response(document: object, day: str) -> Response:
    """The export as a JSON file download (shared by the settings page)."""
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2, default=str),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="handpicked-export-{day}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/me/export",
    tags=["reader"],
    summary="Export your data",
    description="Everything the desk holds of you as one JSON file: `profile` (your "
    "settings), `interests` (follows and mutes), `feedback`, `deliveries` (your digests, with "
    "their picks), `api_tokens` (names and dates, never the secrets), `sessions`, and your "
    "rows of any other table, each under its table's name. Shared articles and sources are "
    "named by id and URL.",
    response_class=Response,
    response_model=None,
    responses={
        200: {
            "description": "The export, as a file to save.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["format", "exported_at", "profile"],
                        "properties": {
                            "format": {"type": "string", "const": credentials.EXPORT_FORMAT},
                            "exported_at": {"type": "string", "format": "date-time"},
                            "handpicked_version": {"type": "string"},
                            "profile": {"type": "object"},
                        },
                        "additionalProperties": {"type": "array", "items": {"type": "object"}},
                    }
                }
            },
        },
        **UNAUTHORIZED,
    },
)
def export_data(reader: Reader, context: Web) -> Response:
    moment = now()
    document = credentials.export(context.store, reader, moment)
    return export_response(document, moment.date().isoformat())


@router.delete(
    "/me",
    tags=["reader"],
    summary="Delete your account",
    description="Removes your account and everything that is yours: settings, follows and "
    "mutes, feedback, digests, sessions and API tokens (this one included). Articles and "
    "stories stay, as every reader shares them. Confirm with your `password`, or, for an "
    "account without one, your `email`. Failed confirmations count as failed sign-ins.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={
        **UNAUTHORIZED,
        403: {**ERROR, "description": "Not confirmed: the password or email is wrong or missing."},
        **TOO_MANY_ATTEMPTS,
        **INVALID,
    },
)
def delete_me(body: AccountDelete, request: Request, reader: Reader, context: Web) -> Response:
    address = request.client.host if request.client else None
    try:
        credentials.confirm(
            context.store, reader, password=body.password, email=body.email,
            address=address, now=now(),
        )  # fmt: skip
    except account_service.TooManyAttempts as error:
        raise too_many_attempts(error) from error
    except credentials.NotConfirmed as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(error)) from error
    credentials.delete_account(context.store, reader)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
