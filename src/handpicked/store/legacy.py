"""The store's calls from before it had repositories, kept as one-line forwards for the modules
not yet moved to ``store.sources``, ``store.queue`` and ``store.articles`` (the poller, and
understanding); new code calls the repositories. Remove a forward once nothing calls it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from handpicked.article import Article
from handpicked.store.model import PendingUrl, SourceRecord, StoredArticle

if TYPE_CHECKING:
    from handpicked.store.articles import ArticleRepository
    from handpicked.store.queue import FetchQueue
    from handpicked.store.sources import SourceRepository


class LegacyStoreCalls:
    sources: SourceRepository
    queue: FetchQueue
    articles: ArticleRepository

    def add_source(
        self,
        url: str,
        kind: Any,
        title: str | None = None,
        site_url: str | None = None,
        poll_interval_s: int = 1800,
    ) -> tuple[SourceRecord, bool]:
        return self.sources.add(url, kind, title, site_url, poll_interval_s)

    def list_sources(self) -> list[SourceRecord]:
        return self.sources.list()

    def get_source(self, id_or_url: int | str) -> SourceRecord | None:
        return self.sources.get(id_or_url)

    def remove_source(self, id_or_url: int | str) -> bool:
        return self.sources.remove(id_or_url)

    def due_sources(self, now: datetime) -> list[SourceRecord]:
        return self.sources.due(now)

    def record_poll(self, source_id: int, **outcome: Any) -> SourceRecord:
        return self.sources.record_poll(source_id, **outcome)

    def enqueue(self, urls: Iterable[str], source_id: int | None, now: datetime) -> int:
        return self.queue.add(urls, source_id, now)

    def claim_pending(self, limit: int, now: datetime, **lease: Any) -> list[PendingUrl]:
        return self.queue.claim(limit, now, **lease)

    def release_dead_claims(self, host: str, now: datetime, is_alive: Callable[[int], bool]) -> int:
        return self.queue.release_dead_claims(host, now, is_alive)

    def fail_pending(self, pending_id: int, error: str, now: datetime, retry: bool) -> PendingUrl:
        return self.queue.fail(pending_id, error, now, retry)

    def pending_counts(self) -> dict[str, int]:
        return self.queue.counts()

    def save_article(self, article: Article, **where: Any) -> tuple[int, bool]:
        return self.articles.save(article, **where)

    def list_articles(
        self, since: datetime | None = None, limit: int | None = None
    ) -> list[StoredArticle]:
        return self.articles.list(since, limit)

    def count_articles(self) -> int:
        return self.articles.count()

    def get_article(self, article_id: int) -> StoredArticle | None:
        return self.articles.get(article_id)
