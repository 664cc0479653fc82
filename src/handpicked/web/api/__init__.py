"""The JSON API under ``/api/v1``: everything the pages do, for scripts and other clients.

Clients authenticate with ``Authorization: Bearer hp_…`` (a token from ``POST /api/v1/tokens``
or the settings page); the session cookie of the pages is never accepted here, so the API
needs no CSRF token. Every error is ``{"detail": "one sentence"}``, request validation
included. The handlers stay thin: the work is in :mod:`handpicked.desk`,
:mod:`handpicked.desk.readers` and the store, which the pages share.
"""

from __future__ import annotations

from fastapi import APIRouter

from handpicked.web.api import (
    account,
    admin,
    deliveries,
    feedback,
    interests,
    me,
    picks,
    reading,
    reading_state,
    search,
    sources,
    tokens,
)
from handpicked.web.api.common import ApiRoute

router = APIRouter(prefix="/api/v1", route_class=ApiRoute)
router.include_router(tokens.router)
router.include_router(me.router)
router.include_router(account.router)
router.include_router(picks.router)
router.include_router(interests.router)
router.include_router(feedback.router)
router.include_router(reading.router)
router.include_router(reading_state.router)
router.include_router(sources.router)
router.include_router(deliveries.router)
router.include_router(admin.router)
router.include_router(search.router)

__all__ = ["router"]
