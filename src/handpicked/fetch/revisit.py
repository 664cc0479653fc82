"""Re-fetching the articles of followed stories while they are alive, so that corrections,
updates and changed headlines are seen.

A story is followed once some reader was sent it, and alive for :data:`ALIVE` after that.
Each of its articles is fetched again at most every :data:`REVISIT_EVERY`, conditionally
(``If-None-Match`` / ``If-Modified-Since`` with the validators it last came with), so an
unchanged page costs a 304 and no extraction. A changed one is stored as a new version of
the article; the version it replaces is kept (``store.revisions``).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from handpicked.errors import ExtractionError
from handpicked.extract import extract
from handpicked.fetch.client import Fetcher
from handpicked.fetch.errors import FetchError
from handpicked.store import Store
from handpicked.store.model import ArticleCheck

ALIVE = timedelta(days=3)
REVISIT_EVERY = timedelta(hours=1)
MAX_REVISITS = 200
"""Most articles re-fetched in one poll (the oldest checked first come first)."""
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


async def revisit_followed(store: Store, fetcher: Fetcher, now: datetime) -> int:
    """Re-fetch the due articles of followed, live stories; how many had changed."""
    story_ids = store.deliveries.sent_story_ids(since=now - ALIVE)
    if not story_ids:
        return 0
    due = store.revisions.due(story_ids, checked_before=now - REVISIT_EVERY)[:MAX_REVISITS]
    changed = await asyncio.gather(*(_revisit(store, fetcher, check, now) for check in due))
    return sum(changed)


async def _revisit(store: Store, fetcher: Fetcher, check: ArticleCheck, now: datetime) -> bool:
    try:
        result = await fetcher.fetch(
            check.url, etag=check.etag, last_modified=check.last_modified, accept=PAGE_ACCEPT
        )
        if result.not_modified:
            store.revisions.checked(check.article_id, now, result.etag, result.last_modified)
            return False
        article = await asyncio.to_thread(
            extract, result.content, result.url, content_type=result.content_type
        )
    except (FetchError, ExtractionError):
        store.revisions.checked(check.article_id, now, None, None)  # tried again later
        return False
    return store.revisions.revise(check.article_id, article, now, result.etag, result.last_modified)
