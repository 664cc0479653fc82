"""Request parameters as the Google Reader API sends them: in the query, in a form body, or
both, with names that may repeat (``i=…&i=…``)."""

from __future__ import annotations

from starlette.datastructures import MultiDict
from starlette.requests import Request

Params = MultiDict
MAX_VALUES = 1000
"""Values read from one request at most (ids to mark, say); the body cap bounds the rest."""


async def read_params(request: Request) -> MultiDict:
    """The query's parameters, then a form body's (``application/x-www-form-urlencoded``)."""
    items: list[tuple[str, str]] = list(request.query_params.multi_items())
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=MAX_VALUES)
        items.extend((key, value) for key, value in form.multi_items() if isinstance(value, str))
    return MultiDict(items[:MAX_VALUES])
