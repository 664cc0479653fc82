"""Understanding's store calls as free functions, forwarding to ``store.stories`` and
``store.articles``; kept for :mod:`handpicked.understand.pipeline` until it calls those."""

from __future__ import annotations

from datetime import datetime

from handpicked.store.facade import Store
from handpicked.store.model import Findings, IndexedArticle, StoredArticle, StoryRecord

__all__ = ["Findings", "IndexedArticle", "StoryRecord"]


def articles_to_understand(store: Store, limit: int) -> list[StoredArticle]:
    return store.articles.to_understand(limit)


def indexed_articles(store: Store, since: datetime | None = None) -> list[IndexedArticle]:
    return store.stories.indexed(since)


def save_findings(store: Store, article_id: int, findings: Findings, now: datetime) -> None:
    store.stories.save_findings(article_id, findings, now)


def mark_duplicate(store: Store, copy_id: int, original_id: int) -> None:
    store.stories.mark_duplicate(copy_id, original_id)


def new_story(store: Store, title: str | None, when: datetime | None) -> int:
    return store.stories.new(title, when)


def refresh_story(store: Store, story_id: int) -> None:
    store.stories.refresh(story_id)


def list_stories(
    store: Store, since: datetime | None = None, limit: int | None = None
) -> list[StoryRecord]:
    return store.stories.list(since, limit)


def get_story(store: Store, story_id: int) -> StoryRecord | None:
    return store.stories.get(story_id)
