"""Sitemaps (urlset and sitemapindex, plain or gzipped, with Google News tags) to URLs.

News sites list fresh articles in sitemaps, often before their feeds do, and the Google
News extension carries the title, language and publication date we would otherwise need
to fetch each page for. Sitemaps may be up to 50 MB uncompressed, so the cap here is that,
and the gzip reader stops at it instead of trusting a small file not to be a zip bomb.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from handpicked.extract.meta.dates import parse_date
from handpicked.extract.urls import absolute_url
from handpicked.fetch.xmlsafety import FeedError, element_text, local_name, parse_xml_safely

__all__ = ["MAX_SITEMAP_BYTES", "ParsedSitemap", "SitemapEntry", "parse_sitemap"]

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1024 * 1024
_TEXT_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class SitemapEntry:
    """One page a sitemap lists, with what the sitemap (and its news tags) says about it."""

    url: str
    lastmod: datetime | None
    published: datetime | None
    title: str | None
    language: str | None


@dataclass(frozen=True)
class ParsedSitemap:
    """Pages of a urlset, or the child sitemaps of a sitemap index (or, rarely, both)."""

    entries: list[SitemapEntry]
    sitemaps: list[str]


def gunzip_capped(content: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress gzip data, refusing output over ``limit`` bytes (gzip bombs)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = 0
    data = content
    try:
        while data:
            chunk = inflater.decompress(data, _CHUNK)
            size += len(chunk)
            if size > limit:
                raise FeedError(f"unsafe sitemap: gzip data expands beyond {limit:,} bytes")
            parts.append(chunk)
            data = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error as error:
        raise FeedError(f"not a sitemap: broken gzip data ({error})") from error
    return b"".join(parts)


def _text(element: etree._Element, name: str) -> str | None:
    """The stripped text of the first child (any namespace) called ``name``."""
    for child in element:
        if local_name(child) == name:
            text = (element_text(child) or "").strip()
            return text or None
    return None


def _child(element: etree._Element, name: str) -> etree._Element | None:
    """The first child (any namespace) called ``name``."""
    for child in element:
        if local_name(child) == name:
            return child
    return None


def _web_url(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL, or None for missing or non-web addresses."""
    if not href:
        return None
    resolved = absolute_url(base, href)
    if not resolved or not resolved.lower().startswith(("http://", "https://")):
        return None
    return resolved


def _date(text: str | None) -> datetime | None:
    """A UTC datetime from a W3C date, or None for missing or unreadable ones."""
    value = parse_date(text)
    return value.astimezone(UTC) if value else None


def _entry(element: etree._Element, base: str) -> SitemapEntry | None:
    """A SitemapEntry from one <url> element; None without a usable <loc>."""
    url = _web_url(base, _text(element, "loc"))
    if url is None:
        return None
    news = _child(element, "news")
    published = title = language = None
    if news is not None:
        published = _date(_text(news, "publication_date"))
        title = _text(news, "title")
        publication = _child(news, "publication")
        if publication is not None:
            language = _text(publication, "language")
    return SitemapEntry(
        url=url,
        lastmod=_date(_text(element, "lastmod")),
        published=published,
        title=title,
        language=language,
    )


def _text_sitemap(content: bytes) -> ParsedSitemap | None:
    """A plain-text sitemap (one absolute URL per line), or None when it is not one."""
    try:
        lines = content.decode("utf-8").split()
    except UnicodeDecodeError:
        return None
    if not lines or not all(_TEXT_URL.match(line) for line in lines):
        return None
    entries = [SitemapEntry(line, None, None, None, None) for line in dict.fromkeys(lines)]
    return ParsedSitemap(entries=entries, sitemaps=[])


def parse_sitemap(content: bytes, url: str) -> ParsedSitemap:
    """Parse a sitemap or sitemap index served at ``url``; gzip is detected by magic bytes.

    Raises FeedError when it is no sitemap, is unsafe XML, or expands beyond 50 MB.
    """
    if content.startswith(_GZIP_MAGIC):
        content = gunzip_capped(content)
    if not content.lstrip().startswith(b"<") and (plain := _text_sitemap(content)):
        return plain
    root = parse_xml_safely(content, "a sitemap", MAX_SITEMAP_BYTES)
    kind = local_name(root)
    if kind not in ("urlset", "sitemapindex"):
        raise FeedError(f"not a sitemap: root element is <{kind}>, not <urlset> or <sitemapindex>")
    entries: list[SitemapEntry] = []
    sitemaps: list[str] = []
    seen: set[str] = set()
    for element in root:
        name = local_name(element)
        if name == "url":
            entry = _entry(element, url)
            if entry and entry.url not in seen:
                seen.add(entry.url)
                entries.append(entry)
        elif name == "sitemap":
            child = _web_url(url, _text(element, "loc"))
            if child and child not in seen:
                seen.add(child)
                sitemaps.append(child)
    return ParsedSitemap(entries=entries, sitemaps=sitemaps)
