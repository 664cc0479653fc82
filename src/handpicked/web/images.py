"""``/images/{article_id}/{key}``: an article's picture from our own address.

The key names one picture of one stored article (see :mod:`handpicked.images.cache`), so this
route can never be made to fetch any other URL. A picture is served from the disk cache; one
not fetched yet (gathering fetches the first few of every new article ahead of time) is fetched
once, with a short deadline, by the guarded fetcher. The bytes decide the Content-Type (only
JPEG, PNG, GIF, WebP and AVIF; never SVG), and a picture that cannot be had is a plain 404.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from handpicked.images import ImageCache, image_key
from handpicked.images.cache import CachedImage, is_key
from handpicked.images.fetching import ON_REQUEST_TIMEOUT_S, fetch_image, image_fetcher
from handpicked.web.context import WebContext, web

router = APIRouter(include_in_schema=False)
Web = Annotated[WebContext, Depends(web)]

IMAGE_HEADERS = {
    # The key is a hash of the picture's URL: what it names does not change.
    "Cache-Control": "public, max-age=31536000, immutable",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
}


@router.api_route("/images/{article_id:id}/{key}", methods=["GET", "HEAD"])
async def article_image(article_id: int, key: str, context: Web) -> Response:
    cache = ImageCache.for_settings(context.settings)
    if not is_key(key):
        return _missing()
    cached = await run_in_threadpool(cache.get, key)
    if cached is None:
        cached = await _fetch_now(context, cache, article_id, key)
    if cached is None:
        return _missing()
    return Response(cached.data, media_type=cached.media_type, headers=IMAGE_HEADERS)


async def _fetch_now(
    context: WebContext, cache: ImageCache, article_id: int, key: str
) -> CachedImage | None:
    """The picture ``key`` of the stored article, fetched now; None when the article has no
    such picture or it cannot be had within ``ON_REQUEST_TIMEOUT_S``."""
    article = await run_in_threadpool(context.store.articles.get, article_id)
    if article is None:
        return None
    url = next((i.url for i in article.images if image_key(i.url) == key), None)
    if url is None:
        return None
    now = datetime.now(UTC)
    async with image_fetcher(context.settings, ON_REQUEST_TIMEOUT_S) as fetcher:
        try:
            async with asyncio.timeout(ON_REQUEST_TIMEOUT_S):
                return await fetch_image(cache, fetcher, url, now)
        except TimeoutError:
            cache.note_miss(url, f"no answer within {ON_REQUEST_TIMEOUT_S:.0f} s", now)
            return None


def _missing() -> Response:
    return Response(
        "No such image.\n",
        status_code=404,
        media_type="text/plain",
        headers={"Cache-Control": "no-store"},
    )
