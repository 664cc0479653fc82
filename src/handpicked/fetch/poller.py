"""One pass over the sources that are due: fetch each, queue what it lists, then fetch, extract
and store every queued page.

The two halves meet in the store's pending queue. A page is marked done in the same
transaction that stores its article, so a poll killed at any moment loses nothing and stores
nothing twice: the next poll picks up what is still pending.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from handpicked.claims import HOST, claimant, process_alive
from handpicked.errors import ExtractionError
from handpicked.extract import extract
from handpicked.fetch.client import Fetcher
from handpicked.fetch.errors import FetchError
from handpicked.fetch.listings import Listed, list_entries, newest_first
from handpicked.fetch.offload import parse_off_loop
from handpicked.fetch.revisit import revisit_followed
from handpicked.fetch.xmlsafety import FeedError
from handpicked.store import PendingUrl, SourceRecord, Store

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_CHILD_SITEMAPS = 20
PAGE_BATCH = 50
SOURCES_AT_ONCE = 8
MAX_NEW_PER_SOURCE = 100
"""Most pages one source may queue in one poll (its newest); the older ones are left out."""


@dataclass(slots=True)
class PollReport:
    """What one pass did, for the command line and the logs."""

    sources_polled: int = 0
    sources_unchanged: int = 0
    sources_failed: int = 0
    urls_queued: int = 0
    articles_added: int = 0
    pages_duplicate: int = 0
    """Pages whose article was stored already (under another URL, or by an earlier poll)."""
    pages_failed: int = 0
    articles_revised: int = 0
    """Articles of followed stories re-fetched and found changed (a correction, an update)."""
    entries_skipped: int = 0
    """Listed pages left out, oldest first, because a source listed more than the per-poll
    cap (``max_new_per_source``)."""
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(source or page URL, reason) for every failure, in the order they happened."""


ProgressHook = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class _Listing:
    """What a source lists now: its newest pages (at most the poll's cap, newest first), how
    many it lists in all, and its new validators."""

    urls: list[str]
    total: int
    etag: str | None
    last_modified: str | None
    unchanged: bool = False


async def _fetch_listing(fetcher: Fetcher, source: SourceRecord, limit: int) -> _Listing:
    """The newest page URLs a source lists now (at most ``limit``), with its new validators."""
    if source.kind == "page":
        return _Listing([source.url], 1, None, None)
    result = await fetcher.fetch(
        source.url, etag=source.etag, last_modified=source.last_modified, accept=FEED_ACCEPT
    )
    if result.not_modified:
        return _Listing([], 0, source.etag, source.last_modified, unchanged=True)
    kind: Literal["feed", "sitemap"] = "sitemap" if source.kind == "sitemap" else "feed"
    listed = await _parse_listing(kind, result.content, result.url, result.content_type, limit)
    entries, total = listed.entries, listed.total
    for child in listed.sitemaps[:MAX_CHILD_SITEMAPS]:  # a sitemap index: one level down
        child_result = await fetcher.fetch(child, accept=FEED_ACCEPT)
        child_listed = await _parse_listing("sitemap", child_result.content, child, None, limit)
        entries += child_listed.entries
        total += child_listed.total
    newest = [url for url, _when in newest_first(entries)[:limit]]
    return _Listing(newest, total, result.etag, result.last_modified)


async def _parse_listing(
    kind: Literal["feed", "sitemap"],
    content: bytes,
    url: str,
    content_type: str | None,
    limit: int,
) -> Listed:
    """Parse off the event loop: feedparser takes seconds over a big feed."""
    return await parse_off_loop(len(content), list_entries, kind, content, url, content_type, limit)


async def poll_sources(
    store: Store,
    fetcher: Fetcher,
    report: PollReport,
    now: datetime,
    max_new_per_source: int = MAX_NEW_PER_SOURCE,
) -> None:
    """Fetch every due source and queue its pages, several at once (the fetcher keeps each
    host polite). A failing source is recorded with its reason and retried on its schedule;
    it never stops the others, and a slow one does not hold them up.

    Each source queues at most ``max_new_per_source`` pages per poll, its newest: a feed or
    sitemap listing 100,000 pages would otherwise fill the queue for a day, and every other
    source's new pages would wait behind it.
    """
    sources = store.sources.due(now)
    report.sources_polled += len(sources)
    slots = asyncio.Semaphore(SOURCES_AT_ONCE)

    async def one(source: SourceRecord) -> None:
        async with slots:
            await _poll_source(store, fetcher, source, report, now, max_new_per_source)

    await asyncio.gather(*(one(source) for source in sources))


async def _poll_source(
    store: Store,
    fetcher: Fetcher,
    source: SourceRecord,
    report: PollReport,
    now: datetime,
    max_new_per_source: int,
) -> None:
    try:
        listing = await _fetch_listing(fetcher, source, max_new_per_source)
    except (FetchError, FeedError) as error:
        reason = getattr(error, "reason", None) or str(error)
        report.sources_failed += 1
        report.errors.append((source.url, reason))
        store.sources.record_poll(source.id, now=now, ok=False, error=reason)
        return
    if listing.unchanged:
        report.sources_unchanged += 1
    report.entries_skipped += max(0, listing.total - len(listing.urls))
    report.urls_queued += store.queue.add(listing.urls, source.id, now)
    store.sources.record_poll(
        source.id, now=now, ok=True, status=304 if listing.unchanged else 200,
        etag=listing.etag, last_modified=listing.last_modified,
    )  # fmt: skip


async def _store_page(store: Store, fetcher: Fetcher, pending: PendingUrl, report: PollReport,
                      now: datetime) -> None:  # fmt: skip
    try:
        result = await fetcher.fetch(pending.url, accept=PAGE_ACCEPT)
        # Extraction is CPU work: off the event loop, so other hosts' downloads go on meanwhile.
        article = await asyncio.to_thread(
            extract, result.content, result.url, content_type=result.content_type
        )
    except FetchError as error:
        report.pages_failed += 1
        report.errors.append((pending.url, error.reason))
        store.queue.fail(pending.id, error.reason, now, retry=error.retryable)
        return
    except ExtractionError as error:
        report.pages_failed += 1
        report.errors.append((pending.url, str(error)))
        store.queue.fail(pending.id, str(error), now, retry=False)
        return
    article_id, created = store.articles.save(
        article, source_id=pending.source_id, pending_id=pending.id, fetched_url=result.url,
        now=now,
    )  # fmt: skip
    if created:
        store.revisions.remember(article_id, result.etag, result.last_modified, now)
        report.articles_added += 1
    else:
        report.pages_duplicate += 1


async def drain_pending(
    store: Store,
    fetcher: Fetcher,
    report: PollReport,
    now: datetime,
    on_page: ProgressHook | None = None,
    max_pages: int | None = None,
) -> None:
    """Fetch, extract and store queued pages until none is due (or ``max_pages`` is reached).
    Pages of different hosts are fetched concurrently; the fetcher keeps each host polite."""
    done = 0
    while max_pages is None or done < max_pages:
        limit = PAGE_BATCH if max_pages is None else min(PAGE_BATCH, max_pages - done)
        batch = store.queue.claim(limit, now, claimant=claimant())
        if not batch:
            return
        await asyncio.gather(*(_store_page(store, fetcher, item, report, now) for item in batch))
        done += len(batch)
        if on_page is not None:
            for item in batch:
                on_page(item.url)


async def poll_once(
    store: Store,
    fetcher: Fetcher,
    *,
    now: datetime | None = None,
    on_page: ProgressHook | None = None,
    max_pages: int | None = None,
    max_new_per_source: int = MAX_NEW_PER_SOURCE,
) -> PollReport:
    """One pass: due sources first, then every page they (or an earlier, interrupted pass)
    left in the queue.

    Every source's pages are queued under the same moment, and the queue hands out equally due
    pages one source at a time, so with the per-source cap no source can put more than
    ``max_new_per_source`` pages ahead of another's: a new page is stored in the first pass
    that sees it, however big the other feeds are.
    """
    moment = now or datetime.now(UTC)
    report = PollReport()
    store.queue.release_dead_claims(HOST, moment, process_alive)
    await poll_sources(store, fetcher, report, moment, max_new_per_source)
    await drain_pending(store, fetcher, report, moment, on_page, max_pages)
    report.articles_revised += await revisit_followed(store, fetcher, moment)
    return report
