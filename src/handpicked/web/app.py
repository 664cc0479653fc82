"""The ASGI app: one FastAPI application with the reader's pages, ``/api/v1`` and the public
links from emails (unsubscribe, feedback, feeds), over one store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from handpicked import __version__
from handpicked.desk.sources import MAX_OPML_BYTES
from handpicked.settings import Settings, load_settings
from handpicked.store import Store, open_store
from handpicked.web import api, api_docs, auth_pages, greader, images, pages, public
from handpicked.web.context import STATIC, WebContext
from handpicked.web.headers import SecurityHeadersMiddleware
from handpicked.web.limits import MULTIPART_OVERHEAD, BodyLimitMiddleware
from handpicked.web.security import CsrfCookieMiddleware, SignInRequired, sign_in_url


class Background(Protocol):
    """Work that runs beside the app while it serves (the scheduler)."""

    def start(self) -> None: ...
    def stop(self) -> None: ...


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    background: Background | None = None,
) -> FastAPI:
    """The app for ``settings`` (default: the environment). A given ``store`` is used as is
    and left open; otherwise the configured database is opened at start and closed at stop.
    ``background`` is started once the app starts and stopped when it stops."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        opened = store if store is not None else open_store(settings.database_url)
        app.state.web = WebContext.create(opened, settings)
        if background is not None:
            background.start()
        try:
            yield
        finally:
            if background is not None:
                background.stop()
            if owned:
                opened.close()

    app = FastAPI(
        title="handpicked",
        version=__version__,
        summary="News, handpicked for each reader: the JSON API.",
        description="Every action of the web app, for scripts and other clients. "
        "Authenticate with `Authorization: Bearer hp_…` (POST /api/v1/tokens).",
        lifespan=lifespan,
        docs_url=None,  # served by api_docs, with no CDN
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    if store is not None:  # usable before the lifespan runs (tests with ASGI transports)
        app.state.web = WebContext.create(store, settings)
    app.add_middleware(CsrfCookieMiddleware, secure=settings.base_url.startswith("https://"))
    upload_limit = MAX_OPML_BYTES + MULTIPART_OVERHEAD
    app.add_middleware(
        BodyLimitMiddleware,
        limits={"/sources/import": upload_limit, "/api/v1/sources/opml": upload_limit},
    )
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: on the 413 answers too

    @app.exception_handler(SignInRequired)
    async def _sign_in(_request: Request, error: SignInRequired) -> RedirectResponse:
        return RedirectResponse(sign_in_url(error.next_path), status_code=303)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(public.router)
    app.include_router(images.router)
    app.include_router(auth_pages.router)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(api_docs.router)
    app.include_router(greader.router)
    return app
