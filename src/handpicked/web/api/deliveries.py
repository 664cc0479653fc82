"""The digests sent to the reader."""

from __future__ import annotations

from fastapi import APIRouter

from handpicked.web.api.common import (
    INVALID,
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    Web,
)
from handpicked.web.api.reading import Limit
from handpicked.web.api_models import DeliveryOut

router = APIRouter(route_class=ApiRoute)


@router.get(
    "/deliveries",
    tags=["reader"],
    summary="Your digests so far",
    description="The reader's delivery ledger, newest first: each scheduled digest, how far "
    "its sending got and the stories it held.",
    response_model=list[DeliveryOut],
    responses={**UNAUTHORIZED, **INVALID},
)
def deliveries(reader: Reader, context: Web, limit: Limit = 50) -> list[DeliveryOut]:
    return [
        DeliveryOut(
            id=d.id,
            period=d.period,
            state=d.state,
            attempts=d.attempts,
            story_ids=list(d.story_ids),
            article_ids=list(d.article_ids),
            error=d.error,
            since=d.since,
            created_at=d.created_at,
            sent_at=d.sent_at,
        )
        for d in context.store.deliveries.list(reader.id, limit=limit)
    ]
