"""What every API module shares: the route class (errors as one JSON sentence, 405 with an
``Allow`` header), bearer-token authentication, path and query types, and error helpers."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from fastapi import Depends, Path, Query, Request, Response, Security, status
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from handpicked.desk.accounts import TooManyAttempts
from handpicked.desk.errors import DeskError
from handpicked.store import ReaderRecord
from handpicked.web.api_models import (
    MAX_ID,
    ErrorOut,
    InterestMode,
)
from handpicked.web.context import WebContext, web
from handpicked.web.security import api_reader

OPML_TYPES = ("text/x-opml", "application/xml", "text/xml")
DEFAULT_TOKEN_NAME = "API"
MODES: dict[str | None, InterestMode] = {"follow": "follow", "mute": "mute"}


class ApiRoute(APIRoute):
    """A route whose request validation errors are ``{"detail": "..."}`` like every other
    error of the API (FastAPI's default is a list of error objects)."""

    #: Every method of each API path, whichever resource module's router the route is in.
    methods_of_path: ClassVar[dict[str, set[str]]] = {}

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        ApiRoute.methods_of_path.setdefault(self.path, set()).update(self.methods or ())

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return JSONResponse(
                    {"detail": describe_errors(error.errors())},
                    status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                )
            except StarletteHTTPException as error:
                if error.status_code != status.HTTP_400_BAD_REQUEST:
                    raise
                # FastAPI's answer to a body it cannot decode (not UTF-8, say); no handler
                # here answers 400, and a body that cannot be read is as invalid as any.
                return JSONResponse(
                    {"detail": "The request body could not be read: send UTF-8 JSON."},
                    status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                )

        return handle

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a method the path does not take with 405 and an ``Allow`` header naming
        every method of the path: FastAPI makes one route per method, and Starlette's answer
        would name only the first route's."""
        if scope["type"] == "http" and self.methods and scope["method"] not in self.methods:
            allowed = sorted(ApiRoute.methods_of_path.get(self.path, ()))
            raise HTTPException(
                status.HTTP_405_METHOD_NOT_ALLOWED, headers={"Allow": ", ".join(allowed)}
            )
        await super().handle(scope, receive, send)


def describe_errors(errors: Sequence[Any]) -> str:
    """Validation errors in one line: "query.limit: Input should be less than or equal to
    200; body.kind: ..."."""
    parts = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "invalid value"))
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "The request is not valid."


bearer = HTTPBearer(
    bearerFormat="hp_…",
    scheme_name="bearer",
    description="An API token, from POST /api/v1/tokens or the settings page.",
    auto_error=False,
)


def current_reader(
    request: Request,
    context: Annotated[WebContext, Depends(web)],
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> ReaderRecord:
    """The reader whose bearer token came with the request (401 otherwise). The session
    cookie does not count: ``api_reader`` reads the Authorization header only."""
    return api_reader(request, context)


Web = Annotated[WebContext, Depends(web)]
Reader = Annotated[ReaderRecord, Depends(current_reader)]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="The token's id, as listed.")]
StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The story's id.")]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The article's id.")]
SourceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The source's id, as listed.")]
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def _rfc3339(value: object) -> object:
    """Only a full RFC 3339 time with its offset, as the document says (pydantic alone would
    also take bare dates, times without an offset and Unix timestamps)."""
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError("give a time as in 2026-11-25T07:00:00Z or 2026-11-25T08:00:00+01:00")
    return value


Since = Annotated[
    datetime | None,
    BeforeValidator(_rfc3339),
    Query(description="Only what came out at or after this time (RFC 3339, with its offset)."),
]

ERROR = {"model": ErrorOut}
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {
        **ERROR,
        "description": "No API token, or not a valid one.",
        "headers": {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
    }
}
TOO_MANY_ATTEMPTS: dict[int | str, dict[str, Any]] = {
    429: {
        **ERROR,
        "description": "Too many failed attempts; try again later.",
        "headers": {
            "Retry-After": {
                "description": "Seconds until another attempt is allowed.",
                "schema": {"type": "integer"},
            }
        },
    }
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {**ERROR, "description": "No such thing."}}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {**ERROR, "description": "The request is not valid; `detail` says why."}
}


def now() -> datetime:
    return datetime.now(UTC)


def not_found(what: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, what)


def invalid(message: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, message)


def desk_refusal(error: DeskError) -> HTTPException:
    """The answer to a desk action's refusal, by its code: 404 for what is not there, else 422."""
    if error.code == "not_found":
        return not_found(str(error).capitalize() + ".")
    return invalid(str(error))


def utc(value: datetime | None) -> datetime | None:
    """A client's time in UTC; times beyond what datetime can hold in UTC are clamped to its
    ends."""
    if value is None or value.tzinfo is None:
        return value.replace(tzinfo=UTC) if value is not None else None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if value.year < 2 else datetime.max
        return edge.replace(tzinfo=UTC)


# --- tokens --------------------------------------------------------------------------------


def too_many_attempts(error: TooManyAttempts) -> HTTPException:
    """429 with the whole seconds until another password attempt is allowed, as the sign-in
    page's limit counts them (at least one, so a client never retries at once)."""
    seconds = max(1, math.ceil(error.retry_after.total_seconds()))
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS, str(error), headers={"Retry-After": str(seconds)}
    )
