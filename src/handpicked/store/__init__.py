"""Where the desk's data lives: SQLite by default, or PostgreSQL.

``open_store()`` gives a ready :class:`Store` for the configured database (schema upgraded).
The store is one type with a repository per entity (``store.articles``, ``store.sources``,
``store.queue``, ``store.stories``, ``store.readers``, ``store.interests``, ``store.feedback``,
``store.deliveries``, ``store.accounts``); they take and return the frozen records of
:mod:`handpicked.store.model`, and ``with store.transaction():`` makes several calls one.
Nothing outside this package touches a session or a row.
"""

from handpicked.store.articles import content_hash
from handpicked.store.database import create_engine_for, migrate, open_store
from handpicked.store.facade import Store
from handpicked.store.model import (
    DeliveryRecord,
    FeedbackRecord,
    Findings,
    IndexedArticle,
    InterestRecord,
    PendingUrl,
    ReaderRecord,
    SourceRecord,
    StoredArticle,
    StoryRecord,
)
from handpicked.store.queue import MAX_FETCH_ATTEMPTS
from handpicked.store.readers import ReaderExists
from handpicked.store.urls import canonical_url

__all__ = [
    "MAX_FETCH_ATTEMPTS",
    "DeliveryRecord",
    "FeedbackRecord",
    "Findings",
    "IndexedArticle",
    "InterestRecord",
    "PendingUrl",
    "ReaderExists",
    "ReaderRecord",
    "SourceRecord",
    "Store",
    "StoredArticle",
    "StoryRecord",
    "canonical_url",
    "content_hash",
    "create_engine_for",
    "migrate",
    "open_store",
]
