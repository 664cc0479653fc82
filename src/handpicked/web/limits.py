"""Caps on request bodies, so no request can make the server buffer more than it will use.

A body whose ``Content-Length`` is over the cap is refused with 413 before a byte of it is
read; a chunked body is counted as it arrives and refused the moment it passes the cap. The
cap is 1 MB for forms and JSON, more only where an upload is expected (OPML files).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_BODY_LIMIT = 1024 * 1024
"""Bytes: far more than any form or JSON request of the app needs."""
MULTIPART_OVERHEAD = 64 * 1024
"""Bytes a file upload's form adds around the file (boundaries, headers, the CSRF field)."""
_TOO_LARGE = "The request body is too large."


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a chunked body passes its cap. An ``HTTPException``, so
    that whatever reads the body (FastAPI, form parsing) lets it through as a 413 answer."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"{_TOO_LARGE} ({limit // 1024} KB at most)")


class BodyLimitMiddleware:
    """Refuses request bodies over ``default_limit`` bytes (``limits`` by path, exactly)."""

    def __init__(
        self, app: ASGIApp, default_limit: int = DEFAULT_BODY_LIMIT,
        limits: Mapping[str, int] | None = None,
    ) -> None:  # fmt: skip
        self.app = app
        self.default_limit = default_limit
        self.limits = dict(limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default_limit)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(limit, scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(limit, scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse(
        {"detail": f"{_TOO_LARGE} ({limit // 1024} KB at most)"},
        status_code=413,
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
