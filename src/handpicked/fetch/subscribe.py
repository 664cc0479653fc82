"""What a URL a user gives us is: a feed, a sitemap, a site's home page (whose feed we find)
or a single article. Decided by fetching it once, through the same safe fetcher as polling."""

from __future__ import annotations

import asyncio
import ipaddress
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from handpicked.errors import ExtractionError
from handpicked.extract import extract
from handpicked.fetch.client import Fetcher, FetchResult
from handpicked.fetch.discovery import discover_feeds, sniff_kind
from handpicked.fetch.errors import FetchError, RobotsDisallowed, UnsafeAddressError
from handpicked.fetch.feeds import parse_feed
from handpicked.fetch.offload import parse_off_loop
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


_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$", re.IGNORECASE)


_NOT_AN_ADDRESS = (
    "Give a web address: a domain such as bbc.co.uk, or a URL starting with http:// or https://."
)


def address_candidates(text: str) -> tuple[str, ...]:
    """The URLs to try for an address as a person types it: a full http(s) URL as is; a bare
    host such as ``bbc.co.uk``, ``bbc.co.uk/news`` or ``127.0.0.1:8080`` as https, then http
    (as a browser's address bar does). ValueError for anything that is neither."""
    text = text.strip()
    if "://" in text:
        if not text.lower().startswith(("http://", "https://")):
            raise ValueError(_NOT_AN_ADDRESS)
        return (text,)
    if not text or any(character.isspace() for character in text):
        raise ValueError(_NOT_AN_ADDRESS)
    parts = urlsplit("//" + text)
    try:
        host, _port = parts.hostname or "", parts.port
    except ValueError as error:  # a port that is not a number
        raise ValueError(f"{text!r} is not a web address.") from error
    if parts.username is not None or not (_DOMAIN.match(host) or _is_ip(host)):
        raise ValueError(f"{text!r} is not a web address (try bbc.co.uk or https://...).")
    rest = text if parts.path else text.replace(parts.netloc, parts.netloc + "/", 1)
    return (f"https://{rest}", f"http://{rest}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _unreachable(error: FetchError) -> bool:
    """Whether the address could not be reached at all (no answer, no TLS), as opposed to an
    answer we cannot use or an address we refuse: only then is plain http worth a try."""
    refused = isinstance(error, (UnsafeAddressError, RobotsDisallowed, SourceNotUsable))
    return not refused and error.status is None


async def resolve_address(fetcher: Fetcher, text: str) -> ResolvedSource:
    """:func:`resolve_source` for an address as typed: a bare domain is tried over https, and
    over http only when https cannot be reached at all."""
    *first_tries, last_try = address_candidates(text)
    for url in first_tries:
        try:
            return await resolve_source(fetcher, url)
        except FetchError as error:
            if not _unreachable(error):
                raise
    return await resolve_source(fetcher, last_try)


async def resolve_source(fetcher: Fetcher, url: str) -> ResolvedSource:
    """Fetch ``url`` and decide how to follow it. A home page is followed through the first
    feed it advertises; a page with no feed is followed as a single article.

    Parsing and extraction run off the event loop (a big feed in a worker process, see
    :mod:`handpicked.fetch.offload`): a feed of 100,000 items takes seconds to parse, and the
    web app's other requests must not wait for it.
    """
    result = await fetcher.fetch(url, accept=FEED_ACCEPT)
    content, final_url, content_type = result.content, result.url, result.content_type
    judged = await parse_off_loop(len(content), _judge, url, content, final_url, content_type)
    if isinstance(judged, ResolvedSource):
        return judged
    for feed_url in judged:
        try:
            feed_result = await fetcher.fetch(feed_url, accept=FEED_ACCEPT)
            found = feed_result.content, feed_result.url, feed_result.content_type
            title, _site = await parse_off_loop(len(found[0]), _feed_summary, *found)
        except (FetchError, FeedError):
            continue
        return ResolvedSource(feed_result.url, "feed", title, result.url)
    return await asyncio.to_thread(_as_article, url, result)


def _feed_summary(
    content: bytes, url: str, content_type: str | None
) -> tuple[str | None, str | None]:
    """A feed's title and site, parsed where the caller chose (a big feed: another process)."""
    feed = parse_feed(content, url, content_type)
    return feed.title, feed.site_url


def _judge(
    url: str, content: bytes, final_url: str, content_type: str | None
) -> ResolvedSource | list[str]:
    """The source a fetched document is, or, for a web page, the feeds it advertises."""
    kind = sniff_kind(content, content_type, final_url)
    try:
        if kind == "feed":
            title, site_url = _feed_summary(content, final_url, content_type)
            return ResolvedSource(final_url, "feed", title, site_url)
        if kind == "sitemap":
            parse_sitemap(content, final_url)
            return ResolvedSource(final_url, "sitemap", None, None)
    except FeedError as error:
        raise SourceNotUsable(f"{url}: {error}", retryable=False) from error
    if kind != "html":
        raise SourceNotUsable(
            f"{url} is neither a feed, a sitemap nor a web page (it served "
            f"{content_type or 'an unknown type'})",
            retryable=False,
        )
    return discover_feeds(content, final_url)


def _as_article(url: str, result: FetchResult) -> ResolvedSource:
    """A page with no feed, followed as a single article (if it is one)."""
    try:
        article = extract(result.content, result.url, content_type=result.content_type)
    except ExtractionError as error:
        raise SourceNotUsable(f"{url}: {error}", retryable=False) from error
    return ResolvedSource(article.canonical_url or result.url, "page", article.title, None)
