"""The reader's pages (server-rendered, light htmx): a module per resource
over the view builders of :mod:`.views`.

Every page works without JavaScript: forms POST, the server redirects (303) back to a page
that says what happened. With htmx loaded, the feedback buttons update in place instead.
Everything that comes from an article is untrusted: templates escape it (Jinja autoescape)
and only absolute http(s) URLs become links or images.
"""

from __future__ import annotations

from fastapi import APIRouter

from handpicked.web.pages import (
    admin,
    credentials,
    follows,
    library,
    outbox,
    picks,
    reading,
    search,
    settings,
    sources,
)

router = APIRouter(include_in_schema=False)
router.include_router(picks.router)
router.include_router(reading.router)
router.include_router(library.router)
router.include_router(follows.router)
router.include_router(sources.router)
router.include_router(settings.router)
router.include_router(admin.router)
router.include_router(credentials.router)
router.include_router(outbox.router)
router.include_router(search.router)

__all__ = ["router"]
