"""Feedback on picks."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from handpicked.desk.errors import DeskError
from handpicked.web.api.common import (
    INVALID,
    NOT_FOUND,
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    Web,
    invalid,
    not_found,
)
from handpicked.web.api_models import FeedbackIn

router = APIRouter(route_class=ApiRoute)


@router.post(
    "/feedback",
    tags=["picks"],
    summary="More or less like this",
    description="React to an article: `more` and `less` change what is picked next (they "
    "replace each other); `opened` notes that it was read.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def feedback(body: FeedbackIn, reader: Reader, context: Web) -> Response:
    if context.store.articles.get(body.article_id) is None:
        raise not_found(f"There is no article {body.article_id}.")
    try:
        context.desk.feedback.record(reader, body.article_id, body.kind)
    except DeskError as error:
        raise invalid(str(error)) from error
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- stories and articles ------------------------------------------------------------------
