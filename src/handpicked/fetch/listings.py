"""What one feed or sitemap document lists, newest first and cut to what a poll takes.

Kept apart from the poller so that it can run in the parsing worker process (see
:mod:`handpicked.fetch.offload`): only the few entries a poll will queue come back from there,
however many the document lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from handpicked.fetch.feeds import parse_feed
from handpicked.fetch.sitemaps import parse_sitemap

__all__ = ["Entry", "Listed", "list_entries", "newest_first"]

Entry = tuple[str, datetime | None]
"""A listed page: its URL and when it was published (or last changed), if the document says."""

_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Listed:
    """The newest ``limit`` entries of a document (newest first), how many distinct pages it
    lists in all, and, for a sitemap index, the child sitemaps it points to."""

    entries: list[Entry]
    total: int
    sitemaps: list[str]


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Entries newest first, each URL once; undated entries after dated ones, in the order
    listed (for feeds that is conventionally newest first already)."""
    first: dict[str, datetime | None] = {}
    for url, when in entries:
        first.setdefault(url, when)
    return sorted(first.items(), key=lambda entry: entry[1] or _OLDEST, reverse=True)  # stable


def list_entries(
    kind: Literal["feed", "sitemap"],
    content: bytes,
    url: str,
    content_type: str | None,
    limit: int,
) -> Listed:
    """Parse a feed or sitemap and keep its newest ``limit`` entries."""
    if kind == "sitemap":
        sitemap = parse_sitemap(content, url)
        entries = [(entry.url, entry.published or entry.lastmod) for entry in sitemap.entries]
        children = sitemap.sitemaps
    else:
        feed = parse_feed(content, url, content_type)
        entries = [(entry.url, entry.published) for entry in feed.entries]
        children = []
    ordered = newest_first(entries)
    return Listed(ordered[:limit], len(ordered), children)
