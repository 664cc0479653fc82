"""Where sources, the fetch queue and articles live: SQLite by default, or PostgreSQL.

``open_store()`` gives a ready ``Store`` for the configured database (schema upgraded).
"""

from handpicked.store.database import create_engine_for, migrate, open_store
from handpicked.store.repository import (
    MAX_ATTEMPTS,
    PendingUrl,
    SourceRecord,
    Store,
    StoredArticle,
    content_hash,
)
from handpicked.store.urls import canonical_url

__all__ = [
    "MAX_ATTEMPTS",
    "PendingUrl",
    "SourceRecord",
    "Store",
    "StoredArticle",
    "canonical_url",
    "content_hash",
    "create_engine_for",
    "migrate",
    "open_store",
]
