"""What a URL a user gives us is: a feed, a sitemap, a site's home page (whose feed we find)
or a single article. Decided by fetching it once, through the same safe fetcher as polling."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal

from handpicked.errors import ExtractionError
from handpicked.extract import extract
from handpicked.fetch.client import Fetcher, FetchResult
from handpicked.fetch.discovery import discover_feeds, sniff_kind
from handpicked.fetch.errors import FetchError
from handpicked.fetch.feeds import parse_feed
from handpicked.fetch.poller import FEED_ACCEPT
from handpicked.fetch.sitemaps import parse_sitemap
from handpicked.fetch.xmlsafety import FeedError

SourceKind = Literal["feed", "sitemap", "page"]


@dataclass(frozen=True, slots=True)
class ResolvedSource:
    """A source ready to store: where to poll it and how to read it."""

    url: str
    kind: SourceKind
    title: str | None
    site_url: str | None


class SourceNotUsable(FetchError):
    """The URL answered, but with nothing we can follow (no feed, sitemap or article)."""


async def resolve_source(fetcher: Fetcher, url: str) -> ResolvedSource:
    """Fetch ``url`` and decide how to follow it. A home page is followed through the first
    feed it advertises; a page with no feed is followed as a single article.

    Parsing and extraction run in a worker thread: a feed of 100,000 items takes seconds to
    parse, and the web app's other requests must not wait for it.
    """
    result = await fetcher.fetch(url, accept=FEED_ACCEPT)
    judged = await asyncio.to_thread(_judge, url, result)
    if isinstance(judged, ResolvedSource):
        return judged
    for feed_url in judged:
        try:
            feed_result = await fetcher.fetch(feed_url, accept=FEED_ACCEPT)
            feed = await asyncio.to_thread(
                parse_feed, feed_result.content, feed_result.url, feed_result.content_type
            )
        except (FetchError, FeedError):
            continue
        return ResolvedSource(feed_result.url, "feed", feed.title, result.url)
    return await asyncio.to_thread(_as_article, url, result)


def _judge(url: str, result: FetchResult) -> ResolvedSource | list[str]:
    """The source a fetched document is, or, for a web page, the feeds it advertises."""
    kind = sniff_kind(result.content, result.content_type, result.url)
    try:
        if kind == "feed":
            feed = parse_feed(result.content, result.url, result.content_type)
            return ResolvedSource(result.url, "feed", feed.title, feed.site_url)
        if kind == "sitemap":
            parse_sitemap(result.content, result.url)
            return ResolvedSource(result.url, "sitemap", None, None)
    except FeedError as error:
        raise SourceNotUsable(f"{url}: {error}", retryable=False) from error
    if kind != "html":
        raise SourceNotUsable(
            f"{url} is neither a feed, a sitemap nor a web page (it served "
            f"{result.content_type or 'an unknown type'})",
            retryable=False,
        )
    return discover_feeds(result.content, result.url)


def _as_article(url: str, result: FetchResult) -> ResolvedSource:
    """A page with no feed, followed as a single article (if it is one)."""
    try:
        article = extract(result.content, result.url, content_type=result.content_type)
    except ExtractionError as error:
        raise SourceNotUsable(f"{url}: {error}", retryable=False) from error
    return ResolvedSource(article.canonical_url or result.url, "page", article.title, None)
