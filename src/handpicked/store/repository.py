"""Where the store's names lived before it had one module per entity; kept so that imports
from here go on working. New code imports from :mod:`handpicked.store`."""

from handpicked.store.articles import content_hash
from handpicked.store.facade import Store
from handpicked.store.model import PendingUrl, SourceRecord, StoredArticle

__all__ = ["PendingUrl", "SourceRecord", "Store", "StoredArticle", "content_hash"]
