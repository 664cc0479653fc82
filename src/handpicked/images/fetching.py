"""Getting article images into the cache with the guarded fetcher (public addresses only
unless the settings allow private ones, robots.txt, per-host pacing, a size cap), ahead of
time for new articles and, for one a page asks for first, once with a short deadline."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from handpicked.deliver.links import is_web_url
from handpicked.fetch.client import Fetcher
from handpicked.fetch.errors import FetchError
from handpicked.images.cache import CachedImage, ImageCache, NotAnImage, image_key
from handpicked.settings import Settings
from handpicked.store import StoredArticle

log = logging.getLogger(__name__)

IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"
MAX_IMAGE_BYTES = 8 * 1024 * 1024
"""The largest picture taken: a news photo is rarely over 2 MB."""
IMAGES_PER_ARTICLE = 4
"""Images fetched ahead of time per new article: the first (which picks and the feed show)
and a few more for the article page; any later ones are fetched when first asked for."""
CONCURRENCY = 4
PREFETCH_TIMEOUT_S = 20.0
ON_REQUEST_TIMEOUT_S = 6.0
"""The most a page's image request waits for a picture not fetched yet."""


@dataclass
class ImageReport:
    fetched: int = 0
    failed: int = 0
    already: int = 0


def image_fetcher(settings: Settings, timeout_s: float) -> Fetcher:
    """A fetcher for pictures: one try, capped at ``MAX_IMAGE_BYTES``."""
    return Fetcher(
        allow_private_networks=settings.allow_private_networks,
        timeout=timeout_s,
        max_bytes=MAX_IMAGE_BYTES,
        retries=0,
    )


def article_image_urls(
    articles: Iterable[StoredArticle], per_article: int = IMAGES_PER_ARTICLE
) -> list[str]:
    """The web URLs of the first ``per_article`` images of each article, each once."""
    urls: dict[str, None] = {}
    for article in articles:
        shown = [image.url for image in article.images if is_web_url(image.url)]
        urls.update(dict.fromkeys(shown[:per_article]))
    return list(urls)


async def fetch_image(
    cache: ImageCache, fetcher: Fetcher, url: str, now: datetime
) -> CachedImage | None:
    """The picture at ``url``: from the cache, else fetched and kept; None when it cannot be
    had (and then not tried again for a while, see :data:`~.cache.MISS_RETRY`)."""
    if (cached := cache.get(image_key(url))) is not None:
        return cached
    if not is_web_url(url) or cache.missed_recently(url, now):
        return None
    try:
        result = await fetcher.fetch(url, accept=IMAGE_ACCEPT)
        return cache.put(url, result.content)
    except (FetchError, NotAnImage) as error:
        log.info("image %s not cached: %s", url, error)
        cache.note_miss(url, str(error), now)
        return None


async def cache_images(
    cache: ImageCache, fetcher: Fetcher, urls: Sequence[str], now: datetime
) -> ImageReport:
    """Fetch every picture in ``urls`` not cached yet, a few at a time."""
    report = ImageReport()
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(url: str) -> None:
        if cache.has(url):
            report.already += 1
            return
        async with gate:
            found = await fetch_image(cache, fetcher, url, now)
        if found is None:
            report.failed += 1
        else:
            report.fetched += 1

    await asyncio.gather(*(one(url) for url in urls))
    return report


async def cache_article_images(
    settings: Settings, articles: Iterable[StoredArticle], now: datetime
) -> ImageReport:
    """Fetch the first images of ``articles`` into the configured cache."""
    urls = article_image_urls(articles)
    if not urls:
        return ImageReport()
    async with image_fetcher(settings, PREFETCH_TIMEOUT_S) as fetcher:
        return await cache_images(ImageCache.for_settings(settings), fetcher, urls, now)
