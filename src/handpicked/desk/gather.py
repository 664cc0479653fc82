"""Gathering: poll the sources that are due, store their new pages, then understand what came
in. Written once here for ``handpicked poll`` and the server's scheduler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from handpicked.desk.context import DeskContext
from handpicked.fetch.client import Fetcher
from handpicked.fetch.poller import PollReport, poll_once
from handpicked.images.fetching import ImageReport, cache_article_images
from handpicked.understand.pipeline import Understander, UnderstandReport


@dataclass(frozen=True, slots=True)
class GatherReport:
    polled: PollReport
    understood: UnderstandReport | None
    """None when understanding did not run (nothing new, and not asked to catch up)."""
    images: ImageReport | None = None
    """The new articles' pictures fetched into the cache (None when nothing new came)."""


class Gathering:
    """``desk.gathering``."""

    def __init__(self, desk: DeskContext) -> None:
        self._desk = desk

    async def poll(self, on_page: Callable[..., None] | None = None) -> PollReport:
        """One polling round: the due sources, then every queued page."""
        allow_private = self._desk.settings.allow_private_networks
        async with Fetcher(allow_private_networks=allow_private) as fetcher:
            return await poll_once(self._desk.store, fetcher, on_page=on_page)

    def understand(self, on_article: Callable[..., None] | None = None) -> UnderstandReport:
        """Understand every stored article not yet understood."""
        return Understander(self._desk.store).run(on_article=on_article)

    async def poll_and_understand(
        self,
        *,
        catch_up: bool = False,
        on_page: Callable[..., None] | None = None,
        on_article: Callable[..., None] | None = None,
    ) -> GatherReport:
        """Poll, then understand what came in; ``catch_up`` understands even when nothing
        new came, finishing what an interrupted run left."""
        started = self._desk.now()
        polled = await self.poll(on_page)
        understood = None
        if polled.articles_added or catch_up:
            understood = self.understand(on_article)
        images = None
        if polled.articles_added:
            images = await self.cache_images(found_since=started)
        return GatherReport(polled, understood, images)

    async def cache_images(self, found_since: datetime) -> ImageReport:
        """Fetch the pictures of the articles found since ``found_since`` into the image
        cache, so that pages and the feed serve them from here without waiting."""
        articles = self._desk.store.articles.list(found_since=found_since)
        return await cache_article_images(self._desk.settings, articles, self._desk.now())
